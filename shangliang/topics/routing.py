"""Who approves a topic (议题审定), as each district rules.

001: 经同级或上级党委会讨论通过; 002: 报区政协相关专委会确定.

A district's ``ApprovalRoute`` rows say, per platform kind and convening level, who decides. The
most specific active row applies: (kind, level), then (kind, any level), then (any kind, level),
then (any, any). Topics without a platform match only rows with a blank kind. Without any row the
built-in default holds: the CPPCC committee for sector rooms and member studios, else the
same-level party organisation.

Groups and grids convene under their village (003: 村民小组…召集协商): for a grid-level topic the
"same level" party organisation is the village's.

``can_approve`` (one topic) and ``approvable_q`` (the queue, as one filter) apply the same rule.
"""

from collections import defaultdict
from functools import reduce
from operator import or_

from django.db.models import Q

from shangliang.orgs.permissions import covers, path_q, region_paths, roles_of
from shangliang.orgs.selectors import district_pk, path_ids
from shangliang.orgs.states import PlatformKind, Role
from shangliang.topics.models import ApprovalRoute, Topic
from shangliang.topics.states import ApprovalRouteKind, ConveningLevel

# Topics of these platforms are approved by the CPPCC committee unless the district rules otherwise.
CPPCC_PLATFORM_KINDS = frozenset({PlatformKind.SECTOR_ROOM, PlatformKind.MEMBER_STUDIO})

Routes = dict[tuple[str, str], ApprovalRoute]


def routes_of(district_ids) -> dict[int, Routes]:
    """The active rules of these districts, by district and (platform kind, convening level): one query."""
    out: dict[int, Routes] = defaultdict(dict)
    ids = [pk for pk in district_ids if pk]
    if ids:
        for route in ApprovalRoute.objects.filter(district_id__in=ids, is_archived=False):
            out[route.district_id][(route.platform_kind, route.convening_level)] = route
    return out


def default_route(kind: str) -> tuple[str, bool]:
    if kind in CPPCC_PLATFORM_KINDS:
        return ApprovalRouteKind.CPPCC_COMMITTEE, False
    return ApprovalRouteKind.SAME_LEVEL, False


def pick(routes: Routes, kind: str, level: str) -> tuple[str, bool]:
    """The rule for a topic of platform ``kind`` ("" for none) and convening ``level``: (route, meeting required)."""
    keys = [(kind, level), (kind, ""), ("", level), ("", "")] if kind else [("", level), ("", "")]
    for key in keys:
        if key in routes:
            return routes[key].route, routes[key].party_meeting_required
    return default_route(kind)


def _kind(topic: Topic) -> str:
    return topic.platform.kind if topic.platform_id else ""


def route_for(topic: Topic, routes: Routes | None = None) -> tuple[str, bool]:
    """(route kind, party committee meeting required) for ``topic``: one query unless ``routes`` are given."""
    if routes is None:
        district = district_pk(topic.convening_region)
        routes = routes_of([district]).get(district, {})
    return pick(routes, _kind(topic), topic.convening_level)


def approving_region_ids(topic: Topic) -> list[int]:
    """The convening region and the regions above it, top first; a grid's topic starts at its village."""
    ids = path_ids(topic.convening_region.path)
    if topic.convening_level == ConveningLevel.GRID and len(ids) > 1:
        ids = ids[:-1]
    return ids


def _approver_region_ids(user) -> set[int]:
    return {g.region_id for g in roles_of(user) if g.role == Role.APPROVER and g.region_id and not g.region.is_archived}


def can_approve(user, topic: Topic, routes: Routes | None = None) -> bool:
    """Whether ``user`` decides ``topic`` under its district's rule (superusers always)."""
    if getattr(user, "is_superuser", False):
        return True
    route, _required = route_for(topic, routes)
    if route == ApprovalRouteKind.CPPCC_COMMITTEE:
        return covers(user, {Role.COMMITTEE_STAFF}, topic.convening_region)
    ids = approving_region_ids(topic)
    mine = _approver_region_ids(user)
    if route == ApprovalRouteKind.SAME_OR_HIGHER:
        return bool(mine & set(ids))
    return ids[-1] in mine if ids else False


# --- the queue: the same rule as one filter ---------------------------------------------------


def _district_path(path: str) -> str:
    return path[: path.index("/", 1) + 1]


def _kind_q(kinds: set[str]) -> Q:
    q = Q(platform__kind__in=sorted(k for k in kinds if k)) if any(kinds) else Q(pk__in=[])
    if "" in kinds:
        q |= Q(platform__isnull=True)
    return q


def _route_q(route: str, level: str, approver_regions: set[int], approver_paths: list[str], staff_paths) -> Q:
    """Topics of ``level`` this user decides when ``route`` applies to them."""
    if route == ApprovalRouteKind.CPPCC_COMMITTEE:
        return path_q(staff_paths, "convening_region__path")
    # A grid's topic is decided from its village up: the grid's region is left out of the comparison.
    region = "convening_region__parent" if level == ConveningLevel.GRID else "convening_region"
    if route == ApprovalRouteKind.SAME_OR_HIGHER:
        return path_q(approver_paths, f"{region}__path")
    if level == ConveningLevel.GRID:
        return Q(convening_region__parent_id__in=approver_regions)
    return Q(convening_region_id__in=approver_regions)


def approvable_q(user) -> Q:
    """Topics ``can_approve`` lets this user decide, as one filter; reads the districts' rules in one query."""
    if getattr(user, "is_superuser", False):
        return Q()
    grants = [
        g
        for g in roles_of(user)
        if g.role in (Role.APPROVER, Role.COMMITTEE_STAFF) and g.region_id and not g.region.is_archived
    ]
    if not grants:
        return Q(pk__in=[])
    approver_regions = {g.region_id for g in grants if g.role == Role.APPROVER}
    approver_paths = [g.region.path for g in grants if g.role == Role.APPROVER]
    staff_paths = region_paths(user, {Role.COMMITTEE_STAFF})
    districts = {_district_path(g.region.path): district_pk(g.region) for g in grants}
    rules = routes_of(districts.values())
    kinds = ["", *PlatformKind.values]
    parts = []
    for path, district in districts.items():
        routes = rules.get(district, {})
        # (route, level) → the platform kinds ("" for none) it applies to in this district.
        cases: dict[tuple[str, str], set[str]] = defaultdict(set)
        for level in ConveningLevel.values:
            for kind in kinds:
                cases[(pick(routes, kind, level)[0], level)].add(kind)
        for (route, level), case_kinds in cases.items():
            if not (staff_paths if route == ApprovalRouteKind.CPPCC_COMMITTEE else approver_regions):
                continue
            who = _route_q(route, level, approver_regions, approver_paths, staff_paths)
            parts.append(Q(convening_region__path__startswith=path, convening_level=level) & _kind_q(case_kinds) & who)
    return reduce(or_, parts) if parts else Q(pk__in=[])
