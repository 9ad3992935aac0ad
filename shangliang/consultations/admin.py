"""Back-office configuration of consultations: the forms of session and what each must include."""

from django.contrib import admin

from shangliang.consultations.models import Consultation, SessionFormat
from shangliang.core.admin import HistoryAdmin


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
