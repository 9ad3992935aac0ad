"""Back office: outcomes are read-only here; they move only through their pages, where the rules apply."""

from django.contrib import admin

from shangliang.core.admin import BoundedLookupsMixin, ReadOnlyAdmin
from shangliang.outcomes.models import Assignment, OutcomeReport, Publication, Reminder


@admin.register(OutcomeReport)
class OutcomeReportAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "recipient", "status", "sent_at", "reply_due_on", "replied_at"]
    list_filter = ["kind", "status", "is_entrusted"]
    search_fields = ["title"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["suggestion", "lead_unit", "deadline", "status", "supervisor"]
    list_filter = ["status", "lead_unit__kind"]
    search_fields = ["suggestion__text", "lead_unit__name"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["consultation", "published_at", "published_by"]


@admin.register(Reminder)
class ReminderAdmin(BoundedLookupsMixin, admin.ModelAdmin):
    list_display = ["assignment", "kind", "deadline", "sent_at", "recipients"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
