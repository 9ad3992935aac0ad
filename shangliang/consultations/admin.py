"""Back-office configuration of consultations: the forms of session and what each must include."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from shangliang.consultations.models import Consultation, ProcedureRules, SessionFormat
from shangliang.core.admin import HistoryAdmin
from shangliang.core.records import set_many, stamp_history


@admin.register(SessionFormat)
class SessionFormatAdmin(HistoryAdmin):
    list_display = ["name", "required_categories", "sort_order", "is_archived"]
    list_editable = ["sort_order"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consultation)
class ConsultationAdmin(HistoryAdmin):
    """Read-only: consultations move only through their pages, where the rules apply."""

    list_display = ["topic", "session_format", "mode", "starts_at", "status", "convener"]
    list_filter = ["status", "mode", "session_format"]
    search_fields = ["topic__title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProcedureRules)
class ProcedureRulesAdmin(HistoryAdmin):
    """A district's safeguards: when a hearing form is required, when the township's legal review is.

    Each save is one history row (``procedure_rules.set``) holding the forms and categories chosen."""

    list_display = ["district", "hearing_from_level", "hearing_min_villages", "hearing_min_supporters", "legal_review"]
    filter_horizontal = ["hearing_formats", "legal_review_categories"]
    fieldsets = [
        (None, {"fields": ["district"]}),
        (
            _("涉及面广、关注度高的事项（专题议事会、民主听证会等）"),
            {"fields": ["hearing_from_level", "hearing_min_villages", "hearing_min_supporters", "hearing_formats"]},
        ),
        (_("村（社区）协商结果的合法性审查"), {"fields": ["legal_review", "legal_review_categories"]}),
    ]
    many = ("hearing_formats", "legal_review_categories")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        stamp_history(obj, actor=request.user, reason="procedure_rules.set")
        obj.save()

    def save_related(self, request, form, formsets, change):
        set_many(form.instance, {name: form.cleaned_data.get(name, []) for name in self.many})
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
