"""Send the texts and WeChat messages that ``core.notify`` queued, each at most once.

``notify`` writes each outgoing message as a ``Delivery`` row (``queued``) in the caller's
transaction and, after the commit, calls ``deliveries_dispatch(ids)``: the rows are handed to the
Celery worker when ``SHANGLIANG_SCHEDULER`` is ``celery``, otherwise to a thread of this process
(the request answers without waiting for the gateway); tests (``SHANGLIANG_TASKS_EAGER``) and
callers still inside a transaction send them at once.

``deliveries_send(ids)`` sends each row in three steps (called after the commit, or from a job,
so in autocommit):

1. claim: one conditional UPDATE (``queued`` and due → ``sending``, attempts + 1), committed
   before the gateway is called, so no other run can claim the row again;
2. send through the channel's sender (``core.senders``), outside any transaction;
3. record the answer in a short transaction of its own: ``delivered``, ``sent`` (accepted, receipt
   to come), ``failed``, or back to ``queued`` with the next attempt after 1, 2, 4 … minutes for a
   passing refusal, until ``SHANGLIANG_DELIVERY_MAX_ATTEMPTS``. A sender that raises before anything left (connection
   refused, an unknown host) is retried the same way; any other error (a timeout, a broken answer)
   leaves 结果不明 (``unknown``): the gateway may have sent it, so it is never sent again.

A process killed between 2 and 3 leaves its row ``sending``: never sent again, and marked
``unknown`` by ``deliveries_run`` after ``SHANGLIANG_DELIVERY_STALE_MINUTES``. ``deliveries_run``
is the periodic job: it also sends queued rows that are due again, and rows whose dispatch after
the commit was lost with its process. Template parameters (a code) are erased once a row is final.

``receipts_record`` applies a provider's delivery receipts (回执, ``core.hook_views``) to the rows
it sent.
"""

import logging
import socket
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from shangliang.core.models import Delivery, DeliveryStatus, Provider
from shangliang.core.senders import Message, Result, SendStatus, sender_for, sender_provider

logger = logging.getLogger(__name__)

SEND_TASK = "shangliang.core.tasks.send_deliveries"
# A queued row never tried this long after it was written lost its dispatch (the process died).
LOST_AFTER = timedelta(minutes=1)
# Rows one periodic run sends at most; the next run takes the rest.
BATCH = 500


def deliveries_dispatch(ids: list[int]) -> None:
    """After the commit: hand the rows to the worker (``SHANGLIANG_SCHEDULER=celery``) or to a thread
    of this process, so the request that wrote them answers at once.

    Inside a transaction (the demo plays steps in one) another process or thread could not see the
    rows yet, and with ``SHANGLIANG_TASKS_EAGER`` (tests) the caller waits: both send them here.
    A broker that cannot be reached leaves the rows to the periodic run.
    """
    if settings.SHANGLIANG_TASKS_EAGER or connection.in_atomic_block:
        deliveries_send(ids)
    elif settings.SHANGLIANG_SCHEDULER == "celery":
        try:
            current_app.send_task(SEND_TASK, args=[list(ids)])
        except Exception:  # the broker is down; deliveries_run sends them within minutes
            logger.exception("could not enqueue deliveries %s; the periodic run will send them", ids)
    else:
        # A gateway answers in tens of milliseconds a text: a notice to a hundred people must not
        # hold the convener's page for seconds. A thread of this process sends them; if the process
        # ends first, deliveries_run sends what is still queued a minute later.
        threading.Thread(target=_send_in_thread, args=(list(ids),), daemon=True).start()


def _send_in_thread(ids: list[int]) -> None:
    try:
        deliveries_send(ids)
    except Exception:  # logged; the rows stay queued for deliveries_run
        logger.exception("sending deliveries %s failed; the periodic run will send what is left", ids)
    finally:
        connection.close()


def deliveries_send(ids, *, now: datetime | None = None) -> int:
    """Send each queued and due row of ``ids`` once; returns how many the gateways accepted."""
    return sum(_deliver(pk, now or timezone.now()) for pk in ids)


def _claim(pk: int, now: datetime, provider: str) -> bool:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return bool(
        Delivery.objects.filter(due, pk=pk, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, sent_at=now, provider=provider
        )
    )


def _deliver(pk: int, now: datetime) -> int:
    channel = Delivery.objects.filter(pk=pk, status=DeliveryStatus.QUEUED).values_list("channel", flat=True).first()
    if channel is None:
        return 0
    sender = sender_for(channel)
    provider = sender_provider(sender)
    if not _claim(pk, now, provider):
        return 0
    row = Delivery.objects.get(pk=pk)
    message = Message(
        channel=row.channel,
        to=row.recipient,
        title=row.title,
        body=row.body,
        url=row.url,
        kind=row.kind,
        params=dict(row.params or {}),
        delivery_id=row.pk,
    )
    try:
        result = sender.send(message)
    except Exception as error:  # one message's failure never stops the others
        detail = f"{type(error).__name__}: {error}"
        if never_left(error):
            logger.warning("%s for %s (row %s) not sent: %s; sent again later", row.channel, row.reason, pk, detail)
            result = Result(SendStatus.RETRY, detail)
        else:
            logger.exception("%s for %s (row %s) cut off: result unknown, not sent again", row.channel, row.reason, pk)
            _finish(row, DeliveryStatus.UNKNOWN, _("结果不明：%(detail)s") % {"detail": detail}, provider=provider)
            return 0
    if result.status == SendStatus.RETRY:
        _retry(row, result.detail, now, provider)
        return 0
    status = {
        SendStatus.DELIVERED: DeliveryStatus.DELIVERED,
        SendStatus.SENT: DeliveryStatus.SENT,
        SendStatus.FAILED: DeliveryStatus.FAILED,
    }[result.status]
    _finish(row, status, result.detail, provider=provider, provider_id=result.provider_id, sent_at=now)
    return int(result.accepted)


def _record(row: Delivery, **fields) -> None:
    """Write the answer on a row this run still holds (``sending``), through ``save`` so the row's
    save is seen like any other (the demo's timeline dates it)."""
    with transaction.atomic():
        held = Delivery.objects.select_for_update().filter(pk=row.pk, status=DeliveryStatus.SENDING).first()
        if held is None:  # marked 结果不明 meanwhile by a run that took this one for dead
            return
        for name, value in fields.items():
            setattr(held, name, value)
        held.save(update_fields=list(fields))


def _finish(row: Delivery, status: str, detail: str, *, provider: str, provider_id: str = "", sent_at=None) -> None:
    """Record a final answer on a claimed row and erase its template parameters (a code)."""
    fields = {"status": status, "detail": (detail or "")[:200], "provider": provider, "params": {}}
    fields["next_attempt_at"] = None
    if status != DeliveryStatus.UNKNOWN:
        # 结果不明 keeps the time of the attempt; a refusal has none.
        fields["sent_at"] = sent_at if status in (DeliveryStatus.DELIVERED, DeliveryStatus.SENT) else None
    if provider_id:
        fields["provider_id"] = provider_id[:64]
    _record(row, **fields)


def _retry(row: Delivery, detail: str, now: datetime, provider: str) -> None:
    attempts = row.attempts
    if attempts >= settings.SHANGLIANG_DELIVERY_MAX_ATTEMPTS:
        text = _("%(detail)s（已尝试%(attempts)s次，不再发送）") % {"detail": detail, "attempts": attempts}
        _finish(row, DeliveryStatus.FAILED, text, provider=provider)
        return
    _record(
        row,
        status=DeliveryStatus.QUEUED,
        detail=(detail or "")[:200],
        provider=provider,
        next_attempt_at=now + timedelta(minutes=2 ** (attempts - 1)),
        sent_at=None,
    )


def never_left(error: BaseException) -> bool:
    """The connection to the gateway was never opened (refused, unknown host, connect timeout),
    so nothing was sent and the message may be sent again.

    SDKs wrap the socket's error (requests in urllib3, both in their own exceptions), so the chain
    of causes, wrapped errors and arguments is searched.
    """
    seen, stack = set(), [error]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError | socket.gaierror | NewConnectionError | ConnectTimeoutError):
            return True
        stack.extend((current.__cause__, current.__context__))
        stack.extend(
            value
            for value in (getattr(current, "inner_exception", None), getattr(current, "reason", None), *current.args)
            if isinstance(value, BaseException)
        )
    return False


def deliveries_run(now: datetime | None = None) -> int:
    """The periodic job: send queued rows that are due; mark rows stuck in ``sending`` 结果不明.

    Returns how many messages the gateways accepted. Safe to run in several processes at once:
    each row is claimed by one of them.
    """
    now = now or timezone.now()
    stale = now - timedelta(minutes=settings.SHANGLIANG_DELIVERY_STALE_MINUTES)
    cut_off = Delivery.objects.filter(status=DeliveryStatus.SENDING, sent_at__lt=stale).update(
        status=DeliveryStatus.UNKNOWN,
        detail=_("结果不明：发送进程中断，未再发送"),
        params={},
    )
    if cut_off:
        logger.warning("%s messages were cut off while sending; marked unknown, not sent again", cut_off)
    due = Delivery.objects.filter(
        Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True, created_at__lte=now - LOST_AFTER),
        status=DeliveryStatus.QUEUED,
    )
    ids = list(due.order_by("pk").values_list("pk", flat=True)[:BATCH])
    return deliveries_send(ids, now=now)


# --- receipts (回执) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    provider_id: str  # 阿里云 biz_id, 腾讯云 sid
    delivered: bool
    code: str = ""  # the carrier's status code (DELIVERED, DELIVRD, MK:0001 …)
    message: str = ""
    received_at: datetime | None = None
    delivery_id: int | None = None  # our row, when the provider echoes it (阿里云 out_id)


def receipts_record(provider: str, receipts: list[Receipt], *, now: datetime | None = None) -> int:
    """Mark the rows ``provider`` accepted as delivered or failed; returns how many rows changed.

    A receipt names the row by the provider's id; a row left 结果不明 (the answer was lost) is found
    by our id when the provider echoes it. Unknown ids and repeated receipts change nothing.
    """
    if provider not in Provider.values:
        raise ValueError(provider)
    now = now or timezone.now()
    changed = 0
    for receipt in receipts:
        target = Q(provider_id=receipt.provider_id, status=DeliveryStatus.SENT) if receipt.provider_id else Q(pk=-1)
        if receipt.delivery_id:
            target |= Q(pk=receipt.delivery_id, status=DeliveryStatus.UNKNOWN)
        status = DeliveryStatus.DELIVERED if receipt.delivered else DeliveryStatus.FAILED
        detail = " ".join(part for part in (receipt.code, receipt.message) if part)
        fields = {"status": status, "receipt_at": receipt.received_at or now, "detail": detail[:200]}
        if receipt.provider_id:
            fields["provider_id"] = receipt.provider_id[:64]
        changed += Delivery.objects.filter(target, provider=provider).update(**fields)
    return changed
