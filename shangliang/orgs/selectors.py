"""Reads of the organisation. Each selector owns its joins; templates never query."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from shangliang.core.params import parse_id
from shangliang.orgs import six_haves
from shangliang.orgs.coverage import coverage_rooms
from shangliang.orgs.models import CommitteeSeat, Member, MemberAssignment, Platform, Region
from shangliang.orgs.permissions import (
    can_change_region,
    members_visible_to,
    platforms_visible_to,
    regions_visible_to,
)
from shangliang.orgs.states import PlatformKind, RegionLevel

# The newest changes shown on a platform's page; the admin keeps the whole history.
HISTORY_SHOWN = 10


def path_ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def district_pk(region: Region | None) -> int | None:
    """The pk of the district (the tree's top level) above ``region``, or the region's own; no query."""
    ids = path_ids(region.path) if region is not None else []
    return ids[0] if ids else None


# --- region tree ---------------------------------------------------------------------------


@dataclass
class RegionNode:
    region: Region
    children: list["RegionNode"] = field(default_factory=list)
    platform_count: int = 0
    can_edit: bool = False


def region_tree_for(user) -> list[RegionNode]:
    """The regions the user may see, as a forest (one query for regions, one for platform counts)."""
    regions = list(regions_visible_to(user).order_by("path"))
    counts = dict(
        platforms_visible_to(user).values_list("region_id").annotate(n=Count("pk")).values_list("region_id", "n")
    )
    nodes = {
        r.pk: RegionNode(region=r, platform_count=counts.get(r.pk, 0), can_edit=can_change_region(user, r))
        for r in regions
    }
    roots = []
    for r in regions:
        parent = nodes.get(r.parent_id)
        (parent.children if parent else roots).append(nodes[r.pk])
    return roots


# --- coverage ------------------------------------------------------------------------------


def covered_region_ids(regions: Iterable[Region], rooms: Iterable[tuple[str, str]]) -> set[int]:
    """The townships and villages among ``regions`` that ``rooms`` cover: the one coverage rule, for
    the platform list and the dashboard alike.

    A township is covered by a township room at the township itself, a village by a village room in
    it or in one of its grids. ``rooms`` are the (kind, region path) pairs of the platforms that count;
    no query is made.
    """
    regions = list(regions)
    township_rooms, village_rooms = set(), []
    for kind, path in rooms:
        if kind == PlatformKind.TOWNSHIP_ROOM:
            township_rooms.add(path)
        elif kind == PlatformKind.VILLAGE_ROOM:
            village_rooms.append(path)
    # A room's region path cut to a village's length is the village's path when the room lies in it
    # (paths are fixed-width per level).
    lengths = {len(r.path) for r in regions if r.level == RegionLevel.VILLAGE}
    in_villages = {path[:length] for length in lengths for path in village_rooms}
    return {
        r.pk
        for r in regions
        if (r.level == RegionLevel.TOWNSHIP and r.path in township_rooms)
        or (r.level == RegionLevel.VILLAGE and r.path in in_villages)
    }


@dataclass
class CoverageRow:
    township: Region
    has_township_room: bool = False
    villages: int = 0
    villages_covered: int = 0
    uncovered: list[str] = field(default_factory=list)
    by_kind: Counter = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        return round(self.villages_covered * 100 / self.villages, 1) if self.villages else 0.0

    @property
    def platforms(self) -> int:
        return sum(self.by_kind.values())


@dataclass
class CoverageLevel:
    label: str
    total: int | None
    covered: int

    @property
    def rate(self) -> float | None:
        if not self.total:
            return None
        return round(self.covered * 100 / self.total, 1)


@dataclass
class Coverage:
    rows: list[CoverageRow]
    levels: list[CoverageLevel]
    platform_total: int


def coverage_for(user) -> Coverage:
    """Which townships and villages in the user's scope have a platform: three queries whatever the size."""
    regions = list(
        regions_visible_to(user)
        .filter(level__in=[RegionLevel.TOWNSHIP, RegionLevel.VILLAGE])
        .only("pk", "name", "level", "path", "parent_id", "code")
        .order_by("path")
    )
    platforms = list(platforms_visible_to(user).values_list("kind", "region__path"))
    # Venues never count; shared rooms count for the communities they list (``orgs/coverage.py``).
    covered = covered_region_ids(regions, coverage_rooms(platforms_visible_to(user)))

    rows = {r.pk: CoverageRow(township=r) for r in regions if r.level == RegionLevel.TOWNSHIP}
    by_kind = Counter()
    for kind, path in platforms:
        by_kind[kind] += 1
        ids = path_ids(path)
        township_id = ids[1] if len(ids) > 1 else None
        if township_id in rows:
            rows[township_id].by_kind[kind] += 1

    for r in regions:
        if r.level == RegionLevel.VILLAGE and r.parent_id in rows:
            row = rows[r.parent_id]
            row.villages += 1
            if r.pk in covered:
                row.villages_covered += 1
            else:
                row.uncovered.append(r.name)
    for row in rows.values():
        row.has_township_room = row.township.pk in covered

    villages = [r for r in regions if r.level == RegionLevel.VILLAGE]
    levels = [
        CoverageLevel(str(RegionLevel.TOWNSHIP.label), len(rows), sum(1 for r in rows.values() if r.has_township_room)),
        CoverageLevel(str(RegionLevel.VILLAGE.label), len(villages), sum(1 for v in villages if v.pk in covered)),
    ]
    for kind in (
        PlatformKind.SECTOR_ROOM,
        PlatformKind.COMPANY_ROOM,
        PlatformKind.PARK_ROOM,
        PlatformKind.MEMBER_STUDIO,
        PlatformKind.ONLINE_ROOM,
        PlatformKind.VENUE,
    ):
        levels.append(CoverageLevel(str(kind.label), None, by_kind.get(kind, 0)))
    # The other venues are listed, but they are not consultation rooms: not in the total either.
    rooms_total = len(platforms) - by_kind.get(PlatformKind.VENUE, 0)
    return Coverage(rows=list(rows.values()), levels=levels, platform_total=rooms_total)


# --- platforms -----------------------------------------------------------------------------


def platform_list_for(user, *, kind: str = "", township: int | None = None, q: str = "") -> QuerySet[Platform]:
    qs = (
        platforms_visible_to(user)
        .select_related("region__parent", "host_unit")
        # The manual items met; 有活动 and 有实效 are added from the records (``six_haves.met_counts``).
        .annotate(manual_met=Count("checks", filter=Q(checks__is_met=True) & ~Q(checks__item__in=six_haves.DERIVED)))
    )
    if kind:
        qs = qs.filter(kind=kind)
    if township:
        qs = qs.filter(region__path__contains=f"/{Region.path_segment(int(township))}")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(region__name__icontains=q) | Q(address__icontains=q))
    return qs.order_by("region__path", "name")


def platform_detail(platform: Platform) -> dict:
    """Everything the platform page shows, in a fixed number of queries."""
    checks = list(platform.checks.order_by("pk"))
    assignments = list(
        MemberAssignment.objects.filter(platform=platform, ended_on__isnull=True)
        .select_related("member__sector")
        .order_by("member__level", "member__name")
    )
    links = list(platform.contact_links.filter(ended_on__isnull=True).select_related("committee"))
    ancestors = list(Region.objects.filter(pk__in=path_ids(platform.region.path)).order_by("depth"))
    seats = list(
        CommitteeSeat.objects.filter(committee__region=platform.region, is_archived=False).select_related("committee")
    )
    history = list(platform.history.select_related("history_user").order_by("-history_date")[:HISTORY_SHOWN])
    return {
        "checks": six_haves.check_rows(platform, checks),
        "shared_regions": list(platform.shared_regions.order_by("path")),
        "assignments": assignments,
        "contact_links": links,
        "ancestors": ancestors,
        "committee_seats": seats,
        "history": history,
    }


# --- members -------------------------------------------------------------------------------


def _open_assignments():
    return Prefetch(
        "assignments",
        queryset=MemberAssignment.objects.filter(ended_on__isnull=True).select_related("platform__region"),
        to_attr="open_assignments",
    )


def member_list_for(
    user,
    *,
    level: str = "",
    sector: int | None = None,
    township: int | None = None,
    q: str = "",
    unassigned: bool = False,
):
    qs = members_visible_to(user).select_related("sector").prefetch_related(_open_assignments())
    if unassigned:
        # No open assignment to any station (下沉): the district follows them up.
        qs = qs.exclude(pk__in=MemberAssignment.objects.filter(ended_on__isnull=True).values("member_id"))
    if level:
        qs = qs.filter(level=level)
    if sector:
        qs = qs.filter(sector_id=sector)
    if township:
        qs = qs.filter(
            assignments__ended_on__isnull=True,
            assignments__platform__region__path__contains=f"/{Region.path_segment(int(township))}",
        ).distinct()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(specialty__icontains=q))
    return qs.order_by("level", "name", "pk")


def member_get_public(code: str) -> Member | None:
    """The member behind a member code, for the public page (no contact details)."""
    return (
        Member.objects.filter(code=code, is_archived=False)
        .select_related("sector")
        .prefetch_related(_open_assignments())
        .first()
    )


def villages_for(platform: Platform | None):
    """Active villages a submission may name: all of them, or those under the platform's region."""
    villages = Region.objects.filter(level=RegionLevel.VILLAGE, is_archived=False, parent__is_archived=False)
    if platform is not None:
        scope = platform.region
        # A platform placed on a grid serves the grid's village.
        if scope.level == RegionLevel.GRID and scope.parent_id:
            scope = scope.parent
        villages = villages.filter(path__startswith=scope.path)
    return villages.select_related("parent").order_by("path")


def grids_of(village_pk):
    """Active grids of one active village; an unknown or malformed key gives none rather than an error."""
    village_pk = parse_id(village_pk)
    if village_pk is None:
        return Region.objects.none()
    return Region.objects.filter(
        parent_id=village_pk,
        parent__level=RegionLevel.VILLAGE,
        parent__is_archived=False,
        level=RegionLevel.GRID,
        is_archived=False,
    ).order_by("path")


def townships_for(user) -> QuerySet[Region]:
    return regions_visible_to(user).filter(level=RegionLevel.TOWNSHIP).order_by("path")
