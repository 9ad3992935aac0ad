"""The delivery log (投递记录): who may read it, and the reads behind its pages.

Every message of ``core.notify`` leaves a ``Delivery`` row: what went to whom, on which channel,
and what became of it. The rows name no region (a text goes to a number, an inbox message to an
account), so they cannot be cut down to a township or a village safely; the log is read only by
those who oversee the whole district: superusers, and administrators, CPPCC office staff and
supervisors whose role is held at the district itself. Everyone else is refused.

The log never shows a full mobile number (``mask_mobile``), a message's template parameters, or
the text of a verification code message.
"""

import datetime
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core.models import Channel, Delivery, DeliveryStatus, MessageKind
from shangliang.core.params import parse_id
from shangliang.core.phones import mask_mobile
from shangliang.orgs.permissions import roles_of
from shangliang.orgs.states import RegionLevel, Role

LOG_READERS = frozenset({Role.ADMINISTRATOR, Role.COMMITTEE_STAFF, Role.SUPERVISOR})
# The order of the counts at the top of the log, and the colour of each status.
STATUS_ORDER = (
    DeliveryStatus.DELIVERED,
    DeliveryStatus.SENT,
    DeliveryStatus.FAILED,
    DeliveryStatus.UNKNOWN,
    DeliveryStatus.QUEUED,
    DeliveryStatus.SENDING,
)
STATUS_BADGE = {
    DeliveryStatus.DELIVERED: "ok",
    DeliveryStatus.SENT: "warn",
    DeliveryStatus.FAILED: "no",
    DeliveryStatus.UNKNOWN: "warn",
    DeliveryStatus.QUEUED: "",
    DeliveryStatus.SENDING: "",
}
# A mainland mobile number inside free text (a reason, a gateway's error message).
MOBILE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def can_view_delivery_log(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return any(
        grant.role in LOG_READERS
        and grant.region_id
        and grant.region.level == RegionLevel.DISTRICT
        and not grant.region.is_archived
        for grant in roles_of(user)
    )


def mask_mobiles_in(text: str) -> str:
    """``text`` with every mobile number in it masked (138****0000)."""
    return MOBILE_IN_TEXT.sub(lambda match: mask_mobile(match.group(0)), text or "")


def is_code_message(delivery: Delivery) -> bool:
    """A verification code's text: its content is never shown (older rows carry no kind, only the reason)."""
    return delivery.kind == MessageKind.CODE or delivery.reason.startswith("code:")


@dataclass(frozen=True)
class DeliveryFilters:
    channel: str = ""
    status: str = ""
    kind: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    q: str = ""


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _filtered(filters: DeliveryFilters, *, with_status: bool) -> QuerySet[Delivery]:
    qs = Delivery.objects.all()
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.date_from:
        qs = qs.filter(created_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        qs = qs.filter(created_at__lt=_start_of(filters.date_to + datetime.timedelta(days=1)))
    if filters.q:
        qs = qs.filter(reason__icontains=filters.q)
    if with_status and filters.status:
        qs = qs.filter(status=filters.status)
    return qs


def deliveries_list(filters: DeliveryFilters) -> QuerySet[Delivery]:
    """The rows matching ``filters``, newest first; ``params`` is never read."""
    return _filtered(filters, with_status=True).defer("params", "body").order_by("-created_at", "-pk")


def delivery_counts(filters: DeliveryFilters) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, over the rows matching every filter but the status."""
    aggregates = {status.value: Count("pk", filter=Q(status=status)) for status in STATUS_ORDER}
    counts = _filtered(filters, with_status=False).aggregate(**aggregates)
    return [(status.value, status.label, counts[status.value]) for status in STATUS_ORDER]


def recipient_labels(deliveries) -> dict[int, str]:
    """How each row's recipient is shown, by row pk: a masked number, or the account's name (one query)."""
    accounts = {d.pk: parse_id(d.recipient) for d in deliveries if d.channel != Channel.SMS}
    user_ids = {pk for pk in accounts.values() if pk is not None}
    users = {user.pk: user for user in get_user_model().objects.filter(pk__in=user_ids)} if user_ids else {}
    labels = {}
    for delivery in deliveries:
        if delivery.channel == Channel.SMS:
            labels[delivery.pk] = mask_mobile(delivery.recipient)
            continue
        user = users.get(accounts[delivery.pk])
        labels[delivery.pk] = mask_mobiles_in(user.display_name) if user else _("（账号已不存在）")
    return labels


def get_delivery_for_log(user, pk) -> Delivery:
    """One row of the log; 404 for a missing row (the caller has checked ``can_view_delivery_log``)."""
    key = parse_id(pk)
    delivery = Delivery.objects.defer("params").filter(pk=key).first() if key is not None else None
    if delivery is None or not can_view_delivery_log(user):
        raise Http404
    return delivery
