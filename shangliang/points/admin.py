"""Back office: the administrator edits the point rules here; every save keeps history, nothing is deleted."""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shangliang.core.admin import HistoryAdmin
from shangliang.points import services
from shangliang.points.formatting import points_text
from shangliang.points.forms import PointRuleForm
from shangliang.points.models import PointRule


@admin.register(PointRule)
class PointRuleAdmin(HistoryAdmin):
    form = PointRuleForm
    list_display = ["kind", "points_shown", "yearly_cap_shown", "is_active", "is_archived", "updated_at"]
    list_filter = ["kind", "is_active", "is_archived"]
    readonly_fields = ["is_archived", "archived_at"]
    fields = ["kind", "points", "yearly_cap", "is_active", "note", "is_archived", "archived_at"]
    actions = ["archive_selected"]

    @admin.display(description=_("每次分值"), ordering="points")
    def points_shown(self, obj):
        return points_text(obj.points)

    @admin.display(description=_("年度上限"), ordering="yearly_cap")
    def yearly_cap_shown(self, obj):
        return points_text(obj.yearly_cap) or "—"

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        services.rule_save(actor=request.user, rule=obj)

    @admin.action(description=_("归档所选规则"))
    def archive_selected(self, request, queryset):
        archived = 0
        for rule in queryset.filter(is_archived=False):
            services.rule_archive(actor=request.user, rule=rule)
            archived += 1
        self.message_user(request, gettext("已归档 %(count)d 条规则。") % {"count": archived})
