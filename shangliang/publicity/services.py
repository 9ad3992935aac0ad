"""Writes of publicity: news and announcements (draft → published → withdrawn) and the archive's documents.

Who may act is checked by the views (``permissions``); here the state and the content are checked.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.consultations.models import Consultation
from shangliang.consultations.states import ConsultationStatus
from shangliang.core.errors import DomainError
from shangliang.core.images import clean_photo
from shangliang.core.records import save_record
from shangliang.core.transitions import ensure_move, transition
from shangliang.core.uploads import DOC, DOCX, PDF, validate_attachment
from shangliang.orgs.models import Platform, Region
from shangliang.orgs.states import RegionLevel
from shangliang.publicity.models import ArchiveDocument, Article, ArticlePhoto, Tag
from shangliang.publicity.states import (
    ARCHIVE_MOVES,
    ARTICLE_MOVES,
    ArticleKind,
    ArticleStatus,
    DocumentStatus,
)

MAX_PHOTOS = 6
WITHDRAW_REASON_MAX = 200
MAX_TAGS = 10
TAG_MAX = 20
# A session announcement is about a session still to come: planned or notified.
ANNOUNCEABLE = frozenset({ConsultationStatus.PLANNED, ConsultationStatus.NOTIFIED})
DOCUMENT_TYPES = frozenset({PDF, DOC, DOCX})
TAG_SEPARATORS = re.compile(r"[,，、;；\s]+")


# --- news and announcements --------------------------------------------------------------------


def _photos(photos) -> list:
    """Each photo re-encoded by ``clean_photo`` (EXIF and GPS dropped), at most ``MAX_PHOTOS``."""
    photos = [p for p in photos if p]
    if len(photos) > MAX_PHOTOS:
        raise DomainError(_("最多上传%(count)d张照片。") % {"count": MAX_PHOTOS}, field="photos")
    try:
        return [clean_photo(photo) for photo in photos]
    except ValidationError as error:
        raise DomainError(error.messages[0], field="photos") from None


def _replace_photos(article: Article, cleaned: list) -> None:
    if not cleaned:
        return
    article.photos.filter(is_archived=False).update(is_archived=True)
    for photo in cleaned:
        ArticlePhoto.objects.create(article=article, image=photo)


def is_announceable(consultation: Consultation, now=None) -> bool:
    """A consultation still to come: planned or notified, its session in the future, not archived."""
    now = now or timezone.now()
    return consultation.status in ANNOUNCEABLE and consultation.starts_at > now and not consultation.is_archived


def _check_text(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise DomainError(_("请填写标题。"), field="title")
    if not body:
        raise DomainError(_("请填写正文。"), field="body")
    return title, body


def _check_preview(kind: str, consultation: Consultation | None, now=None) -> None:
    if kind != ArticleKind.PREVIEW:
        return
    if consultation is None:
        raise DomainError(_("协商预告须关联一次协商。"), field="kind")
    # As it stands now: it may have been cancelled or rescheduled since the page was opened.
    consultation = Consultation.objects.get(pk=consultation.pk)
    if not is_announceable(consultation, now):
        raise DomainError(_("只能为尚未召开的协商（筹备中或已通知）发布预告。"), field="kind")


@transaction.atomic
def article_create(
    *,
    actor,
    kind: str,
    title: str,
    body: str,
    region: Region | None = None,
    platform: Platform | None = None,
    consultation: Consultation | None = None,
    photos=(),
    now=None,
) -> Article:
    """Write a news item, an announcement or a session announcement as a draft.

    The scope is ``platform`` (its region) or ``region`` (a township or the district). A session
    announcement names its consultation, which must still be to come; its platform is the scope when
    none is given. Raises DomainError for a missing title, body or scope, or a consultation already held.
    """
    title, body = _check_text(title, body)
    if consultation is not None and platform is None and region is None:
        platform = consultation.platform
    if platform is not None:
        region = platform.region
    if region is None:
        raise DomainError(_("请选择发布范围。"), field="scope")
    if region.level == RegionLevel.GRID:
        raise DomainError(_("新闻公告按平台、村（社区）、乡镇（街道）或全区发布。"), field="scope")
    _check_preview(kind, consultation, now)
    article = Article(
        kind=kind, title=title, body=body, region=region, platform=platform, consultation=consultation, author=actor
    )
    save_record(article, actor=actor, reason="article.drafted", now=now)
    _replace_photos(article, _photos(photos))
    return article


@transaction.atomic
def article_update(*, actor, article: Article, title: str, body: str, photos=()) -> Article:
    """Change the title, the body and (when new ones are given) the photos of a draft or a published item.

    Raises DomainError for a withdrawn item or a missing title or body.
    """
    article = Article.objects.select_for_update(of=("self",)).get(pk=article.pk)
    if article.status == ArticleStatus.WITHDRAWN:
        raise DomainError(_("已撤回的新闻公告不能再修改。"))
    article.title, article.body = _check_text(title, body)
    cleaned = _photos(photos)
    save_record(article, actor=actor, reason="article.updated")
    _replace_photos(article, cleaned)
    return article


@transaction.atomic
def article_publish(*, actor, article: Article, now=None) -> Article:
    """Put a draft on the public news pages. A session announcement only while its session is to come."""
    article = Article.objects.select_for_update(of=("self",)).select_related("consultation").get(pk=article.pk)
    ensure_move(article, to=ArticleStatus.PUBLISHED, moves=ARTICLE_MOVES)
    _check_preview(article.kind, article.consultation, now)
    return transition(
        article,
        to=ArticleStatus.PUBLISHED,
        moves=ARTICLE_MOVES,
        actor=actor,
        reason="article.published",
        changes={"published_by": actor},
        now=now,
    )


@transaction.atomic
def article_withdraw(*, actor, article: Article, reason: str) -> Article:
    """Take a published item off the public pages with a reason; the row and its history stay."""
    article = Article.objects.select_for_update(of=("self",)).get(pk=article.pk)
    ensure_move(article, to=ArticleStatus.WITHDRAWN, moves=ARTICLE_MOVES)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写撤回原因。"), field="reason")
    if len(reason) > WITHDRAW_REASON_MAX:
        raise DomainError(_("撤回原因不能超过%(count)d个字。") % {"count": WITHDRAW_REASON_MAX}, field="reason")
    return transition(
        article,
        to=ArticleStatus.WITHDRAWN,
        moves=ARTICLE_MOVES,
        actor=actor,
        reason="article.withdrawn",
        note=reason,
        changes={"withdraw_reason": reason},
    )


# --- the archive ---------------------------------------------------------------------------------


def parse_tags(text: str) -> list[str]:
    """The tag names typed in one line, separated by commas, 、 or spaces; each once, in order."""
    names = []
    for name in TAG_SEPARATORS.split(text or ""):
        name = name.strip().lstrip("#")
        if name and name not in names:
            names.append(name)
    if len(names) > MAX_TAGS:
        raise DomainError(_("标签最多%(count)d个。") % {"count": MAX_TAGS}, field="tags")
    if any(len(name) > TAG_MAX for name in names):
        raise DomainError(_("每个标签不超过%(count)d个字。") % {"count": TAG_MAX}, field="tags")
    return names


def _tags(names: list[str]) -> list[Tag]:
    return [Tag.objects.get_or_create(name=name)[0] for name in names]


def _attachment(attachment):
    if not attachment:
        return None
    try:
        file_type = validate_attachment(attachment)
    except ValidationError as error:
        raise DomainError(error.messages[0], field="attachment") from None
    if file_type not in DOCUMENT_TYPES:
        raise DomainError(_("附件只能是 PDF 或 Word 文档。"), field="attachment")
    return attachment


def _document_fields(document: ArchiveDocument, *, title, kind, summary, body, source, issued_on, region) -> None:
    title = (title or "").strip()
    if not title:
        raise DomainError(_("请填写标题。"), field="title")
    if region.level == RegionLevel.GRID:
        raise DomainError(_("文档按村（社区）、乡镇（街道）或全区归属。"), field="region")
    document.title, document.kind, document.region = title, kind, region
    document.summary, document.body = (summary or "").strip(), (body or "").strip()
    document.source, document.issued_on = (source or "").strip(), issued_on


@transaction.atomic
def document_create(
    *,
    actor,
    title: str,
    kind: str,
    region: Region,
    issued_on,
    summary: str = "",
    body: str = "",
    source: str = "",
    tags: str = "",
    attachment=None,
    now=None,
) -> ArchiveDocument:
    """File a document in the archive as a draft. Either a body or an attachment (PDF or Word) is needed."""
    document = ArchiveDocument(author=actor)
    _document_fields(
        document, title=title, kind=kind, summary=summary, body=body, source=source, issued_on=issued_on, region=region
    )
    names = parse_tags(tags)
    upload = _attachment(attachment)
    if not document.body and upload is None:
        raise DomainError(_("请填写正文或上传附件。"), field="body")
    if upload is not None:
        document.attachment = upload
    return save_record(document, actor=actor, reason="archive_document.drafted", now=now, m2m={"tags": _tags(names)})


@transaction.atomic
def document_update(
    *,
    actor,
    document: ArchiveDocument,
    title: str,
    kind: str,
    region: Region,
    issued_on,
    summary: str = "",
    body: str = "",
    source: str = "",
    tags: str = "",
    attachment=None,
) -> ArchiveDocument:
    """Change a document; a new attachment replaces the old one (kept in the history)."""
    document = ArchiveDocument.objects.select_for_update(of=("self",)).get(pk=document.pk)
    _document_fields(
        document, title=title, kind=kind, summary=summary, body=body, source=source, issued_on=issued_on, region=region
    )
    names = parse_tags(tags)
    upload = _attachment(attachment)
    if upload is not None:
        document.attachment = upload
    if not document.body and not document.attachment:
        raise DomainError(_("请填写正文或上传附件。"), field="body")
    return save_record(document, actor=actor, reason="archive_document.updated", m2m={"tags": _tags(names)})


@transaction.atomic
def document_publish(*, actor, document: ArchiveDocument, now=None) -> ArchiveDocument:
    document = ArchiveDocument.objects.select_for_update(of=("self",)).get(pk=document.pk)
    return transition(
        document,
        to=DocumentStatus.PUBLISHED,
        moves=ARCHIVE_MOVES,
        actor=actor,
        reason="archive_document.published",
        now=now,
    )


@transaction.atomic
def document_unpublish(*, actor, document: ArchiveDocument, reason: str) -> ArchiveDocument:
    """Take a document back to draft (to correct it), with a reason."""
    document = ArchiveDocument.objects.select_for_update(of=("self",)).get(pk=document.pk)
    ensure_move(document, to=DocumentStatus.DRAFT, moves=ARCHIVE_MOVES)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写撤回原因。"), field="reason")
    return transition(
        document,
        to=DocumentStatus.DRAFT,
        moves=ARCHIVE_MOVES,
        actor=actor,
        reason="archive_document.unpublished",
        note=reason[:WITHDRAW_REASON_MAX],
    )
