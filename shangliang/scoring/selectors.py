"""Reads of the assessment: stations' scores against their targets, and the committees' inspection schedule.

Every figure is computed here from the records of the loop (consultations held, items done,
written replies, residents' ratings) and never stored, so it always agrees with the records behind
it and filing more documents (reports, progress updates, photos) cannot raise it
(不以台账资料为考核依据). The same querysets feed the aggregate and the detail lists, so the
figures on the ranking and the records on a station's page match by construction.

Counting rules, per calendar year (local time):

- consultations held: as everywhere (``consultations.selectors.held_in``), the session opened in the
  year and the consultation is neither cancelled nor archived; on a platform in the township (the
  township room and its villages' rooms);
- items on time: live assignments (not returned, not archived) of those platforms whose deadline
  falls in the year and has passed, or which are already done; on time = done on or before the
  deadline. A deferred item (暂缓办理) counts as not implemented;
- replies: entrusted reports (政府委托事项) sent for a written reply whose due date falls in the year
  and has passed, or which are answered; on time = answered on or before the due date;
- satisfaction: residents' ratings given in the year of the result (对落实结果), satisfied or
  basically satisfied over all.

A component with nothing to count (no item due, no entrusted report, no rating) is left out and the
other weights are scaled up to 100 (缺项按比例折算); the consultations component always counts.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Substr, TruncDate
from django.utils import timezone

from shangliang.consultations.models import Consultation
from shangliang.consultations.selectors import held_in
from shangliang.evaluation.models import Rating
from shangliang.evaluation.states import Satisfaction
from shangliang.orgs.models import ContactLink, Platform, Region
from shangliang.orgs.states import RegionLevel, UnitKind
from shangliang.outcomes.models import Assignment, OutcomeReport
from shangliang.outcomes.states import AssignmentStatus, ReportStatus
from shangliang.scoring.models import AnnualTarget, Inspection, ScoringScheme, default_township_minimum
from shangliang.scoring.states import Component, InspectionKind, MonthState

SATISFIED_LEVELS = (Satisfaction.SATISFIED, Satisfaction.BASIC)
# The district commends the top third of its stations.
COMMENDED_SHARE = 3


# --- the scheme ------------------------------------------------------------------------------


def scheme_for(year: int) -> ScoringScheme:
    """The year's scheme, else the latest earlier one, else the default weights (unsaved)."""
    scheme = ScoringScheme.objects.filter(year__lte=year, is_archived=False).order_by("-year").first()
    return scheme or ScoringScheme(year=year)


# --- the records behind each figure ----------------------------------------------------------


def items_due_in(year: int, today: date) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(is_archived=False, deadline__year=year, suggestion__consultation__is_archived=False)
        .exclude(status=AssignmentStatus.RETURNED)
        .filter(Q(deadline__lt=today) | Q(status=AssignmentStatus.DONE))
        .annotate(done_on=TruncDate("done_at"))
        .order_by()
    )


ON_TIME_ITEM = Q(status=AssignmentStatus.DONE, done_on__lte=F("deadline"))


def replies_due_in(year: int, today: date) -> QuerySet[OutcomeReport]:
    return (
        OutcomeReport.objects.filter(
            is_archived=False,
            is_entrusted=True,
            status__in=[ReportStatus.SENT, ReportStatus.REPLIED],
            reply_due_on__year=year,
            consultation__is_archived=False,
        )
        .filter(Q(reply_due_on__lt=today) | Q(status=ReportStatus.REPLIED))
        .annotate(replied_on=TruncDate("replied_at"))
        .order_by()
    )


ON_TIME_REPLY = Q(status=ReportStatus.REPLIED, replied_on__lte=F("reply_due_on"))


def ratings_in(year: int) -> QuerySet[Rating]:
    return Rating.objects.counted().filter(created_at__year=year, consultation__is_archived=False).order_by()


SATISFIED_RATING = Q(result__in=SATISFIED_LEVELS)


# --- figures and scores ----------------------------------------------------------------------


@dataclass
class Figures:
    """The counts behind one station's or platform's score."""

    held: int = 0
    items_due: int = 0
    items_on_time: int = 0
    replies_due: int = 0
    replies_on_time: int = 0
    ratings: int = 0
    ratings_satisfied: int = 0


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class ScoreRow:
    """A station (township) or a platform against its year's target, with its score."""

    year: int
    min_consultations: int
    target: AnnualTarget | None
    figures: Figures
    scheme: ScoringScheme
    component_scores: dict[str, float | None] = field(default_factory=dict)
    total: float = 0.0
    points: float = 0.0

    # counts, named as the dashboard reads them
    @property
    def held(self) -> int:
        return self.figures.held

    @property
    def min_on_time_rate(self) -> int | None:
        return self.target.min_on_time_rate if self.target else None

    @property
    def min_satisfaction_rate(self) -> int | None:
        return self.target.min_satisfaction_rate if self.target else None

    @property
    def is_default_target(self) -> bool:
        return self.target is None

    @property
    def items_on_time_rate(self) -> float | None:
        return _share(self.figures.items_on_time, self.figures.items_due)

    @property
    def reply_rate(self) -> float | None:
        return _share(self.figures.replies_on_time, self.figures.replies_due)

    @property
    def satisfaction_rate(self) -> float | None:
        return _share(self.figures.ratings_satisfied, self.figures.ratings)

    @property
    def is_consultations_met(self) -> bool:
        return self.held >= self.min_consultations

    @property
    def shortfalls(self) -> list[str]:
        """The labels of the targets not met (the rate targets only count once there is something to rate)."""
        missing = []
        if not self.is_consultations_met:
            missing.append(Component.CONSULTATIONS.label)
        rate = self.items_on_time_rate
        if self.min_on_time_rate is not None and rate is not None and rate * 100 < self.min_on_time_rate:
            missing.append(Component.ON_TIME.label)
        rate = self.satisfaction_rate
        if self.min_satisfaction_rate is not None and rate is not None and rate * 100 < self.min_satisfaction_rate:
            missing.append(Component.SATISFACTION.label)
        return missing

    @property
    def is_met(self) -> bool:
        return not self.shortfalls

    def score(self) -> None:
        ratios = {
            Component.CONSULTATIONS: min(1.0, self.held / self.min_consultations) if self.min_consultations else 1.0,
            Component.ON_TIME: self.items_on_time_rate,
            Component.REPLIES: self.reply_rate,
            Component.SATISFACTION: self.satisfaction_rate,
        }
        weights = self.scheme.weights
        counted = {c: r for c, r in ratios.items() if r is not None}
        self.component_scores = {
            c.value: (round(weights[c.value] * ratios[c], 1) if c in counted else None) for c in Component
        }
        weight = sum(weights[c.value] for c in counted)
        raw = sum(weights[c.value] * r for c, r in counted.items())
        self.total = round(raw * 100 / weight, 1) if weight else 0.0
        self.points = round(self.total * float(self.scheme.full_points or Decimal(0)) / 100, 2)


@dataclass
class StationRow(ScoreRow):
    township: Region | None = None
    rank: int = 0
    is_top_third: bool = False

    @property
    def pk(self) -> int:
        return self.township.pk

    @property
    def name(self) -> str:
        return self.township.name


@dataclass
class PlatformRow(ScoreRow):
    platform: Platform | None = None

    @property
    def pk(self) -> int:
        return self.platform.pk

    @property
    def name(self) -> str:
        return self.platform.name


def _count_into(figures: dict, qs: QuerySet, key_expr, path_length: int | None, counts: dict[str, Count]) -> None:
    """Group ``qs`` by ``key_expr`` (a region path cut to ``path_length``, or a platform id) and add the counts."""
    key = Substr(key_expr, 1, path_length) if path_length else F(key_expr)
    for row in qs.annotate(group_key=key).values("group_key").annotate(**counts).order_by():
        target = figures.get(row["group_key"])
        if target is None:
            continue
        for name in counts:
            setattr(target, name, getattr(target, name) + row[name])


def _gather(year: int, today: date, figures: dict, region: Region | None, path_lengths=()) -> None:
    """Fill ``figures`` with one grouped query per component (and per township path length).

    ``figures`` is keyed by township path when ``path_lengths`` is given, else by platform id;
    ``region`` only narrows what the database reads.
    """
    sources = [
        (held_in(year), "platform", {"held": Count("pk")}),
        (
            items_due_in(year, today),
            "suggestion__consultation__platform",
            {"items_due": Count("pk"), "items_on_time": Count("pk", filter=ON_TIME_ITEM)},
        ),
        (
            replies_due_in(year, today),
            "consultation__platform",
            {"replies_due": Count("pk"), "replies_on_time": Count("pk", filter=ON_TIME_REPLY)},
        ),
        (
            ratings_in(year),
            "consultation__platform",
            {"ratings": Count("pk"), "ratings_satisfied": Count("pk", filter=SATISFIED_RATING)},
        ),
    ]
    for qs, platform_field, counts in sources:
        if region is not None:
            qs = qs.filter(**{f"{platform_field}__region__path__startswith": region.path})
        if path_lengths:
            for length in path_lengths:
                _count_into(figures, qs, f"{platform_field}__region__path", length, counts)
        else:
            _count_into(figures, qs, f"{platform_field}_id", None, counts)


def station_scores(year: int, region: Region | None = None, *, today: date | None = None) -> list[StationRow]:
    """One row per township (its station) under ``region`` (all townships when None), ranked within its district.

    Each row counts the consultations of every platform in the township against the year's target
    (a target row, else ``SHANGLIANG_TOWNSHIP_MIN_CONSULTATIONS``), the on-time share of items, the
    written replies within the due date and residents' result satisfaction, and turns them into
    component scores, a total out of 100 and the assessment points (of ``scheme.full_points``).
    ``rank`` is the competition rank (ties share it) and ``is_top_third`` marks the commended top
    third of the district. A fixed number of queries, whatever the number of townships.
    """
    today = today or timezone.localdate()
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP, is_archived=False).select_related("parent")
    if region is not None:
        townships = townships.filter(path__startswith=region.path)
    townships = list(townships)
    scheme = scheme_for(year)
    targets = {
        t.region_id: t
        for t in AnnualTarget.objects.filter(year=year, region__in=[t.pk for t in townships], is_archived=False)
    }
    figures = {t.path: Figures() for t in townships}
    if townships:
        _gather(year, today, figures, region, path_lengths=sorted({len(t.path) for t in townships}))
    minimum = default_township_minimum()
    rows = []
    for township in townships:
        target = targets.get(township.pk)
        row = StationRow(
            year=year,
            min_consultations=target.min_consultations if target else minimum,
            target=target,
            figures=figures[township.path],
            scheme=scheme,
            township=township,
        )
        row.score()
        rows.append(row)
    _rank(rows)
    return sorted(rows, key=lambda r: (r.township.parent.path if r.township.parent else "", r.rank, r.township.path))


def _rank(rows: list[StationRow]) -> None:
    """Competition ranking within each district; the top third (rounded up) with a score above 0 is commended."""
    by_district = defaultdict(list)
    for row in rows:
        by_district[row.township.parent_id].append(row)
    for group in by_district.values():
        group.sort(key=lambda r: -r.total)
        commended = math.ceil(len(group) / COMMENDED_SHARE)
        for index, row in enumerate(group):
            row.rank = group[index - 1].rank if index and group[index - 1].total == row.total else index + 1
            row.is_top_third = row.rank <= commended and row.total > 0


def platform_scores(year: int, region: Region | None = None, *, today: date | None = None) -> list[PlatformRow]:
    """Platforms under ``region`` that have a target for ``year``, each against it (same figures and scheme)."""
    today = today or timezone.localdate()
    targets = AnnualTarget.objects.filter(
        year=year, platform__isnull=False, is_archived=False, platform__is_archived=False
    ).select_related("platform__region")
    if region is not None:
        targets = targets.filter(platform__region__path__startswith=region.path)
    targets = list(targets)
    scheme = scheme_for(year)
    figures = {t.platform_id: Figures() for t in targets}
    if targets:
        _gather(year, today, figures, region)
    rows = []
    for target in targets:
        row = PlatformRow(
            year=year,
            min_consultations=target.min_consultations,
            target=target,
            figures=figures[target.platform_id],
            scheme=scheme,
            platform=target.platform,
        )
        row.score()
        rows.append(row)
    return sorted(rows, key=lambda r: (r.platform.region.path, r.platform.name))


# --- one station: the records behind its figures ---------------------------------------------


@dataclass
class RatedConsultation:
    consultation: Consultation
    ratings: int
    satisfied: int

    @property
    def rate(self) -> float | None:
        return _share(self.satisfied, self.ratings)


@dataclass
class StationRecords:
    consultations: list[Consultation]
    items: list[Assignment]
    replies: list[OutcomeReport]
    rated: list[RatedConsultation]


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def station_records(year: int, township: Region, *, today: date | None = None) -> StationRecords:
    """The consultations, items, replies and ratings counted in the township's figures for ``year``.

    Items carry ``is_on_time`` and replies ``is_reply_on_time``, decided by the same rule the score uses.
    """
    today = today or timezone.localdate()
    under = township.path
    consultations = list(
        held_in(year, region=township).select_related("topic", "platform", "session_format").order_by("starts_at", "pk")
    )
    items = list(
        items_due_in(year, today)
        .filter(suggestion__consultation__platform__region__path__startswith=under)
        .annotate(is_on_time=_flag(ON_TIME_ITEM))
        .select_related("suggestion__consultation__topic", "lead_unit")
        .order_by("deadline", "pk")
    )
    replies = list(
        replies_due_in(year, today)
        .filter(consultation__platform__region__path__startswith=under)
        .annotate(is_reply_on_time=_flag(ON_TIME_REPLY))
        .select_related("consultation__topic")
        .order_by("reply_due_on", "pk")
    )
    counts = (
        ratings_in(year)
        .filter(consultation__platform__region__path__startswith=under)
        .values("consultation")
        .annotate(n=Count("pk"), satisfied=Count("pk", filter=SATISFIED_RATING))
        .order_by()
    )
    by_consultation = {row["consultation"]: row for row in counts}
    rated_consultations = Consultation.objects.filter(pk__in=by_consultation).select_related("topic", "platform")
    rated = [
        RatedConsultation(c, by_consultation[c.pk]["n"], by_consultation[c.pk]["satisfied"])
        for c in rated_consultations.order_by("-starts_at", "pk")
    ]
    return StationRecords(consultations, items, replies, rated)


# --- the inspection schedule ------------------------------------------------------------------


@dataclass
class PeriodCell:
    """One month (1–12) or half year (1–2) of a link's schedule."""

    number: int
    state: str
    count: int = 0

    @property
    def is_gap(self) -> bool:
        return self.state == MonthState.GAP

    @property
    def label(self) -> str:
        return MonthState(self.state).label


@dataclass
class ScheduleRow:
    link: ContactLink
    months: list[PeriodCell]
    halves: list[PeriodCell]
    visits_done: int
    inspections_done: int

    @property
    def month_gaps(self) -> list[int]:
        return [c.number for c in self.months if c.is_gap]

    @property
    def half_gaps(self) -> list[int]:
        return [c.number for c in self.halves if c.is_gap]

    @property
    def has_gaps(self) -> bool:
        return bool(self.month_gaps or self.half_gaps)


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    last = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


def _state(link: ContactLink, first: date, last: date, count: int, today: date) -> str:
    if link.started_on > last or (link.ended_on is not None and link.ended_on < first):
        return MonthState.NOT_LINKED
    if count:
        return MonthState.DONE
    if last < today:
        return MonthState.GAP
    if first <= today:
        return MonthState.DUE
    return MonthState.FUTURE


def active_links(year: int, *, committee=None, region: Region | None = None) -> QuerySet[ContactLink]:
    """Contact links between a CPPCC committee and a platform that were in force during ``year``."""
    links = ContactLink.objects.filter(
        committee__kind=UnitKind.CPPCC_COMMITTEE,
        committee__is_archived=False,
        platform__is_archived=False,
        started_on__lte=date(year, 12, 31),
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=date(year, 1, 1)))
    if committee is not None:
        links = links.filter(committee=committee)
    if region is not None:
        links = links.filter(platform__region__path__startswith=region.path)
    return links.select_related("committee", "platform__region").order_by("committee__name", "platform__region__path")


def inspection_schedule(
    year: int, committee=None, region: Region | None = None, today: date | None = None
) -> list[ScheduleRow]:
    """Each link in force during ``year`` against the schedule: a research visit every month, a full
    inspection every half year (two queries, whatever the number of links).

    A month or half year is a gap once it is over with nothing recorded; the current one is still due.
    A full inspection is also a visit, so it counts for its month as well.
    """
    today = today or timezone.localdate()
    links = list(active_links(year, committee=committee, region=region))
    if not links:
        return []
    done = defaultdict(lambda: {"months": defaultdict(int), "halves": defaultdict(int), "visits": 0, "full": 0})
    inspections = Inspection.objects.filter(
        is_archived=False,
        visited_on__year=year,
        committee_id__in={link.committee_id for link in links},
        platform_id__in={link.platform_id for link in links},
    ).values_list("committee_id", "platform_id", "kind", "visited_on")
    for committee_id, platform_id, kind, visited_on in inspections:
        tally = done[(committee_id, platform_id)]
        tally["months"][visited_on.month] += 1
        if kind == InspectionKind.FULL_INSPECTION:
            tally["halves"][1 if visited_on.month <= 6 else 2] += 1
            tally["full"] += 1
        else:
            tally["visits"] += 1
    rows = []
    for link in links:
        tally = done[(link.committee_id, link.platform_id)]
        months = []
        for month in range(1, 13):
            first, last = _month_bounds(year, month)
            count = tally["months"][month]
            months.append(PeriodCell(month, _state(link, first, last, count, today), count))
        halves = []
        for half, (first, last) in enumerate(
            ((date(year, 1, 1), date(year, 6, 30)), (date(year, 7, 1), date(year, 12, 31))), 1
        ):
            count = tally["halves"][half]
            halves.append(PeriodCell(half, _state(link, first, last, count, today), count))
        rows.append(ScheduleRow(link, months, halves, tally["visits"], tally["full"]))
    return rows
