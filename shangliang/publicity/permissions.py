"""Who may write, publish and read news, announcements and archive documents, and who gets the media package.

Writers are the people who run consultations: station heads, conveners and the CPPCC committee staff,
each within the regions (or platforms) where they hold the role; the district's own news is written by
those holding the role at the district. Published news is public; the archive is for staff and members.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from shangliang.consultations.models import Consultation
from shangliang.consultations.permissions import ORGANISERS, consultations_visible_to
from shangliang.orgs.models import Member, Platform, Region
from shangliang.orgs.permissions import covers, granted_ids, is_staff_user, path_q, region_paths
from shangliang.orgs.states import RegionLevel, Role
from shangliang.outcomes import selectors as outcome_selectors
from shangliang.publicity.models import ArchiveDocument, Article, ArticlePhoto
from shangliang.publicity.states import ArticleStatus, DocumentStatus

# Those who write and publish for a platform or a region: the organisers of consultations.
WRITERS = ORGANISERS
# The archive is filed by the same people and by the administrators of a region.
ARCHIVISTS = ORGANISERS | {Role.ADMINISTRATOR}


def _is_root(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


# --- news and announcements --------------------------------------------------------------------


def published_articles() -> QuerySet[Article]:
    """What anyone may read: published, not archived."""
    return Article.objects.filter(status=ArticleStatus.PUBLISHED, is_archived=False)


def can_write_for(user, *, region: Region | None = None, platform: Platform | None = None) -> bool:
    """Whether ``user`` may write and publish for ``platform`` (or, without one, for ``region``)."""
    if _is_root(user):
        return True
    if platform is not None:
        return covers(user, WRITERS, platform.region) or platform.pk in granted_ids(user, WRITERS, "platform")
    return covers(user, WRITERS, region)


def can_edit_article(user, article: Article) -> bool:
    return can_write_for(user, region=article.region, platform=article.platform)


def articles_editable_by(user) -> QuerySet[Article]:
    """The articles ``can_edit_article`` allows, as one query."""
    qs = Article.objects.filter(is_archived=False)
    if _is_root(user):
        return qs
    return qs.filter(
        path_q(region_paths(user, WRITERS), "region__path") | Q(platform_id__in=granted_ids(user, WRITERS, "platform"))
    )


def regions_writable_by(user) -> QuerySet[Region]:
    """The regions (not grids) ``user`` may write for without naming a platform."""
    qs = Region.objects.filter(is_archived=False).exclude(level=RegionLevel.GRID)
    if _is_root(user):
        return qs
    return qs.filter(path_q(region_paths(user, WRITERS), "path"))


def platforms_writable_by(user) -> QuerySet[Platform]:
    qs = Platform.objects.filter(is_archived=False)
    if _is_root(user):
        return qs
    return qs.filter(
        path_q(region_paths(user, WRITERS), "region__path") | Q(pk__in=granted_ids(user, WRITERS, "platform"))
    )


def get_article_for_editing(user, pk) -> Article:
    try:
        return articles_editable_by(user).select_related("region", "platform", "consultation__topic").get(pk=pk)
    except (Article.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_article_for_reading(user, pk) -> Article:
    """A published article for anyone; a draft or a withdrawn one only for those who may edit it."""
    readable = published_articles()
    if getattr(user, "is_authenticated", False) and is_staff_user(user):
        readable = readable | articles_editable_by(user)
    try:
        return readable.select_related("region", "platform", "consultation__topic").distinct().get(pk=pk)
    except (Article.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_download_article_photo(user, photo: ArticlePhoto) -> bool:
    """Photos of a published article are public like the article; otherwise its writers only."""
    if not photo.is_archived and published_articles().filter(pk=photo.article_id).exists():
        return True
    return getattr(user, "is_authenticated", False) and articles_editable_by(user).filter(pk=photo.article_id).exists()


def can_announce(user, consultation: Consultation) -> bool:
    """A session announcement (协商预告) is written by whoever runs the consultation."""
    return _is_root(user) or covers(user, WRITERS, consultation.topic.convening_region)


# --- the media-centre package --------------------------------------------------------------------


def get_consultation_for_package(user, pk) -> Consultation:
    """A consultation whose results are public, seen by the staff member (their region's); else 404."""
    try:
        return (
            outcome_selectors.board_consultations()
            .filter(publication__isnull=False, pk__in=consultations_visible_to(user).values("pk"))
            .get(pk=pk)
        )
    except (Consultation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- the archive ---------------------------------------------------------------------------------


def can_read_archive(user) -> bool:
    """Staff of any role and CPPCC members (with a member record) read the published archive."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_staff_user(user) or Member.objects.filter(user=user, is_archived=False).exists()


def documents_editable_by(user) -> QuerySet[ArchiveDocument]:
    qs = ArchiveDocument.objects.filter(is_archived=False)
    if _is_root(user):
        return qs
    return qs.filter(path_q(region_paths(user, ARCHIVISTS), "region__path"))


def documents_visible_to(user) -> QuerySet[ArchiveDocument]:
    """Published documents to every reader of the archive, drafts to those who may edit them."""
    if not can_read_archive(user):
        return ArchiveDocument.objects.none()
    published = ArchiveDocument.objects.filter(status=DocumentStatus.PUBLISHED, is_archived=False)
    if _is_root(user):
        return ArchiveDocument.objects.filter(is_archived=False)
    paths = region_paths(user, ARCHIVISTS)
    if not paths:
        return published
    return ArchiveDocument.objects.filter(is_archived=False).filter(
        Q(status=DocumentStatus.PUBLISHED) | path_q(paths, "region__path")
    )


def can_edit_document(user, document: ArchiveDocument) -> bool:
    return _is_root(user) or covers(user, ARCHIVISTS, document.region)


def can_file_documents(user) -> bool:
    return _is_root(user) or bool(region_paths(user, ARCHIVISTS))


def regions_for_documents(user) -> QuerySet[Region]:
    qs = Region.objects.filter(is_archived=False).exclude(level=RegionLevel.GRID)
    if _is_root(user):
        return qs
    return qs.filter(path_q(region_paths(user, ARCHIVISTS), "path"))


def get_document_for_view(user, pk) -> ArchiveDocument:
    try:
        return documents_visible_to(user).select_related("region", "author").get(pk=pk)
    except (ArchiveDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_document_for_editing(user, pk) -> ArchiveDocument:
    try:
        return documents_editable_by(user).select_related("region").get(pk=pk)
    except (ArchiveDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_download_document_attachment(user, document: ArchiveDocument) -> bool:
    return documents_visible_to(user).filter(pk=document.pk).exists()
