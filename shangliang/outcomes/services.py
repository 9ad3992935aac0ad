"""Writes of the outcomes stage: reports, assignments, progress, extensions and publication.

Each service runs in one transaction, locks the row it changes, checks the status through the
transition table and leaves history naming the actor. Feedback to the people concerned goes out
after the commit (see ``feedback.py``). Services that edit an assignment take the ``version`` the
form was opened with: if someone else saved in between, nothing is overwritten.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.consultations.models import Consultation, Suggestion
from shangliang.consultations.services import require_eligible_members
from shangliang.consultations.states import ConsultationStatus
from shangliang.core.errors import DomainError, EditConflict, TransitionNotAllowed
from shangliang.core.limits import EXCERPT_SHORT, excerpt
from shangliang.core.records import save_record
from shangliang.core.transitions import ensure_move, transition
from shangliang.orgs.models import Unit
from shangliang.orgs.states import UnitKind
from shangliang.outcomes import feedback
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
    """Days within which government answers an entrusted matter in writing (default 10)."""
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
) -> OutcomeReport:
    """Write a report from the resolution; the title and body may be edited before it is sent.

    ``members`` sign a proposal or bulletin (提案人): only members who took part in the consultation
    or are attached to its platform."""
    _require_concluded(consultation)
    if kind not in ReportKind.values:
        raise DomainError(_("请选择报送形式。"), field="kind")
    if not recipient.strip():
        raise DomainError(_("请填写报送对象。"), field="recipient")
    members = list(members)
    require_eligible_members(consultation, members, "members")
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
            created_by=actor,
        ),
        actor=actor,
        reason="report.drafted",
    )
    if members:
        report.members.set(members)
    return report


@transaction.atomic
def report_update(*, actor, report: OutcomeReport, title: str, body: str, recipient: str) -> OutcomeReport:
    report = OutcomeReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.DRAFT:
        raise DomainError(_("已报送的材料不能再修改。"))
    if not title.strip() or not body.strip():
        raise DomainError(_("标题和正文不能为空。"), field="body")
    report.title, report.body, report.recipient = title.strip(), body.strip(), recipient.strip()
    return save_record(report, actor=actor, reason="report.updated")


@transaction.atomic
def report_send(*, actor, report: OutcomeReport, now=None) -> OutcomeReport:
    """Record that the report was sent; an entrusted matter gets its written-reply due date."""
    report = OutcomeReport.objects.select_for_update().get(pk=report.pk)
    now = now or timezone.now()
    changes = {"sent_by": actor, "sent_at": now}
    if report.is_entrusted:
        changes["reply_due_on"] = timezone.localtime(now).date() + timedelta(days=reply_days())
    return transition(
        report, to=ReportStatus.SENT, moves=REPORT_MOVES, actor=actor, reason="report.sent", changes=changes, now=now
    )


@transaction.atomic
def report_reply(*, actor, report: OutcomeReport, text: str, attachment=None, now=None) -> OutcomeReport:
    """Record the written reply (text and attachment) and when it came."""
    report = OutcomeReport.objects.select_for_update().get(pk=report.pk)
    if not text.strip():
        raise DomainError(_("请填写书面答复内容。"), field="text")
    now = now or timezone.now()
    changes = {"reply_text": text.strip(), "replied_at": now, "reply_recorded_by": actor}
    if attachment:
        changes["reply_attachment"] = attachment
    return transition(
        report,
        to=ReportStatus.REPLIED,
        moves=REPORT_MOVES,
        actor=actor,
        reason="report.replied",
        changes=changes,
        now=now,
    )


# --- assignments ---------------------------------------------------------------------------


def _locked_assignment(assignment: Assignment, version: int | None) -> Assignment:
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if version is not None and int(version) != locked.version:
        raise EditConflict(_("此事项刚被其他人更新过，您的内容未保存。请刷新页面查看最新情况后再提交。"))
    return locked


def _bump(assignment: Assignment) -> None:
    Assignment.objects.filter(pk=assignment.pk).update(version=assignment.version + 1)
    assignment.version += 1


@transaction.atomic
def assignment_create(
    *,
    actor,
    suggestion: Suggestion,
    lead_unit: Unit,
    deadline: date,
    responsible_person: str,
    supervisor,
    co_units=(),
    responsible_mobile: str = "",
    cppcc_committee: Unit | None = None,
    today: date | None = None,
) -> Assignment:
    """Hand a suggestion to a lead unit (交办) with a person, a deadline, a CPPCC committee and a supervisor."""
    suggestion = Suggestion.objects.select_for_update().select_related("consultation").get(pk=suggestion.pk)
    _require_concluded(suggestion.consultation)
    today = today or timezone.localdate()
    if deadline < today:
        raise DomainError(_("办理时限不能早于今天。"), field="deadline")
    co_units = [unit for unit in co_units if unit.pk != lead_unit.pk]
    if cppcc_committee is not None and cppcc_committee.kind != UnitKind.CPPCC_COMMITTEE:
        raise DomainError(_("政协责任委室应为政协专委会。"), field="cppcc_committee")
    if not responsible_person.strip():
        raise DomainError(_("请填写责任人。"), field="responsible_person")
    if suggestion.assignments.exclude(status=AssignmentStatus.RETURNED).exists():
        raise DomainError(_("这条建议已经交办。"), field="lead_unit")
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
            save_record(assignment, actor=actor, reason="assignment.assigned")
    except IntegrityError:
        raise DomainError(_("这条建议已经交办。"), field="lead_unit") from None
    if co_units:
        assignment.co_units.set(co_units)
    feedback.tell_concerned(
        assignment.suggestion.consultation,
        FeedbackEvent.ASSIGNED,
        key=f"assignment:{assignment.pk}",
        detail=_("建议“%(text)s”已交%(unit)s办理，时限%(deadline)s。")
        % {"text": excerpt(suggestion.text, EXCERPT_SHORT), "unit": lead_unit.name, "deadline": deadline.isoformat()},
    )
    return assignment


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
    """The last moment the lead unit may return the item as wrongly assigned."""
    return assignment.assigned_at + timedelta(days=return_days())


def assignment_return_refusal(assignment: Assignment, now) -> DomainError | None:
    """Why the item can no longer be returned at ``now`` (None while it can); reads nothing from the database.

    ``assignment_return`` raises it; the assignment page asks it before offering the form."""
    if now > return_until(assignment):
        return DomainError(
            _("交办超过%(days)d天，不能再退回；如有困难请申请延期或说明暂缓原因。") % {"days": return_days()}
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


@transaction.atomic
def assignment_complete(
    *, actor, assignment: Assignment, result: str, evidence=None, version: int | None = None, now=None
) -> Assignment:
    """Mark the item done at ``now`` (default the clock), with what was done and the evidence (佐证材料)."""
    assignment = _locked_assignment(assignment, version)
    ensure_move(assignment, to=AssignmentStatus.DONE, moves=ASSIGNMENT_MOVES)
    if not result.strip():
        raise DomainError(_("请填写落实效果。"), field="result")
    if not evidence and not assignment.updates.exists():
        raise DomainError(_("请上传佐证材料，或先填报进展。"), field="evidence")
    changes = {"result": result.strip(), "version": assignment.version + 1}
    if evidence:
        changes["evidence"] = evidence
    transition(
        assignment,
        to=AssignmentStatus.DONE,
        moves=ASSIGNMENT_MOVES,
        actor=actor,
        reason="assignment.done",
        changes=changes,
        now=now,
    )
    feedback.tell_concerned(
        assignment.suggestion.consultation,
        FeedbackEvent.DONE,
        key=f"assignment:{assignment.pk}",
        detail=excerpt(result),
    )
    return assignment


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
