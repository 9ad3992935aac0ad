"""Feedback to the people a consultation concerns (反馈): participants, submitters, supporters, followers.

Each step of the outcome (assigned, progress, done, deferred, published) is told to them through
the in-app inbox and the pluggable SMS/WeChat senders. Messages go out after the commit, and a
``FeedbackDelivery`` row per (event, person, channel) makes a retried job send nothing twice.
"""

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from shangliang.consultations.models import Consultation
from shangliang.core.models import Notification
from shangliang.core.senders import Message, sender_for
from shangliang.outcomes.models import FeedbackDelivery
from shangliang.outcomes.states import FeedbackEvent
from shangliang.topics.models import TopicFollow, TopicSupport

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    user_id: int | None
    mobile: str


def recipients_of(consultation: Consultation) -> list[Recipient]:
    """Everyone to tell, once each: by account where there is one, else by mobile number."""
    seen_users, seen_mobiles, result = set(), set(), []

    def add(user_id, mobile):
        mobile = mobile or ""
        if user_id and user_id in seen_users:
            return
        if not user_id and (not mobile or mobile in seen_mobiles):
            return
        if user_id:
            seen_users.add(user_id)
        if mobile:
            seen_mobiles.add(mobile)
        result.append(Recipient(user_id, mobile))

    for user_id, mobile in consultation.participants.values_list("user_id", "mobile"):
        add(user_id, mobile)
    topic = consultation.topic
    for user_id, mobile, anonymous in topic.submissions.values_list("submitter_id", "submitter_mobile", "is_anonymous"):
        add(user_id, "" if anonymous and not user_id else mobile)
    for user_id in TopicSupport.objects.filter(topic=topic).values_list("user_id", flat=True):
        add(user_id, "")
    for user_id in TopicFollow.objects.filter(topic=topic).values_list("user_id", flat=True):
        add(user_id, "")
    return result


def public_url(consultation: Consultation) -> str:
    return reverse("outcomes_public:result", args=[consultation.pk])


def schedule(consultation: Consultation, event: str, *, key: str, detail: str) -> None:
    """Tell everyone concerned after the current transaction commits."""
    transaction.on_commit(lambda: send(consultation.pk, event, key=key, detail=detail))


def _claim(consultation_id: int, event: str, key: str, channel: str, recipient: str) -> FeedbackDelivery | None:
    try:
        with transaction.atomic():
            return FeedbackDelivery.objects.create(
                consultation_id=consultation_id, event=event, key=key, channel=channel, recipient=recipient
            )
    except IntegrityError:
        return None


def send(consultation_id: int, event: str, *, key: str, detail: str) -> int:
    """Send one event's feedback to everyone not yet told; returns how many messages went out."""
    consultation = Consultation.objects.select_related("topic").get(pk=consultation_id)
    title = _("【%(event)s】%(topic)s") % {"event": FeedbackEvent(event).label, "topic": consultation.topic.title}
    url = public_url(consultation)
    sent = 0
    for person in recipients_of(consultation):
        if person.user_id and _claim(consultation_id, event, key, "app", str(person.user_id)):
            Notification.objects.create(user_id=person.user_id, title=title, body=detail, url=url)
            sent += 1
        if person.mobile:
            sent += _deliver(consultation_id, event, key, "sms", person.mobile, title, detail, url)
        elif person.user_id:
            sent += _deliver(consultation_id, event, key, "wechat", str(person.user_id), title, detail, url)
    return sent


def _deliver(consultation_id, event, key, channel, to, title, body, url) -> int:
    with transaction.atomic():
        delivery = _claim(consultation_id, event, key, channel, to)
        if delivery is None:
            return 0
        try:
            result = sender_for(channel).send(Message(channel=channel, to=to, title=title, body=body, url=url))
        except Exception:  # a gateway failure must not stop the others; the row records it
            logger.exception("feedback %s to %s failed", channel, to)
            return 0
        delivery.is_delivered = result.delivered
        delivery.save(update_fields=["is_delivered"])
        return 1
