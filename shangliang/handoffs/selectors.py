"""Reading hand-offs: the lists, the overdue flag, what other apps' pages show, and the figures.

Figures (one definition each; docs/figures.md § 转交其他渠道):
    Hand-offs: live hand-offs (not withdrawn), by the day they were handed, per channel.
    Answered share (答复率) = answered / live hand-offs; awaiting an answer (待答复) = live − answered.
    Awaiting an answer past the period: handed, not answered, handed more than
        ``SHANGLIANG_HANDOFF_ANSWER_DAYS`` days ago.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.utils import timezone

from shangliang.core.workdays import deadline_at
from shangliang.handoffs.models import Handoff
from shangliang.handoffs.states import LIVE_STATUSES, Channel, HandoffStatus
from shangliang.topics import elsewhere

LIVE_Q = Q(status__in=LIVE_STATUSES)


def live() -> QuerySet[Handoff]:
    return Handoff.objects.filter(LIVE_Q)


def overdue_before(today: datetime.date | None = None) -> datetime.datetime:
    """Hand-offs handed before this moment and still unanswered are past the answer period."""
    today = today or timezone.localdate()
    start = datetime.datetime.combine(today, datetime.time.min)
    return deadline_at("handoff_answer", timezone.make_aware(start), -settings.SHANGLIANG_HANDOFF_ANSWER_DAYS)


def overdue_q(today: datetime.date | None = None) -> Q:
    return Q(status=HandoffStatus.HANDED, handed_at__lt=overdue_before(today))


def is_overdue(handoff: Handoff, today: datetime.date | None = None) -> bool:
    return handoff.status == HandoffStatus.HANDED and handoff.handed_at < overdue_before(today)


@dataclass
class ListFilters:
    channel: str = ""
    status: str = ""
    overdue: bool = False


def handoff_list(qs: QuerySet[Handoff], filters: ListFilters, today: datetime.date | None = None) -> QuerySet[Handoff]:
    """The list page's rows: filtered, with what a row shows (a constant number of queries)."""
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = qs.filter(overdue_q(today))
    return qs.select_related(
        "unit", "region", "handed_by", "submission", "topic", "suggestion__consultation__topic"
    ).order_by("-handed_at", "-pk")


def awaiting_answer(user_handoffs: QuerySet[Handoff], today: datetime.date | None = None) -> QuerySet[Handoff]:
    """Unanswered past the period: the home page's reminder of whoever handed them."""
    return user_handoffs.filter(overdue_q(today)).order_by("handed_at", "pk")


def handoffs_of(subject) -> list[Handoff]:
    """Every hand-off of a submission, topic or suggestion (withdrawn ones too), newest first."""
    field = type(subject).__name__.lower()
    return list(
        Handoff.objects.filter(**{field: subject})
        .select_related("unit", "handed_by", "answer_recorded_by")
        .order_by("-handed_at", "-pk")
    )


# --- what the lower apps ask (registered with topics.elsewhere in apps.py) ----------------------------


def _live_of(kind: str) -> QuerySet[Handoff]:
    if kind not in elsewhere.KINDS:
        raise LookupError(kind)
    return live().filter(**{f"{kind}__isnull": False})


def live_ids(kind: str) -> QuerySet:
    return _live_of(kind).values(f"{kind}_id")


def live_lookup(kind: str, pks: Iterable[int]) -> dict[int, elsewhere.HandedOff]:
    rows = _live_of(kind).filter(**{f"{kind}_id__in": list(pks)}).select_related("unit")
    return {
        getattr(row, f"{kind}_id"): elsewhere.HandedOff(
            channel=row.get_channel_display(),
            to=row.to_whom,
            at=row.handed_at,
            reason=row.reason,
            answer=row.answer,
            answered_at=row.answered_at,
            pk=row.pk,
        )
        for row in rows
    }


def channel_label_expression():
    """The channel in words, computed by the database (for annotations)."""
    return Case(
        *[When(channel=value, then=Value(str(label))) for value, label in Channel.choices],
        output_field=CharField(),
    )


def live_label(kind: str, outer: str = "pk"):
    rows = _live_of(kind).filter(**{kind: OuterRef(outer)}).annotate(label=channel_label_expression())
    return Subquery(rows.values("label")[:1], output_field=CharField())


def live_annotations(kind: str, outer: str = "pk") -> dict:
    """The fields of ``elsewhere.HandedOff`` as correlated subqueries: no query of their own."""
    rows = (
        _live_of(kind)
        .filter(**{kind: OuterRef(outer)})
        .annotate(
            label=channel_label_expression(),
            to=Case(When(unit__isnull=False, then=F("unit__name")), default=F("recipient"), output_field=CharField()),
        )
    )

    def column(name, field):
        return Subquery(rows.values(name)[:1], output_field=field)

    return {
        "handoff_pk": column("pk", BigIntegerField()),
        "handoff_channel": column("label", CharField()),
        "handoff_to": column("to", CharField()),
        "handoff_at": column("handed_at", DateTimeField()),
        "handoff_reason": column("reason", TextField()),
        "handoff_answer": column("answer", TextField()),
        "handoff_answered_at": column("answered_at", DateTimeField()),
    }


REGISTRATION = elsewhere.Registration(ids=live_ids, lookup=live_lookup, label=live_label, annotations=live_annotations)


# --- figures --------------------------------------------------------------------------------------


@dataclass
class ChannelCount:
    channel: str
    label: str
    handed: int
    answered: int

    @property
    def awaiting(self) -> int:
        return self.handed - self.answered

    @property
    def answered_share(self) -> float | None:
        return self.answered / self.handed if self.handed else None


@dataclass
class HandoffFigures:
    by_channel: list[ChannelCount]
    overdue: int

    @property
    def handed(self) -> int:
        return sum(row.handed for row in self.by_channel)

    @property
    def answered(self) -> int:
        return sum(row.answered for row in self.by_channel)

    @property
    def awaiting(self) -> int:
        """Live hand-offs still without an answer (已转交，待答复)."""
        return self.handed - self.answered

    @property
    def answered_share(self) -> float | None:
        """Answered over live hand-offs (None before any)."""
        return self.answered / self.handed if self.handed else None


def handoff_figures(
    qs: QuerySet[Handoff], *, year: int | None = None, today: datetime.date | None = None
) -> HandoffFigures:
    """Hand-offs by channel and the answered share, of ``qs`` (a scope), handed in ``year`` when given: two queries."""
    qs = qs.filter(LIVE_Q)
    if year is not None:
        qs = qs.filter(handed_at__year=year)
    rows = {
        row["channel"]: row
        for row in qs.order_by()
        .values("channel")
        .annotate(handed=Count("pk"), answered=Count("pk", filter=Q(status=HandoffStatus.ANSWERED)))
    }
    overdue = qs.filter(overdue_q(today)).count()
    by_channel = [
        ChannelCount(value, str(label), rows.get(value, {}).get("handed", 0), rows.get(value, {}).get("answered", 0))
        for value, label in Channel.choices
    ]
    return HandoffFigures(by_channel, overdue)


# --- a scope and a period (the dashboard, the annual report) ---------------------------------------

ANSWER_STATES = {"answered": Q(status=HandoffStatus.ANSWERED), "awaiting": Q(status=HandoffStatus.HANDED)}


def handed_between(since: datetime.datetime, until: datetime.datetime) -> QuerySet[Handoff]:
    """Live hand-offs (not withdrawn) handed from ``since`` up to before ``until``."""
    return live().filter(handed_at__gte=since, handed_at__lt=until)


def of_platform_q(platform) -> Q:
    """Hand-offs of matters brought to ``platform``: its submissions, its topics, its consultations' suggestions."""
    return (
        Q(submission__platform=platform) | Q(topic__platform=platform) | Q(suggestion__consultation__platform=platform)
    )


def narrowed(qs: QuerySet[Handoff], value: str, today: datetime.date | None = None) -> QuerySet[Handoff]:
    """``qs`` narrowed to what a figure counts: ``""`` (all), ``<channel>``, a state (``answered``, ``awaiting``,
    ``overdue``), or both (``hotline:answered``). Raises LookupError for any other value."""
    if not value:
        return qs
    first, _sep, second = value.partition(":")
    if first in Channel.values:
        qs, state = qs.filter(channel=first), second
    elif not second:
        state = first
    else:
        raise LookupError(value)
    if not state:
        return qs
    if state == "overdue":
        return qs.filter(overdue_q(today))
    if state not in ANSWER_STATES:
        raise LookupError(value)
    return qs.filter(ANSWER_STATES[state])
