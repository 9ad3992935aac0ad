"""Reads of briefings, lectures and training, and their figures, defined once.

- **Events held** (开展宣讲培训): events with status 已举办, not archived, whose start lies in the period.
- **Attendance** (参加人次) of an event: its sign-ins not withdrawn (by QR or added by the staff) plus the
  headcount of people present without signing in (现场人数); of a set of events, the sum over them.

The dashboard, the public pages and the members' points all call these; none of it touches the
consultations' figures.
"""

import datetime
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from shangliang.events.models import Event, EventMaterial, EventPhoto, EventQuestion, EventSignIn
from shangliang.events.states import EventKind, EventStatus, QuestionStatus
from shangliang.orgs.models import Member

ACTIVE_SIGN_INS = Q(withdrawn_at__isnull=True)


def _local_midnight(day: date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def held_between(since: datetime.datetime, until: datetime.datetime) -> QuerySet[Event]:
    """The events held (status 已举办, not archived) that started from ``since`` up to before ``until``."""
    return Event.objects.filter(status=EventStatus.HELD, is_archived=False, starts_at__gte=since, starts_at__lt=until)


def held_in_year(year: int) -> QuerySet[Event]:
    return held_between(_local_midnight(date(year, 1, 1)), _local_midnight(date(year + 1, 1, 1)))


def _signed_count() -> Subquery:
    rows = (
        EventSignIn.objects.filter(ACTIVE_SIGN_INS, event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def with_attendance(events: QuerySet[Event]) -> QuerySet[Event]:
    """``events`` with ``signed`` (sign-ins not withdrawn) and ``attendance`` (signed + headcount) on each row."""
    return events.annotate(signed=_signed_count()).annotate(attendance=Coalesce("headcount", Value(0)) + F("signed"))


@dataclass
class EventFigures:
    held: int = 0
    attendance: int = 0
    signed: int = 0
    headcount: int = 0
    # (kind, label, events held, attendance), in the order of ``EventKind``
    by_kind: list[tuple[str, str, int, int]] = field(default_factory=list)


def event_figures(events: QuerySet[Event]) -> EventFigures:
    """The figures of a set of held events (``held_between`` narrowed to a place): three queries."""
    totals = events.aggregate(held=Count("pk"), headcount=Sum(Coalesce("headcount", Value(0))))
    signed = EventSignIn.objects.filter(ACTIVE_SIGN_INS, event__in=events).count()
    rows = with_attendance(events).order_by().values("kind").annotate(n=Count("pk"), people=Sum("attendance"))
    per_kind = {row["kind"]: (row["n"], row["people"] or 0) for row in rows}
    headcount = totals["headcount"] or 0
    return EventFigures(
        held=totals["held"],
        attendance=signed + headcount,
        signed=signed,
        headcount=headcount,
        by_kind=[(kind, label, *per_kind.get(kind, (0, 0))) for kind, label in EventKind.choices],
    )


def attendance_of(event: Event) -> int:
    """One event's attendance (one query)."""
    signed = event.sign_ins.filter(ACTIVE_SIGN_INS).count()
    return signed + (event.headcount or 0)


# --- members who spoke (points; the member's page) ----------------------------------------------


def spoken_in_year(year: int) -> QuerySet[Event]:
    """Held events of ``year`` with a member among the speakers: each earns that member 宣讲授课 once."""
    return held_in_year(year).filter(speaker_member__isnull=False)


def events_spoken_by(member: Member, year: int) -> QuerySet[Event]:
    """The held events of ``year`` where ``member`` spoke, oldest first (for the member's page and the points)."""
    return (
        spoken_in_year(year)
        .filter(speaker_member=member)
        .select_related("platform", "speaker_unit", "speaker_member")
        .order_by("starts_at", "pk")
    )


# --- public pages -------------------------------------------------------------------------------


def public_events() -> QuerySet[Event]:
    """Every event not archived (planned, held or cancelled): the public list and detail."""
    return Event.objects.filter(is_archived=False)


def _public_related(qs: QuerySet[Event]) -> QuerySet[Event]:
    """The joins the public list shows: platform, speakers, attendance, answered questions, photos."""
    return (
        with_attendance(qs)
        .select_related("platform", "speaker_unit", "speaker_member")
        .annotate(answered=Count("questions", filter=Q(questions__status=QuestionStatus.PUBLISHED), distinct=True))
        .prefetch_related(
            Prefetch("photos", queryset=EventPhoto.objects.filter(is_archived=False), to_attr="shown_photos")
        )
    )


def upcoming_public(now=None) -> QuerySet[Event]:
    """Planned (or since cancelled) events that have not ended yet, soonest first."""
    now = now or timezone.now()
    qs = public_events().filter(status__in=[EventStatus.PLANNED, EventStatus.CANCELLED], ends_at__gte=now)
    return _public_related(qs).order_by("starts_at", "pk")


def past_public(kind: str = "") -> QuerySet[Event]:
    """Held events, latest first, optionally of one kind."""
    qs = public_events().filter(status=EventStatus.HELD)
    if kind:
        qs = qs.filter(kind=kind)
    return _public_related(qs).order_by("-starts_at", "-pk")


def public_questions(event: Event) -> QuerySet[EventQuestion]:
    return event.questions.filter(status=QuestionStatus.PUBLISHED).order_by("asked_at", "pk")


def shown_photos(event: Event) -> QuerySet[EventPhoto]:
    return event.photos.filter(is_archived=False).order_by("pk")


def shown_materials(event: Event) -> QuerySet[EventMaterial]:
    return event.materials.filter(is_archived=False).order_by("pk")


# --- staff --------------------------------------------------------------------------------------


def staff_list(events: QuerySet[Event]) -> QuerySet[Event]:
    """The staff list's rows: attendance and questions waiting, in one query."""
    return (
        with_attendance(events)
        .select_related("platform__region", "speaker_unit", "speaker_member")
        .annotate(waiting=Count("questions", filter=Q(questions__status=QuestionStatus.PENDING), distinct=True))
        .order_by("-starts_at", "-pk")
    )


def sign_in_of(event: Event, *, mobile: str = "", user=None) -> EventSignIn | None:
    """The sign-in (not withdrawn) of this mobile number or account at ``event``."""
    q = Q()
    if mobile:
        q |= Q(mobile=mobile)
    if user is not None and getattr(user, "is_authenticated", False):
        q |= Q(user=user)
    if not q:
        return None
    return event.sign_ins.filter(ACTIVE_SIGN_INS).filter(q).first()


def to_record(events: QuerySet[Event], now=None) -> QuerySet[Event]:
    """Planned events already over: the organiser should record them as held or cancelled."""
    return events.filter(status=EventStatus.PLANNED, ends_at__lt=now or timezone.now())


def coming_this_week(events: QuerySet[Event], now=None) -> QuerySet[Event]:
    """Planned events from now to seven days ahead (today's included while not over)."""
    now = now or timezone.now()
    return events.filter(status=EventStatus.PLANNED, ends_at__gte=now, starts_at__lt=now + datetime.timedelta(days=7))


def questions_waiting(events: QuerySet[Event]) -> QuerySet[EventQuestion]:
    return EventQuestion.objects.filter(event__in=events, status=QuestionStatus.PENDING)
