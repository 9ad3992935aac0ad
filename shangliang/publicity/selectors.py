"""Reads of publicity: the public news lists, the upcoming consultations, a session announcement's draft text,
the archive's search, and what waits for a writer."""

import logging
import re
from datetime import timedelta
from functools import reduce
from operator import or_

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shangliang.consultations.models import Consultation
from shangliang.consultations.permissions import consultations_run_by
from shangliang.consultations.states import ConsultationStatus
from shangliang.orgs.models import Platform, Region
from shangliang.orgs.states import RegionLevel
from shangliang.publicity import permissions
from shangliang.publicity.models import ArchiveDocument, Article, ArticlePhoto, Tag
from shangliang.publicity.states import ArticleKind, ArticleStatus, DocumentStatus

# Consultations whose session is still to come, shown on the public list of upcoming consultations.
UPCOMING_STATUSES = (ConsultationStatus.PLANNED, ConsultationStatus.NOTIFIED)
# A session starting within this many days and not yet announced is on the organiser's to-do list.
ANNOUNCE_WITHIN_DAYS = 14


def shown_photos() -> Prefetch:
    """The photos an article shows (replaced ones are archived), as ``article.shown_photos``."""
    return Prefetch("photos", queryset=ArticlePhoto.objects.filter(is_archived=False), to_attr="shown_photos")


# --- news ----------------------------------------------------------------------------------------


def public_articles(*, kind: str = "", platform: Platform | None = None, township: Region | None = None):
    """Published articles, newest first, each with its shown photos and its place (two queries per page)."""
    qs = permissions.published_articles()
    if kind:
        qs = qs.filter(kind=kind)
    if platform is not None:
        qs = qs.filter(platform=platform)
    if township is not None:
        # The township's own news, its villages' and its platforms'; the district's news is for everyone.
        qs = qs.filter(Q(region__path__startswith=township.path) | Q(region__level=RegionLevel.DISTRICT))
    return qs.select_related("region", "platform").prefetch_related(shown_photos()).order_by("-published_at", "-pk")


def townships() -> QuerySet[Region]:
    return Region.objects.filter(level=RegionLevel.TOWNSHIP, is_archived=False).order_by("name")


def platforms_with_news() -> QuerySet[Platform]:
    """The platforms that have published news, for the list's filter."""
    with_news = permissions.published_articles().filter(platform__isnull=False).values("platform_id")
    return Platform.objects.filter(pk__in=with_news, is_archived=False).order_by("name")


def articles_for_staff(user, *, status: str = "") -> QuerySet[Article]:
    qs = permissions.articles_editable_by(user).select_related("region", "platform", "author")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-updated_at", "-pk")


def announcements_of(consultation: Consultation) -> list[Article]:
    """The published articles linked to a consultation (its session announcement first)."""
    return list(permissions.published_articles().filter(consultation=consultation).order_by("-published_at", "-pk"))


# --- upcoming consultations ----------------------------------------------------------------------


def upcoming_consultations(*, township: Region | None = None, now=None) -> QuerySet[Consultation]:
    """Consultations not cancelled whose session is still to come (planned or notified), soonest first,
    each with its published session announcements as ``previews``."""
    now = now or timezone.now()
    qs = Consultation.objects.filter(status__in=UPCOMING_STATUSES, starts_at__gt=now, is_archived=False)
    if township is not None:
        qs = qs.filter(
            Q(platform__region__path__startswith=township.path)
            | Q(topic__convening_region__path__startswith=township.path)
        )
    previews = permissions.published_articles().filter(kind=ArticleKind.PREVIEW).order_by("-published_at")
    return (
        qs.select_related("topic__category", "platform__region", "session_format")
        .prefetch_related(Prefetch("articles", queryset=previews, to_attr="previews"))
        .order_by("starts_at", "pk")
    )


def preview_text(consultation: Consultation) -> dict:
    """The draft of a session announcement (提前公布协商的内容、形式及过程): a title and a body staff edit."""
    topic, platform = consultation.topic, consultation.platform
    starts = timezone.localtime(consultation.starts_at)
    when = date_format(starts, "Y年n月j日 H:i")
    place = consultation.place or platform.address or platform.name
    lines = [
        _(
            "%(platform)s定于%(when)s在%(place)s，以“%(format)s”的形式（%(mode)s）就“%(topic)s”开展协商，现将有关事项公布如下。"
        )
        % {
            "platform": platform.name,
            "when": when,
            "place": place,
            "format": consultation.session_format.name,
            "mode": consultation.get_mode_display(),
            "topic": topic.title,
        },
        "",
        _("一、协商内容"),
        topic.background or topic.title,
        "",
        _("二、协商形式"),
        _("形式：%(format)s；方式：%(mode)s；时间：%(when)s；地点：%(place)s。")
        % {
            "format": consultation.session_format.name,
            "mode": consultation.get_mode_display(),
            "when": when,
            "place": place,
        },
    ]
    agenda = list(consultation.agenda.all())
    if agenda:
        lines.append(_("议程："))
        lines.extend(f"{number}. {item.title}" for number, item in enumerate(agenda, start=1))
    lines += [
        "",
        _("三、协商过程"),
        _("会前调研、听取意见 → 协商议事、形成协商意见 → 报送和交办落实 → 结果公开 → 群众评议。"),
        _("协商结果和落实情况将在本平台公开。"),
        "",
        _("四、参与方式"),
        _("坚持“利益涉及谁就和谁商量”，欢迎利益相关的群众自愿报名参加。通知发出后可在本平台该协商的页面报名。"),
    ]
    if consultation.is_online:
        lines.append(_("本次协商同时在网上进行，协商期间可在该页面发表意见。"))
    if platform.contact_phone:
        lines.append(_("咨询电话：%(phone)s。") % {"phone": platform.contact_phone})
    title = _("协商预告：%(topic)s") % {"topic": topic.title}
    return {"title": title[:100], "body": "\n".join(lines)}


# --- the archive ---------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
# Words of two characters or more are searched; a single character says too little.
MIN_WORD = 2


def search_words(query: str) -> list[str]:
    """The words of a search: each space-separated term, and a long Chinese term cut into its words (jieba),
    so "协商议事室建设经验" finds a document that speaks of 议事室 and 经验 apart."""
    words = []
    for term in _SPACES.split((query or "").strip())[:8]:
        if not term:
            continue
        if len(term) <= 4:
            pieces = [term]
        else:
            import jieba  # loads its dictionary on first use: only when someone searches

            jieba.setLogLevel(logging.WARNING)
            pieces = [w for w in jieba.lcut(term) if len(w.strip()) >= MIN_WORD] or [term]
        for word in pieces:
            if word not in words:
                words.append(word)
    return words


def _word_q(word: str) -> Q:
    tagged = ArchiveDocument.tags.through.objects.filter(tag__name__icontains=word).values("archivedocument_id")
    return Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word) | Q(pk__in=tagged)


def search_documents(
    qs: QuerySet[ArchiveDocument], *, query: str = "", tag: str = "", kind: str = "", any_word: bool = False
):
    """Documents with every word of ``query`` (any of them with ``any_word``) in the title, summary, body or
    tags, under ``tag`` and ``kind``."""
    words = search_words(query)
    if any_word and words:
        qs = qs.filter(reduce(or_, (_word_q(word) for word in words)))
    else:
        for word in words:
            qs = qs.filter(_word_q(word))
    if tag:
        qs = qs.filter(pk__in=ArchiveDocument.tags.through.objects.filter(tag__name=tag).values("archivedocument_id"))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("region").prefetch_related("tags").order_by("-issued_on", "-pk")


def tags_in_use(qs: QuerySet[ArchiveDocument]) -> QuerySet[Tag]:
    return Tag.objects.filter(documents__in=qs).distinct().order_by("name")


# --- what waits for a writer (portal/waiting.py) -------------------------------------------------


def drafts_of(user) -> QuerySet[Article]:
    """The user's own news drafts, still editable by them."""
    return permissions.articles_editable_by(user).filter(author=user, status=ArticleStatus.DRAFT)


def document_drafts_of(user) -> QuerySet[ArchiveDocument]:
    return permissions.documents_editable_by(user).filter(author=user, status=DocumentStatus.DRAFT)


def unannounced_consultations(user, now=None) -> QuerySet[Consultation]:
    """Consultations the user runs, starting within ``ANNOUNCE_WITHIN_DAYS`` days, with no published announcement."""
    now = now or timezone.now()
    announced = (
        permissions.published_articles()
        .filter(kind=ArticleKind.PREVIEW, consultation__isnull=False)
        .values("consultation_id")
    )
    return (
        consultations_run_by(user)
        .filter(
            status__in=UPCOMING_STATUSES,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=ANNOUNCE_WITHIN_DAYS),
        )
        .exclude(pk__in=announced)
    )


def announcements_with_photos(consultation: Consultation) -> QuerySet[Article]:
    """The published articles of a consultation with their shown photos (the media package's photos)."""
    return (
        permissions.published_articles()
        .filter(consultation=consultation)
        .prefetch_related(shown_photos())
        .order_by("published_at", "pk")
    )
