"""Reads of the outcomes stage. Derived facts (overdue, late reply, publication due) are computed here.

Overdue and "the items of these units" are defined once each (``overdue_q``/``is_overdue``,
``of_units_q``/``assignments_of_units``); every list, count and page of every stage uses them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.consultations import safeguards
from shangliang.consultations.models import Consultation, Suggestion
from shangliang.consultations.states import ConsultationStatus
from shangliang.core.workdays import deadline_on
from shangliang.orgs.models import Platform, Region, Unit
from shangliang.orgs.states import RegionLevel, Role, UnitKind
from shangliang.outcomes.models import Assignment, ExtensionRequest, Measure, OutcomeReport, ProgressUpdate, Reminder
from shangliang.outcomes.states import (
    CLOSED_ASSIGNMENT,
    ESCALATION,
    OPEN_ASSIGNMENT,
    AssignmentStatus,
    ExtensionStatus,
    ReminderKind,
    ReportStatus,
)
from shangliang.topics import elsewhere


def measures_that_count() -> QuerySet[Measure]:
    """Implemented measures (落实成果) that count: not withdrawn, in the order they were implemented."""
    return Measure.objects.filter(withdrawn_at__isnull=True).order_by("implemented_on", "pk")


def due_soon_days() -> int:
    return settings.SHANGLIANG_REMIND_BEFORE_DAYS


# --- overdue, due soon, and the items of a unit: one definition each ----------------------------


def overdue_q(today: date) -> Q:
    """Overdue on ``today``: still owed by the unit (assigned or accepted) and past the deadline."""
    return Q(status__in=OPEN_ASSIGNMENT, deadline__lt=today)


def is_overdue_on(status: str, deadline: date, today: date) -> bool:
    """``overdue_q`` for one item's values, for lists already in memory."""
    return status in OPEN_ASSIGNMENT and deadline < today


def due_soon_q(today: date) -> Q:
    """Due soon on ``today``: still owed and due within the reminder period (today included)."""
    return Q(status__in=OPEN_ASSIGNMENT, deadline__gte=today, deadline__lte=today + timedelta(days=due_soon_days()))


def of_units_q(unit_ids: Iterable[int]) -> Q:
    """Items a unit answers for: led by one of ``unit_ids`` or shared with one of them as a co-unit."""
    unit_ids = list(unit_ids)
    shared = Assignment.objects.filter(co_units__in=unit_ids).values("pk")
    return Q(lead_unit_id__in=unit_ids) | Q(pk__in=shared)


def assignments_of_units(unit_ids: Iterable[int], among: QuerySet[Assignment] | None = None) -> QuerySet[Assignment]:
    """The items of these units (lead or co-unit), among ``among`` (default: every item not archived)."""
    qs = Assignment.objects.filter(is_archived=False) if among is None else among
    return qs.filter(of_units_q(unit_ids))


# --- one assignment ------------------------------------------------------------------------


def is_overdue(assignment: Assignment, today: date | None = None) -> bool:
    return is_overdue_on(assignment.status, assignment.deadline, today or timezone.localdate())


def is_due_soon(assignment: Assignment, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return assignment.status in OPEN_ASSIGNMENT and today <= assignment.deadline <= today + timedelta(due_soon_days())


def days_overdue(assignment: Assignment, today: date | None = None) -> int:
    today = today or timezone.localdate()
    return (today - assignment.deadline).days if is_overdue(assignment, today) else 0


def was_late(assignment: Assignment) -> bool:
    """A finished item that was finished after its (final) deadline."""
    finished = assignment.done_at or assignment.deferred_at
    return bool(finished) and timezone.localtime(finished).date() > assignment.deadline


def with_related(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """The joins every assignment list needs, so templates never query."""
    return qs.select_related(
        "suggestion__consultation__topic__convening_region",
        "suggestion__consultation__platform__region",
        "lead_unit",
        "cppcc_committee",
        "supervisor",
    ).prefetch_related(
        "co_units",
        Prefetch("updates", queryset=ProgressUpdate.objects.select_related("unit").order_by("-reported_on", "-pk")),
        Prefetch(
            "extensions",
            queryset=ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING),
            to_attr="pending_extensions",
        ),
        Prefetch("reminders", queryset=Reminder.objects.order_by("sent_at"), to_attr="reminder_list"),
        # The implemented measures (落实成果) that count, for the lists and the supervision sheet.
        Prefetch("measures", queryset=measures_that_count(), to_attr="live_measures"),
    )


def escalation_of(assignment: Assignment) -> str:
    """The furthest escalation step sent for the current deadline ('' when none)."""
    sent = {r.kind for r in getattr(assignment, "reminder_list", []) if r.deadline == assignment.deadline}
    reached = ""
    for kind in ESCALATION:
        if kind in sent:
            reached = kind
    return reached


def latest_update(assignment: Assignment) -> ProgressUpdate | None:
    updates = list(assignment.updates.all())
    return updates[0] if updates else None


@dataclass
class AssignmentRow:
    """An assignment with the facts a list shows about it, computed once so templates never query."""

    item: Assignment
    is_overdue: bool
    is_due_soon: bool
    days_overdue: int
    was_late: bool
    latest: ProgressUpdate | None
    escalation: str
    show_mobile: bool = False
    can_open: bool = True
    is_co_unit: bool = False
    # False: the responsible person and number are not the viewer's to see; the line names the unit only.
    show_person: bool = True


def assignment_row(assignment: Assignment, today: date, **flags) -> AssignmentRow:
    """The row of an item loaded through ``with_related``; ``flags`` are what the viewer may do with it."""
    escalation = escalation_of(assignment)
    return AssignmentRow(
        item=assignment,
        is_overdue=is_overdue(assignment, today),
        is_due_soon=is_due_soon(assignment, today),
        days_overdue=days_overdue(assignment, today),
        was_late=was_late(assignment),
        latest=latest_update(assignment),
        escalation=ReminderKind(escalation).label if escalation else "",
        **flags,
    )


def reporting_unit(assignment: Assignment, unit_ids: set[int]) -> Unit:
    """The unit a progress update is filed for: the lead unit, or the co-unit among ``unit_ids``."""
    if assignment.lead_unit_id in unit_ids or not unit_ids:
        return assignment.lead_unit
    return next((unit for unit in assignment.co_units.all() if unit.pk in unit_ids), assignment.lead_unit)


# --- lists -----------------------------------------------------------------------------------


def assignments_filtered(
    qs: QuerySet[Assignment],
    *,
    state: str = "",
    platform_id=None,
    unit_id=None,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> QuerySet[Assignment]:
    """Filters of the board and the sheet. ``state``: overdue, due_soon, attention (overdue or due soon), open,
    or a status."""
    today = today or timezone.localdate()
    if state == "overdue":
        qs = qs.filter(overdue_q(today))
    elif state == "due_soon":
        qs = qs.filter(due_soon_q(today))
    elif state == "attention":
        qs = qs.filter(overdue_q(today) | due_soon_q(today))
    elif state == "open":
        qs = qs.filter(status__in=OPEN_ASSIGNMENT)
    elif state in AssignmentStatus.values:
        qs = qs.filter(status=state)
    if platform_id:
        qs = qs.filter(suggestion__consultation__platform_id=platform_id)
    if unit_id:
        qs = qs.filter(of_units_q([unit_id]))
    if start:
        qs = qs.filter(suggestion__consultation__starts_at__date__gte=start)
    if end:
        qs = qs.filter(suggestion__consultation__starts_at__date__lte=end)
    return qs


@dataclass
class BoardRow:
    name: str
    pk: int
    open: int = 0
    overdue: int = 0
    due_soon: int = 0
    finished: int = 0  # reported finished by the unit, waiting for the check (验收)
    done: int = 0


@dataclass
class Board:
    by_unit: list[BoardRow] = field(default_factory=list)
    by_platform: list[BoardRow] = field(default_factory=list)
    overdue: int = 0
    due_soon: int = 0
    open: int = 0
    finished: int = 0
    done: int = 0


def board_for(qs: QuerySet[Assignment], today: date | None = None) -> Board:
    """Counts per lead unit and per platform: open, overdue, due soon, waiting for the check, done (one query)."""
    today = today or timezone.localdate()
    soon = today + timedelta(days=due_soon_days())
    rows = qs.values_list(
        "status",
        "deadline",
        "lead_unit_id",
        "lead_unit__name",
        "suggestion__consultation__platform_id",
        "suggestion__consultation__platform__name",
    )
    units, platforms, board = {}, {}, Board()
    for status, deadline, unit_id, unit_name, platform_id, platform_name in rows:
        targets = [
            units.setdefault(unit_id, BoardRow(unit_name, unit_id)),
            platforms.setdefault(platform_id, BoardRow(platform_name, platform_id)),
            board,
        ]
        for row in targets:
            if status in OPEN_ASSIGNMENT:
                row.open += 1
                if is_overdue_on(status, deadline, today):
                    row.overdue += 1
                elif deadline <= soon:
                    row.due_soon += 1
            elif status == AssignmentStatus.FINISHED:
                row.finished += 1
            elif status == AssignmentStatus.DONE:
                row.done += 1

    def order(rows):
        return sorted(rows, key=lambda r: (-r.overdue, -r.due_soon, -r.open, r.name))

    board.by_unit = order(units.values())
    board.by_platform = order(platforms.values())
    return board


def district_overdue(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Items on the district's overdue board: the last escalation step was sent for their current deadline."""
    listed = Reminder.objects.filter(
        assignment=OuterRef("pk"), kind=ReminderKind.DISTRICT_BOARD, deadline=OuterRef("deadline")
    )
    return qs.filter(Exists(listed), status__in=OPEN_ASSIGNMENT).order_by("deadline")


def pending_extensions(qs: QuerySet[Assignment]) -> QuerySet[ExtensionRequest]:
    return (
        ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING, assignment__in=qs)
        .select_related("assignment__lead_unit", "assignment__suggestion__consultation__topic", "requested_by")
        .order_by("requested_at")
    )


# --- one consultation: the three lists ------------------------------------------------------


@dataclass
class SuggestionLine:
    suggestion: Suggestion
    assignment: Assignment | None
    returned: list[Assignment]


def three_lists(consultation: Consultation) -> list[SuggestionLine]:
    """Each suggestion with its live assignment (responsibility and effect) and any returned ones."""
    suggestions = list(
        consultation.suggestions.prefetch_related(
            Prefetch("assignments", queryset=with_related(Assignment.objects.filter(is_archived=False)).order_by("pk"))
        )
    )
    lines = []
    for suggestion in suggestions:
        items = list(suggestion.assignments.all())
        live = [a for a in items if a.status != AssignmentStatus.RETURNED]
        returned = [a for a in items if a.status == AssignmentStatus.RETURNED]
        lines.append(SuggestionLine(suggestion, live[0] if live else None, returned))
    return lines


@dataclass
class OutcomeLine:
    """A suggestion on the consultation's outcomes page: its number, its live item's row, the returned items."""

    number: int
    suggestion: Suggestion
    row: AssignmentRow | None
    returned: list[Assignment]


def outcome_lines(
    lines: list[SuggestionLine],
    today: date,
    *,
    visible: set[int],
    shows_mobile: Callable[[Assignment], bool],
    shows_person: Callable[[Assignment], bool] | None = None,
) -> list[OutcomeLine]:
    """The ``three_lists`` numbered, each live item with its row: ``visible`` are the pks the viewer may open;
    ``shows_person`` whether the line names its responsible person (default: every line)."""
    return [
        OutcomeLine(
            number,
            line.suggestion,
            assignment_row(
                line.assignment,
                today,
                show_mobile=shows_mobile(line.assignment),
                can_open=line.assignment.pk in visible,
                show_person=shows_person(line.assignment) if shows_person else True,
            )
            if line.assignment is not None
            else None,
            line.returned,
        )
        for number, line in enumerate(lines, start=1)
    ]


def outcome_counts(lines: list[OutcomeLine]) -> dict[str, int]:
    """The figures above the three lists: suggestions, assigned, waiting for the check, done (checked), deferred,
    overdue."""
    rows = [line.row for line in lines if line.row]
    return {
        "suggestions": len(lines),
        "assigned": len(rows),
        "finished": sum(1 for row in rows if row.item.status == AssignmentStatus.FINISHED),
        "done": sum(1 for row in rows if row.item.status == AssignmentStatus.DONE),
        "deferred": sum(1 for row in rows if row.item.status == AssignmentStatus.DEFERRED),
        "overdue": sum(1 for row in rows if row.is_overdue),
    }


# --- who an item can be given to -------------------------------------------------------------


def ancestor_paths(region: Region) -> list[str]:
    """The paths of the region and of every region above it."""
    segments = [s for s in region.path.split("/") if s]
    return ["/" + "/".join(segments[: i + 1]) + "/" for i in range(len(segments))]


def deployment_units(consultation: Consultation) -> QuerySet[Unit]:
    """Units of the deployment's district: departments, township governments, village committees, companies."""
    top = ancestor_paths(consultation.topic.convening_region)[0]
    return Unit.objects.filter(is_archived=False, region__path__startswith=top).order_by("kind", "name")


def picker_order(units: QuerySet[Unit]) -> QuerySet[Unit]:
    """Units in the order of the searchable pickers: by level, then region, then kind and name, with the
    regions ``unit_group`` names."""
    return units.select_related("region__parent").order_by("region__depth", "region__path", "kind", "name")


def unit_group(unit: Unit) -> str:
    """The picker group of a unit (loaded through ``picker_order``): district units by kind, a township's
    own units under the township, village units under their township (grid units under their village)."""
    region = unit.region
    if region.level == RegionLevel.DISTRICT:
        return f"{region.name} · {unit.get_kind_display()}"
    if region.level == RegionLevel.TOWNSHIP:
        return region.name
    parent = region.parent.name if region.parent_id else ""
    if region.level == RegionLevel.VILLAGE:
        return _("%(township)s · 村（社区）") % {"township": parent}
    return _("%(village)s · 网格") % {"village": parent}


# How many recently used units the pickers offer first.
RECENT_UNITS = 8


def suggested_units(consultation: Consultation, user) -> list[tuple[str, list[int]]]:
    """The unit groups a picker offers first for an item of ``consultation``, as (label, unit pks).

    First the units that make sense for the item's region: those of the convening region, of the
    regions inside it and of the township above a village (never the whole district: its departments
    are all "above" every village), and the departments in charge of the topic's category. Then the
    units this user or this consultation used most recently (lead or co-unit). Three queries."""
    region = consultation.topic.convening_region
    local_paths = ancestor_paths(region)[1:]  # the district itself is left out
    local = []
    if local_paths:
        local = list(
            Unit.objects.filter(is_archived=False)
            .filter(Q(region__path__in=local_paths) | Q(region__path__startswith=region.path))
            .order_by("region__depth", "region__path", "kind", "name")
            .values_list("pk", flat=True)
        )
    category = list(
        Unit.objects.filter(is_archived=False, categories__pk=consultation.topic.category_id)
        .order_by("name")
        .values_list("pk", flat=True)
    )
    mine = Q(assigned_by_id=getattr(user, "pk", None)) | Q(suggestion__consultation=consultation)
    used = (
        Assignment.objects.filter(mine)
        .order_by("-assigned_at", "-pk")
        .values_list("lead_unit_id", "co_units")[: RECENT_UNITS * 4]
    )
    recent = list(dict.fromkeys(pk for pair in used for pk in pair if pk))[:RECENT_UNITS]
    groups = [(_("本地单位及主管部门"), list(dict.fromkeys(local + category))), (_("最近使用"), recent)]
    return [(label, pks) for label, pks in groups if pks]


def report_units(consultation: Consultation) -> QuerySet[Unit]:
    """Units a report can be sent to: those of the district but the CPPCC committees."""
    return deployment_units(consultation).exclude(kind=UnitKind.CPPCC_COMMITTEE)


def supervisor_choices(consultation: Consultation):
    """Supervisors and CPPCC office staff whose scope covers the convening region, or who sit in a committee."""
    roles = [Role.SUPERVISOR, Role.COMMITTEE_STAFF]
    region_grant = Q(
        scoped_roles__role__in=roles,
        scoped_roles__revoked_at__isnull=True,
        scoped_roles__region__path__in=ancestor_paths(consultation.topic.convening_region),
    )
    committee_grant = Q(
        scoped_roles__role__in=roles,
        scoped_roles__revoked_at__isnull=True,
        scoped_roles__unit__kind=UnitKind.CPPCC_COMMITTEE,
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(region_grant | committee_grant)
        .distinct()
        .order_by("full_name", "username")
    )


def board_choices(visible: QuerySet[Assignment]) -> tuple[QuerySet[Platform], QuerySet[Unit]]:
    """The platforms and units (lead or co-unit) of the items the board may show, for its filters."""
    platforms = Platform.objects.filter(pk__in=visible.values("suggestion__consultation__platform_id")).order_by("name")
    units = Unit.objects.filter(
        Q(pk__in=visible.values("lead_unit_id")) | Q(pk__in=visible.filter(co_units__isnull=False).values("co_units"))
    ).order_by("kind", "name")
    return platforms, units


# When an item closed: a done item when its check accepted it, a deferred one when it was deferred.
CLOSED_AT = Coalesce("checked_at", "done_at")


def completed_at(consultation: Consultation):
    """When every suggestion's item was closed (done and checked, or deferred with an explanation); None while
    any is open or waiting for its check. The rule is ``closing_facts`` (the lists use it for many at once)."""
    facts = (
        Consultation.objects.filter(pk=consultation.pk)
        .annotate(
            has_suggestions=Exists(Suggestion.objects.filter(consultation=OuterRef("pk"))),
            decided_at=Subquery(
                Suggestion.objects.filter(safeguards.not_taken_q(), consultation=OuterRef("pk"))
                .order_by()
                .values("consultation")
                .annotate(t=Max("decided_at"))
                .values("t")
            ),
            **closing_facts(),
        )
        .values("has_suggestions", "decided_at", *closing_facts())
        .get()
    )
    if not facts["has_suggestions"] or (facts["closed_count"] or 0) < (facts["suggestion_count"] or 0):
        return None
    # Items not adopted, deferred or dropped by the vote are settled by that decision, not by a unit.
    moments = (facts["last_done_at"], facts["last_deferred_at"], facts["decided_at"])
    return max((t for t in moments if t), default=consultation.concluded_at)


def _publication_due(finished) -> date | None:
    if finished is None:
        return None
    return deadline_on("publication", timezone.localtime(finished).date(), settings.SHANGLIANG_PUBLISH_DAYS)


def publication_due_on(consultation: Consultation) -> date | None:
    return _publication_due(completed_at(consultation))


def is_publication_overdue(consultation: Consultation, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    due = publication_due_on(consultation)
    return due is not None and today > due and not has_publication(consultation)


def has_publication(consultation: Consultation) -> bool:
    try:
        consultation.publication  # noqa: B018
    except Consultation.publication.RelatedObjectDoesNotExist:
        return False
    return True


# --- reports ---------------------------------------------------------------------------------


def is_reply_late(report: OutcomeReport, today: date | None = None) -> bool:
    """An entrusted matter not answered in writing by its due date (or answered after it)."""
    if not report.is_entrusted or not report.reply_due_on:
        return False
    if report.status == ReportStatus.REPLIED and report.replied_at:
        return timezone.localtime(report.replied_at).date() > report.reply_due_on
    today = today or timezone.localdate()
    return today > report.reply_due_on


def replies_waiting(qs: QuerySet[OutcomeReport]) -> QuerySet[OutcomeReport]:
    return qs.filter(is_entrusted=True, status=ReportStatus.SENT).order_by("reply_due_on")


def replies_late(qs: QuerySet[OutcomeReport], today: date) -> QuerySet[OutcomeReport]:
    """Entrusted matters still waiting for their written reply after its due date."""
    return replies_waiting(qs).filter(reply_due_on__lt=today)


def low_quality_replies(reports: QuerySet[OutcomeReport], assignments: QuerySet[Assignment], limit: int) -> dict:
    """Units' answers whose quality is low (答复质量偏低, ``core.reply_scoring``): written replies to reports
    and the results reported for assignments, the newest first, at most ``limit`` of each, and how many
    there are. Four queries."""
    low_reports = reports.filter(reply_parts__is_low=True).order_by("-replied_at", "-pk")
    low_items = (
        assignments.filter(result_parts__is_low=True)
        .select_related("lead_unit", "suggestion__consultation__topic")
        .order_by("-done_at", "-pk")
    )
    return {
        "reports": list(low_reports[:limit]),
        "assignments": list(low_items[:limit]),
        "count": low_reports.count() + low_items.count(),
    }


def reports_of(consultations: QuerySet[Consultation]) -> QuerySet[OutcomeReport]:
    """The reports (not archived) of these consultations, with what their lists show."""
    return OutcomeReport.objects.filter(is_archived=False, consultation__in=consultations).select_related(
        "consultation__topic", "recipient_unit"
    )


def unit_report_list(qs: QuerySet[OutcomeReport]) -> QuerySet[OutcomeReport]:
    """Reports addressed to a unit, as its list shows them: those still owing a reply first, the earliest due first."""
    return qs.select_related("consultation__topic", "consultation__platform", "recipient_unit", "sent_by").order_by(
        "-status", "reply_due_on", "-sent_at", "-pk"
    )


def region_supervisors(region: Region) -> list:
    """The active supervisors (督办负责人) whose role is held at ``region`` or above it: the supervision board a
    late written reply is escalated to."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            scoped_roles__role=Role.SUPERVISOR,
            scoped_roles__revoked_at__isnull=True,
            scoped_roles__region__path__in=ancestor_paths(region),
        )
        .distinct()
        .order_by("pk")
    )


def report_get(pk: int) -> OutcomeReport:
    """One report with the joins of its page; fetch it through the access function first."""
    return OutcomeReport.objects.select_related(
        "consultation__topic__convening_region",
        "consultation__platform",
        "recipient_unit",
        "created_by",
        "sent_by",
        "reply_recorded_by",
    ).get(pk=pk)


# --- publications ------------------------------------------------------------------------------


def closing_facts() -> dict:
    """The facts ``completed_at`` reads, per consultation (``OuterRef("pk")``), as expressions to annotate many
    consultations in one query: the suggestions to carry out (``suggestion_count``), the items closed
    (``closed_count``; both None for none) and when the last closed (``last_done_at``, ``last_deferred_at``).
    A consultation is complete when it has suggestions and ``closed_count`` reaches ``suggestion_count``."""
    closed = (
        Assignment.objects.filter(suggestion__consultation=OuterRef("pk"), status__in=CLOSED_ASSIGNMENT)
        .order_by()
        .values("suggestion__consultation")
    )
    suggestions = (
        Suggestion.objects.filter(consultation=OuterRef("pk"))
        .exclude(safeguards.not_taken_q())
        .order_by()
        .values("consultation")
    )
    return {
        "suggestion_count": Subquery(suggestions.annotate(n=Count("pk")).values("n")),
        "closed_count": Subquery(closed.annotate(n=Count("pk")).values("n")),
        "last_done_at": Subquery(closed.annotate(t=Max(CLOSED_AT)).values("t")),
        "last_deferred_at": Subquery(closed.annotate(t=Max("deferred_at")).values("t")),
    }


def unpublished_overdue(consultations: QuerySet[Consultation], today: date | None = None) -> list[Consultation]:
    """Concluded consultations whose every item is finished, past the publication period and not published."""
    today = today or timezone.localdate()
    candidates = (
        consultations.filter(status=ConsultationStatus.CONCLUDED, publication__isnull=True)
        .filter(suggestions__assignments__isnull=False)
        .distinct()
        .select_related("topic", "platform")
        .annotate(**closing_facts())
    )
    overdue = []
    for consultation in candidates:
        if not consultation.suggestion_count or (consultation.closed_count or 0) < consultation.suggestion_count:
            continue
        finished = [t for t in (consultation.last_done_at, consultation.last_deferred_at) if t]
        due = _publication_due(max(finished)) if finished else None
        if due is not None and today > due:
            consultation.publication_due_on = due
            overdue.append(consultation)
    return overdue


# --- the public board --------------------------------------------------------------------------


def board_consultations(*, platform: Platform | None = None, village: Region | None = None) -> QuerySet[Consultation]:
    """Concluded consultations for the public board of a platform or a village (and its grids)."""
    qs = Consultation.objects.filter(status=ConsultationStatus.CONCLUDED, is_archived=False)
    if platform is not None:
        qs = qs.filter(platform=platform)
    if village is not None:
        path = village.path
        qs = qs.filter(Q(platform__region__path__startswith=path) | Q(topic__convening_region__path__startswith=path))
    return (
        qs.select_related("topic__category", "platform", "session_format", "publication")
        .prefetch_related(
            Prefetch(
                "suggestions",
                # Each item's hand-off to another channel, if any (topics.elsewhere), in the same query.
                queryset=Suggestion.objects.annotate(**elsewhere.handed_off_annotations("suggestion")).prefetch_related(
                    Prefetch(
                        "assignments",
                        queryset=Assignment.objects.exclude(status=AssignmentStatus.RETURNED)
                        .filter(is_archived=False)
                        .select_related("lead_unit"),
                    )
                ),
            )
        )
        .order_by("-starts_at")
    )


def unit_liaisons(unit_ids: Iterable[int]) -> list:
    """The active liaisons (单位联络员) of these units, each once: whom 交办, reminders and send-backs reach."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            scoped_roles__unit_id__in=list(unit_ids),
            scoped_roles__role=Role.UNIT_LIAISON,
            scoped_roles__revoked_at__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )
