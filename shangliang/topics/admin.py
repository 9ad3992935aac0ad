"""Back-office configuration of the topic stage: categories and the keyword hints."""

from django.contrib import admin

from shangliang.core.admin import HistoryAdmin, ReadOnlyAdmin
from shangliang.topics.models import Category, ExclusionRule, Submission, Topic


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
