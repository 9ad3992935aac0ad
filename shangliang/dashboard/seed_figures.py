"""The seeds' own statistics (004's headline, 001's coverage and 奖惩), each counted one way, here.

The formulas are written out in ``docs/figures.md``; every page (dashboard, drill-downs, annual
report, members, committees and departments pages) calls these functions. Scope and period are the
dashboard's (``selectors.Scope``); the cohort is the consultations held in the period in the scope,
as for the dashboard's other figures. Every function runs a fixed number of queries, whatever the
number of records.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shangliang.consultations.models import Participant, Research, Statement, Suggestion
from shangliang.consultations.states import AFFECTED_CATEGORIES, Rsvp
from shangliang.dashboard.models import ChairCouncilReview
from shangliang.dashboard.selectors import (
    Scope,
    UnknownFigure,
    assigned_members,
    held_consultations,
    live_assignments,
    platforms_in,
)
from shangliang.dashboard.states import Half
from shangliang.evaluation.models import Rating
from shangliang.evaluation.states import Satisfaction
from shangliang.orgs.models import ContactLink, Member, MemberAssignment, Region, Sector, Unit
from shangliang.orgs.selectors import district_pk
from shangliang.orgs.states import MemberLevel, PlatformKind, RegionLevel, UnitKind
from shangliang.outcomes.models import Assignment, ExtensionRequest, Measure
from shangliang.outcomes.selectors import overdue_q
from shangliang.outcomes.states import AssignmentStatus, ExtensionStatus
from shangliang.topics.models import Submission
from shangliang.topics.states import SubmissionStatus


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


class Rows(list):
    """Drill-down rows gathered from several kinds of record: ``count()`` answers like a queryset's."""

    def count(self, *value):
        return super().count(*value) if value else len(self)


# --- problems solved (解决实际问题) ------------------------------------------------------------------


def on_spot_statements(scope: Scope) -> QuerySet[Statement]:
    """Statements (not withdrawn) marked 当场解决 in the consultations held in the period."""
    return Statement.objects.filter(consultation__in=held_consultations(scope), solved_on_spot_at__isnull=False)


def on_spot_suggestions(scope: Scope) -> QuerySet[Suggestion]:
    """Suggestions (not withdrawn) marked 当场解决 in the consultations held in the period."""
    return Suggestion.objects.filter(consultation__in=held_consultations(scope), solved_on_spot_at__isnull=False)


def settled_submissions(scope: Scope) -> QuerySet[Submission]:
    """Submissions solved directly (已直接解决) in the period, at a platform or village of the scope."""
    since, until = scope.bounds()
    qs = Submission.objects.filter(
        is_archived=False, status=SubmissionStatus.SETTLED, settled_at__gte=since, settled_at__lt=until
    )
    if scope.platform is not None:
        return qs.filter(platform=scope.platform)
    return qs.filter(region__path__startswith=scope.region.path)


def done_items(scope: Scope) -> QuerySet[Assignment]:
    """Items done (已办结) of the consultations held in the period; an item already counted as solved on the
    spot is not counted again."""
    return live_assignments(scope).filter(status=AssignmentStatus.DONE, suggestion__solved_on_spot_at__isnull=True)


@dataclass
class ProblemsSolved:
    on_spot_statements: int
    on_spot_suggestions: int
    settled: int
    done: int

    @property
    def on_spot(self) -> int:
        return self.on_spot_statements + self.on_spot_suggestions

    @property
    def total(self) -> int:
        return self.on_spot + self.settled + self.done


def problems_solved(scope: Scope) -> ProblemsSolved:
    """解决实际问题 = solved on the spot + settled directly + items done (four counts)."""
    return ProblemsSolved(
        on_spot_statements=on_spot_statements(scope).count(),
        on_spot_suggestions=on_spot_suggestions(scope).count(),
        settled=settled_submissions(scope).count(),
        done=done_items(scope).count(),
    )


@dataclass
class SolvedRow:
    """One problem solved, whatever record it is: what, where, when, who solved it and the page to open."""

    kind: str
    kind_label: str
    text: str
    place: str
    on: date | None
    by: str
    url: str


SOLVED_VALUES = {
    "on_spot": gettext_lazy("当场解决"),
    "settled": gettext_lazy("直接解决的群众诉求"),
    "done": gettext_lazy("办结的协商建议"),
}


def solved_rows(scope: Scope, value: str = "") -> Rows:
    """The records behind 解决实际问题, one row each (``value`` keeps one part); four queries at most."""
    if value and value not in SOLVED_VALUES:
        raise UnknownFigure(value)
    rows = Rows()
    if value in ("", "on_spot"):
        for s in on_spot_statements(scope).select_related("consultation__platform").order_by("solved_on_spot_at", "pk"):
            rows.append(
                SolvedRow(
                    "statement",
                    _("会上发言当场解决"),
                    s.text,
                    s.consultation.platform.name,
                    timezone.localdate(s.solved_on_spot_at),
                    f"{s.solved_by}：{s.solved_note}",
                    reverse("consultations:session", args=[s.consultation_id]) + f"#s-{s.pk}",
                )
            )
        for s in (
            on_spot_suggestions(scope).select_related("consultation__platform").order_by("solved_on_spot_at", "pk")
        ):
            rows.append(
                SolvedRow(
                    "suggestion",
                    _("协商建议当场解决"),
                    s.text,
                    s.consultation.platform.name,
                    timezone.localdate(s.solved_on_spot_at),
                    f"{s.solved_by}：{s.solved_note}",
                    reverse("consultations:resolution", args=[s.consultation_id]) + f"#sg-{s.pk}",
                )
            )
    if value in ("", "settled"):
        for s in settled_submissions(scope).select_related("region").order_by("settled_at", "pk"):
            rows.append(
                SolvedRow(
                    "submission",
                    _("群众诉求直接解决"),
                    s.title,
                    s.region.name,
                    timezone.localdate(s.settled_at),
                    s.settlement,
                    reverse("topics:submission_detail", args=[s.pk]),
                )
            )
    if value in ("", "done"):
        for a in (
            done_items(scope)
            .select_related("suggestion__consultation__platform", "lead_unit")
            .order_by("done_at", "pk")
        ):
            rows.append(
                SolvedRow(
                    "assignment",
                    _("协商建议办结"),
                    a.suggestion.text,
                    a.suggestion.consultation.platform.name,
                    timezone.localdate(a.done_at) if a.done_at else None,
                    a.lead_unit.name,
                    reverse("outcomes:assignment", args=[a.pk]),
                )
            )
    return rows


# --- outcomes implemented (落实成果) ------------------------------------------------------------------


def _counted_measures(scope: Scope) -> QuerySet[Measure]:
    return Measure.objects.filter(withdrawn_at__isnull=True, assignment__in=done_items(scope))


@dataclass
class Implemented:
    items: int  # items done
    measures: int  # measures recorded for them
    items_without_measures: int

    @property
    def total(self) -> int:
        """Each done item counts its measures, or 1 when it has none."""
        return self.measures + self.items_without_measures


def implemented(scope: Scope) -> Implemented:
    """落实成果 over the items done of the period's consultations (three counts)."""
    items = done_items(scope)
    with_measures = _counted_measures(scope).values("assignment_id")
    return Implemented(
        items=items.count(),
        measures=_counted_measures(scope).count(),
        items_without_measures=items.exclude(pk__in=with_measures).count(),
    )


@dataclass
class ImplementedRow:
    assignment: Assignment
    measure: Measure | None


def implemented_rows(scope: Scope) -> Rows:
    """One row per measure of a done item, and one per done item without measures (two queries)."""
    measures = list(
        _counted_measures(scope)
        .select_related("assignment__suggestion__consultation__platform", "assignment__lead_unit")
        .order_by("assignment__done_at", "assignment_id", "implemented_on", "pk")
    )
    rows = Rows(ImplementedRow(m.assignment, m) for m in measures)
    bare = (
        done_items(scope)
        .exclude(pk__in=_counted_measures(scope).values("assignment_id"))
        .select_related("suggestion__consultation__platform", "lead_unit")
        .order_by("done_at", "pk")
    )
    rows += [ImplementedRow(a, None) for a in bare]
    return rows


# --- voluntary participation (自愿参与率) ----------------------------------------------------------------

# Came of their own will: signed up themselves (自愿报名), or were invited and answered "参加" themselves.
VOLUNTARY_Q = Q(is_voluntary=True) | Q(rsvp=Rsvp.YES)


def attending_residents(scope: Scope) -> QuerySet[Participant]:
    """Residents and people concerned (居民代表、利益相关方) with a sign-in record at the consultations held
    in the period (sign-in records only, as 实到 counts them)."""
    return Participant.objects.filter(
        consultation__in=held_consultations(scope),
        category__in=AFFECTED_CATEGORIES,
        signed_in_at__isnull=False,
    ).exclude(signed_in_via="")


@dataclass
class Voluntary:
    attended: int
    voluntary: int

    @property
    def rate(self) -> float | None:
        return _share(self.voluntary, self.attended)

    @property
    def not_voluntary(self) -> int:
        return self.attended - self.voluntary


def voluntary_participation(scope: Scope) -> Voluntary:
    counts = attending_residents(scope).aggregate(attended=Count("pk"), voluntary=Count("pk", filter=VOLUNTARY_Q))
    return Voluntary(**counts)


def voluntary_records(scope: Scope, value: str = "") -> QuerySet[Participant]:
    qs = attending_residents(scope)
    if value == "voluntary":
        qs = qs.filter(VOLUNTARY_Q)
    elif value == "not_voluntary":
        qs = qs.exclude(VOLUNTARY_Q)
    elif value:
        raise UnknownFigure(value)
    return qs.select_related("consultation__topic", "consultation__platform").order_by(
        "consultation__starts_at", "consultation_id", "pk"
    )


# --- sector coverage (界别覆盖), company and park rooms --------------------------------------------------


def _sector_room_ids(scope: Scope) -> QuerySet:
    return platforms_in(scope).filter(kind=PlatformKind.SECTOR_ROOM, sector__isnull=False).values("sector_id")


@dataclass
class SectorCoverage:
    sectors: int
    covered: int
    company_rooms: int
    park_rooms: int

    @property
    def rate(self) -> float | None:
        return _share(self.covered, self.sectors)


def sector_coverage(scope: Scope) -> SectorCoverage:
    """Sectors (not archived) with a sector room in place in the scope during the period, over all
    sectors; company and park rooms counted (three queries)."""
    counts = Sector.objects.filter(is_archived=False).aggregate(
        sectors=Count("pk"), covered=Count("pk", filter=Q(pk__in=_sector_room_ids(scope)))
    )
    rooms = dict(
        platforms_in(scope)
        .filter(kind__in=[PlatformKind.COMPANY_ROOM, PlatformKind.PARK_ROOM])
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    return SectorCoverage(
        sectors=counts["sectors"],
        covered=counts["covered"],
        company_rooms=rooms.get(PlatformKind.COMPANY_ROOM, 0),
        park_rooms=rooms.get(PlatformKind.PARK_ROOM, 0),
    )


def sector_records(scope: Scope, value: str = "") -> QuerySet[Sector]:
    qs = Sector.objects.filter(is_archived=False).annotate(
        rooms=Count("platforms", filter=Q(platforms__in=platforms_in(scope).filter(kind=PlatformKind.SECTOR_ROOM)))
    )
    if value == "covered":
        qs = qs.filter(pk__in=_sector_room_ids(scope))
    elif value == "uncovered":
        qs = qs.exclude(pk__in=_sector_room_ids(scope))
    elif value:
        raise UnknownFigure(value)
    return qs.order_by("name", "pk")


# --- members by level and the villages they reach (委员下沉) -------------------------------------------


def _village_of(paths: dict[str, Region], path: str) -> Region | None:
    """The village a region path lies in (a village itself or a grid under it), from ``paths``."""
    step = len(Region.path_segment(0))
    for end in range(len(path), 0, -step):
        village = paths.get(path[:end])
        if village is not None:
            return village
    return None


@dataclass
class MemberReach:
    member: Member
    stations: list[str] = field(default_factory=list)
    villages: dict[int, Region] = field(default_factory=dict)

    @property
    def village_names(self) -> list[str]:
        return [v.name for v in sorted(self.villages.values(), key=lambda r: r.path)]


@dataclass
class MembersReach:
    rows: list[MemberReach]
    by_level: list[tuple[str, str, int]]
    villages: int  # distinct villages reached by any of them
    villages_in_scope: int

    @property
    def members(self) -> int:
        return len(self.rows)


def members_reach(scope: Scope, level: str = "") -> MembersReach:
    """The members assigned (下沉) to platforms of the scope during the period, by level, and for each the
    distinct villages of the scope they reached: where they signed in at a consultation held in the
    period, took part in its research, or serve a platform (five queries)."""
    if level and level not in MemberLevel.values:
        raise UnknownFigure(level)
    members = assigned_members(scope).select_related("sector").order_by("level", "name", "pk")
    all_rows = {m.pk: MemberReach(m) for m in members}
    villages = {
        r.path: r
        for r in Region.objects.filter(
            is_archived=False, level=RegionLevel.VILLAGE, path__startswith=scope.region.path
        ).only("pk", "name", "path")
    }
    held = held_consultations(scope)

    def reach(member_id, path):
        row = all_rows.get(member_id)
        village = _village_of(villages, path or "")
        if row is not None and village is not None:
            row.villages[village.pk] = village

    for member_id, path in (
        Participant.objects.filter(member_id__in=all_rows, consultation__in=held, signed_in_at__isnull=False)
        .exclude(signed_in_via="")
        .values_list("member_id", "consultation__platform__region__path")
    ):
        reach(member_id, path)
    for member_id, path in Research.members.through.objects.filter(
        member_id__in=all_rows, research__consultation__in=held
    ).values_list("member_id", "research__consultation__platform__region__path"):
        reach(member_id, path)
    for member_id, path, name in (
        MemberAssignment.objects.filter(scope.place_q(), member_id__in=all_rows, started_on__lte=scope.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=scope.start))
        .order_by("platform__name")
        .values_list("member_id", "platform__region__path", "platform__name")
    ):
        reach(member_id, path)
        if name not in all_rows[member_id].stations:
            all_rows[member_id].stations.append(name)
    rows = list(all_rows.values())
    levels = defaultdict(int)
    for row in rows:
        levels[row.member.level] += 1
    reached = {pk for row in rows for pk in row.villages}
    if level:
        rows = [row for row in rows if row.member.level == level]
    return MembersReach(
        rows=rows,
        by_level=[(value, str(label), levels[value]) for value, label in MemberLevel.choices],
        villages=len(reached),
        villages_in_scope=len(villages),
    )


# --- the CPPCC special committees' consultations (专委会每年参加协商不少于2次) ------------------------------

COMMITTEE_TARGET = 2


def committee_attended(committee_id: int) -> Q:
    """Consultations where someone of the committee (a participant whose unit is it) signed in."""
    signed = Participant.objects.filter(unit_id=committee_id, signed_in_at__isnull=False).exclude(signed_in_via="")
    return Q(pk__in=signed.values("consultation_id"))


@dataclass
class CommitteeRow:
    unit: Unit
    consultations: int
    linked: list[str]

    @property
    def is_met(self) -> bool:
        return self.consultations >= COMMITTEE_TARGET


def committees(scope: Scope) -> list[CommitteeRow]:
    """Each CPPCC special committee of the scope's region and the held consultations of the scope it took
    part in during the period (three queries); the stations it links to are listed beside."""
    if scope.platform is not None:
        return []
    units = list(
        Unit.objects.filter(
            kind=UnitKind.CPPCC_COMMITTEE, is_archived=False, region__path__startswith=scope.region.path
        ).order_by("name", "pk")
    )
    if not units:
        return []
    counts = dict(
        Participant.objects.filter(
            unit__in=units, consultation__in=held_consultations(scope), signed_in_at__isnull=False
        )
        .exclude(signed_in_via="")
        .order_by()
        .values_list("unit_id")
        .annotate(n=Count("consultation_id", distinct=True))
    )
    linked = defaultdict(list)
    for unit_id, name in (
        ContactLink.objects.filter(committee__in=units, started_on__lte=scope.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=scope.start))
        .order_by("platform__name")
        .values_list("committee_id", "platform__name")
    ):
        linked[unit_id].append(name)
    return [CommitteeRow(u, counts.get(u.pk, 0), linked[u.pk]) for u in units]


# --- the chair council's half-yearly review (主席会议每半年专题研究) ------------------------------------------


def half_of(day: date) -> int:
    return Half.FIRST if day.month <= 6 else Half.SECOND


@dataclass
class ReviewState:
    year: int
    half: int
    reviews: list[ChairCouncilReview]

    @property
    def half_label(self) -> str:
        return str(Half(self.half).label)

    @property
    def is_recorded(self) -> bool:
        return bool(self.reviews)


def district_of(region: Region) -> Region | None:
    """The district (区县) a region lies in."""
    if region.level == RegionLevel.DISTRICT:
        return region
    return Region.objects.filter(pk=district_pk(region)).first()


def chair_review_state(scope: Scope, today: date | None = None) -> ReviewState | None:
    """Whether the chair council's review of the half-year (the current one, or the period's last) is
    recorded for the scope's district; None below a district's own dashboard."""
    if scope.platform is not None or scope.region.level != RegionLevel.DISTRICT:
        return None
    today = today or timezone.localdate()
    day = min(today, scope.end)
    half = half_of(day)
    reviews = list(
        ChairCouncilReview.objects.filter(region=scope.region, year=day.year, half=half, is_archived=False).order_by(
            "held_on", "pk"
        )
    )
    return ReviewState(day.year, half, reviews)


def reviews_of(region: Region) -> QuerySet[ChairCouncilReview]:
    return ChairCouncilReview.objects.filter(region=region, is_archived=False).select_related("recorded_by")


# --- departments ranked on their items (对部门奖励、批评) -----------------------------------------------------

# The composite score: weights of the parts, each a share from 0 to 1 (docs/figures.md).
WEIGHTS = {"on_time": 0.4, "not_overdue": 0.2, "first_pass": 0.2, "satisfaction": 0.2}
LIVE_STATUSES = [status for status in AssignmentStatus.values if status != AssignmentStatus.RETURNED]
UNIT_VALUES = ("items", "returned", "on_time", "late", "overdue", "extended", "sent_back")


def cohort_assignments(scope: Scope) -> QuerySet[Assignment]:
    """Every item (returned ones too) of the consultations held in the period."""
    return Assignment.objects.filter(is_archived=False, suggestion__consultation__in=held_consultations(scope))


def _on_time_q() -> Q:
    return Q(status=AssignmentStatus.DONE, done_at__date__lte=F("deadline"))


def _late_q() -> Q:
    return Q(status=AssignmentStatus.DONE, done_at__date__gt=F("deadline"))


def _sent_back_ids(scope: Scope) -> QuerySet:
    """Items the check (验收) sent back to the unit at least once (the history keeps each send-back)."""
    return (
        Assignment.history.filter(
            history_change_reason="assignment.sent_back", id__in=cohort_assignments(scope).values("pk")
        )
        .order_by()
        .values("id")
    )


@dataclass
class UnitRow:
    unit: Unit
    items: int = 0
    returned: int = 0
    done_on_time: int = 0
    done_late: int = 0
    overdue: int = 0
    deferred: int = 0
    extended: int = 0
    sent_back: int = 0
    ratings: int = 0
    rated_well: int = 0
    rank: int | None = None

    @property
    def live(self) -> int:
        return self.items - self.returned

    @property
    def on_time_rate(self) -> float | None:
        return _share(self.done_on_time, self.live)

    @property
    def satisfaction_rate(self) -> float | None:
        return _share(self.rated_well, self.ratings)

    @property
    def score(self) -> float | None:
        """100 × the weighted mean of the parts it has (satisfaction only when its items were rated)."""
        if not self.live:
            return None
        parts = {
            "on_time": self.done_on_time / self.live,
            "not_overdue": 1 - self.overdue / self.live,
            "first_pass": 1 - min(1, self.sent_back / self.live),
        }
        if self.ratings:
            parts["satisfaction"] = self.rated_well / self.ratings
        weight = sum(WEIGHTS[k] for k in parts)
        return round(100 * sum(WEIGHTS[k] * v for k, v in parts.items()) / weight, 1)


def department_ranking(scope: Scope, today: date | None = None) -> list[UnitRow]:
    """Each unit leading items of the period's consultations, its record and its rank (four queries)."""
    today = today or timezone.localdate()
    rows: dict[int, dict] = {}
    for row in (
        cohort_assignments(scope)
        .order_by()
        .values("lead_unit_id")
        .annotate(
            items=Count("pk"),
            returned=Count("pk", filter=Q(status=AssignmentStatus.RETURNED)),
            done_on_time=Count("pk", filter=_on_time_q()),
            done_late=Count("pk", filter=_late_q()),
            overdue=Count("pk", filter=overdue_q(today)),
            deferred=Count("pk", filter=Q(status=AssignmentStatus.DEFERRED)),
            sent_back=Count("pk", filter=Q(pk__in=_sent_back_ids(scope))),
        )
    ):
        unit_id = row.pop("lead_unit_id")
        rows[unit_id] = row
    if not rows:
        return []
    units = {u.pk: u for u in Unit.objects.filter(pk__in=rows).only("pk", "name", "kind")}
    extended = dict(
        ExtensionRequest.objects.filter(status=ExtensionStatus.APPROVED, assignment__in=cohort_assignments(scope))
        .order_by()
        .values_list("assignment__lead_unit_id")
        .annotate(n=Count("pk"))
    )
    live_items = "consultation__suggestions__assignments__"
    rated = {
        unit_id: (n, well)
        for unit_id, n, well in Rating.objects.counted()
        # One filter call: the archived and status conditions hold for the same item of the unit.
        .filter(
            consultation__in=held_consultations(scope),
            **{f"{live_items}is_archived": False, f"{live_items}status__in": LIVE_STATUSES},
        )
        .order_by()
        .values_list(f"{live_items}lead_unit_id")
        .annotate(
            n=Count("pk", distinct=True),
            well=Count("pk", filter=Q(result__in=[Satisfaction.SATISFIED, Satisfaction.BASIC]), distinct=True),
        )
    }
    result = []
    for unit_id, counts in rows.items():
        n, well = rated.get(unit_id, (0, 0))
        result.append(UnitRow(units[unit_id], **counts, extended=extended.get(unit_id, 0), ratings=n, rated_well=well))
    ranked = sorted(result, key=lambda r: (r.score is None, -(r.score or 0), -r.done_on_time, r.unit.name, r.unit.pk))
    rank = 0
    for row in ranked:
        if row.score is not None:
            rank += 1
            row.rank = rank
    return ranked


def unit_records(scope: Scope, value: str, today: date | None = None) -> QuerySet[Assignment]:
    """The items behind one cell of the ranking: ``<unit pk>:<what>``, ``what`` one of ``UNIT_VALUES``."""
    today = today or timezone.localdate()
    unit, _sep, what = value.partition(":")
    if not unit.isdigit() or len(unit) > 18 or what not in UNIT_VALUES:
        raise UnknownFigure(value)
    qs = cohort_assignments(scope).filter(lead_unit_id=int(unit))
    narrow = {
        "items": Q(),
        "returned": Q(status=AssignmentStatus.RETURNED),
        "on_time": _on_time_q(),
        "late": _late_q(),
        "overdue": overdue_q(today),
        "extended": Q(pk__in=ExtensionRequest.objects.filter(status=ExtensionStatus.APPROVED).values("assignment_id")),
        "sent_back": Q(pk__in=_sent_back_ids(scope)),
    }[what]
    return qs.filter(narrow).select_related("suggestion__consultation__topic", "lead_unit").order_by("deadline", "pk")


# --- everything the dashboard and the report show ------------------------------------------------------


@dataclass
class SeedFigures:
    solved: ProblemsSolved
    implemented: Implemented
    voluntary: Voluntary
    sectors: SectorCoverage | None
    members: MembersReach
    committees: list[CommitteeRow]
    review: ReviewState | None
    departments: list[UnitRow]

    @property
    def committees_met(self) -> int:
        return sum(1 for row in self.committees if row.is_met)


def seed_figures(scope: Scope, today: date | None = None) -> SeedFigures:
    today = today or timezone.localdate()
    return SeedFigures(
        solved=problems_solved(scope),
        implemented=implemented(scope),
        voluntary=voluntary_participation(scope),
        sectors=sector_coverage(scope) if scope.platform is None else None,
        members=members_reach(scope),
        committees=committees(scope),
        review=chair_review_state(scope, today),
        departments=department_ranking(scope, today),
    )


# --- drill-downs: the records behind each figure, registered with the dashboard's records page ----------


def committee_label(value: str) -> str:
    unit = Unit.objects.filter(pk=int(value)).values_list("name", flat=True).first() if value.isdigit() else None
    return unit or value


UNIT_VALUE_LABELS = {
    "items": gettext_lazy("交办事项"),
    "returned": gettext_lazy("退回交办"),
    "on_time": gettext_lazy("按期办结"),
    "late": gettext_lazy("逾期办结"),
    "overdue": gettext_lazy("逾期未办结"),
    "extended": gettext_lazy("同意延期"),
    "sent_back": gettext_lazy("验收退回"),
}


def unit_label(value: str) -> str:
    unit, _sep, what = value.partition(":")
    name = Unit.objects.filter(pk=int(unit)).values_list("name", flat=True).first() if unit.isdigit() else None
    return f"{name or unit}：{UNIT_VALUE_LABELS.get(what, what)}"


def register_figures() -> None:
    """Add the seeds' figures to the dashboard's drill-down tables (``selectors.FIGURES`` …), once, when the
    app loads (``DashboardConfig.ready``)."""
    from shangliang.dashboard import selectors

    selectors.FIGURES.update(
        {
            "solved": selectors.Figure(gettext_lazy("解决的实际问题"), "solved"),
            "implemented": selectors.Figure(gettext_lazy("落实成果"), "implemented"),
            "voluntary": selectors.Figure(gettext_lazy("群众自愿参与"), "participants"),
            "sectors": selectors.Figure(gettext_lazy("界别协商议事室覆盖"), "sectors"),
            "committee": selectors.Figure(gettext_lazy("专委会参加的协商"), "consultations"),
            "unit_items": selectors.Figure(gettext_lazy("部门办理交办事项"), "unit_items"),
        }
    )
    selectors.RECORDS_BY_KIND.update(
        {
            "solved": lambda scope, key, value, today: solved_rows(scope, value),
            "implemented": lambda scope, key, value, today: _no_value(value, implemented_rows, scope),
            "participants": lambda scope, key, value, today: voluntary_records(scope, value),
            "sectors": lambda scope, key, value, today: sector_records(scope, value),
            "unit_items": lambda scope, key, value, today: unit_records(scope, value, today),
        }
    )
    selectors.CONSULTATION_FILTERS["committee"] = lambda value: committee_attended(selectors._int(value))
    selectors.WORD_VALUES.update(
        {
            **SOLVED_VALUES,
            "voluntary": gettext_lazy("自愿参与"),
            "not_voluntary": gettext_lazy("非自愿报名或未回复邀请"),
        }
    )
    selectors.VALUE_LABELS.update({"committee": committee_label, "unit_items": unit_label})


def _no_value(value: str, rows, scope: Scope):
    if value:
        raise UnknownFigure(value)
    return rows(scope)
