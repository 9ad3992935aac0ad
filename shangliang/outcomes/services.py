"""Writes of the outcomes stage: reports, assignments, progress, extensions and publication.

Each service runs in one transaction, locks the row it changes, checks the status through the
transition table and leaves history naming the actor. Feedback to the people concerned goes out
after the commit (see ``feedback.py``). Services that edit an assignment take the ``version`` the
form was opened with: if someone else saved in between, nothing is overwritten.
"""

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.consultations import safeguards
from shangliang.consultations.models import Consultation, Suggestion
from shangliang.consultations.services import require_eligible_members
from shangliang.consultations.states import ConsultationStatus, SuggestionDecision
from shangliang.core import reply_scoring
from shangliang.core.errors import DomainError, EditConflict, TransitionNotAllowed
from shangliang.core.limits import EXCERPT_SHORT, excerpt
from shangliang.core.notify import Kind, notify
from shangliang.core.records import save_record
from shangliang.core.transitions import ensure_move, transition
from shangliang.core.workdays import deadline_at, deadline_on, period_label
from shangliang.orgs.models import Unit
from shangliang.orgs.states import RegionLevel, UnitKind
from shangliang.outcomes import feedback, handdown, numbering, replies, report_sections, selectors
from shangliang.outcomes.models import (
    Assignment,
    ExtensionRequest,
    OutcomeReport,
    ProgressUpdate,
    Publication,
)
from shangliang.outcomes.states import (
    ASSIGNMENT_MOVES,
    EXTENSION_MOVES,
    OPEN_ASSIGNMENT,
    REPORT_MOVES,
    AssignmentStatus,
    ExtensionStatus,
    FeedbackEvent,
    PublicChannel,
    ReportKind,
    ReportStatus,
)


def reply_days() -> int:
    """Days within which government answers an entrusted matter in writing (default 10, in working days:
    ``SHANGLIANG_DEADLINE_COUNTING["reply"]``)."""
    return settings.SHANGLIANG_REPLY_DAYS


def return_days() -> int:
    """Days within which a unit may return a wrongly assigned item (default 5)."""
    return settings.SHANGLIANG_RETURN_DAYS


def _require_concluded(consultation: Consultation) -> None:
    if consultation.status != ConsultationStatus.CONCLUDED:
        raise DomainError(_("协商意见形成后才能报送和交办。"))


# --- reports -------------------------------------------------------------------------------


def report_text(consultation: Consultation, kind: str) -> tuple[str, str]:
    """Title and body of a report written from the record: the topic, the session and the suggestions."""
    topic = consultation.topic
    held = timezone.localtime(consultation.starts_at)
    kind_label = ReportKind(kind).label
    title = _("关于“%(topic)s”的%(kind)s") % {"topic": topic.title, "kind": kind_label}
    lines = [
        _("%(date)s，%(platform)s以%(form)s形式，就“%(topic)s”开展协商。")
        % {
            "date": f"{held.year}年{held.month}月{held.day}日",
            "platform": consultation.platform.name,
            "form": consultation.session_format.name,
            "topic": topic.title,
        },
    ]
    if kind == ReportKind.CONSULTATION_REPORT:
        return title, "\n".join(lines + report_sections.consultation_report_sections(consultation))
    if topic.background:
        lines += ["", _("一、基本情况"), topic.background.strip()]
    lines += ["", _("二、协商意见建议")]
    for number, suggestion in enumerate(consultation.suggestions.all(), start=1):
        lines.append(f"{number}. {suggestion.text.strip()}")
    dissents = list(consultation.dissents.all())
    if dissents:
        lines += ["", _("三、不同意见及解释说明")]
        for dissent in dissents:
            line = dissent.view.strip()
            if dissent.explanation:
                line += _("（解释说明：%(text)s）") % {"text": dissent.explanation.strip()}
            lines.append(f"- {line}")
    return title, "\n".join(lines)


@transaction.atomic
def report_draft(
    *,
    actor,
    consultation: Consultation,
    kind: str,
    recipient: str,
    recipient_unit: Unit | None = None,
    is_entrusted: bool = False,
    title: str = "",
    body: str = "",
    members=(),
    lead_member=None,
    proposal_category: str = "",
    suggested_handlers: str = "",
) -> OutcomeReport:
    """Write a report from the resolution; the title and body may be edited before it is sent.

    ``members`` sign a proposal or bulletin (提案人): only members who took part in the consultation
    or are attached to its platform. ``lead_member`` is the first signatory (提案人 / 反映人; the other
    members are the seconders, 附议人); without one, the first member chosen leads."""
    _require_concluded(consultation)
    if kind not in ReportKind.values:
        raise DomainError(_("请选择报送形式。"), field="kind")
    if not recipient.strip():
        raise DomainError(_("请填写报送对象。"), field="recipient")
    members = list(members)
    if lead_member is not None and lead_member not in members:
        members.insert(0, lead_member)
    if lead_member is not None:
        require_eligible_members(consultation, [lead_member], "lead_member")
    require_eligible_members(consultation, members, "members")
    if lead_member is None and members and kind != ReportKind.CONSULTATION_REPORT:
        lead_member = members[0]
    default_title, default_body = report_text(consultation, kind)
    report = save_record(
        OutcomeReport(
            consultation=consultation,
            kind=kind,
            title=title.strip() or default_title,
            body=body.strip() or default_body,
            recipient=recipient.strip(),
            recipient_unit=recipient_unit,
            is_entrusted=is_entrusted,
            lead_member=lead_member,
            proposal_category=proposal_category.strip(),
            suggested_handlers=suggested_handlers.strip(),
            created_by=actor,
        ),
        actor=actor,
        reason="report.drafted",
        m2m={"members": members},
    )
    return report


@transaction.atomic
def report_update(
    *,
    actor,
    report: OutcomeReport,
    title: str,
    body: str,
    recipient: str,
    proposal_category: str | None = None,
    suggested_handlers: str | None = None,
) -> OutcomeReport:
    report = OutcomeReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.DRAFT:
        raise DomainError(_("已报送的材料不能再修改。"))
    if not title.strip() or not body.strip():
        raise DomainError(_("标题和正文不能为空。"), field="body")
    report.title, report.body, report.recipient = title.strip(), body.strip(), recipient.strip()
    if proposal_category is not None:
        report.proposal_category = proposal_category.strip()
    if suggested_handlers is not None:
        report.suggested_handlers = suggested_handlers.strip()
    return save_record(report, actor=actor, reason="report.updated")


@transaction.atomic
def report_send(*, actor, report: OutcomeReport, now=None) -> OutcomeReport:
    """Record that the report was sent; an entrusted matter gets its written-reply due date.

    A report addressed to a unit is told to the unit's liaisons at once (``replies.unit_told_of_report``)."""
    report = OutcomeReport.objects.select_for_update().select_related("consultation__topic").get(pk=report.pk)
    if refusal := safeguards.report_refusal(report.consultation):
        raise DomainError(refusal)
    now = now or timezone.now()
    changes = {"sent_by": actor, "sent_at": now, **numbering.serial_changes(report, now)}
    if report.is_entrusted:
        changes["reply_due_on"] = deadline_on("reply", timezone.localtime(now).date(), reply_days())
    report = transition(
        report, to=ReportStatus.SENT, moves=REPORT_MOVES, actor=actor, reason="report.sent", changes=changes, now=now
    )
    replies.unit_told_of_report(report)
    return report


@transaction.atomic
def report_reply(*, actor, report: OutcomeReport, text: str, attachment=None, now=None) -> OutcomeReport:
    """Record the written reply (text and attachment), when it came and who recorded it (staff, or the
    unit's liaison on its own page); the organisers are told (``replies.organisers_told_of_reply``)."""
    report = OutcomeReport.objects.select_for_update().get(pk=report.pk)
    if not text.strip():
        raise DomainError(_("请填写书面答复内容。"), field="text")
    now = now or timezone.now()
    changes = {"reply_text": text.strip(), "replied_at": now, "reply_recorded_by": actor}
    changes["reply_score"], changes["reply_parts"] = reply_quality(report, text, now)
    if attachment:
        changes["reply_attachment"] = attachment
    report = transition(
        report,
        to=ReportStatus.REPLIED,
        moves=REPORT_MOVES,
        actor=actor,
        reason="report.replied",
        changes=changes,
        now=now,
    )
    replies.organisers_told_of_reply(report, actor=actor)
    return report


# --- assignments ---------------------------------------------------------------------------


def _locked_assignment(assignment: Assignment, version: int | None) -> Assignment:
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if version is not None and int(version) != locked.version:
        raise EditConflict(_("此事项刚被其他人更新过，您的内容未保存。请刷新页面查看最新情况后再提交。"))
    return locked


def _bump(assignment: Assignment) -> None:
    Assignment.objects.filter(pk=assignment.pk).update(version=assignment.version + 1)
    assignment.version += 1


def _numbered(suggestions, consultation: Consultation) -> list[tuple[int, Suggestion]]:
    """``suggestions`` with their numbers in the consultation's list (as on the three lists), in that order."""
    numbers = {pk: n for n, pk in enumerate(consultation.suggestions.values_list("pk", flat=True), start=1)}
    return sorted(((numbers.get(s.pk, 0), s) for s in suggestions), key=lambda pair: (pair[0], pair[1].pk))


def assigned_text(suggestions, consultation: Consultation, *, unit: Unit, deadline: date) -> str:
    """The one message of a 交办 action: every suggestion it assigned, by number, with the unit and deadline."""
    lines = [
        _("协商建议已交办（%(unit)s办理，时限%(deadline)s）：") % {"unit": unit.name, "deadline": deadline.isoformat()}
    ]
    lines += [f"{number}. {excerpt(s.text, EXCERPT_SHORT)}" for number, s in _numbered(suggestions, consultation)]
    return "\n".join(lines)


@transaction.atomic
def assignments_create(
    *,
    actor,
    suggestions,
    lead_unit: Unit,
    deadline: date,
    responsible_person: str,
    supervisor,
    co_units=(),
    responsible_mobile: str = "",
    cppcc_committee: Unit | None = None,
    today: date | None = None,
) -> list[Assignment]:
    """Hand one or several suggestions of one consultation to a lead unit (交办) with a person, a deadline,
    a CPPCC committee and a supervisor, in one action.

    The people concerned get one message for the action, naming every suggestion it assigned, not one
    message per suggestion."""
    pks = sorted({s.pk for s in suggestions})
    if not pks:
        raise DomainError(_("请选择要交办的建议。"), field="suggestions")
    locked = list(
        Suggestion.objects.select_for_update().select_related("consultation").filter(pk__in=pks).order_by("pk")
    )
    if len(locked) != len(pks) or len({s.consultation_id for s in locked}) != 1:
        raise DomainError(_("只能交办同一次协商的建议。"), field="suggestions")
    consultation = locked[0].consultation
    _require_concluded(consultation)
    today = today or timezone.localdate()
    if deadline < today:
        raise DomainError(_("办理时限不能早于今天。"), field="deadline")
    co_units = [unit for unit in co_units if unit.pk != lead_unit.pk]
    if cppcc_committee is not None and cppcc_committee.kind != UnitKind.CPPCC_COMMITTEE:
        raise DomainError(_("政协责任委室应为政协专委会。"), field="cppcc_committee")
    if not responsible_person.strip():
        raise DomainError(_("请填写责任人。"), field="responsible_person")
    if refusal := handdown.lead_unit_refusal(consultation, lead_unit):
        raise DomainError(refusal, field="lead_unit")
    created = []
    for suggestion in locked:
        if refusal := safeguards.assign_refusal(suggestion):
            raise DomainError(
                _("建议“%(text)s”：%(refusal)s")
                % {"text": excerpt(suggestion.text, EXCERPT_SHORT), "refusal": refusal},
                field="suggestions" if len(locked) > 1 else "lead_unit",
            )
        if suggestion.assignments.exclude(status=AssignmentStatus.RETURNED).exists():
            raise DomainError(
                _("建议“%(text)s”已经交办。") % {"text": excerpt(suggestion.text, EXCERPT_SHORT)},
                field="suggestions" if len(locked) > 1 else "lead_unit",
            )
        assignment = Assignment(
            suggestion=suggestion,
            lead_unit=lead_unit,
            deadline=deadline,
            responsible_person=responsible_person.strip(),
            responsible_mobile=responsible_mobile.strip(),
            cppcc_committee=cppcc_committee,
            supervisor=supervisor,
            assigned_by=actor,
        )
        try:
            with transaction.atomic():
                save_record(assignment, actor=actor, reason="assignment.assigned", m2m={"co_units": co_units})
        except IntegrityError:
            raise DomainError(_("这条建议已经交办。"), field="lead_unit") from None
        created.append(assignment)
        if suggestion.decision == SuggestionDecision.PENDING:
            # Assigning it is adopting it (采纳后交办).
            suggestion.decision, suggestion.decided_at, suggestion.decided_by = (
                SuggestionDecision.ADOPTED,
                timezone.now(),
                actor,
            )
            save_record(
                suggestion,
                actor=actor,
                reason="suggestion.decided",
                update_fields=["decision", "decided_at", "decided_by"],
            )
    feedback.tell_concerned(
        consultation,
        FeedbackEvent.ASSIGNED,
        # The first item's pk is this action's own: a retried action tells nobody twice.
        key=f"assignment:{created[0].pk}",
        detail=assigned_text(locked, consultation, unit=lead_unit, deadline=deadline),
    )
    _tell_units_assigned(created, lead_unit=lead_unit, co_units=co_units or [], deadline=deadline)
    # Handed down to a village (镇村联动): its conveners, who act for the village committee, are told too.
    handdown.tell_conveners(created, consultation=consultation, lead_unit=lead_unit, deadline=deadline)
    return created


def assignment_create(*, suggestion: Suggestion, **fields) -> Assignment:
    """Hand one suggestion to a lead unit (交办); see ``assignments_create``."""
    return assignments_create(suggestions=[suggestion], **fields)[0]


@transaction.atomic
def assignment_accept(*, actor, assignment: Assignment, version: int | None = None, now=None) -> Assignment:
    """The lead unit signs for the item (签收) at ``now`` (default the clock)."""
    assignment = _locked_assignment(assignment, version)
    transition(
        assignment,
        to=AssignmentStatus.ACCEPTED,
        moves=ASSIGNMENT_MOVES,
        actor=actor,
        reason="assignment.accepted",
        changes={"version": assignment.version + 1},
        now=now,
    )
    return assignment


def return_until(assignment: Assignment):
    """The last moment the lead unit may return the item as wrongly assigned (in working days, the same
    time of day on the last day, when ``SHANGLIANG_DEADLINE_COUNTING["return"]`` says so)."""
    return deadline_at("return", assignment.assigned_at, return_days())


def assignment_return_refusal(assignment: Assignment, now) -> DomainError | None:
    """Why the item can no longer be returned at ``now`` (None while it can); reads nothing from the database.

    ``assignment_return`` raises it; the assignment page asks it before offering the form."""
    if now > return_until(assignment):
        return DomainError(
            _("交办超过%(period)s，不能再退回；如有困难请申请延期或说明暂缓原因。")
            % {"period": period_label("return", return_days())}
        )
    return None


@transaction.atomic
def assignment_return(
    *, actor, assignment: Assignment, reason: str, version: int | None = None, now=None
) -> Assignment:
    """Return a wrongly assigned item within the set period, with a reason; the suggestion can be reassigned."""
    assignment = _locked_assignment(assignment, version)
    ensure_move(assignment, to=AssignmentStatus.RETURNED, moves=ASSIGNMENT_MOVES)
    now = now or timezone.now()
    refusal = assignment_return_refusal(assignment, now)
    if refusal is not None:
        raise refusal
    if not reason.strip():
        raise DomainError(_("请说明退回理由。"), field="reason")
    return transition(
        assignment,
        to=AssignmentStatus.RETURNED,
        moves=ASSIGNMENT_MOVES,
        actor=actor,
        reason="assignment.returned",
        note=reason.strip(),
        changes={"return_reason": reason.strip(), "version": assignment.version + 1},
        now=now,
    )


@transaction.atomic
def progress_add(
    *,
    actor,
    assignment: Assignment,
    unit: Unit,
    progress: str,
    problems: str = "",
    next_steps: str = "",
    attachment=None,
    reported_on: date | None = None,
    version: int | None = None,
) -> ProgressUpdate:
    """A unit reports progress, problems and next steps on an item it is working on."""
    assignment = _locked_assignment(assignment, version)
    if assignment.status not in {AssignmentStatus.ACCEPTED, AssignmentStatus.DEFERRED}:
        raise DomainError(_("签收后才能填报进展。"))
    if not progress.strip():
        raise DomainError(_("请填写进展情况。"), field="progress")
    update = save_record(
        ProgressUpdate(
            assignment=assignment,
            unit=unit,
            reported_on=reported_on or timezone.localdate(),
            progress=progress.strip(),
            problems=problems.strip(),
            next_steps=next_steps.strip(),
            attachment=attachment or "",
            created_by=actor,
        ),
        actor=actor,
        reason="progress.added",
    )
    _bump(assignment)
    feedback.tell_concerned(
        assignment.suggestion.consultation,
        FeedbackEvent.PROGRESS,
        key=f"progress:{update.pk}",
        detail=excerpt(progress),
    )
    return update


def reply_quality(report: OutcomeReport, text: str | None = None, now=None) -> tuple[float | None, dict]:
    """How well the written reply (``text``, default the one recorded) answers the report, by its due date."""
    text = report.reply_text if text is None else text
    return reply_scoring.scored(
        report.body, text, report.sent_at, now or report.replied_at, subject=report.title, due_on=report.reply_due_on
    )


def result_quality(assignment: Assignment, result: str, now) -> tuple[float | None, dict]:
    """How well the unit's result answers the suggestion it was given (答复质量), by the deadline."""
    suggestion = assignment.suggestion
    return reply_scoring.scored(
        suggestion.text,
        result,
        assignment.assigned_at,
        now,
        subject=suggestion.consultation.topic.title,
        due_on=assignment.deadline,
    )


@transaction.atomic
def assignment_complete(
    *,
    actor,
    assignment: Assignment,
    result: str,
    evidence=None,
    evidence_public: bool = False,
    version: int | None = None,
    now=None,
) -> Assignment:
    """The unit reports the item finished (办结) at ``now`` (default the clock), with what was done and the
    evidence (佐证材料); it waits for the check (验收) before it counts as done.

    ``evidence_public``: the unit answers for the photo (no faces, no plates) and lets residents see it
    on the public result once the item is checked. The people concerned are told at the check."""
    assignment = _locked_assignment(assignment, version)
    ensure_move(assignment, to=AssignmentStatus.FINISHED, moves=ASSIGNMENT_MOVES)
    if not result.strip():
        raise DomainError(_("请填写落实效果。"), field="result")
    if not evidence and not assignment.updates.exists():
        raise DomainError(_("请上传佐证材料，或先填报进展。"), field="evidence")
    now = now or timezone.now()
    score, parts = result_quality(assignment, result, now)
    changes = {
        "result_score": score,
        "result_parts": parts,
        "result": result.strip(),
        "done_at": now,
        "evidence_public": bool(evidence_public),
        "check_note": "",
        "version": assignment.version + 1,
    }
    if evidence:
        changes["evidence"] = evidence
    transition(
        assignment,
        to=AssignmentStatus.FINISHED,
        moves=ASSIGNMENT_MOVES,
        actor=actor,
        reason="assignment.done",
        changes=changes,
        now=now,
    )
    _tell_checker(assignment)
    return assignment


def _tell_checker(assignment: Assignment) -> None:
    """The one who checks (验收) learns the unit reported the item finished: a village's convener for its own
    items, else the named supervisor (``permissions.can_check`` lets others in scope check too)."""
    consultation = assignment.suggestion.consultation
    region = consultation.topic.convening_region
    village = region.level in (RegionLevel.VILLAGE, RegionLevel.GRID)  # a grid convenes under its village
    checker = consultation.convener if village else assignment.supervisor
    if checker is None or not checker.is_active:
        return
    values = {"text": excerpt(assignment.suggestion.text, EXCERPT_SHORT), "unit": assignment.lead_unit.name}
    notify(
        kind=Kind.REMINDER,
        reason=f"assignment.finished:{assignment.pk}:{assignment.version}",
        recipients=[checker],
        title=_("【待验收】%(unit)s已报办结“%(text)s”") % values,
        body=_("请核实落实效果和佐证材料后验收，未达到要求的可写明理由退回。"),
        url=reverse("outcomes:assignment", args=[assignment.pk]),
    )


@transaction.atomic
def assignment_check(
    assignment: Assignment, *, actor, note: str = "", version: int | None = None, now=None
) -> Assignment:
    """The check (验收) accepts a finished item: it is done from now on, and the people concerned are told.

    ``done_at`` stays the unit's finish time; ``checked_at``/``checked_by`` say who accepted it, when."""
    assignment = _locked_assignment(assignment, version)
    now = now or timezone.now()
    transition(
        assignment,
        to=AssignmentStatus.DONE,
        moves=ASSIGNMENT_MOVES,
        actor=actor,
        reason="assignment.checked",
        note=note.strip(),
        changes={
            "done_at": assignment.done_at or now,
            "checked_at": now,
            "checked_by": actor,
            "check_note": note.strip(),
            "version": assignment.version + 1,
        },
        now=now,
    )
    feedback.tell_concerned(
        assignment.suggestion.consultation,
        FeedbackEvent.DONE,
        key=f"assignment:{assignment.pk}",
        detail=excerpt(assignment.result),
    )
    return assignment


@transaction.atomic
def assignment_send_back(
    assignment: Assignment, *, actor, reason: str, version: int | None = None, now=None
) -> Assignment:
    """The check (验收) sends a finished item back to the unit with a reason: it is worked on again.

    The finish time is cleared (the item is not finished); the reason stays as ``check_note``, in the
    history, and goes to the lead unit's liaisons."""
    assignment = _locked_assignment(assignment, version)
    ensure_move(assignment, to=AssignmentStatus.ACCEPTED, moves=ASSIGNMENT_MOVES)
    if assignment.status != AssignmentStatus.FINISHED:
        raise TransitionNotAllowed(_("只有办结待验收的事项可以验收退回。"))
    if not reason.strip():
        raise DomainError(_("请说明验收不通过的理由。"), field="reason")
    now = now or timezone.now()
    transition(
        assignment,
        to=AssignmentStatus.ACCEPTED,
        moves=ASSIGNMENT_MOVES,
        actor=actor,
        reason="assignment.sent_back",
        note=reason.strip(),
        changes={
            "check_note": reason.strip(),
            "done_at": None,
            # Still the time the unit signed for it.
            "accepted_at": assignment.accepted_at or now,
            "version": assignment.version + 1,
        },
        now=now,
    )
    _tell_sent_back(assignment, reason.strip())
    return assignment


def _tell_units_assigned(created: list[Assignment], *, lead_unit, co_units, deadline) -> None:
    """The liaisons of the lead and co-units get one message per 交办 naming every item handed over."""
    items = "；".join(f"{i}. {excerpt(a.suggestion.text, EXCERPT_SHORT)}" for i, a in enumerate(created, 1))
    values = {"n": len(created), "unit": lead_unit.name, "date": deadline.isoformat(), "items": items}
    url = reverse("outcomes:assignment", args=[created[0].pk]) if len(created) == 1 else reverse("outcomes:unit_desk")
    notify(
        kind=Kind.REMINDER,
        reason=f"assignment.assigned:{created[0].pk}",
        recipients=selectors.unit_liaisons([lead_unit.pk, *(unit.pk for unit in co_units)]),
        title=_("【新交办】%(n)d项协商建议待签收办理") % values,
        body=_("牵头单位：%(unit)s；办理时限：%(date)s。%(items)s") % values,
        url=url,
    )


def _tell_sent_back(assignment: Assignment, reason: str) -> None:
    """The lead unit's liaisons learn that the check sent the item back, and why."""
    liaisons = selectors.unit_liaisons([assignment.lead_unit_id])
    values = {"text": excerpt(assignment.suggestion.text, EXCERPT_SHORT), "reason": excerpt(reason)}
    notify(
        kind=Kind.REMINDER,
        reason=f"assignment.sent_back:{assignment.pk}:{assignment.version}",
        recipients=liaisons,
        title=_("【验收退回】“%(text)s”") % values,
        body=_("验收未通过，请继续办理后重新办结。理由：%(reason)s") % values,
        url=reverse("outcomes:assignment", args=[assignment.pk]),
    )


@transaction.atomic
def assignment_defer(*, actor, assignment: Assignment, reason: str, version: int | None = None, now=None) -> Assignment:
    """The item cannot be done now (deferred at ``now``, default the clock): the reason goes to the people concerned."""
    assignment = _locked_assignment(assignment, version)
    ensure_move(assignment, to=AssignmentStatus.DEFERRED, moves=ASSIGNMENT_MOVES)
    if not reason.strip():
        raise DomainError(_("请说明暂缓办理的原因，这段说明会告知相关群众。"), field="reason")
    transition(
        assignment,
        to=AssignmentStatus.DEFERRED,
        moves=ASSIGNMENT_MOVES,
        actor=actor,
        reason="assignment.deferred",
        note=reason.strip(),
        changes={"deferral_reason": reason.strip(), "version": assignment.version + 1},
        now=now,
    )
    feedback.tell_concerned(
        assignment.suggestion.consultation,
        FeedbackEvent.DEFERRED,
        key=f"assignment:{assignment.pk}",
        detail=excerpt(reason),
    )
    return assignment


@transaction.atomic
def assignment_resume(*, actor, assignment: Assignment, version: int | None = None) -> Assignment:
    """Conditions changed: a deferred item is worked on again."""
    assignment = _locked_assignment(assignment, version)
    if assignment.status != AssignmentStatus.DEFERRED:
        # The table allows assigned → accepted too; resuming must not stand in for signing (签收).
        raise TransitionNotAllowed(_("只有暂缓办理的事项可以恢复办理。"))
    return transition(
        assignment,
        to=AssignmentStatus.ACCEPTED,
        moves=ASSIGNMENT_MOVES,
        actor=actor,
        reason="assignment.resumed",
        changes={"version": assignment.version + 1},
    )


# --- extensions ----------------------------------------------------------------------------


def extension_request_refusal(pending: ExtensionRequest | None) -> DomainError | None:
    """Why no new request can be made while ``pending`` (the item's request awaiting a decision) exists."""
    if pending is not None:
        return DomainError(_("已有一份延期申请在等待审批。"))
    return None


def extension_decision_refusal(extension: ExtensionRequest, actor) -> DomainError | None:
    """Why ``actor`` may not decide the request (None when they may): nobody approves their own request."""
    if extension.requested_by_id == actor.pk:
        return DomainError(_("不能审批自己提出的延期申请。"))
    return None


@transaction.atomic
def extension_request(*, actor, assignment: Assignment, requested_deadline: date, reason: str) -> ExtensionRequest:
    """The unit asks for a later deadline; the deadline moves only when the request is approved."""
    assignment = _locked_assignment(assignment, None)
    if assignment.status not in {AssignmentStatus.ASSIGNED, AssignmentStatus.ACCEPTED}:
        raise DomainError(_("只有办理中的事项可以申请延期。"))
    if requested_deadline <= assignment.deadline:
        raise DomainError(_("申请的时限应晚于现在的时限。"), field="requested_deadline")
    if not reason.strip():
        raise DomainError(_("请说明延期理由。"), field="reason")
    refusal = extension_request_refusal(assignment.extensions.filter(status=ExtensionStatus.PENDING).first())
    if refusal is not None:
        raise refusal
    return save_record(
        ExtensionRequest(
            assignment=assignment,
            current_deadline=assignment.deadline,
            requested_deadline=requested_deadline,
            reason=reason.strip(),
            requested_by=actor,
        ),
        actor=actor,
        reason="extension.requested",
        note=reason.strip(),
    )


@transaction.atomic
def extension_decide(
    *, actor, extension: ExtensionRequest, approve: bool, note: str = "", now=None
) -> ExtensionRequest:
    """Approve (the deadline moves, and reminders start again for the new date) or refuse a request at ``now``."""
    extension = ExtensionRequest.objects.select_for_update().select_related("assignment").get(pk=extension.pk)
    to = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    refusal = extension_decision_refusal(extension, actor)
    if refusal is not None:
        raise refusal
    if approve and extension.assignment.status not in OPEN_ASSIGNMENT:
        raise DomainError(_("事项已办结或暂缓，无需延期。"))
    if not approve and not note.strip():
        raise DomainError(_("不同意延期时请写明意见。"), field="note")
    transition(
        extension,
        to=to,
        moves=EXTENSION_MOVES,
        actor=actor,
        reason="extension.approved" if approve else "extension.refused",
        note=note.strip(),
        changes={"decided_by": actor, "decision_note": note.strip()},
        now=now,
    )
    if approve:
        assignment = _locked_assignment(extension.assignment, None)
        assignment.deadline = extension.requested_deadline
        assignment.version += 1
        save_record(
            assignment,
            actor=actor,
            reason="assignment.extended",
            update_fields=["deadline", "version", "updated_at"],
            now=now,
        )
    return extension


# --- publication ---------------------------------------------------------------------------


def _effect_text(assignment: Assignment | None) -> str:
    if assignment is None:
        return _("正在研究交办。")
    if assignment.status == AssignmentStatus.DONE:
        finished = timezone.localtime(assignment.done_at).date().isoformat() if assignment.done_at else ""
        values = {"unit": assignment.lead_unit.name, "date": finished, "result": assignment.result}
        return _("已办结（%(unit)s，%(date)s）：%(result)s") % values
    if assignment.status == AssignmentStatus.FINISHED:
        return _("承办单位已报办结，正在验收（%(unit)s）。") % {"unit": assignment.lead_unit.name}
    if assignment.status == AssignmentStatus.DEFERRED:
        return _("暂缓办理：%(reason)s") % {"reason": assignment.deferral_reason}
    values = {"unit": assignment.lead_unit.name, "deadline": assignment.deadline.isoformat()}
    return _("正在办理（%(unit)s，办理时限%(deadline)s）。") % values


def publication_text(consultation: Consultation, lines) -> str:
    """A draft for residents from the effect list: suggestions and results, units but never people's names.

    ``lines`` are the consultation's ``selectors.three_lists``; nothing is written."""
    held = timezone.localtime(consultation.starts_at)
    values = {
        "date": f"{held.year}年{held.month}月{held.day}日",
        "topic": consultation.topic.title,
        "count": len(lines),
    }
    text = [_("%(date)s就“%(topic)s”开展协商，形成建议%(count)d条。落实情况如下：") % values]
    for number, line in enumerate(lines, start=1):
        text += [f"{number}. {line.suggestion.text.strip()}", "   " + _effect_text(line.assignment)]
    return "\n".join(text)


@transaction.atomic
def publication_publish(
    *, actor, consultation: Consultation, summary: str, channels=("board",), now=None
) -> Publication:
    """Publish (or update) the results for residents; everyone concerned is told."""
    _require_concluded(consultation)
    if refusal := safeguards.publish_refusal(consultation):
        raise DomainError(refusal)
    if not summary.strip():
        raise DomainError(_("请填写公开内容。"), field="summary")
    channels = [c for c in channels if c in PublicChannel.values]
    if not channels:
        raise DomainError(_("请至少选择一种公开方式。"), field="channels")
    publication = Publication.objects.select_for_update().filter(consultation=consultation).first()
    is_new = publication is None
    if is_new:
        publication = Publication(consultation=consultation, published_by=actor, published_at=now or timezone.now())
    publication.summary, publication.channels = summary.strip(), channels
    save_record(publication, actor=actor, reason="publication.published" if is_new else "publication.updated", now=now)
    feedback.tell_concerned(
        consultation,
        FeedbackEvent.PUBLISHED,
        key=f"publication:{publication.pk}:{publication.history.count()}",
        detail=excerpt(summary),
    )
    return publication
