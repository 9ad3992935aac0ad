"""Back-office configuration of the topic stage: categories and the keyword hints."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shangliang.core.admin import HistoryAdmin, ReadOnlyAdmin
from shangliang.core.forms import CleanTextMixin
from shangliang.topics.models import ApprovalRoute, Category, ExclusionRule, Submission, Topic


@admin.register(Category)
class CategoryAdmin(HistoryAdmin):
    list_display = ["name", "is_livelihood", "sort_order", "is_archived"]
    list_editable = ["is_livelihood", "sort_order"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExclusionRule)
class ExclusionRuleAdmin(HistoryAdmin):
    list_display = ["keyword", "reason", "is_active"]
    list_filter = ["reason", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["keyword"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["tracking_code", "title", "source", "status", "region", "created_at"]
    list_filter = ["status", "source", "category"]
    search_fields = ["tracking_code", "title"]


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "convening_level", "convening_region", "created_at"]
    list_filter = ["status", "convening_level", "category"]
    search_fields = ["title"]


class ApprovalRouteForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = ApprovalRoute
        fields = ["district", "platform_kind", "convening_level", "route", "party_meeting_required", "is_archived"]

    def clean(self):
        cleaned = super().clean()
        case = {name: cleaned.get(name) for name in ("district", "platform_kind", "convening_level")}
        if case["district"] is not None and not cleaned.get("is_archived"):
            same = ApprovalRoute.objects.filter(**case, archived_at__isnull=True).exclude(pk=self.instance.pk)
            if same.exists():
                raise forms.ValidationError(_("本区已有同一平台类型和召集层级的审定规则，请修改或归档原规则。"))
        return cleaned


@admin.register(ApprovalRoute)
class ApprovalRouteAdmin(HistoryAdmin):
    """Each district's rule for who approves topics (议题审定); the most specific active rule applies
    (``topics.routing``). Rules are archived, never deleted; the history shows every change."""

    list_display = ["district", "platform_kind", "convening_level", "route", "party_meeting_required", "is_archived"]
    list_filter = ["district", "platform_kind", "convening_level", "route", "is_archived"]
    form = ApprovalRouteForm

    def save_model(self, request, obj, form, change):
        # An archived rule no longer applies and frees its place for a new one (the unique constraint
        # counts the rules without ``archived_at``).
        obj.archived_at = (obj.archived_at or timezone.now()) if obj.is_archived else None
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False
