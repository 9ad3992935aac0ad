"""Reminders for follow-ups (回访重办提醒), tracked like assignments.

An open follow-up gets a reminder to the convener N days before its deadline, and an overdue
notice the day after it passes to the convener and the supervisors covering the convening region.
Each step is a ``FollowUpReminder`` row (unique per follow-up, step and deadline) written in the
same transaction as its messages (sent through ``core.notify``), so a second or concurrent run
sends nothing twice.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core.notify import Kind, notify_step
from shangliang.evaluation.models import FollowUp, FollowUpReminder
from shangliang.evaluation.states import FollowUpReminderKind, FollowUpStatus
from shangliang.orgs.models import ScopedRole
from shangliang.orgs.states import Role

logger = logging.getLogger(__name__)


def _before_days() -> int:
    return settings.SHANGLIANG_REMIND_BEFORE_DAYS


def steps_due(deadline: date, today: date) -> list[str]:
    steps = []
    if deadline - timedelta(days=_before_days()) <= today <= deadline:
        steps.append(FollowUpReminderKind.DUE_SOON)
    if today > deadline:
        steps.append(FollowUpReminderKind.OVERDUE)
    return steps


def _supervisors(region) -> list:
    """Supervisors whose region is the convening region or above it."""
    ancestors = [region.path[:end] for end in range(len(region.path), 0, -1) if region.path[end - 1] == "/"]
    grants = ScopedRole.objects.filter(
        role=Role.SUPERVISOR, revoked_at__isnull=True, region__path__in=ancestors or [region.path]
    ).select_related("user")
    return [grant.user for grant in grants]


def recipients_for(follow_up: FollowUp, kind: str) -> list:
    consultation = follow_up.consultation
    users = [consultation.convener]
    if kind == FollowUpReminderKind.OVERDUE:
        users += _supervisors(consultation.topic.convening_region)
    unique = {}
    for user in users:
        if user is not None and user.is_active:
            unique.setdefault(user.pk, user)
    return list(unique.values())


def send_step(follow_up: FollowUp, kind: str) -> bool:
    """Send one step once; False when it was already sent or there is nobody to tell."""
    users = recipients_for(follow_up, kind)
    if not users:
        return False
    values = {"topic": follow_up.consultation.topic.title, "deadline": follow_up.deadline.isoformat()}
    titles = {
        FollowUpReminderKind.DUE_SOON: _("【回访提醒】“%(topic)s”的回访重办将于%(deadline)s到期"),
        FollowUpReminderKind.OVERDUE: _("【回访逾期】“%(topic)s”的回访重办已超过时限%(deadline)s"),
    }
    title = titles[kind] % values
    body = (
        _("群众对“%(topic)s”的落实结果不满意比例较高，请在%(deadline)s前回访并重新办理，完成后填写回访重办情况。")
        % values
    )
    return notify_step(
        lambda: FollowUpReminder.objects.create(
            follow_up=follow_up, kind=kind, deadline=follow_up.deadline, recipients=len(users)
        ),
        kind=Kind.FOLLOW_UP_REMINDER,
        reason=f"follow_up.{kind}:{follow_up.pk}:{follow_up.deadline.isoformat()}",
        recipients=users,
        title=title,
        body=body,
        url=reverse("evaluation:consultation", args=[follow_up.consultation_id]),
    )


def follow_up_reminders_run(*, today: date | None = None) -> int:
    """Send every follow-up step due today and not yet sent; returns how many went out."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=_before_days())
    follow_ups = (
        FollowUp.objects.filter(status=FollowUpStatus.OPEN, deadline__lte=horizon)
        .select_related("consultation__topic__convening_region", "consultation__convener")
        .order_by("pk")
    )
    sent = 0
    for follow_up in follow_ups:
        done = set(
            FollowUpReminder.objects.filter(follow_up=follow_up, deadline=follow_up.deadline).values_list(
                "kind", flat=True
            )
        )
        for kind in steps_due(follow_up.deadline, today):
            if kind in done:
                continue
            try:
                sent += send_step(follow_up, kind)
            except Exception:  # retried by the next run
                logger.exception("follow-up reminder %s for %s failed", kind, follow_up.pk)
    return sent
