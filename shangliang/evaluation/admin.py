"""Back office: ratings, follow-ups, assessments and typical cases are read-only here; they change only
through their pages."""

from django.contrib import admin

from shangliang.core.admin import HistoryAdmin
from shangliang.evaluation.models import Assessment, FollowUp, Rating, TypicalCase


class ReadOnlyAdmin(HistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["consultation", "channel", "process", "result", "masked_mobile", "recorded_by", "created_at"]
    list_filter = ["channel", "process", "result"]
    list_select_related = ["consultation__topic", "recorded_by"]
    search_fields = ["consultation__topic__title"]
    exclude = ["mobile"]
    readonly_fields = ["masked_mobile"]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ["consultation", "status", "unsatisfied_share", "ratings_counted", "deadline", "done_at"]
    list_filter = ["status"]
    list_select_related = ["consultation__topic"]
    search_fields = ["consultation__topic__title"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["consultation", "organisation", "process", "result", "assessed_on", "assessor"]
    list_filter = ["process", "result"]
    list_select_related = ["consultation__topic", "assessor"]
    search_fields = ["consultation__topic__title", "organisation"]


@admin.register(TypicalCase)
class TypicalCaseAdmin(ReadOnlyAdmin):
    list_display = ["title", "consultation", "is_published", "published_at", "is_archived"]
    list_filter = ["is_published", "is_archived"]
    list_select_related = ["consultation__topic"]
    search_fields = ["title", "consultation__topic__title"]
