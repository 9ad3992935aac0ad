"""Publicity: news and announcements of a platform or the district, and the archive of theory and experience."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shangliang.consultations.models import Consultation
from shangliang.core import limits
from shangliang.core.audit import history_records
from shangliang.core.constraints import valid_choices
from shangliang.core.models import ArchivableModel
from shangliang.orgs.models import Platform, Region
from shangliang.publicity.states import ArticleKind, ArticleStatus, DocumentKind, DocumentStatus


class Article(ArchivableModel):
    """A news item, an announcement or a session announced in advance (协商预告), for a platform or a region.

    ``region`` is the scope: the platform's region when a platform is given, else the district or
    township the item speaks for. Withdrawn items keep their row; only published ones are public.
    """

    kind = models.CharField(_("类别"), max_length=20, choices=ArticleKind.choices)
    region = models.ForeignKey(Region, verbose_name=_("发布范围"), on_delete=models.PROTECT, related_name="articles")
    platform = models.ForeignKey(
        Platform, verbose_name=_("协商平台"), null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("相关协商"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"), max_length=limits.DOCUMENT)
    status = models.CharField(_("状态"), max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("撰稿人"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)
    history = history_records()

    class Meta:
        verbose_name = _("新闻公告")
        verbose_name_plural = _("新闻公告")
        ordering = ["-published_at", "-pk"]
        constraints = [
            *valid_choices("publicity_article", kind=ArticleKind, status=ArticleStatus),
            models.CheckConstraint(
                condition=~Q(status=ArticleStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="publicity_article_published_has_time",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED


def article_photo_path(instance, filename):
    return f"news/{instance.article_id}/{secrets.token_hex(8)}.jpg"


class ArticlePhoto(models.Model):
    """A photo of a news item; replaced photos are archived, not deleted."""

    article = models.ForeignKey(Article, verbose_name=_("新闻公告"), on_delete=models.PROTECT, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=article_photo_path)
    is_archived = models.BooleanField(_("已归档"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("新闻照片")
        verbose_name_plural = _("新闻照片")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.article} · {self.pk}"

    def delete(self, *args, **kwargs):
        raise PermissionError("Official records are archived, never deleted.")


class Tag(models.Model):
    """A word a document is filed under (标签); made when first used."""

    name = models.CharField(_("标签"), max_length=20, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = _("标签")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ArchiveDocument(ArchivableModel):
    """A document of the theory-research and experience archive (理论研究与经验交流)."""

    title = models.CharField(_("标题"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=DocumentKind.choices)
    summary = models.TextField(_("摘要"), max_length=limits.NOTE, blank=True)
    body = models.TextField(_("正文"), max_length=limits.DOCUMENT, blank=True)
    attachment = models.FileField(_("附件"), upload_to="archive/%Y/%m/", blank=True)
    source = models.CharField(_("来源"), max_length=100, blank=True, help_text=_("如：区政协理论研究会、某镇联络站"))
    issued_on = models.DateField(_("日期"))
    tags = models.ManyToManyField(Tag, verbose_name=_("标签"), blank=True, related_name="documents")
    region = models.ForeignKey(
        Region, verbose_name=_("所属范围"), on_delete=models.PROTECT, related_name="archive_documents"
    )
    status = models.CharField(_("状态"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    history = history_records(m2m_fields=[tags])

    class Meta:
        verbose_name = _("理论研究与经验交流文档")
        verbose_name_plural = _("理论研究与经验交流文档")
        ordering = ["-issued_on", "-pk"]
        constraints = [*valid_choices("publicity_document", kind=DocumentKind, status=DocumentStatus)]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == DocumentStatus.PUBLISHED
