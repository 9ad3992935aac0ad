"""Reminders of the consultation stage: before a session, approved topics not yet planned, dissents not explained.

Each step is sent once through ``core.notify.notify_step``: a ``core.models.OnceStep`` row whose key
names the record, the step and the date it is about (the session's start, the day the topic became
plannable, the day the explanation was due), written in the transaction that sends the messages.
A second or concurrent run finds the row and sends nothing; a run that dies before its commit
leaves no row and the next run sends the step. A rescheduled session has a new start, so its
participants are reminded again; a topic whose consultation was cancelled is plannable again from
the cancellation, and its conveners are reminded again.

Planning a topic spans two stages (an approved topic, a consultation), so its reminder lives here,
in the later stage, like the waiting list's "topics to plan" (``selectors.topics_awaiting_plan``).
"""

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.consultations.models import Consultation, Dissent, Participant
from shangliang.consultations.permissions import ORGANISERS
from shangliang.consultations.services import participant_url
from shangliang.consultations.states import ConsultationStatus, ExplanationOutcome, Rsvp
from shangliang.core.models import OnceStep
from shangliang.core.notify import Kind, Recipient, active_users, notify_step
from shangliang.core.workdays import deadline_on, period_label
from shangliang.orgs.models import Region, ScopedRole
from shangliang.topics import elsewhere
from shangliang.topics.models import Topic
from shangliang.topics.states import TopicStatus

logger = logging.getLogger(__name__)


def _sent(key: str) -> bool:
    return OnceStep.objects.filter(key=key).exists()


def _send(key: str, people: list, **message) -> bool:
    """Send one step once: False when it was sent before (by this or another run) or nobody can be told yet."""
    if not people:
        return False
    return notify_step(
        lambda: OnceStep.objects.create(key=key, recipients=len(people)), reason=key, recipients=people, **message
    )


# --- before a session ---------------------------------------------------------------------------


def remind_hours() -> list[int]:
    """The offsets of SHANGLIANG_SESSION_REMIND_HOURS, closest to the start first."""
    return sorted({hours for hours in settings.SHANGLIANG_SESSION_REMIND_HOURS if hours > 0})


def closest_offset(starts_at: datetime, now: datetime) -> int | None:
    """The offset (hours) whose reminder is due at ``now``: the smallest one the start already falls within.

    A run that comes late sends only that one (never the day-ahead reminder an hour before the start).
    """
    left = starts_at - now
    if left <= timedelta(0):
        return None
    return next((hours for hours in remind_hours() if left <= timedelta(hours=hours)), None)


def session_key(consultation: Consultation, hours: int) -> str:
    starts = timezone.localtime(consultation.starts_at).isoformat(timespec="minutes")
    return f"session.before:{hours}h:{consultation.pk}:{starts}"


def session_recipients(consultation: Consultation) -> list[Recipient]:
    """Every participant not removed and not declined whom a message reaches, each with their own page's link."""
    participants = Participant.objects.filter(consultation=consultation).exclude(rsvp=Rsvp.NO).order_by("pk")
    return [
        Recipient(participant.user_id, participant.mobile, url=participant_url(participant))
        for participant in participants
        if participant.user_id or participant.mobile
    ]


def session_remind(consultation: Consultation, hours: int) -> bool:
    """Remind the participants of ``consultation`` ``hours`` ahead, once per start."""
    key = session_key(consultation, hours)
    if _sent(key):
        return False
    values = {
        "topic": consultation.topic.title,
        "when": timezone.localtime(consultation.starts_at).strftime("%Y-%m-%d %H:%M"),
        "place": consultation.place or consultation.platform.name,
    }
    return _send(
        key,
        session_recipients(consultation),
        kind=Kind.SESSION_REMINDER,
        title=_("会前提醒：%(topic)s") % values,
        body=_(
            "协商将于%(when)s开始；地点：%(place)s；议题：%(topic)s。请准时参加。"
            "打开您的个人链接可查看背景材料；链接仅供本人使用，请勿转发。"
        )
        % values,
    )


def session_reminders_run(*, now: datetime | None = None) -> int:
    """Remind the participants of notified sessions starting within an offset; returns how many steps went out."""
    now = now or timezone.now()
    hours = remind_hours()
    if not hours:
        return 0
    sessions = (
        Consultation.objects.filter(
            status=ConsultationStatus.NOTIFIED,
            is_archived=False,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(hours=hours[-1]),
        )
        .select_related("topic", "platform")
        .order_by("starts_at", "pk")
    )
    sent = 0
    for consultation in sessions:
        offset = closest_offset(consultation.starts_at, now)
        if offset is None:
            continue
        try:
            sent += session_remind(consultation, offset)
        except Exception:  # one failing gateway must not stop the others; the step is retried next run
            logger.exception("session reminder %sh for consultation %s failed", offset, consultation.pk)
    return sent


# --- approved topics not yet planned ------------------------------------------------------------


def _ancestor_paths(region: Region) -> list[str]:
    """The paths of the region and of every region above it, the region's own first."""
    segments = [s for s in region.path.split("/") if s]
    return ["/" + "/".join(segments[:end]) + "/" for end in range(len(segments), 0, -1)]


def conveners_of(topic: Topic) -> list:
    """The organisers who may plan ``topic`` (``permissions.topics_plannable_by``), at the level closest to it.

    Their role is held at the topic's convening region or above it; those of the nearest level
    with anyone are told (a village's conveners, else the township's station), not every office above.
    """
    grants = (
        ScopedRole.objects.filter(
            role__in=ORGANISERS,
            revoked_at__isnull=True,
            region__path__in=_ancestor_paths(topic.convening_region),
            region__is_archived=False,
            user__is_active=True,
        )
        .select_related("user", "region")
        .order_by("pk")
    )
    by_depth: dict[int, list] = {}
    for grant in grants:
        by_depth.setdefault(len(grant.region.path), []).append(grant.user)
    return active_users(by_depth[max(by_depth)]) if by_depth else []


def plannable_since(topic: Topic) -> date | None:
    """The day the topic could first be planned: its approval, or the last cancellation of its consultation."""
    times = [t for t in (topic.approved_at, getattr(topic, "last_cancelled_at", None)) if t]
    return timezone.localtime(max(times)).date() if times else None


def topics_unplanned(today: date) -> list[tuple[Topic, date]]:
    """Approved topics without a consultation under way N days after they became plannable, with that day."""
    under_way = [status for status in ConsultationStatus.values if status != ConsultationStatus.CANCELLED]
    topics = (
        Topic.objects.filter(status=TopicStatus.APPROVED, is_archived=False)
        .exclude(consultations__status__in=under_way)
        .exclude(elsewhere.handed_off_q("topic"))
        .annotate(last_cancelled_at=Max("consultations__cancelled_at"))
        .select_related("convening_region")
        .order_by("approved_at", "pk")
    )
    late = []
    for topic in topics:
        since = plannable_since(topic)
        if since is None:
            continue
        due = deadline_on("plan", since, settings.SHANGLIANG_PLAN_REMIND_DAYS)
        if today >= due:
            late.append((topic, due))
    return late


def plan_remind(topic: Topic, due: date) -> bool:
    key = f"topic.plan:{topic.pk}:{due.isoformat()}"
    if _sent(key):
        return False
    values = {"topic": topic.title, "period": period_label("plan", settings.SHANGLIANG_PLAN_REMIND_DAYS)}
    return _send(
        key,
        conveners_of(topic),
        kind=Kind.REMINDER,
        title=_("【安排协商提醒】议题“%(topic)s”审定已超过%(period)s，尚未安排协商") % values,
        body=_("议题“%(topic)s”已审定，请尽快安排协商（时间、地点、参与人员），并按时发出事先知情通报。") % values,
        url=reverse("consultations:plan", args=[topic.pk]),
    )


# --- dissents still to explain -------------------------------------------------------------------


def dissents_owed(today: date) -> list[tuple[Consultation, int, date]]:
    """Consultations with dissents (不同意见) still unexplained after their due date (``explain_due_on``,
    the session's end plus the set days): the consultation, how many, and the day they were due. The
    convener is reminded the day after the due date, once per due date."""
    pending = (
        Dissent.objects.filter(
            outcome=ExplanationOutcome.PENDING,
            explain_due_on__lt=today,
            consultation__is_archived=False,
            consultation__status__in=[ConsultationStatus.HELD, ConsultationStatus.CONCLUDED],
        )
        .values("consultation_id", "explain_due_on")
        .annotate(n=Count("pk"))
        .order_by("consultation_id", "explain_due_on")
    )
    rows = [(row["consultation_id"], row["n"], row["explain_due_on"]) for row in pending]
    consultations = Consultation.objects.filter(pk__in={pk for pk, _n, _due in rows}).select_related(
        "topic", "convener"
    )
    by_pk = {c.pk: c for c in consultations}
    return [(by_pk[pk], n, due) for pk, n, due in rows]


def dissent_remind(consultation: Consultation, count: int, due: date) -> bool:
    key = f"dissent.explain:{consultation.pk}:{due.isoformat()}"
    if _sent(key):
        return False
    values = {"topic": consultation.topic.title, "n": count, "due": due.isoformat()}
    return _send(
        key,
        active_users([consultation.convener]),
        kind=Kind.REMINDER,
        title=_("【解释说明提醒】“%(topic)s”有%(n)d条不同意见尚未解释说明") % values,
        body=_(
            "解释说明期限（%(due)s）已过，请向持不同意见者解释说明并记录结果（入户、电话或座谈）；"
            "确实无法解释的，由召集人记录原因。解释说明完成前，协商成果不能报送或公开。"
        )
        % values,
        url=reverse("consultations:resolution", args=[consultation.pk]) + "#dissents",
    )


def consultation_reminders_run(*, now: datetime | None = None) -> int:
    """Every reminder of the consultation stage due at ``now`` and not yet sent; returns how many went out."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = session_reminders_run(now=now)
    for topic, due in topics_unplanned(today):
        try:
            sent += plan_remind(topic, due)
        except Exception:  # retried by the next run
            logger.exception("planning reminder for topic %s failed", topic.pk)
    for consultation, count, due in dissents_owed(today):
        try:
            sent += dissent_remind(consultation, count, due)
        except Exception:  # retried by the next run
            logger.exception("dissent reminder for consultation %s failed", consultation.pk)
    return sent
