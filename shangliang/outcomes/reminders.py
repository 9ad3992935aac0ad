"""Reminders and escalation for assignments (督办提醒).

For each open item and its current deadline, four steps in order: a reminder N days before the
deadline; an overdue reminder the day after it passes; a notice to the unit's head; listing on the
district's overdue board. Each step is a ``Reminder`` row (unique per item, step and deadline)
inserted in the same transaction as the messages it sends through ``core.notify``. A second run,
or a concurrent one, finds the row and sends nothing; a run that dies before its commit leaves no
row, so the next run sends the step again. An approved extension changes the deadline, and the
steps start afresh.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core.limits import EXCERPT_SHORT, excerpt
from shangliang.core.notify import Kind, notify_step
from shangliang.outcomes import selectors
from shangliang.outcomes.models import Assignment, Reminder
from shangliang.outcomes.states import OPEN_ASSIGNMENT, ReminderKind

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
