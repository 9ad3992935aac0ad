"""Reads of the points stage: every point is computed from the records, never stored.

Each activity (``PointKind``) has one source of records that earn it, the member each record belongs
to and the day it counts for. The ledger lists one member's records line by line; the ranking counts
everybody's with one grouped query per activity. Both apply the rule in force and its yearly cap the
same way (records in date order until the cap is reached), so a member's ledger total always equals
their ranking total. Archived or cancelled records, excluded or rejected recommendations and returned
assignments earn nothing. Attending and speaking count at sessions held (``consultations.selectors``:
the session opened, neither cancelled nor archived), for the day the session opened.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.consultations.models import Consultation, Participant, Research, Statement
from shangliang.consultations.selectors import HELD_AT, held_in
from shangliang.consultations.states import ConsultationStatus
from shangliang.core.dates import is_year_in_range
from shangliang.events.selectors import spoken_in_year
from shangliang.orgs.models import Member, MemberAssignment, Region
from shangliang.outcomes.models import Assignment, OutcomeReport
from shangliang.outcomes.states import AssignmentStatus, ReportKind, ReportStatus
from shangliang.points.models import PointRule
from shangliang.points.states import PointKind
from shangliang.topics.models import Submission
from shangliang.topics.states import Source, SubmissionStatus, TopicStatus

ZERO = Decimal("0")
# An assignment still held by a unit or finished; a returned one was handed out wrongly.
LIVE_ASSIGNMENT = [status for status in AssignmentStatus.values if status != AssignmentStatus.RETURNED]


def rules_in_force() -> dict[str, PointRule]:
    """The active, unarchived rule of each activity, in the order of ``PointKind`` (one query)."""
    rules = {rule.kind: rule for rule in PointRule.objects.filter(is_active=True, is_archived=False)}
    return {kind: rules[kind] for kind in PointKind.values if kind in rules}


def capped(count: int, rule: PointRule) -> Decimal:
    """Points for ``count`` occurrences in one year under ``rule``."""
    earned = rule.points * count
    if rule.yearly_cap is not None:
        earned = min(earned, rule.yearly_cap)
    return earned


# --- the records behind each activity --------------------------------------------------------


def _as_participant(member: Member, prefix: str = "") -> Q:
    """Participant rows of ``member``: invited as the member, or on the member's own account."""
    q = Q(**{f"{prefix}member": member})
    if member.user_id:
        q |= Q(**{f"{prefix}user_id": member.user_id})
    return q


def _attendances(year: int) -> QuerySet[Participant]:
    """Sign-in records at the sessions held in ``year`` (``consultations.selectors.held_in``): a time
    and the way it was recorded (staff, own link, account, SMS code; ``Participant.signed_in_via``)."""
    return Participant.objects.filter(consultation__in=held_in(year), signed_in_at__isnull=False).exclude(
        signed_in_via=""
    )


def _statements(year: int) -> QuerySet[Statement]:
    return Statement.objects.filter(consultation__in=held_in(year))


def _research(year: int) -> QuerySet[Research]:
    """Research records of ``year`` for consultations neither cancelled nor archived."""
    return Research.objects.filter(researched_on__year=year, consultation__is_archived=False).exclude(
        consultation__status=ConsultationStatus.CANCELLED
    )


def _signed_reports(year: int) -> QuerySet[OutcomeReport]:
    """Proposals and bulletins sent in ``year`` (a draft earns nothing), not archived."""
    return OutcomeReport.objects.filter(
        kind__in=[ReportKind.PROPOSAL, ReportKind.OPINION_BULLETIN],
        status__in=[ReportStatus.SENT, ReportStatus.REPLIED],
        sent_at__year=year,
        is_archived=False,
    )


def _recommendations() -> QuerySet[Submission]:
    return Submission.objects.filter(source=Source.MEMBER, member__isnull=False, is_archived=False)


def _approved_recommendations(year: int) -> QuerySet[Submission]:
    return _recommendations().filter(
        topic__status=TopicStatus.APPROVED, topic__is_archived=False, topic__approved_at__year=year
    )


# A resident's problem a member logged (委员收集群众诉求) counts once the station accepted it (受理): it moved past
# screening and was not excluded; the day it counts for is when it was accepted (or settled, or merged).
LOGGED_RECEIVED = [
    SubmissionStatus.ACCEPTED,
    SubmissionStatus.DRAFTED,
    SubmissionStatus.MERGED,
    SubmissionStatus.SETTLED,
]


def _logged_problems(year: int) -> QuerySet[Submission]:
    """Submissions members logged for residents (``via_member`` with the member's own account as
    ``recorded_by``), accepted in ``year``; a resident's own sending from the member's page earns nothing."""
    return (
        Submission.objects.filter(
            via_member__isnull=False,
            via_member__user__isnull=False,
            recorded_by=F("via_member__user"),
            status__in=LOGGED_RECEIVED,
            is_archived=False,
        )
        .alias(received_at=Coalesce("accepted_at", "settled_at", "merged_at", "drafted_at"))
        .filter(received_at__year=year)
    )


def _assigned_filter(year: int, prefix: str = "") -> dict:
    return {
        f"{prefix}is_archived": False,
        f"{prefix}status__in": LIVE_ASSIGNMENT,
        f"{prefix}assigned_at__year": year,
        f"{prefix}suggestion__consultation__is_archived": False,
    }


# What decides who may open a record's staff page (``points.permissions.link_evidence``): a
# consultation (its pages, and its reports'), an assignment or a topic.
SCOPE_CONSULTATION, SCOPE_ASSIGNMENT, SCOPE_TOPIC = "consultation", "assignment", "topic"
SCOPE_SUBMISSION = "submission"
SCOPE_EVENT = "event"  # a briefing, lecture or training (``events.permissions.events_visible_to``)


@dataclass(frozen=True)
class Occurrence:
    """One record that earns points: the day it counts for, what it is, its staff page, its public
    page ("" when the record is not public), and what its staff page's access follows (``scope``).
    ``pk`` names the record among the member's records of one activity; ``source`` is the record."""

    on: date
    record: str
    url: str
    pk: int = 0
    public_url: str = ""
    scope: tuple[str, int] = ("", 0)
    source: object = field(default=None, compare=False, repr=False)


def _consultation_public_url(consultation) -> str:
    """The consultation's public page when residents may open it: the states
    ``consultations.selectors.public_consultations`` shows (notified on, not archived)."""
    if consultation.is_archived or consultation.status in (ConsultationStatus.PLANNED, ConsultationStatus.CANCELLED):
        return ""
    return reverse("consultations:public_page", args=[consultation.pk])


def _result_public_url(consultation) -> str:
    """The consultation's public results when published: concluded and not archived, as
    ``outcomes.selectors.board_consultations`` lists them."""
    if consultation.is_archived or consultation.status != ConsultationStatus.CONCLUDED:
        return ""
    return reverse("outcomes_public:result", args=[consultation.pk])


def _topic_public_url(topic) -> str:
    """The topic's page in the public pool (``topics.selectors.pool_topic_get``): approved, not archived."""
    if topic.is_archived or topic.status != TopicStatus.APPROVED:
        return ""
    return reverse("topics:pool_topic", args=[topic.pk])


def _local_day(moment) -> date:
    return timezone.localtime(moment).date()


def _session_occurrences(rows, consultation_of) -> list[Occurrence]:
    """One occurrence per session, however many rows (sign-ins, statements) the member has in it."""
    seen, found = set(), []
    for row in rows:
        consultation = consultation_of(row)
        if consultation.pk in seen:
            continue
        seen.add(consultation.pk)
        found.append(
            Occurrence(
                on=_local_day(getattr(consultation, HELD_AT)),
                record=consultation.topic.title,
                url=reverse("consultations:detail", args=[consultation.pk]),
                pk=consultation.pk,
                public_url=_consultation_public_url(consultation),
                scope=(SCOPE_CONSULTATION, consultation.pk),
                source=consultation,
            )
        )
    return found


def occurrences(kind: str, member: Member, year: int) -> list[Occurrence]:
    """The records of one member that earn ``kind`` in ``year``, oldest first (one query)."""
    if kind == PointKind.SESSION_ATTENDED:
        rows = (
            _attendances(year)
            .filter(_as_participant(member))
            .select_related("consultation__topic", "consultation__platform")
            .order_by(f"consultation__{HELD_AT}", "consultation_id")
        )
        return _session_occurrences(rows, lambda p: p.consultation)
    if kind == PointKind.SESSION_SPOKE:
        rows = (
            _statements(year)
            .filter(_as_participant(member, "participant__"))
            .select_related("consultation__topic", "consultation__platform")
            .order_by(f"consultation__{HELD_AT}", "consultation_id")
        )
        return _session_occurrences(rows, lambda s: s.consultation)
    if kind == PointKind.RESEARCH:
        rows = (
            _research(year)
            .filter(members=member)
            .select_related("consultation__topic", "consultation__platform")
            .order_by("researched_on", "pk")
        )
        return [
            Occurrence(
                r.researched_on,
                _("%(topic)s（%(place)s）") % {"topic": r.consultation.topic.title, "place": r.place},
                reverse("consultations:detail", args=[r.consultation_id]),
                pk=r.pk,
                public_url=_consultation_public_url(r.consultation),
                scope=(SCOPE_CONSULTATION, r.consultation_id),
                source=r,
            )
            for r in rows
        ]
    if kind == PointKind.SUGGESTION_ADOPTED:
        rows = (
            Assignment.objects.filter(**_assigned_filter(year), suggestion__proposed_by=member)
            .select_related(*ASSIGNMENT_RELATED)
            .order_by("assigned_at", "pk")
        )
        return [_assignment_occurrence(a) for a in rows]
    if kind == PointKind.REPORT_SENT:
        rows = _signed_reports(year).filter(members=member).order_by("sent_at", "pk")
        # Reports go to the CPPCC, never to the public: a member opens their own record of it.
        return [
            Occurrence(
                _local_day(r.sent_at),
                _("%(kind)s：%(title)s") % {"kind": r.get_kind_display(), "title": r.title},
                reverse("outcomes:report", args=[r.pk]),
                pk=r.pk,
                scope=(SCOPE_CONSULTATION, r.consultation_id),
                source=r,
            )
            for r in rows
        ]
    if kind == PointKind.RECOMMENDATION_APPROVED:
        rows = (
            _approved_recommendations(year)
            .filter(member=member)
            .select_related("topic")
            .order_by("topic__approved_at", "topic_id")
        )
        seen, found = set(), []
        for submission in rows:
            if submission.topic_id not in seen:
                seen.add(submission.topic_id)
                topic = submission.topic
                found.append(
                    Occurrence(
                        _local_day(topic.approved_at),
                        topic.title,
                        reverse("topics:topic_detail", args=[topic.pk]),
                        pk=topic.pk,
                        public_url=_topic_public_url(topic),
                        scope=(SCOPE_TOPIC, topic.pk),
                        source=topic,
                    )
                )
        return found
    if kind == PointKind.RECOMMENDATION_ASSIGNED:
        topics = _recommendations().filter(member=member, topic__isnull=False).values("topic_id")
        rows = (
            Assignment.objects.filter(**_assigned_filter(year), suggestion__consultation__topic__in=topics)
            .select_related(*ASSIGNMENT_RELATED)
            .order_by("assigned_at", "pk")
        )
        return [_assignment_occurrence(a) for a in rows]
    if kind == PointKind.PROBLEM_LOGGED:
        rows = _logged_problems(year).filter(via_member=member).annotate(day=F("received_at")).order_by("day", "pk")
        # The resident's matter stays with the station: the member opens the staff page only if their role allows.
        return [
            Occurrence(
                _local_day(s.day),
                s.title,
                reverse("topics:submission_detail", args=[s.pk]),
                pk=s.pk,
                scope=(SCOPE_SUBMISSION, s.pk),
                source=s,
            )
            for s in rows
        ]
    if kind == PointKind.EVENT_SPOKE:
        # One occurrence per held event the member spoke at (``events.selectors.spoken_in_year``).
        rows = spoken_in_year(year).filter(speaker_member=member).select_related("platform").order_by("starts_at", "pk")
        return [
            Occurrence(
                _local_day(e.starts_at),
                _("%(kind)s：%(title)s") % {"kind": e.get_kind_display(), "title": e.title},
                reverse("events:detail", args=[e.pk]),
                pk=e.pk,
                public_url=reverse("events:public_detail", args=[e.pk]),
                scope=(SCOPE_EVENT, e.pk),
                source=e,
            )
            for e in rows
        ]
    raise ValueError(kind)


ASSIGNMENT_RELATED = ("suggestion__consultation__topic", "lead_unit")


def _assignment_occurrence(assignment: Assignment) -> Occurrence:
    return Occurrence(
        _local_day(assignment.assigned_at),
        _("%(suggestion)s（交%(unit)s办理）")
        % {"suggestion": assignment.suggestion.text[:60], "unit": assignment.lead_unit.name},
        reverse("outcomes:assignment", args=[assignment.pk]),
        pk=assignment.pk,
        public_url=_result_public_url(assignment.suggestion.consultation),
        scope=(SCOPE_ASSIGNMENT, assignment.pk),
        source=assignment,
    )


def _per_member(rows: QuerySet, member, counted: str) -> QuerySet:
    """``rows`` grouped by ``member`` (an expression): how many distinct ``counted`` each member has."""
    return rows.order_by().values(member_key=member).annotate(n=Count(counted, distinct=True))


def counts(kind: str, year: int, member_ids: QuerySet | Iterable[int]) -> dict[int, int]:
    """How many records earn ``kind`` in ``year`` for each of ``member_ids`` (one grouped query)."""
    if kind == PointKind.SESSION_ATTENDED:
        rows = _attendances(year).alias(person=Coalesce("member", "user__member")).filter(person__in=member_ids)
        rows = _per_member(rows, F("person"), "consultation")
    elif kind == PointKind.SESSION_SPOKE:
        speaker = Coalesce("participant__member", "participant__user__member")
        rows = _statements(year).alias(person=speaker).filter(person__in=member_ids)
        rows = _per_member(rows, F("person"), "consultation")
    elif kind == PointKind.RESEARCH:
        rows = _per_member(_research(year).filter(members__in=member_ids), F("members"), "pk")
    elif kind == PointKind.SUGGESTION_ADOPTED:
        rows = Assignment.objects.filter(**_assigned_filter(year), suggestion__proposed_by__in=member_ids)
        rows = _per_member(rows, F("suggestion__proposed_by"), "pk")
    elif kind == PointKind.REPORT_SENT:
        rows = _per_member(_signed_reports(year).filter(members__in=member_ids), F("members"), "pk")
    elif kind == PointKind.RECOMMENDATION_APPROVED:
        rows = _per_member(_approved_recommendations(year).filter(member__in=member_ids), F("member"), "topic")
    elif kind == PointKind.RECOMMENDATION_ASSIGNED:
        # One filter() call, so the conditions hold for the same assignment row.
        assigned = _assigned_filter(year, "topic__consultations__suggestions__assignments__")
        rows = _recommendations().filter(member__in=member_ids, **assigned)
        rows = _per_member(rows, F("member"), "topic__consultations__suggestions__assignments")
    elif kind == PointKind.PROBLEM_LOGGED:
        rows = _per_member(_logged_problems(year).filter(via_member__in=member_ids), F("via_member"), "pk")
    elif kind == PointKind.EVENT_SPOKE:
        rows = _per_member(spoken_in_year(year).filter(speaker_member__in=member_ids), F("speaker_member"), "pk")
    else:
        raise ValueError(kind)
    return {row["member_key"]: row["n"] for row in rows}


# --- one member's ledger -------------------------------------------------------------------------


@dataclass
class LedgerLine:
    """One record on a member's ledger. ``url`` is the record's staff page, ``public_url`` its public
    page ("" when not public), ``entry_url`` the member's own view of the line; ``link`` is the one
    the viewing user may open, chosen by ``points.permissions.link_evidence``."""

    on: date
    kind: str
    kind_label: str
    record: str
    url: str
    points: Decimal
    note: str = ""
    pk: int = 0
    public_url: str = ""
    entry_url: str = ""
    scope: tuple[str, int] = ("", 0)
    link: str = ""
    source: object = field(default=None, compare=False, repr=False)


@dataclass
class KindTotal:
    kind: str
    label: str
    rule: PointRule
    count: int = 0
    points: Decimal = ZERO

    @property
    def is_capped(self) -> bool:
        return self.rule.yearly_cap is not None and self.points >= self.rule.yearly_cap and self.count > 0


@dataclass
class Ledger:
    member: Member
    year: int
    lines: list[LedgerLine] = field(default_factory=list)
    totals: list[KindTotal] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((t.points for t in self.totals), ZERO)


def ledger(member: Member, year: int) -> Ledger:
    """A member's points in ``year``: one line per record (oldest first) and the totals per activity.

    A line the yearly cap cut (in part or whole) says so. One query for the rules and one per
    activity that has a rule in force.
    """
    result = Ledger(member=member, year=year)
    for kind, rule in rules_in_force().items():
        total = KindTotal(kind=kind, label=PointKind(kind).label, rule=rule)
        for occurrence in occurrences(kind, member, year):
            granted = rule.points
            if rule.yearly_cap is not None:
                granted = max(ZERO, min(granted, rule.yearly_cap - total.points))
            note = _("已达年度上限") if granted < rule.points else ""
            result.lines.append(
                LedgerLine(
                    occurrence.on,
                    kind,
                    total.label,
                    occurrence.record,
                    occurrence.url,
                    granted,
                    note,
                    pk=occurrence.pk,
                    public_url=occurrence.public_url,
                    entry_url=reverse("points:entry", args=[member.pk, year, kind, occurrence.pk]),
                    scope=occurrence.scope,
                    source=occurrence.source,
                )
            )
            total.count += 1
            total.points += granted
        result.totals.append(total)
    order = {kind: index for index, kind in enumerate(PointKind.values)}
    result.lines.sort(key=lambda line: (line.on, order[line.kind]))
    return result


def ledger_line(member: Member, year: int, kind: str, pk: int) -> LedgerLine | None:
    """The line of ``member``'s ledger for ``year`` that record ``pk`` earns under ``kind``; None when
    that record earns the member nothing that year (so another member's record is never found)."""
    if kind not in PointKind.values or not is_year_in_range(year):
        return None
    for line in ledger(member, year).lines:
        if line.kind == kind and line.pk == pk:
            return line
    return None


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _consultation_facts(consultation) -> list[tuple[str, str]]:
    return [
        (_("议题"), consultation.topic.title),
        (_label(Consultation, "platform"), consultation.platform.name),
        (_label(Consultation, "starts_at"), _moment(consultation.starts_at)),
        (_label(Consultation, "place"), consultation.place),
        (_label(Consultation, "status"), consultation.get_status_display()),
    ]


def entry_facts(line: LedgerLine, member: Member) -> list[tuple[str, str]]:
    """What the record behind a ledger line says, as (label, value) pairs for the member's own view.

    Only what the member took part in and may know: no names or numbers of other people. One query
    for a session spoken at (the member's own statements), none otherwise.
    """
    record = line.source
    if line.kind == PointKind.SESSION_ATTENDED:
        return _consultation_facts(record)
    if line.kind == PointKind.SESSION_SPOKE:
        said = (
            Statement.objects.filter(consultation=record)
            .filter(_as_participant(member, "participant__"))
            .order_by("pk")
            .values_list("text", flat=True)
        )
        return [*_consultation_facts(record), *((_("本人发言"), text) for text in said)]
    if line.kind == PointKind.RESEARCH:
        return [
            (_("议题"), record.consultation.topic.title),
            (_label(Research, "researched_on"), record.researched_on.isoformat()),
            (_label(Research, "place"), record.place),
        ]
    if line.kind in (PointKind.SUGGESTION_ADOPTED, PointKind.RECOMMENDATION_ASSIGNED):
        return [
            (_label(Assignment, "suggestion"), record.suggestion.text),
            (_("议题"), record.suggestion.consultation.topic.title),
            (_label(Assignment, "lead_unit"), record.lead_unit.name),
            (_label(Assignment, "assigned_at"), _moment(record.assigned_at)),
            (_label(Assignment, "deadline"), record.deadline.isoformat()),
            (_label(Assignment, "status"), record.get_status_display()),
        ]
    if line.kind == PointKind.REPORT_SENT:
        return [
            (_label(OutcomeReport, "kind"), record.get_kind_display()),
            (_label(OutcomeReport, "title"), record.title),
            (_label(OutcomeReport, "recipient"), record.recipient),
            (_label(OutcomeReport, "sent_at"), _moment(record.sent_at)),
            (_label(OutcomeReport, "status"), record.get_status_display()),
        ]
    if line.kind == PointKind.RECOMMENDATION_APPROVED:
        return [(_("议题"), record.title), (_("审定时间"), _moment(record.approved_at))]
    if line.kind == PointKind.PROBLEM_LOGGED:
        return [
            (_label(Submission, "title"), record.title),
            (_label(Submission, "status"), record.get_status_display()),
            (_label(Submission, "tracking_code"), record.tracking_code),
        ]
    if line.kind == PointKind.EVENT_SPOKE:
        return [
            (_("活动"), record.title),
            (_("类型"), record.get_kind_display()),
            (_("时间"), _moment(record.starts_at)),
            (_("举办平台"), record.platform.name),
        ]
    raise ValueError(line.kind)


# --- the annual ranking -----------------------------------------------------------------------------


@dataclass
class RankingRow:
    rank: int
    member: Member
    by_kind: list[Decimal]
    total: Decimal


@dataclass
class Ranking:
    year: int
    kinds: list[tuple[str, str]]
    rows: list[RankingRow]


def members_in_region(members: QuerySet[Member], region: Region) -> QuerySet[Member]:
    """Members with an open assignment to a platform in ``region`` (or below), or living there."""
    assigned = MemberAssignment.objects.filter(platform__region__path__startswith=region.path, ended_on__isnull=True)
    return members.filter(Q(pk__in=assigned.values("member_id")) | Q(home_region__path__startswith=region.path))


def ranking(year: int, region: Region | None = None, members: QuerySet[Member] | None = None) -> Ranking:
    """Members ordered by their points in ``year`` (ties share a rank), with the points per activity.

    ``members`` limits the list (pass ``members_visible_to(user)``); ``region`` keeps those assigned
    or living there. The number of queries does not depend on the number of members: one for the
    rules, one per activity with a rule in force, one for the members.
    """
    members = Member.objects.filter(is_archived=False) if members is None else members.filter(is_archived=False)
    if region is not None:
        members = members_in_region(members, region)
    rules = rules_in_force()
    member_ids = members.values("pk")
    counted = {kind: counts(kind, year, member_ids) for kind in rules}
    rows = []
    for member in members.select_related("sector").order_by("name", "pk"):
        by_kind = [capped(counted[kind].get(member.pk, 0), rule) for kind, rule in rules.items()]
        rows.append(RankingRow(rank=0, member=member, by_kind=by_kind, total=sum(by_kind, ZERO)))
    rows.sort(key=lambda row: -row.total)
    for index, row in enumerate(rows):
        row.rank = rows[index - 1].rank if index and row.total == rows[index - 1].total else index + 1
    return Ranking(year=year, kinds=[(kind, PointKind(kind).label) for kind in rules], rows=rows)
