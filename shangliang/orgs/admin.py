"""Back-office configuration. Records are archived, never deleted, and every save keeps history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from shangliang.orgs import models


class NoDeleteAdmin(SimpleHistoryAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Region)
class RegionAdmin(NoDeleteAdmin):
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
    raw_id_fields = ["region", "parent"]


class PlatformCheckInline(admin.TabularInline):
    model = models.PlatformCheck
    extra = 0
    can_delete = False


@admin.register(models.Platform)
class PlatformAdmin(NoDeleteAdmin):
    list_display = ["name", "kind", "brand", "region", "active_since", "is_archived"]
    list_filter = ["kind", "brand", "is_archived"]
    search_fields = ["name", "address"]
    raw_id_fields = ["region", "host_unit"]
    inlines = [PlatformCheckInline]


class CommitteeSeatInline(admin.TabularInline):
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
    model = models.MemberAssignment
    extra = 0
    can_delete = False
    raw_id_fields = ["platform"]


@admin.register(models.Member)
class MemberAdmin(NoDeleteAdmin):
    list_display = ["name", "level", "sector", "specialty", "is_archived"]
    list_filter = ["level", "sector", "is_archived"]
    search_fields = ["name", "specialty"]
    raw_id_fields = ["home_region", "work_region", "user"]
    inlines = [MemberAssignmentInline]


@admin.register(models.ContactLink)
class ContactLinkAdmin(NoDeleteAdmin):
    list_display = ["committee", "platform", "started_on", "ended_on"]
    raw_id_fields = ["committee", "platform"]


@admin.register(models.ScopedRole)
class ScopedRoleAdmin(NoDeleteAdmin):
    list_display = ["user", "role", "region", "platform", "unit", "granted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name"]
    raw_id_fields = ["user", "region", "platform", "unit"]
