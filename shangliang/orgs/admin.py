"""Back-office configuration. Records are archived, never deleted, and every save keeps history."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shangliang.core import admin as core_admin
from shangliang.core.errors import DomainError
from shangliang.core.forms import CleanTextModelForm, add_service_error
from shangliang.orgs import models, platform_details, services
from shangliang.orgs.states import RegionLevel, Role


class NoDeleteAdmin(core_admin.NoDeleteAdmin):
    """Archived records show their archive stamp read-only; archiving goes through the service."""

    archive_service = None

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if any(f.name == "is_archived" for f in self.model._meta.fields):
            fields += ["is_archived", "archived_at"]
        return fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.archive_service is None:
            actions.pop("archive_selected", None)
        return actions

    @admin.action(description=_("归档所选记录"))
    def archive_selected(self, request, queryset):
        archived = 0
        for obj in queryset.filter(is_archived=False):
            try:
                type(self).archive_service(actor=request.user, **{obj._meta.model_name: obj})
            except DomainError as error:
                self.message_user(request, f"{obj}：{error.message}", messages.ERROR)
            else:
                archived += 1
        self.message_user(request, gettext("已归档 %(count)d 条记录。") % {"count": archived})

    actions = ["archive_selected"]


@admin.register(models.Region)
class RegionAdmin(NoDeleteAdmin):
    archive_service = services.region_archive
    list_display = ["name", "level", "code", "parent", "is_archived"]
    list_filter = ["level", "is_archived"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent"]
    readonly_fields = ["parent"]

    def has_add_permission(self, request):
        # New regions need their path; they are added through the region pages or the import.
        return False


@admin.register(models.Sector)
class SectorAdmin(NoDeleteAdmin):
    list_display = ["name", "is_archived"]
    search_fields = ["name"]


@admin.register(models.Unit)
class UnitAdmin(NoDeleteAdmin):
    list_display = ["name", "kind", "region", "is_archived"]
    list_filter = ["kind", "is_archived"]
    search_fields = ["name"]
    raw_id_fields = ["region", "parent", "head"]


class PlatformCheckInline(admin.TabularInline):
    form = CleanTextModelForm
    model = models.PlatformCheck
    extra = 0
    can_delete = False


class PlatformForm(CleanTextModelForm):
    """The admin's platform form checks the details as the staff page does (``platform_details.check_details``:
    the venue type, rooms shared with the township's own villages only, the keeper in scope, dialable phones),
    so the admin cannot save what the page refuses. Each refusal is shown next to its field."""

    class Meta:
        model = models.Platform
        fields = "__all__"

    def _post_clean(self):
        super()._post_clean()
        if self._errors:
            return
        if "shared_regions" in self.cleaned_data:
            shared = list(self.cleaned_data["shared_regions"])
        else:
            shared = list(self.instance.shared_regions.all()) if self.instance.pk else []
        try:
            platform_details.check_details(self.instance, shared)
        except DomainError as error:
            add_service_error(self, error)


@admin.register(models.Platform)
class PlatformAdmin(NoDeleteAdmin):
    archive_service = services.platform_archive
    form = PlatformForm
    list_display = ["name", "kind", "venue_type", "is_practice_base", "brand", "region", "keeper_name", "is_archived"]
    list_filter = ["kind", "venue_type", "is_practice_base", "brand", "is_archived"]
    search_fields = ["name", "address", "keeper_name"]
    raw_id_fields = ["region", "host_unit", "keeper"]
    filter_horizontal = ["shared_regions"]
    inlines = [PlatformCheckInline]


class CommitteeSeatInline(admin.TabularInline):
    form = CleanTextModelForm
    model = models.CommitteeSeat
    extra = 0
    can_delete = False


@admin.register(models.ConsultationCommittee)
class ConsultationCommitteeAdmin(NoDeleteAdmin):
    list_display = ["name", "region", "established_on"]
    search_fields = ["name"]
    raw_id_fields = ["region"]
    inlines = [CommitteeSeatInline]


class MemberAssignmentInline(admin.TabularInline):
    form = CleanTextModelForm
    model = models.MemberAssignment
    extra = 0
    can_delete = False
    raw_id_fields = ["platform"]


@admin.register(models.Member)
class MemberAdmin(NoDeleteAdmin):
    archive_service = services.member_archive
    list_display = ["name", "level", "sector", "specialty", "is_archived"]
    list_filter = ["level", "sector", "is_archived"]
    search_fields = ["name", "specialty"]
    raw_id_fields = ["home_region", "work_region", "user"]
    inlines = [MemberAssignmentInline]


@admin.register(models.ContactLink)
class ContactLinkAdmin(NoDeleteAdmin):
    list_display = ["committee", "platform", "started_on", "ended_on"]
    raw_id_fields = ["committee", "platform"]


class ScopedRoleForm(CleanTextModelForm):
    class Meta:
        model = models.ScopedRole
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        region = cleaned.get("region")
        if cleaned.get("role") == Role.LEGAL_REVIEWER and (region is None or region.level != RegionLevel.TOWNSHIP):
            # The township government reviews its villages' resolutions (services.role_grant says the same).
            self.add_error("region", gettext("乡镇（街道）政府合法性审查角色只能授予在乡镇（街道）。"))
        return cleaned


@admin.register(models.ScopedRole)
class ScopedRoleAdmin(NoDeleteAdmin):
    form = ScopedRoleForm
    list_display = ["user", "role", "region", "platform", "unit", "granted_at", "revoked_at"]
    readonly_fields = ["revoked_at"]
    actions = ["revoke_selected"]

    @admin.action(description=_("撤销所选角色"))
    def revoke_selected(self, request, queryset):
        for scoped_role in queryset.filter(revoked_at__isnull=True):
            services.role_revoke(actor=request.user, scoped_role=scoped_role)
        self.message_user(request, gettext("所选角色已撤销。"))

    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name"]
    raw_id_fields = ["user", "region", "platform", "unit"]
