"""Back office: news and archive documents are read-only here; they change only through their pages."""

from django.contrib import admin

from shangliang.core.admin import ReadOnlyAdmin
from shangliang.publicity.models import ArchiveDocument, Article


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "status", "region", "platform", "published_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["region", "platform"]
    search_fields = ["title"]


@admin.register(ArchiveDocument)
class ArchiveDocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "status", "region", "issued_on"]
    list_filter = ["kind", "status"]
    list_select_related = ["region"]
    search_fields = ["title"]
