"""Reads of the dashboard (数据看板) and the annual report: every figure is counted from the records.

Scope and period
    A scope is a region (with everything below it) or one platform, and a period of whole days.
    A consultation belongs to the region of its platform, and to a period when it was held in it:
    its session opened then and it is neither cancelled nor archived (``consultations.selectors``,
    the one definition the assessment and members' points count with too). Planned and cancelled
    consultations are not consultations held.

Cohort
    Suggestions, assignments, reports, ratings, solved problems and typical cases are those of the
    consultations held in the period, whenever they were written. The figures of one period then
    add up along the loop (consultations → suggestions → assigned → done), and a drill-down shows the
    records behind each figure. "Overdue" and "waiting for a reply" are as of today.

Definitions
    Livelihood (民生议题): the topic's own flag ``Topic.is_livelihood``. It starts from the
        category's flag (``Category.is_livelihood``: 教育, 就业与收入, 医疗卫生, 养老服务, 住房保障,
        扶弱助困 by default, editable in the admin) and the station may correct it per topic.
    Assigned (交办): a suggestion handed to a unit; the assignment is live (not returned, not
        archived). Done: that assignment is 已办结. Overdue: open and past its deadline.
    Adoption (采纳), over the suggestions (not withdrawn) of concluded consultations, whether or not a
        unit holds them (``outcomes.decisions``, the one definition): decided = adopted + not adopted +
        deferred + dropped by the assembly's vote; adopted = the decision 采纳, recorded or made by
        assigning the item; adoption rate (采纳率) = adopted / decided. The not-adopted list (未采纳)
        is not adopted + deferred + dropped, each with its reason. Pending: not decided, not assigned.
    Problems solved (解决实际问题), outcomes implemented (落实成果) and the seeds' other statistics:
        ``dashboard.seed_figures``, with the formulas in ``docs/figures.md``.
    Replies within 10 days: entrusted reports (政府委托事项) sent up; on time when the written reply
        came by the due date; late when it came after it or is still missing after it.
    Members' participation: members with an assignment (下沉) to a platform in scope during the
        period, and among them those signed in at one or more consultations held in the period
        (anywhere: a member may join a session of another station).
    Platforms (协商议事平台): the consultation rooms in place during the period; the other venues
        (其他议事场所, ``PlatformKind.VENUE``) are counted apart (``orgs.coverage.counted``).
    Platform coverage: the platform list's rule (``orgs.selectors.covered_region_ids``): a village is
        covered by a village room in it (or in one of its grids), a township by a township room at
        the township itself. A platform counts for the period unless it was started after it or
        archived before it.

Every function runs a fixed number of aggregate queries, whatever the number of records.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shangliang.consultations.models import Consultation, Participant, SessionFormat, Suggestion
from shangliang.consultations.selectors import HELD_AT, held_between
from shangliang.core.dates import is_year_in_range
from shangliang.core.params import parse_id
from shangliang.evaluation.models import Rating, TypicalCase
from shangliang.evaluation.selectors import SatisfactionFigures, satisfaction_of
from shangliang.evaluation.states import Satisfaction
from shangliang.orgs.coverage import counted, coverage_rooms
from shangliang.orgs.models import Member, MemberAssignment, Platform, Region
from shangliang.orgs.selectors import covered_region_ids
from shangliang.orgs.states import PlatformKind, RegionLevel
from shangliang.outcomes import decisions as outcome_decisions
from shangliang.outcomes.models import Assignment, OutcomeReport
from shangliang.outcomes.selectors import overdue_q
from shangliang.outcomes.states import AssignmentStatus, ReportStatus
from shangliang.points.selectors import ranking
from shangliang.scoring.selectors import platform_scores, station_scores
from shangliang.topics.models import Category
from shangliang.topics.states import Source


class UnknownFigure(LookupError):
    """A drill-down asked for a figure key or value the dashboard does not show."""


# --- scope -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """A region (and below) or one platform, and a period from ``start`` to ``end`` (both days included)."""

    region: Region
    start: date
    end: date
    platform: Platform | None = None

    @classmethod
    def for_year(cls, year: int, *, region: Region | None = None, platform: Platform | None = None) -> "Scope":
        return cls.of(start=date(year, 1, 1), end=date(year, 12, 31), region=region, platform=platform)

    @classmethod
    def of(cls, *, start: date, end: date, region: Region | None = None, platform: Platform | None = None) -> "Scope":
        if platform is not None:
            region = platform.region
        if region is None:
            raise ValueError("A scope needs a region or a platform.")
        if end < start:
            raise ValueError("The period ends before it starts.")
        return cls(region=region, start=start, end=end, platform=platform)

    @property
    def name(self) -> str:
        return self.platform.name if self.platform else self.region.name

    @property
    def is_whole_year(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31) and (
            self.start.year == self.end.year
        )

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as aware local times: from the start of ``start`` to the start of the day after ``end``."""
        return _local_midnight(self.start), _local_midnight(self.end + datetime.timedelta(days=1))

    def place_q(self, prefix: str = "") -> Q:
        """Rows whose platform (reached through ``prefix``) lies in the scope."""
        if self.platform is not None:
            return Q(**{f"{prefix}platform_id": self.platform.pk})
        return Q(**{f"{prefix}platform__region__path__startswith": self.region.path})


def _local_midnight(day: date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def held_in_period(scope: Scope) -> QuerySet[Consultation]:
    """Consultations held anywhere in the period (for members, who may join any station's sessions)."""
    return held_between(*scope.bounds())


def held_consultations(scope: Scope) -> QuerySet[Consultation]:
    """The consultations of the scope held in the period: the cohort every later figure follows."""
    return held_in_period(scope).filter(scope.place_q())


# --- platforms and coverage --------------------------------------------------------------------


def platforms_in(scope: Scope) -> QuerySet[Platform]:
    """Platforms of the scope in place during the period."""
    since, _until = scope.bounds()
    qs = Platform.objects.filter(Q(active_since__isnull=True) | Q(active_since__lte=scope.end))
    qs = qs.filter(Q(is_archived=False) | Q(archived_at__gte=since))
    if scope.platform is not None:
        return qs.filter(pk=scope.platform.pk)
    return qs.filter(region__path__startswith=scope.region.path)


def _region_platforms(scope: Scope) -> QuerySet[Platform]:
    return platforms_in(Scope.of(start=scope.start, end=scope.end, region=scope.region))


def _coverage_regions(scope: Scope) -> QuerySet[Region]:
    """Townships and villages of the scope's region."""
    return Region.objects.filter(
        is_archived=False,
        level__in=[RegionLevel.TOWNSHIP, RegionLevel.VILLAGE],
        path__startswith=scope.region.path,
    ).order_by("path")


def _covered_ids(scope: Scope, regions: list[Region]) -> set[int]:
    """Which of ``regions`` the rooms in place during the period cover (two queries): venues never count,
    a shared room counts for the communities it lists (``orgs.coverage``)."""
    return covered_region_ids(regions, coverage_rooms(_region_platforms(scope)))


def covered_regions(scope: Scope, level: str, value: str = "") -> QuerySet[Region]:
    """Townships or villages of the scope, marked ``has_township_room`` or ``has_village_room``;
    ``value`` 'covered' or 'uncovered' keeps one side.

    A platform's scope covers no region: its dashboard has no coverage figures.
    """
    if value not in ("", "covered", "uncovered"):
        raise UnknownFigure(value)
    qs = _coverage_regions(scope).filter(level=level)
    if scope.platform is not None:
        return qs.none()
    covered = _covered_ids(scope, list(qs.only("pk", "level", "path")))
    flag = "has_township_room" if level == RegionLevel.TOWNSHIP else "has_village_room"
    qs = qs.annotate(
        **{flag: Case(When(pk__in=covered, then=Value(True)), default=Value(False), output_field=BooleanField())}
    )
    if value == "covered":
        return qs.filter(pk__in=covered)
    if value == "uncovered":
        return qs.exclude(pk__in=covered)
    return qs


@dataclass
class CoverageRow:
    region: Region
    has_township_room: bool
    villages: int = 0
    villages_covered: int = 0

    @property
    def rate(self) -> float | None:
        return _share(self.villages_covered, self.villages)


@dataclass
class Coverage:
    """``platforms`` counts the consultation rooms (协商议事平台); the other venues (其他议事场所, ``venues``)
    are counted apart and are in neither ``by_kind`` nor ``by_level`` (``orgs.coverage.counted``)."""

    platforms: int
    by_kind: list[tuple[str, str, int]]
    by_level: list[tuple[str, str, int]]
    townships: int
    townships_covered: int
    villages: int
    villages_covered: int
    rows: list[CoverageRow]
    venues: int = 0

    @property
    def village_rate(self) -> float | None:
        return _share(self.villages_covered, self.villages)

    @property
    def township_rate(self) -> float | None:
        return _share(self.townships_covered, self.townships)


def coverage(scope: Scope) -> Coverage:
    """Platforms by kind and by level, the other venues apart, and the townships and villages they cover
    (three queries)."""
    counts = Counter()
    levels = Counter()
    for kind, level, n in platforms_in(scope).values_list("kind", "region__level").annotate(n=Count("pk")).order_by():
        counts[kind] += n
        if kind != PlatformKind.VENUE:
            levels[level] += n
    venues = counts.pop(PlatformKind.VENUE, 0)
    by_kind = [(kind, str(kind.label), counts[kind]) for kind in PlatformKind if counts[kind]]
    by_level = [(level, str(level.label), levels[level]) for level in RegionLevel if levels[level]]
    if scope.platform is not None:
        return Coverage(sum(counts.values()), by_kind, by_level, 0, 0, 0, 0, [], venues=venues)
    regions = list(_coverage_regions(scope).only("pk", "name", "level", "path", "parent_id", "depth"))
    covered = _covered_ids(scope, regions)
    rows = {r.pk: CoverageRow(r, r.pk in covered) for r in regions if r.level == RegionLevel.TOWNSHIP}
    villages = [r for r in regions if r.level == RegionLevel.VILLAGE]
    for village in villages:
        village.has_village_room = village.pk in covered
        row = rows.get(village.parent_id)
        if row is not None:
            row.villages += 1
            row.villages_covered += int(village.has_village_room)
    return Coverage(
        platforms=sum(counts.values()),
        by_kind=by_kind,
        by_level=by_level,
        townships=len(rows),
        townships_covered=sum(1 for r in rows.values() if r.has_township_room),
        villages=len(villages),
        villages_covered=sum(1 for v in villages if v.has_village_room),
        rows=list(rows.values()),
        venues=venues,
    )


# --- consultations -----------------------------------------------------------------------------


@dataclass
class Bucket:
    """One bar or point of a chart: the drill-down ``value``, its label and the count."""

    value: str
    label: str
    n: int


@dataclass
class ConsultationFigures:
    total: int
    by_month: list[Bucket]
    by_form: list[Bucket]
    by_source: list[Bucket]
    by_category: list[Bucket]
    livelihood: int

    @property
    def livelihood_share(self) -> float | None:
        return _share(self.livelihood, self.total)


def months_of(scope: Scope) -> list[date]:
    first = date(scope.start.year, scope.start.month, 1)
    months = []
    while first <= scope.end:
        months.append(first)
        first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return months


def consultation_figures(scope: Scope) -> ConsultationFigures:
    """Consultations held by month, form, source and category, and how many were on livelihood topics."""
    held = held_consultations(scope).order_by()
    per_month = {
        timezone.localtime(month).date(): n
        for month, n in held.annotate(month=TruncMonth(HELD_AT)).values_list("month").annotate(n=Count("pk"))
    }
    by_month = [Bucket(f"{m:%Y-%m}", f"{m:%Y-%m}", per_month.get(m, 0)) for m in months_of(scope)]
    by_form = [
        Bucket(str(row["session_format_id"]), row["session_format__name"], row["n"])
        for row in held.values("session_format_id", "session_format__name", "session_format__sort_order")
        .annotate(n=Count("pk"))
        .order_by("session_format__sort_order", "session_format__name")
    ]
    sources = dict(held.values_list("topic__source").annotate(n=Count("pk")))
    by_source = [Bucket(source.value, str(source.label), sources[source]) for source in Source if sources.get(source)]
    categories: dict[int, Bucket] = {}
    livelihood = 0
    for row in (
        held.values(
            "topic__category_id", "topic__category__name", "topic__category__sort_order", "topic__is_livelihood"
        )
        .annotate(n=Count("pk"))
        .order_by("topic__category__sort_order", "topic__category__name")
    ):
        bucket = categories.setdefault(
            row["topic__category_id"], Bucket(str(row["topic__category_id"]), row["topic__category__name"], 0)
        )
        bucket.n += row["n"]
        if row["topic__is_livelihood"]:
            livelihood += row["n"]
    return ConsultationFigures(
        total=sum(b.n for b in by_month),
        by_month=by_month,
        by_form=by_form,
        by_source=by_source,
        by_category=list(categories.values()),
        livelihood=livelihood,
    )


# --- outcomes ----------------------------------------------------------------------------------


def suggestions_of(scope: Scope) -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(consultation__in=held_consultations(scope))


def live_assignments(scope: Scope) -> QuerySet[Assignment]:
    """Suggestions adopted: handed to a unit and not returned."""
    return Assignment.objects.filter(is_archived=False, suggestion__consultation__in=held_consultations(scope)).exclude(
        status=AssignmentStatus.RETURNED
    )


@dataclass
class OutcomeFigures:
    suggestions: int
    assigned: int
    done: int
    overdue: int
    solved: int
    decisions: outcome_decisions.DecisionFigures = field(default_factory=outcome_decisions.DecisionFigures)

    @property
    def adoption_rate(self) -> float | None:
        """Adopted over decided (``outcomes.decisions``): unassigned items count too."""
        return self.decisions.adoption_rate

    @property
    def assignment_rate(self) -> float | None:
        """Assigned (交办) over suggestions made."""
        return _share(self.assigned, self.suggestions)

    @property
    def completion_rate(self) -> float | None:
        return _share(self.done, self.assigned)


def _problems_solved(scope: Scope) -> int:
    from shangliang.dashboard.seed_figures import problems_solved  # it builds on this module

    return problems_solved(scope).total


def outcome_figures(scope: Scope, today: date) -> OutcomeFigures:
    """Suggestions made, decided, adopted, assigned, done and overdue, and problems solved (four queries)."""
    counts = live_assignments(scope).aggregate(
        assigned=Count("pk"),
        done=Count("pk", filter=Q(status=AssignmentStatus.DONE)),
        overdue=Count("pk", filter=overdue_q(today)),
    )
    return OutcomeFigures(
        suggestions=suggestions_of(scope).count(),
        assigned=counts["assigned"],
        done=counts["done"],
        overdue=counts["overdue"],
        # 解决实际问题: the one definition is the seeds' (``seed_figures.problems_solved``).
        solved=_problems_solved(scope),
        decisions=outcome_decisions.decision_figures(suggestions_of(scope)),
    )


def entrusted_reports(scope: Scope) -> QuerySet[OutcomeReport]:
    """Entrusted matters sent up: each owes a written reply by its due date."""
    return OutcomeReport.objects.filter(
        is_archived=False,
        is_entrusted=True,
        status__in=[ReportStatus.SENT, ReportStatus.REPLIED],
        reply_due_on__isnull=False,
        consultation__in=held_consultations(scope),
    )


def _reply_q(value: str, today: date) -> Q:
    replied = Q(status=ReportStatus.REPLIED)
    waiting = Q(status=ReportStatus.SENT)
    if value == "on_time":
        return replied & Q(replied_at__date__lte=F("reply_due_on"))
    if value == "late":
        return (replied & Q(replied_at__date__gt=F("reply_due_on"))) | (waiting & Q(reply_due_on__lt=today))
    if value == "waiting":
        return waiting & Q(reply_due_on__gte=today)
    raise UnknownFigure(value)


REPLY_VALUES = ("on_time", "late", "waiting")


@dataclass
class ReplyFigures:
    entrusted: int
    on_time: int
    late: int
    waiting: int

    @property
    def reply_rate(self) -> float | None:
        """Replies within the period (10 days) over the replies that are due or came."""
        return _share(self.on_time, self.on_time + self.late)


def reply_figures(scope: Scope, today: date) -> ReplyFigures:
    counts = entrusted_reports(scope).aggregate(
        entrusted=Count("pk"), **{value: Count("pk", filter=_reply_q(value, today)) for value in REPLY_VALUES}
    )
    return ReplyFigures(**counts)


def ratings_of(scope: Scope) -> QuerySet[Rating]:
    return Rating.objects.counted().filter(consultation__in=held_consultations(scope))


def satisfaction(scope: Scope) -> SatisfactionFigures:
    return satisfaction_of(ratings_of(scope))


@dataclass
class PlaceRating:
    """The ratings of one platform's consultations: how many, and how many rated each aspect well."""

    name: str
    ratings: int
    process_well: int
    result_well: int

    @property
    def process_rate(self) -> float | None:
        return _share(self.process_well, self.ratings)

    @property
    def result_rate(self) -> float | None:
        return _share(self.result_well, self.ratings)


def place_ratings(scope: Scope) -> list[PlaceRating]:
    """Satisfaction per platform of the scope (one query), by the dashboard's rate (satisfied or basically)."""
    rows = (
        ratings_of(scope)
        .order_by()
        .values("consultation__platform_id", "consultation__platform__name")
        .annotate(
            n=Count("pk"),
            process_well=Count("pk", filter=_rating_q("process:rated_well")),
            result_well=Count("pk", filter=_rating_q("result:rated_well")),
        )
        .order_by("consultation__platform__name")
    )
    return [
        PlaceRating(row["consultation__platform__name"], row["n"], row["process_well"], row["result_well"])
        for row in rows
    ]


def idle_platforms(scope: Scope) -> QuerySet[Platform]:
    """Consultation rooms of the scope in place during the period that held no consultation in it (the other
    venues are not held to a number of consultations)."""
    held = held_consultations(scope).values("platform_id")
    return counted(platforms_in(scope)).exclude(pk__in=held).order_by("region__path", "name")


def _rating_q(value: str) -> Q:
    """``process:satisfied``, ``result:basic`` …, or ``process:rated_well`` for satisfied and basically satisfied."""
    aspect, _sep, level = value.partition(":")
    if aspect not in ("process", "result"):
        raise UnknownFigure(value)
    if level == "rated_well":
        return Q(**{f"{aspect}__in": [Satisfaction.SATISFIED, Satisfaction.BASIC]})
    if level not in Satisfaction.values:
        raise UnknownFigure(value)
    return Q(**{aspect: level})


# --- members -----------------------------------------------------------------------------------


def assigned_members(scope: Scope) -> QuerySet[Member]:
    """Members with an assignment (下沉) to a platform of the scope during the period."""
    assignments = MemberAssignment.objects.filter(scope.place_q(), started_on__lte=scope.end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=scope.start)
    )
    return Member.objects.filter(is_archived=False, pk__in=assignments.values("member_id"))


def _attended_q(scope: Scope) -> Q:
    # Sign-in records only: a time and the way it was recorded (Participant.signed_in_via).
    attended = Participant.objects.filter(
        member__isnull=False, signed_in_at__isnull=False, consultation__in=held_in_period(scope)
    ).exclude(signed_in_via="")
    return Q(pk__in=attended.values("member_id"))


@dataclass
class MemberFigures:
    assigned: int
    active: int

    @property
    def inactive(self) -> int:
        return self.assigned - self.active

    @property
    def participation_rate(self) -> float | None:
        return _share(self.active, self.assigned)


def member_figures(scope: Scope) -> MemberFigures:
    counts = assigned_members(scope).aggregate(assigned=Count("pk"), active=Count("pk", filter=_attended_q(scope)))
    return MemberFigures(**counts)


# --- the sub-regions side by side --------------------------------------------------------------


@dataclass
class ChildRow:
    """One township (of a district) or village (of a township), or the scope's own level (``is_self``)."""

    region: Region
    is_self: bool = False
    consultations: int = 0
    livelihood: int = 0
    suggestions: int = 0
    assigned: int = 0
    done: int = 0
    overdue: int = 0


def children_comparison(scope: Scope, today: date) -> list[ChildRow]:
    """Figures per township (or village) of the scope; platforms at the scope's own level get their own row.

    Four queries: the sub-regions, and three counts grouped by the platform's region path, each path
    then added to the sub-region it lies under.
    """
    if scope.platform is not None or scope.region.level not in (RegionLevel.DISTRICT, RegionLevel.TOWNSHIP):
        return []
    children = [
        ChildRow(r)
        for r in Region.objects.filter(parent=scope.region, is_archived=False).only("pk", "name", "path", "level")
    ]
    own = ChildRow(scope.region, is_self=True)

    def row_for(path: str) -> ChildRow:
        for row in children:
            if path.startswith(row.region.path):
                return row
        return own

    held = held_consultations(scope).order_by()
    for path, n, livelihood in held.values_list("platform__region__path").annotate(
        n=Count("pk"), livelihood=Count("pk", filter=Q(topic__is_livelihood=True))
    ):
        row = row_for(path)
        row.consultations += n
        row.livelihood += livelihood
    for path, n in (
        suggestions_of(scope).order_by().values_list("consultation__platform__region__path").annotate(n=Count("pk"))
    ):
        row_for(path).suggestions += n
    for path, assigned, done, overdue in (
        live_assignments(scope)
        .order_by()
        .values_list("suggestion__consultation__platform__region__path")
        .annotate(
            assigned=Count("pk"),
            done=Count("pk", filter=Q(status=AssignmentStatus.DONE)),
            overdue=Count("pk", filter=overdue_q(today)),
        )
    ):
        row = row_for(path)
        row.assigned += assigned
        row.done += done
        row.overdue += overdue
    rows = sorted(children, key=lambda r: r.region.path)
    if own.consultations or own.suggestions:
        rows.append(own)
    return rows


# --- typical cases -------------------------------------------------------------------------------


def typical_cases(scope: Scope) -> QuerySet[TypicalCase]:
    """Published typical cases of the consultations held in the period, with what the report prints."""
    return (
        TypicalCase.objects.filter(is_published=True, is_archived=False, consultation__in=held_consultations(scope))
        .select_related("consultation__topic", "consultation__platform", "consultation__publication")
        .order_by("consultation__starts_at", "pk")
    )


# --- stations against targets and members' points -------------------------------------------------
# Both come from their own stages: ``scoring.selectors.station_scores`` scores the township stations
# (and ``platform_scores`` the platforms with targets); ``points.selectors.ranking`` ranks members.
# Each runs a fixed number of grouped queries, so the dashboard's count stays bounded.

RANKING_SHOWN = 10


def station_targets(scope: Scope) -> list | None:
    """Stations (or, for a platform, that platform) against the year's targets, ranked; None below a township."""
    year = scope.end.year
    if scope.platform is not None:
        return [row for row in platform_scores(year, scope.platform.region) if row.platform.pk == scope.platform.pk]
    if scope.region.level not in {RegionLevel.DISTRICT, RegionLevel.TOWNSHIP}:
        return None
    return station_scores(year, scope.region)


@dataclass
class MemberRanking:
    kinds: list
    rows: list
    total_members: int
    year: int


def member_ranking(scope: Scope) -> MemberRanking:
    """The members of the scope's region ranked by their points in the period's year (the first ten)."""
    ranked = ranking(scope.end.year, region=scope.region)
    return MemberRanking(
        kinds=ranked.kinds, rows=ranked.rows[:RANKING_SHOWN], total_members=len(ranked.rows), year=scope.end.year
    )


# --- the whole dashboard ---------------------------------------------------------------------------


@dataclass
class Dashboard:
    scope: Scope
    today: date
    coverage: Coverage
    consultations: ConsultationFigures
    outcomes: OutcomeFigures
    replies: ReplyFigures
    satisfaction: SatisfactionFigures
    members: MemberFigures
    children: list[ChildRow]
    cases: list[TypicalCase] = field(default_factory=list)
    station_targets: list | None = None
    member_ranking: MemberRanking | None = None


def dashboard_for(scope: Scope, today: date | None = None) -> Dashboard:
    """Every figure of the dashboard for ``scope``, in a fixed number of queries."""
    today = today or timezone.localdate()
    return Dashboard(
        scope=scope,
        today=today,
        coverage=coverage(scope),
        consultations=consultation_figures(scope),
        outcomes=outcome_figures(scope, today),
        replies=reply_figures(scope, today),
        satisfaction=satisfaction(scope),
        members=member_figures(scope),
        children=children_comparison(scope, today),
        cases=list(typical_cases(scope)),
        station_targets=station_targets(scope),
        member_ranking=member_ranking(scope),
    )


# --- drill-down: the records behind each figure ----------------------------------------------------


@dataclass(frozen=True)
class Figure:
    label: object
    kind: str  # which rows the records page shows


FIGURES = {
    "platforms": Figure(_("协商议事平台"), "platforms"),
    "townships": Figure(_("乡镇（街道）覆盖"), "regions"),
    "villages": Figure(_("村（社区）覆盖"), "regions"),
    "consultations": Figure(_("开展协商"), "consultations"),
    "month": Figure(_("按月份的协商"), "consultations"),
    "form": Figure(_("按形式的协商"), "consultations"),
    "source": Figure(_("按来源的协商"), "consultations"),
    "category": Figure(_("按类别的协商"), "consultations"),
    "livelihood": Figure(_("民生议题协商"), "consultations"),
    "suggestions": Figure(_("协商建议"), "suggestions"),
    "assigned": Figure(_("已交办的建议"), "assignments"),
    "adopted": Figure(_("已采纳的建议"), "suggestions"),
    "not_adopted": Figure(_("未采纳的建议（不予采纳、暂缓采纳、表决未通过）"), "suggestions"),
    "pending_decision": Figure(_("待决定采纳的建议"), "suggestions"),
    "done": Figure(_("已办结的建议"), "assignments"),
    "overdue": Figure(_("逾期未办结的建议"), "assignments"),
    # "solved" and the seeds' other figures are added by ``seed_figures.register_figures``.
    "entrusted": Figure(_("政府委托事项书面答复"), "reports"),
    "ratings": Figure(_("群众评议"), "ratings"),
    "satisfaction": Figure(_("群众评议"), "ratings"),  # the same records, under the name users say
    "members": Figure(_("下沉委员"), "members"),
    "cases": Figure(_("典型案例"), "cases"),
}


def _month_q(value: str) -> Q:
    try:
        first = datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise UnknownFigure(value) from None
    if not is_year_in_range(first.year):
        raise UnknownFigure(value)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return Q(**{f"{HELD_AT}__gte": _local_midnight(first), f"{HELD_AT}__lt": _local_midnight(following)})


def _int(value: str) -> int:
    pk = parse_id(value)
    if pk is None:
        raise UnknownFigure(value)
    return pk


def _platform_records(scope: Scope, key: str, value: str, today: date) -> QuerySet:
    """The consultation rooms, narrowed to one level (``level:<level>``) or one kind; ``venue`` lists the other
    venues, which no other value includes (the figures count them apart)."""
    qs = platforms_in(scope)
    if value == PlatformKind.VENUE:
        qs = qs.filter(kind=PlatformKind.VENUE)
    elif value.startswith("level:"):
        qs = counted(qs).filter(region__level=value.removeprefix("level:"))
    elif value in PlatformKind.values:
        qs = qs.filter(kind=value)
    elif value:
        raise UnknownFigure(value)
    else:
        qs = counted(qs)
    return qs.select_related("region").order_by("region__path", "name", "pk")


def _region_records(scope: Scope, key: str, value: str, today: date) -> QuerySet:
    level = RegionLevel.TOWNSHIP if key == "townships" else RegionLevel.VILLAGE
    return covered_regions(scope, level, value).select_related("parent")


def _source_q(value: str) -> Q:
    if value not in Source.values:
        raise UnknownFigure(value)
    return Q(topic__source=value)


# How each breakdown of the consultations narrows them by its ``value``.
CONSULTATION_FILTERS = {
    "month": _month_q,
    "form": lambda value: Q(session_format_id=_int(value)),
    "source": _source_q,
    "category": lambda value: Q(topic__category_id=_int(value)),
    "livelihood": lambda _value: Q(topic__is_livelihood=True),
}


def _consultation_records(scope: Scope, key: str, value: str, today: date) -> QuerySet:
    qs = held_consultations(scope)
    narrow = CONSULTATION_FILTERS.get(key)
    if narrow is not None:
        qs = qs.filter(narrow(value))
    elif value:
        raise UnknownFigure(value)
    return qs.select_related("topic__category", "platform", "session_format").order_by("starts_at", "pk")


def _suggestion_records(scope: Scope, key: str, value: str, today: date) -> QuerySet:
    qs = suggestions_of(scope)
    if key == "not_adopted":
        try:
            qs = outcome_decisions.not_taken(qs, value)
        except LookupError:
            raise UnknownFigure(value) from None
    elif value:
        raise UnknownFigure(value)
    elif key == "adopted":
        qs = outcome_decisions.countable(qs).filter(outcome_decisions.ADOPTED_Q)
    elif key == "pending_decision":
        qs = outcome_decisions.pending(qs)
    return qs.select_related("consultation__topic", "consultation__platform").order_by(
        "consultation__starts_at", "consultation_id", "order", "pk"
    )


def _assignment_records(scope: Scope, key: str, value: str, today: date) -> QuerySet:
    qs = live_assignments(scope)
    if key == "done":
        qs = qs.filter(status=AssignmentStatus.DONE)
    elif key == "overdue":
        qs = qs.filter(overdue_q(today))
    return qs.select_related("suggestion__consultation__topic", "lead_unit").order_by("deadline", "pk")


def _report_records(scope: Scope, key: str, value: str, today: date) -> QuerySet:
    qs = entrusted_reports(scope)
    if value:
        qs = qs.filter(_reply_q(value, today))
    return qs.select_related("consultation__topic").order_by("sent_at", "pk")


def _rating_records(scope: Scope, key: str, value: str, today: date) -> QuerySet:
    qs = ratings_of(scope)
    if value:
        qs = qs.filter(_rating_q(value))
    return qs.select_related("consultation__topic").order_by("created_at", "pk")


def _member_records(scope: Scope, key: str, value: str, today: date) -> QuerySet:
    qs = assigned_members(scope)
    if value == "active":
        qs = qs.filter(_attended_q(scope))
    elif value == "inactive":
        qs = qs.exclude(_attended_q(scope))
    elif value:
        raise UnknownFigure(value)
    return qs.select_related("sector").order_by("level", "name", "pk")


def _case_records(scope: Scope, key: str, value: str, today: date) -> QuerySet:
    return typical_cases(scope)


# The records behind each kind of figure (``Figure.kind``).
RECORDS_BY_KIND = {
    "platforms": _platform_records,
    "regions": _region_records,
    "consultations": _consultation_records,
    "suggestions": _suggestion_records,
    "assignments": _assignment_records,
    "reports": _report_records,
    "ratings": _rating_records,
    "members": _member_records,
    "cases": _case_records,
}


def records(scope: Scope, key: str, value: str = "", today: date | None = None) -> QuerySet:
    """The records behind figure ``key`` (narrowed by ``value``), with the joins their list shows.

    Raises UnknownFigure for a key or value the dashboard does not have.
    """
    today = today or timezone.localdate()
    if key not in FIGURES:
        raise UnknownFigure(key)
    return RECORDS_BY_KIND[FIGURES[key].kind](scope, key, value, today)


WORD_VALUES = {
    "covered": _("已覆盖"),
    "uncovered": _("未覆盖"),
    "on_time": _("按期答复"),
    "late": _("逾期答复"),
    "waiting": _("等待答复"),
    "active": _("参与协商"),
    "inactive": _("未参与协商"),
    "process": _("协商过程"),
    "result": _("落实结果"),
    "rated_well": _("满意和基本满意"),
    "not_adopted": _("不予采纳"),
    "deferred": _("暂缓采纳"),
    "dropped": _("表决未通过"),
}


# Words for the values of figures registered by other modules (``seed_figures``): key → function of the value.
VALUE_LABELS: dict = {}


def value_label(key: str, value: str) -> str:
    """What a drill-down's ``value`` means, in words (``result:rated_well`` → 落实结果：满意和基本满意)."""
    if not value:
        return ""
    if key in VALUE_LABELS:
        return VALUE_LABELS[key](value)
    if key in ("ratings", "satisfaction"):
        aspect, _sep, level = value.partition(":")
        level_label = WORD_VALUES.get(level) or dict(Satisfaction.choices).get(level, level)
        return f"{WORD_VALUES.get(aspect, aspect)}：{level_label}"
    if key == "form":
        return SessionFormat.objects.filter(pk=_int_or_none(value)).values_list("name", flat=True).first() or value
    if key == "category":
        return Category.objects.filter(pk=_int_or_none(value)).values_list("name", flat=True).first() or value
    if key == "source":
        return str(dict(Source.choices).get(value, value))
    if key == "platforms":
        kind = value.removeprefix("level:")
        return str(dict(PlatformKind.choices).get(kind) or dict(RegionLevel.choices).get(kind, value))
    return str(WORD_VALUES.get(value, value))


def _int_or_none(value: str) -> int | None:
    return parse_id(value)
