"""The one way to send a message: the in-app inbox, SMS and WeChat, each once per reason.

``notify(kind=..., reason=..., recipients=..., title=..., body=..., url=..., params=...)`` tells
each recipient (an account, a bare mobile number, or a ``Recipient`` with both) on the channels
that ``CHANNEL_POLICY`` names for the kind of message. The reason is a stable key of what the
message is about (``consultation.notice:12``, ``feedback.done:assignment:7``); a ``Delivery`` row,
unique per (reason, channel, recipient), is inserted for each message, so a retried or concurrent
run writes nothing twice: the second insert waits for the first and then fails.

Everything is written in the caller's transaction: inbox messages with their rows, and each text
or WeChat message as a row waiting to go (``queued``, with its title, body, link and template
parameters). Only after the commit does ``core.dispatch`` send the waiting rows (or hand them to
the worker), so a rolled-back step sends nothing, and a committed step's messages go out even if
the process dies right after the commit (the periodic delivery run picks them up). Each text is
claimed in its own committed update before the gateway is called, so none is ever sent twice;
failures are recorded on the row, passing refusals (rate limits) are retried with backoff.

Feedback (办理反馈) is optional per person: an account that turned texts or WeChat off for it gets
it in the inbox only. Notices, reminders, escalations and codes always go. With a real WeChat
sender only accounts bound to WeChat are reached there.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from functools import partial

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from shangliang.core.dispatch import deliveries_dispatch
from shangliang.core.models import Channel, Delivery, DeliveryStatus, MessageKind, Notification, Provider
from shangliang.core.senders import sender_class, sender_provider

logger = logging.getLogger(__name__)


# The kinds of message live in core.models (the delivery log and the templates name them).
Kind = MessageKind


class Reach(Enum):
    ACCOUNT = "account"  # recipients with an account
    MOBILE = "mobile"  # recipients whose mobile number is known
    ACCOUNT_WITHOUT_MOBILE = "account_without_mobile"  # accounts reached no other way than the app


@dataclass(frozen=True)
class Policy:
    routes: tuple[tuple[Channel, Reach], ...]


_INBOX_AND_TEXT = ((Channel.APP, Reach.ACCOUNT), (Channel.SMS, Reach.MOBILE))

# Which channels each kind of message takes, and who is reached on each.
CHANNEL_POLICY: dict[Kind, Policy] = {
    # Every channel: the personal link must reach each participant before the session.
    Kind.NOTICE: Policy((*_INBOX_AND_TEXT, (Channel.WECHAT, Reach.ACCOUNT))),
    # The same channels shortly before the session.
    Kind.SESSION_REMINDER: Policy((*_INBOX_AND_TEXT, (Channel.WECHAT, Reach.ACCOUNT))),
    # A text where a number is known; WeChat for accounts without one.
    Kind.FEEDBACK: Policy((*_INBOX_AND_TEXT, (Channel.WECHAT, Reach.ACCOUNT_WITHOUT_MOBILE))),
    Kind.REMINDER: Policy(_INBOX_AND_TEXT),
    Kind.ESCALATION: Policy(_INBOX_AND_TEXT),
    Kind.FOLLOW_UP: Policy(((Channel.APP, Reach.ACCOUNT),)),
    Kind.FOLLOW_UP_REMINDER: Policy(_INBOX_AND_TEXT),
    # A verification code goes by text only, to the number being verified.
    Kind.CODE: Policy(((Channel.SMS, Reach.MOBILE),)),
}

# Kinds a person may turn off by text or WeChat (User.sms_feedback, User.wechat_feedback); the
# inbox keeps them. Everything else is owed to the person (notices, reminders) and always goes.
OPTIONAL_KINDS = {Kind.FEEDBACK}


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


def active_users(users) -> list:
    """The active accounts among ``users`` (None allowed), each once, in their first order."""
    unique = {}
    for user in users:
        if user is not None and user.is_active:
            unique.setdefault(user.pk, user)
    return list(unique.values())


def reaches(reach: Reach, person: Recipient) -> bool:
    if reach is Reach.ACCOUNT:
        return bool(person.user_id)
    if reach is Reach.MOBILE:
        return bool(person.mobile)
    return bool(person.user_id) and not person.mobile


def address(channel: str, person: Recipient) -> str:
    """Whom the channel's row names: the mobile for a text, the account for the inbox and WeChat."""
    return person.mobile if channel == Channel.SMS else str(person.user_id)


def _turned_off(kind: Kind, people: list[Recipient]) -> set[tuple[str, Recipient]]:
    """The (channel, person) pairs a person turned off for ``kind``: by account, or for a bare
    number by the account that verified it."""
    if kind not in OPTIONAL_KINDS:
        return set()
    ids = {person.user_id for person in people if person.user_id}
    bare = {person.mobile for person in people if person.mobile and not person.user_id}
    if not ids and not bare:
        return set()
    accounts = get_user_model().objects.filter(Q(pk__in=ids) | Q(verified_mobile__in=bare))
    by_id, by_mobile = {}, {}
    for pk, mobile, sms, wechat in accounts.values_list("pk", "verified_mobile", "sms_feedback", "wechat_feedback"):
        by_id[pk] = (sms, wechat)
        if mobile:
            by_mobile[mobile] = (sms, wechat)
    off = set()
    for person in people:
        prefs = by_id.get(person.user_id) if person.user_id else by_mobile.get(person.mobile)
        sms, wechat = prefs or (True, True)
        if not sms:
            off.add((Channel.SMS, person))
        if not wechat:
            off.add((Channel.WECHAT, person))
    return off


def _wechat_unreached(people: list[Recipient]) -> set[int]:
    """Accounts a real WeChat sender cannot reach (no active binding); none with the console sender."""
    if sender_provider(sender_class(Channel.WECHAT)) == Provider.CONSOLE:
        return set()
    ids = {person.user_id for person in people if person.user_id}
    if not ids:
        return set()
    binding = apps.get_model("accounts", "WeChatBinding")
    bound = binding.objects.filter(
        user_id__in=ids, unbound_at__isnull=True, app_id=settings.SHANGLIANG_WECHAT["app_id"]
    ).values_list("user_id", flat=True)
    return ids - set(bound)


def notify(
    *,
    kind: Kind,
    reason: str,
    recipients: Iterable,
    title: str,
    body: str = "",
    url: str = "",
    params: dict | None = None,
) -> int:
    """Tell ``recipients`` about ``reason`` on the channels of ``kind``, each message once.

    Writes a ``Notification`` and a delivered ``Delivery`` row per inbox message, and a queued
    ``Delivery`` row per text or WeChat message, which goes out after the caller's commit.
    ``params`` (a verification code) fill provider templates and are erased once the row is final.
    Returns how many messages were written now (inbox and queued); a message written before for
    the same reason is not counted.
    """
    policy = CHANNEL_POLICY[kind]
    people = list(dict.fromkeys(recipient(who) for who in recipients))
    channels = {channel for channel, _reach in policy.routes}
    turned_off = _turned_off(kind, people) if channels - {Channel.APP} else set()
    unbound = _wechat_unreached(people) if Channel.WECHAT in channels else set()
    written, queued = 0, []
    for person in people:
        for channel, reach in policy.routes:
            if not reaches(reach, person) or (channel, person) in turned_off:
                continue
            link = person.url or url
            if channel == Channel.APP:
                written += _to_inbox(reason, kind, person.user_id, title, body, link)
                continue
            if channel == Channel.WECHAT and person.user_id in unbound:
                continue
            delivery_id = _queue(reason, kind, channel, address(channel, person), title, body, link, params or {})
            if delivery_id is not None:
                queued.append(delivery_id)
    if queued:
        transaction.on_commit(partial(deliveries_dispatch, queued))
    return written + len(queued)


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


def _insert(**fields) -> Delivery | None:
    try:
        with transaction.atomic():
            return Delivery.objects.create(**fields)
    except IntegrityError:
        return None


def _to_inbox(reason: str, kind: str, user_id: int, title: str, body: str, url: str) -> int:
    with transaction.atomic():
        row = _insert(
            reason=reason,
            kind=kind,
            channel=Channel.APP,
            recipient=str(user_id),
            status=DeliveryStatus.DELIVERED,
            title=title[:200],
            sent_at=timezone.now(),
        )
        if row is None:
            return 0
        Notification.objects.create(user_id=user_id, title=title, body=body, url=url)
    return 1


def _queue(reason, kind, channel, to, title, body, url, params) -> int | None:
    row = _insert(
        reason=reason,
        kind=kind,
        channel=channel,
        recipient=to,
        status=DeliveryStatus.QUEUED,
        title=title[:200],
        body=body,
        url=url[:300],
        params={key: str(value) for key, value in params.items()},
    )
    return None if row is None else row.pk


def deliveries_for(reason: str) -> list[Delivery]:
    """The messages sent for ``reason``, in the order they were sent."""
    return list(Delivery.objects.filter(reason=reason).order_by("pk"))
