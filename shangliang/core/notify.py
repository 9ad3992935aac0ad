"""The one way to send a message: the in-app inbox, SMS and WeChat, each once per reason.

``notify(kind=..., reason=..., recipients=..., title=..., body=..., url=...)`` tells each
recipient (an account, a bare mobile number, or a ``Recipient`` with both) on the channels that
``CHANNEL_POLICY`` names for the kind of message. The reason is a stable key of what the message
is about (``consultation.notice:12``, ``feedback.done:assignment:7``); a ``Delivery`` row, unique
per (reason, channel, recipient), is inserted before each message goes out, so a retried or
concurrent run sends nothing twice: the second insert waits for the first and then fails.

Inbox messages and their rows are written in the caller's transaction. Texts and WeChat messages
go out after the commit when the policy says so (a rolled-back notice sends nothing), otherwise at
once, inside the caller's transaction (a reminder: a run that dies before its commit leaves no row,
and the next run sends the step again). Each outgoing message is claimed, sent and recorded in one
transaction. A sender that refuses or raises leaves a failed row, is logged and is not retried, so
one bad number never makes the others receive the message twice.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum, StrEnum
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from shangliang.core.models import Channel, Delivery, DeliveryStatus, Notification
from shangliang.core.senders import Message, sender_for

logger = logging.getLogger(__name__)


class Kind(StrEnum):
    NOTICE = "notice"  # 事先知情通报 to a consultation's participants
    FEEDBACK = "feedback"  # 反馈 to the people a consultation concerns, at each step of its outcome
    REMINDER = "reminder"  # 督办提醒 before and after an assignment's deadline
    ESCALATION = "escalation"  # 督办通知/逾期通报 to the unit's head
    FOLLOW_UP = "follow_up"  # 回访重办 opened: the convener is told
    FOLLOW_UP_REMINDER = "follow_up_reminder"  # 回访提醒/回访逾期 before and after a follow-up's deadline


class Reach(Enum):
    ACCOUNT = "account"  # recipients with an account
    MOBILE = "mobile"  # recipients whose mobile number is known
    ACCOUNT_WITHOUT_MOBILE = "account_without_mobile"  # accounts reached no other way than the app


@dataclass(frozen=True)
class Policy:
    routes: tuple[tuple[Channel, Reach], ...]
    # True: texts and WeChat wait for the caller's commit. False: they go out at once, inside the
    # caller's transaction, for callers that record a step together with its messages.
    after_commit: bool


_INBOX_AND_TEXT = ((Channel.APP, Reach.ACCOUNT), (Channel.SMS, Reach.MOBILE))

# Which channels each kind of message takes, and who is reached on each.
CHANNEL_POLICY: dict[Kind, Policy] = {
    # Every channel at once: the personal link must reach each participant before the session.
    Kind.NOTICE: Policy((*_INBOX_AND_TEXT, (Channel.WECHAT, Reach.ACCOUNT)), after_commit=True),
    # A text where a number is known; WeChat for accounts without one.
    Kind.FEEDBACK: Policy((*_INBOX_AND_TEXT, (Channel.WECHAT, Reach.ACCOUNT_WITHOUT_MOBILE)), after_commit=True),
    Kind.REMINDER: Policy(_INBOX_AND_TEXT, after_commit=False),
    Kind.ESCALATION: Policy(_INBOX_AND_TEXT, after_commit=False),
    Kind.FOLLOW_UP: Policy(((Channel.APP, Reach.ACCOUNT),), after_commit=False),
    Kind.FOLLOW_UP_REMINDER: Policy(_INBOX_AND_TEXT, after_commit=False),
}


@dataclass(frozen=True)
class Recipient:
    user_id: int | None = None
    mobile: str = ""
    # A link of the recipient's own (a participant's notice page) instead of the message's.
    url: str = ""


def recipient(who) -> Recipient:
    """A ``Recipient`` from an account (its id and mobile), a bare mobile number, or a ``Recipient``."""
    if isinstance(who, Recipient):
        return who
    if isinstance(who, str):
        return Recipient(mobile=who)
    return Recipient(user_id=who.pk, mobile=getattr(who, "mobile", "") or "")


def reaches(reach: Reach, person: Recipient) -> bool:
    if reach is Reach.ACCOUNT:
        return bool(person.user_id)
    if reach is Reach.MOBILE:
        return bool(person.mobile)
    return bool(person.user_id) and not person.mobile


def address(channel: str, person: Recipient) -> str:
    """Whom the channel's row names: the mobile for a text, the account for the inbox and WeChat."""
    return person.mobile if channel == Channel.SMS else str(person.user_id)


@dataclass(frozen=True)
class _Outgoing:
    reason: str
    channel: str
    to: str
    title: str
    body: str
    url: str


def notify(*, kind: Kind, reason: str, recipients: Iterable, title: str, body: str = "", url: str = "") -> int:
    """Tell ``recipients`` about ``reason`` on the channels of ``kind``, each message once.

    Writes a ``Delivery`` row per message and a ``Notification`` per inbox message. Returns how many
    messages went out now (texts and WeChat messages waiting for the commit are not counted).
    """
    policy = CHANNEL_POLICY[kind]
    sent = 0
    outgoing = []
    for person in dict.fromkeys(recipient(who) for who in recipients):
        for channel, reach in policy.routes:
            if not reaches(reach, person):
                continue
            link = person.url or url
            if channel == Channel.APP:
                sent += _to_inbox(reason, person.user_id, title, body, link)
            else:
                outgoing.append(_Outgoing(reason, channel, address(channel, person), title, body, link))
    if not outgoing:
        return sent
    if policy.after_commit:
        transaction.on_commit(partial(_send_all, outgoing))
    else:
        sent += _send_all(outgoing)
    return sent


def notify_step(record: Callable[[], object], **message) -> bool:
    """Insert a step's own row with ``record()`` and ``notify(**message)`` in one transaction.

    Returns False, sending nothing, when ``record()`` hits a unique constraint: the step was sent
    by this or another run.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                record()
        except IntegrityError:
            return False
        notify(**message)
    return True


def _claim(reason: str, channel: str, to: str, status: str) -> Delivery | None:
    try:
        with transaction.atomic():
            return Delivery.objects.create(
                reason=reason,
                channel=channel,
                recipient=to,
                status=status,
                sent_at=timezone.now() if status == DeliveryStatus.DELIVERED else None,
            )
    except IntegrityError:
        return None


def _to_inbox(reason: str, user_id: int, title: str, body: str, url: str) -> int:
    with transaction.atomic():
        if _claim(reason, Channel.APP, str(user_id), DeliveryStatus.DELIVERED) is None:
            return 0
        Notification.objects.create(user_id=user_id, title=title, body=body, url=url)
    return 1


def _send_all(outgoing: list[_Outgoing]) -> int:
    return sum(_send(message) for message in outgoing)


def _send(message: _Outgoing) -> int:
    """Claim, send and record one message in one transaction: a process that dies mid-send leaves no row."""
    with transaction.atomic():
        delivery = _claim(message.reason, message.channel, message.to, DeliveryStatus.FAILED)
        if delivery is None:
            return 0
        try:
            result = sender_for(message.channel).send(
                Message(channel=message.channel, to=message.to, title=message.title, body=message.body, url=message.url)
            )
        except Exception as error:  # the gateway refused one recipient; the others still get theirs
            logger.exception("%s to %s for %s failed", message.channel, message.to, message.reason)
            delivery.detail = f"{type(error).__name__}: {error}"[:200]
            delivery.save(update_fields=["detail"])
            return 0
        delivery.status = DeliveryStatus.DELIVERED if result.delivered else DeliveryStatus.FAILED
        delivery.detail = result.detail[:200]
        delivery.sent_at = timezone.now() if result.delivered else None
        delivery.save(update_fields=["status", "detail", "sent_at"])
        return int(result.delivered)


def deliveries_for(reason: str) -> list[Delivery]:
    """The messages sent for ``reason``, in the order they were sent."""
    return list(Delivery.objects.filter(reason=reason).order_by("pk"))
