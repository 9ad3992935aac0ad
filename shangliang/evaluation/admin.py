"""Back office: ratings, follow-ups, third-party evaluations and typical cases are read-only here; they change only
through their pages."""

from django.contrib import admin

from shangliang.core.admin import ReadOnlyAdmin
from shangliang.evaluation.models import FollowUp, Rating, ThirdPartyEvaluation, TypicalCase


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


@admin.register(ThirdPartyEvaluation)
class ThirdPartyEvaluationAdmin(ReadOnlyAdmin):
    list_display = ["consultation", "organisation", "process", "result", "evaluated_on", "evaluator"]
    list_filter = ["process", "result"]
    list_select_related = ["consultation__topic", "evaluator"]
    search_fields = ["consultation__topic__title", "organisation"]


@admin.register(TypicalCase)
class TypicalCaseAdmin(ReadOnlyAdmin):
    list_display = ["title", "consultation", "is_published", "published_at", "is_archived"]
    list_filter = ["is_published", "is_archived"]
    list_select_related = ["consultation__topic"]
    search_fields = ["title", "consultation__topic__title"]
