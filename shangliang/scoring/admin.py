"""Back office: targets, schemes and inspections; every save goes through the services, nothing is deleted."""

from django.contrib import admin

from shangliang.core.admin import NoDeleteAdmin
from shangliang.scoring import services
from shangliang.scoring.models import AnnualTarget, Inspection, ScoringScheme


@admin.register(AnnualTarget)
class AnnualTargetAdmin(NoDeleteAdmin):
    list_display = ["year", "region", "platform", "min_consultations", "min_on_time_rate", "min_satisfaction_rate"]
    list_filter = ["year", "is_archived"]
    list_select_related = ["region", "platform"]
    fields = ["year", "region", "platform", "min_consultations", "min_on_time_rate", "min_satisfaction_rate", "note"]

    def save_model(self, request, obj, form, change):
        obj.pk = services.target_set(actor=request.user, **{name: getattr(obj, name) for name in self.fields}).pk


@admin.register(ScoringScheme)
class ScoringSchemeAdmin(NoDeleteAdmin):
    list_display = [
        "year",
        "weight_consultations",
        "weight_on_time",
        "weight_replies",
        "weight_satisfaction",
        "full_points",
    ]
    fields = ["year", "weight_consultations", "weight_on_time", "weight_replies", "weight_satisfaction", "full_points"]

    def save_model(self, request, obj, form, change):
        obj.pk = services.scheme_set(actor=request.user, **{name: getattr(obj, name) for name in self.fields}).pk


@admin.register(Inspection)
class InspectionAdmin(NoDeleteAdmin):
    """Read-only: inspections are entered on their page, which checks the committee's links."""

    list_display = ["visited_on", "committee", "platform", "kind", "recorded_by", "is_archived"]
    list_filter = ["kind", "is_archived"]
    list_select_related = ["committee", "platform", "recorded_by"]
    search_fields = ["platform__name", "committee__name", "findings"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
