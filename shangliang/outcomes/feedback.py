"""Feedback to the people a consultation concerns (反馈): participants, submitters, supporters, followers.

Each step of the outcome (assigned, progress, done, deferred, published) is told to them through
``core.notify``: the in-app inbox in the step's transaction, a text or WeChat message after the
commit. The reason names the event and what it is about, so a retried step tells nobody twice.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from shangliang.consultations.models import Consultation
from shangliang.core.notify import Kind, Recipient, notify
from shangliang.outcomes.states import FeedbackEvent
from shangliang.topics.models import TopicFollow, TopicSupport


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


def result_path(consultation: Consultation) -> str:
    return reverse("outcomes_public:result", args=[consultation.pk])


def reason(event: str, key: str) -> str:
    return f"feedback.{event}:{key}"


def tell_concerned(consultation: Consultation, event: str, *, key: str, detail: str) -> int:
    """Tell everyone concerned about ``event`` of what ``key`` names (``assignment:12``), once each.

    Call inside the step's transaction: the inbox messages commit with it, texts and WeChat
    messages go out after the commit, and a rollback sends nothing. Returns how many inbox
    messages were written.
    """
    title = _("【%(event)s】%(topic)s") % {"event": FeedbackEvent(event).label, "topic": consultation.topic.title}
    return notify(
        kind=Kind.FEEDBACK,
        reason=reason(event, key),
        recipients=recipients_of(consultation),
        title=title,
        body=detail,
        url=result_path(consultation),
    )
