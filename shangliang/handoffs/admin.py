"""Back office: hand-offs are read-only here; they move only through their pages, where the rules apply."""

from django.contrib import admin

from shangliang.core.admin import ReadOnlyAdmin
from shangliang.handoffs.models import Handoff


@admin.register(Handoff)
class HandoffAdmin(ReadOnlyAdmin):
    list_display = ["channel", "unit", "recipient", "region", "handed_at", "status", "answered_at"]
    list_filter = ["channel", "status"]
    search_fields = ["reason", "recipient", "unit__name", "answer", "reference"]
