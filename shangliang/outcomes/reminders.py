"""Reminders and escalation for assignments (督办提醒), written replies (书面答复) and publication (公开).

For each open item and its current deadline, four steps in order: a reminder N days before the
deadline; an overdue reminder the day after it passes; a notice to the unit's head; listing on the
district's overdue board. Each step is a ``Reminder`` row (unique per item, step and deadline)
inserted in the same transaction as the messages it sends through ``core.notify``. A second run,
or a concurrent one, finds the row and sends nothing; a run that dies before its commit leaves no
row, so the next run sends the step again. An approved extension changes the deadline, and the
steps start afresh.

A report owing a written reply (``reply_due_on``) and results not published in time follow the same
rule through ``core.notify.notify_step``: a ``core.models.OnceStep`` row keyed by the report or
consultation, the step and the due date (``outcome_reminders_run``).
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.consultations.models import Consultation
from shangliang.core.limits import EXCERPT_SHORT, excerpt
from shangliang.core.models import OnceStep
from shangliang.core.notify import Kind, notify_step
from shangliang.outcomes import handdown, replies, selectors
from shangliang.outcomes.models import Assignment, OutcomeReport, Reminder
from shangliang.outcomes.states import OPEN_ASSIGNMENT, ReminderKind, ReportStatus

logger = logging.getLogger(__name__)


def steps_due(deadline: date, today: date) -> list[str]:
    """The escalation steps that are due for ``deadline`` on ``today``, in order."""
    steps = []
    if deadline - timedelta(days=settings.SHANGLIANG_REMIND_BEFORE_DAYS) <= today <= deadline:
        steps.append(ReminderKind.DUE_SOON)
    if today > deadline:
        steps.append(ReminderKind.OVERDUE)
    if today >= deadline + timedelta(days=settings.SHANGLIANG_ESCALATE_HEAD_DAYS):
        steps.append(ReminderKind.HEAD_NOTICE)
    if today >= deadline + timedelta(days=settings.SHANGLIANG_ESCALATE_BOARD_DAYS):
        steps.append(ReminderKind.DISTRICT_BOARD)
    return steps


def recipients_for(assignment: Assignment, kind: str) -> list:
    """Users to tell at this step: the unit's liaisons first, then the supervisor, then the unit's head."""
    users = selectors.unit_liaisons([assignment.lead_unit_id])
    # 镇村联动: the conveners of a village act for its committee on an item handed down to it.
    if handdown.is_hand_down(assignment.suggestion.consultation, assignment.lead_unit):
        users += handdown.village_conveners(assignment.lead_unit)
    if kind != ReminderKind.DUE_SOON:
        users.append(assignment.supervisor)
    if kind in {ReminderKind.HEAD_NOTICE, ReminderKind.DISTRICT_BOARD} and assignment.lead_unit.head_id:
        users.append(assignment.lead_unit.head)
    unique = {}
    for user in users:
        if user.is_active:
            unique.setdefault(user.pk, user)
    return list(unique.values())


def _message(assignment: Assignment, kind: str) -> tuple[str, str]:
    topic = assignment.suggestion.consultation.topic.title
    values = {
        "unit": assignment.lead_unit.name,
        "deadline": assignment.deadline.isoformat(),
        "text": excerpt(assignment.suggestion.text, EXCERPT_SHORT),
        "topic": topic,
    }
    titles = {
        ReminderKind.DUE_SOON: _("【督办提醒】“%(text)s”将于%(deadline)s到期"),
        ReminderKind.OVERDUE: _("【逾期提醒】“%(text)s”已超过办理时限%(deadline)s"),
        ReminderKind.HEAD_NOTICE: _("【督办通知】%(unit)s承办的“%(text)s”已逾期"),
        ReminderKind.DISTRICT_BOARD: _("【逾期通报】%(unit)s承办的“%(text)s”已列入全区逾期通报"),
    }
    body = _("议题：%(topic)s；承办单位：%(unit)s；办理时限：%(deadline)s。请及时填报进展或申请延期。") % values
    return titles[kind] % values, body


def send_step(assignment: Assignment, kind: str) -> bool:
    """Send one step once. Returns False when it was already sent (by this or another run) or has nobody to tell.

    The row, the in-app messages and the texts go in one transaction. A text message that the
    gateway refuses is recorded as failed and not retried, so one bad number never makes the others
    receive the step again.
    """
    users = recipients_for(assignment, kind)
    if not users:
        # Nobody to tell yet (a unit without a liaison): leave the step for a later run.
        return False
    title, body = _message(assignment, kind)
    return notify_step(
        lambda: Reminder.objects.create(
            assignment=assignment, kind=kind, deadline=assignment.deadline, recipients=len(users)
        ),
        kind=Kind.REMINDER if kind in {ReminderKind.DUE_SOON, ReminderKind.OVERDUE} else Kind.ESCALATION,
        reason=f"reminder.{kind}:{assignment.pk}:{assignment.deadline.isoformat()}",
        recipients=users,
        title=title,
        body=body,
        url=reverse("outcomes:assignment", args=[assignment.pk]),
    )


def reminders_run(*, today: date | None = None) -> int:
    """Send every step that is due today and not yet sent; returns how many steps went out."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.SHANGLIANG_REMIND_BEFORE_DAYS)
    items = (
        Assignment.objects.filter(status__in=OPEN_ASSIGNMENT, is_archived=False, deadline__lte=horizon)
        .select_related("lead_unit__head", "supervisor", "suggestion__consultation__topic")
        .order_by("pk")
    )
    sent = 0
    for assignment in items:
        done = set(
            Reminder.objects.filter(assignment=assignment, deadline=assignment.deadline).values_list("kind", flat=True)
        )
        for kind in steps_due(assignment.deadline, today):
            if kind in done:
                continue
            try:
                sent += send_step(assignment, kind)
            except Exception:  # one failing gateway must not stop the others; the step is retried next run
                logger.exception("reminder %s for assignment %s failed", kind, assignment.pk)
    return sent


# --- written replies owed by the unit a report was sent to ----------------------------------------

REPLY_DUE_SOON = "due_soon"  # N days before the due date: the unit's liaisons
REPLY_OVERDUE = "overdue"  # the day after it: the liaisons and the unit's head
REPLY_ESCALATED = "escalated"  # N days after it: the head and the supervision board


def reply_steps_due(due: date, today: date) -> list[str]:
    """The steps of a written reply due on ``due`` that are due ``today``, in order (as ``steps_due``)."""
    steps = []
    if due - timedelta(days=settings.SHANGLIANG_REPLY_REMIND_BEFORE_DAYS) <= today <= due:
        steps.append(REPLY_DUE_SOON)
    if today > due:
        steps.append(REPLY_OVERDUE)
    if today >= due + timedelta(days=settings.SHANGLIANG_REPLY_ESCALATE_DAYS):
        steps.append(REPLY_ESCALATED)
    return steps


def reply_key(report: OutcomeReport, step: str) -> str:
    return f"report.reply.{step}:{report.pk}:{report.reply_due_on.isoformat()}"


def reply_recipients(report: OutcomeReport, step: str) -> list:
    """Who is told at ``step``, each with the page they can open.

    The unit's liaisons (its head when it has none) and head open the unit's page of the report;
    the supervision board (``selectors.region_supervisors``, as an overdue assignment's escalation
    reaches its supervisors) opens the staff page. A report to a free-text recipient (no unit in
    the system) reminds the organiser who sent it instead, who chases the reply and records it.
    """
    unit = report.recipient_unit
    unit_url, staff_url = replies.unit_url(report), replies.staff_url(report)
    people = []
    if unit is None:
        people += replies.linked([report.sent_by], staff_url)
    else:
        if step in {REPLY_DUE_SOON, REPLY_OVERDUE}:
            people += replies.linked(replies.unit_people(report), unit_url)
        if step in {REPLY_OVERDUE, REPLY_ESCALATED}:
            people += replies.linked([unit.head], unit_url)
    if step == REPLY_ESCALATED:
        people += replies.linked(selectors.region_supervisors(report.consultation.topic.convening_region), staff_url)
    # One message per account: the first link found for it (the unit's page before the staff page).
    unique = {}
    for person in people:
        unique.setdefault(person.user_id, person)
    return list(unique.values())


def _reply_message(report: OutcomeReport, step: str) -> tuple[str, str]:
    values = {
        "title": report.title,
        "topic": report.consultation.topic.title,
        "due": report.reply_due_on.isoformat(),
        "unit": report.recipient_unit.name if report.recipient_unit else report.recipient,
    }
    titles = {
        REPLY_DUE_SOON: _("【答复提醒】“%(title)s”应于%(due)s前书面答复"),
        REPLY_OVERDUE: _("【逾期提醒】“%(title)s”已超过书面答复期限%(due)s"),
        REPLY_ESCALATED: _("【督办通知】%(unit)s对“%(title)s”的书面答复已逾期"),
    }
    if report.recipient_unit is None:
        body = _("报送对象：%(unit)s；议题：%(topic)s；答复期限：%(due)s。请督促尽快书面答复，收到后在系统中登记。")
    else:
        body = _("报送单位：%(unit)s；议题：%(topic)s；答复期限：%(due)s。请登录系统查看报送材料并填写书面答复。")
    return titles[step] % values, body % values


def reply_remind(report: OutcomeReport, step: str) -> bool:
    """Send one step of a written reply once; False when it was sent before or there is nobody to tell yet."""
    key = reply_key(report, step)
    if OnceStep.objects.filter(key=key).exists():
        return False
    people = reply_recipients(report, step)
    if not people:
        return False
    title, body = _reply_message(report, step)
    return notify_step(
        lambda: OnceStep.objects.create(key=key, recipients=len(people)),
        kind=Kind.ESCALATION if step == REPLY_ESCALATED else Kind.REMINDER,
        reason=key,
        recipients=people,
        title=title,
        body=body,
    )


def replies_owed(today: date):
    """Reports sent with a reply due date, not yet answered, whose first step has come."""
    horizon = today + timedelta(days=settings.SHANGLIANG_REPLY_REMIND_BEFORE_DAYS)
    return (
        OutcomeReport.objects.filter(
            status=ReportStatus.SENT, is_archived=False, reply_due_on__isnull=False, reply_due_on__lte=horizon
        )
        .select_related("recipient_unit__head", "sent_by", "consultation__topic__convening_region")
        .order_by("reply_due_on", "pk")
    )


# --- results not published in time ------------------------------------------------------------------


def publication_remind(consultation: Consultation, due: date) -> bool:
    """Remind the convener once that the results are past their publication date."""
    key = f"publication.overdue:{consultation.pk}:{due.isoformat()}"
    convener = consultation.convener
    if OnceStep.objects.filter(key=key).exists() or not convener.is_active:
        return False
    values = {"topic": consultation.topic.title, "due": due.isoformat()}
    return notify_step(
        lambda: OnceStep.objects.create(key=key, recipients=1),
        kind=Kind.REMINDER,
        reason=key,
        recipients=[convener],
        title=_("【公开提醒】“%(topic)s”的落实结果应于%(due)s前公开，尚未公开") % values,
        body=_("各项建议均已办结或说明暂缓原因，请尽快通过公开栏、网上等方式公开落实结果。") % values,
        url=reverse("outcomes:consultation", args=[consultation.pk]) + "#publication",
    )


def outcome_reminders_run(*, today: date | None = None) -> int:
    """Send every written-reply and publication step due today and not yet sent; returns how many went out."""
    today = today or timezone.localdate()
    sent = 0
    for report in replies_owed(today):
        for step in reply_steps_due(report.reply_due_on, today):
            try:
                sent += reply_remind(report, step)
            except Exception:  # one failing gateway must not stop the others; the step is retried next run
                logger.exception("reply reminder %s for report %s failed", step, report.pk)
    overdue = selectors.unpublished_overdue(Consultation.objects.filter(is_archived=False), today)
    for consultation in overdue:
        try:
            sent += publication_remind(consultation, consultation.publication_due_on)
        except Exception:  # retried by the next run
            logger.exception("publication reminder for consultation %s failed", consultation.pk)
    return sent
