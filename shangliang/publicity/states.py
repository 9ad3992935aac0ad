"""Vocabularies and allowed moves of publicity: news and announcements, and the archive of theory and experience."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("公告")  # a notice to residents (opening hours, a call for topics …)
    NEWS = "news", _("新闻")  # what happened: a session held, a result delivered
    PREVIEW = "preview", _("协商预告")  # a session announced in advance: content, form and process (004)


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")  # written, not yet public
    PUBLISHED = "published", _("已发布")  # on the public news pages
    WITHDRAWN = "withdrawn", _("已撤回")  # taken off the public pages, with a reason; the row stays


ARTICLE_MOVES = {
    ArticleStatus.DRAFT: {ArticleStatus.PUBLISHED},
    ArticleStatus.PUBLISHED: {ArticleStatus.WITHDRAWN},
    ArticleStatus.WITHDRAWN: set(),
}


class DocumentKind(models.TextChoices):
    THEORY = "theory", _("理论研究")  # papers of the CPPCC theory-research society (000)
    PRACTICE = "practice", _("经验做法")  # a station's way of working, for exchange (003)
    RULES = "rules", _("制度文件")  # rules, procedures, notices in force
    SURVEY = "survey", _("调研报告")  # a research report


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")  # seen by its writers only
    PUBLISHED = "published", _("已发布")  # seen by staff and members


ARCHIVE_MOVES = {
    DocumentStatus.DRAFT: {DocumentStatus.PUBLISHED},
    # Taken back to correct it; published again afterwards.
    DocumentStatus.PUBLISHED: {DocumentStatus.DRAFT},
}


# What a history row says happened (``core.audit``): stable codes, translated when shown.
AUDIT_REASONS = {
    "article.drafted": _("撰写新闻公告"),
    "article.updated": _("修改新闻公告"),
    "article.published": _("发布新闻公告"),
    "article.withdrawn": _("撤回新闻公告"),
    "archive_document.drafted": _("录入理论研究与经验交流文档"),
    "archive_document.updated": _("修改文档"),
    "archive_document.published": _("发布文档"),
    "archive_document.unpublished": _("撤回文档"),
}
