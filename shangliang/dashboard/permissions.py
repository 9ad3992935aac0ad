"""Who may open the dashboard, and for which scope.

The readers of topics and consultations (station heads, conveners, CPPCC office staff,
administrators, approvers, supervisors, evaluators) read the dashboard of the regions their roles
cover, and of the platforms where they hold a role. Members and unit liaisons have no dashboard.
A scope the user does not cover answers 404, like every access function of the project; the page
itself answers 403 to staff without a reader role.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from shangliang.core.params import parse_id
from shangliang.orgs.models import Platform, Region
from shangliang.orgs.permissions import covers, granted_ids, path_q, region_paths, role_names, roles_of
from shangliang.orgs.states import RegionLevel, Role
from shangliang.topics.permissions import READERS

DASHBOARD_READERS = READERS
# The picker offers the levels a dashboard is read at; grids are too small to report on.
PICKER_LEVELS = (RegionLevel.DISTRICT, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE)


def _is_root(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def can_view_dashboard(user) -> bool:
    return _is_root(user) or bool(role_names(user) & DASHBOARD_READERS)


def can_view_region_dashboard(user, region: Region) -> bool:
    return _is_root(user) or covers(user, DASHBOARD_READERS, region)


def can_view_platform_dashboard(user, platform: Platform) -> bool:
    if _is_root(user) or covers(user, DASHBOARD_READERS, platform.region):
        return True
    return platform.pk in granted_ids(user, DASHBOARD_READERS, "platform")


def _pk(value) -> int:
    pk = parse_id(value)
    if pk is None:
        raise Http404
    return pk


def get_region_for_dashboard(user, pk) -> Region:
    """A region whose dashboard the user may read: 404 for "does not exist" and "not yours"."""
    region = Region.objects.filter(pk=_pk(pk), is_archived=False).first()
    if region is None or not can_view_region_dashboard(user, region):
        raise Http404
    return region


def get_platform_for_dashboard(user, pk) -> Platform:
    platform = Platform.objects.filter(pk=_pk(pk), is_archived=False).select_related("region").first()
    if platform is None or not can_view_platform_dashboard(user, platform):
        raise Http404
    return platform


def default_place(user) -> Region | Platform | None:
    """The widest region the user covers as a reader; else the first platform they hold a role at."""
    if _is_root(user):
        return Region.objects.filter(is_archived=False).order_by("depth", "path").first()
    grants = [g for g in roles_of(user) if g.role in DASHBOARD_READERS]
    regions = [g.region for g in grants if g.region_id and not g.region.is_archived]
    if regions:
        return min(regions, key=lambda r: (r.depth, r.path))
    platforms = [g.platform for g in grants if g.platform_id and not g.platform.is_archived]
    return min(platforms, key=lambda p: p.pk) if platforms else None


def regions_for_picker(user) -> QuerySet[Region]:
    qs = Region.objects.filter(is_archived=False, level__in=PICKER_LEVELS).order_by("path")
    if _is_root(user):
        return qs
    return qs.filter(path_q(region_paths(user, DASHBOARD_READERS), "path"))


def platforms_for_picker(user) -> QuerySet[Platform]:
    qs = Platform.objects.filter(is_archived=False).order_by("region__path", "name")
    if _is_root(user):
        return qs
    q = path_q(region_paths(user, DASHBOARD_READERS), "region__path")
    return qs.filter(q | Q(pk__in=granted_ids(user, DASHBOARD_READERS, "platform")))


# --- the chair council's half-yearly review ---------------------------------------------------------
# The CPPCC office (委室工作人员) and the administrators of a district record its chair council's reviews;
# the dashboard's readers of the district read them.
REVIEW_RECORDERS = frozenset({Role.COMMITTEE_STAFF, Role.ADMINISTRATOR})


def can_record_review(user, region: Region) -> bool:
    return region.level == RegionLevel.DISTRICT and (_is_root(user) or covers(user, REVIEW_RECORDERS, region))


def can_view_review_attachment(user, review) -> bool:
    return can_view_region_dashboard(user, review.region)


def can_view_member_reach(user) -> bool:
    """The members page (委员下沉与联系村) is the CPPCC office's: committee staff and administrators."""
    return _is_root(user) or bool(role_names(user) & REVIEW_RECORDERS)
