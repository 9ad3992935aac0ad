"""Handing a matter to another channel, recording the answer, withdrawing a hand-off made in error.

What a hand-off does to the matter (``topics.elsewhere``): the matter keeps its own status, and the
live hand-off settles it through the other channel.
- A submission waiting for screening or accepted leaves the screening and drafting queues; its
  tracking page says "已转交（渠道）办理" with to whom, when and why, then the answer.
- A topic not yet consulted (draft, pending, returned, approved without a consultation under way)
  is no longer offered for planning or approval.
- A suggestion of a concluded consultation that no unit holds is settled by the hand-off: it is not
  waited on for a decision or an assignment, and does not hold back completion or publication.
The people concerned are told when it is handed and when the answer comes.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from shangliang.consultations.models import Consultation, Suggestion
from shangliang.consultations.states import ConsultationStatus, SuggestionDecision, VoteResult
from shangliang.core.errors import DomainError
from shangliang.core.limits import EXCERPT_SHORT, excerpt
from shangliang.core.notify import Kind, Recipient, notify
from shangliang.core.records import save_record
from shangliang.core.transitions import ensure_move, transition
from shangliang.handoffs import permissions
from shangliang.handoffs.models import Handoff
from shangliang.handoffs.states import HANDOFF_MOVES, Channel, HandoffStatus
from shangliang.outcomes import feedback
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.states import AssignmentStatus
from shangliang.topics.models import Submission, Topic, TopicFollow, TopicSupport
from shangliang.topics.states import OPEN_SUBMISSION_STATUSES, TopicStatus

# Topics not yet consulted: still being drafted or decided, or approved with no consultation under way.
HANDABLE_TOPIC_STATUSES = frozenset(
    {TopicStatus.DRAFT, TopicStatus.PENDING, TopicStatus.RETURNED, TopicStatus.APPROVED}
)


def _has_live_handoff(**subject) -> bool:
    return Handoff.objects.filter(**subject).exclude(status=HandoffStatus.WITHDRAWN).exists()


def handoff_refusal(subject) -> str:
    """Why ``subject`` cannot be handed to another channel now ("" when it can)."""
    if isinstance(subject, Submission):
        if subject.status not in OPEN_SUBMISSION_STATUSES:
            return _("只有待筛查或已受理、尚未转为议题的诉求可以转交其他渠道。")
        if _has_live_handoff(submission=subject):
            return _("这件诉求已经转交其他渠道办理。")
        return ""
    if isinstance(subject, Topic):
        if subject.status not in HANDABLE_TOPIC_STATUSES or subject.is_archived:
            return _("只有尚未协商的议题（拟定中、待审定、退回补充或已审定未安排协商）可以转交其他渠道。")
        under_way = subject.consultations.exclude(status=ConsultationStatus.CANCELLED).exists()
        if under_way:
            return _("这个议题已经安排了协商，不能再转交其他渠道；协商形成的建议可以逐条转交。")
        if _has_live_handoff(topic=subject):
            return _("这个议题已经转交其他渠道办理。")
        return ""
    if isinstance(subject, Suggestion):
        if subject.consultation.status != ConsultationStatus.CONCLUDED:
            return _("协商意见形成后，才能将其中的建议转交其他渠道。")
        if subject.withdrawn_at is not None:
            return _("这条建议已撤回。")
        if subject.vote_result == VoteResult.DROPPED:
            return _("这条建议经会议表决未通过，不能转交。")
        if subject.awaits_vote:
            return _("这条建议存在较大争议，须先由村（居）民会议或代表会议表决。")
        if subject.decision == SuggestionDecision.NOT_ADOPTED:
            return _("这条建议已决定不予采纳，不能转交。")
        live = Assignment.objects.filter(suggestion=subject).exclude(status=AssignmentStatus.RETURNED)
        if live.exists():
            return _("这条建议已经交办给承办单位，不能再转交其他渠道。")
        if _has_live_handoff(suggestion=subject):
            return _("这条建议已经转交其他渠道办理。")
        return ""
    return _("只能转交群众诉求、议题或协商建议。")


def _region_of(subject):
    if isinstance(subject, Submission):
        return subject.region
    if isinstance(subject, Topic):
        return subject.convening_region
    return subject.consultation.topic.convening_region


def _title_of(subject) -> str:
    if isinstance(subject, Suggestion):
        return excerpt(subject.text, EXCERPT_SHORT)
    return subject.title


def _lock(subject):
    model = type(subject)
    manager = Suggestion.all_objects if model is Suggestion else model.objects
    return manager.select_for_update(of=("self",)).get(pk=subject.pk)


# --- who is told -----------------------------------------------------------------------------------


class _People:
    """Recipients, once each: by account where there is one, else by a proved mobile number."""

    def __init__(self):
        self.users, self.mobiles, self.list = set(), set(), []

    def add(self, user_id, mobile=""):
        mobile = mobile or ""
        if user_id and user_id in self.users or not user_id and (not mobile or mobile in self.mobiles):
            return
        if user_id:
            self.users.add(user_id)
        if mobile:
            self.mobiles.add(mobile)
        self.list.append(Recipient(user_id, mobile))

    def add_submitters(self, submissions):
        rows = submissions.values_list(
            "submitter_id", "submitter_mobile", "is_anonymous", "mobile_verified_at", "via_member__user_id"
        )
        for user_id, mobile, anonymous, verified_at, member_user_id in rows:
            # A named submission counts as named once its number is proved; until then no text goes to it.
            self.add(user_id, mobile if not anonymous and verified_at else "")
            if member_user_id:
                self.add(member_user_id)


def _concerned(handoff: Handoff) -> tuple[list[Recipient], str]:
    """Who is told of ``handoff`` and the page their message links to."""
    people = _People()
    if handoff.submission_id:
        submission = handoff.submission
        people.add_submitters(Submission.objects.filter(pk=submission.pk))
        # Those merged into it follow it.
        people.add_submitters(Submission.objects.filter(merged_into=submission))
        return people.list, reverse("topics:track_detail", args=[submission.tracking_code])
    if handoff.topic_id:
        topic = handoff.topic
        people.add_submitters(topic.submissions.all())
        for user_id in TopicSupport.objects.filter(topic=topic).values_list("user_id", flat=True):
            people.add(user_id)
        for user_id in TopicFollow.objects.filter(topic=topic).values_list("user_id", flat=True):
            people.add(user_id)
        public = topic.status == TopicStatus.APPROVED
        return people.list, reverse("topics:pool_topic", args=[topic.pk]) if public else reverse(
            "topics:my_submissions"
        )
    consultation: Consultation = handoff.suggestion.consultation
    return feedback.recipients_of(consultation), feedback.result_path(consultation)


def _day(moment) -> str:
    return date_format(localtime(moment), "Y-m-d")


def handed_text(handoff: Handoff) -> str:
    """已转交（渠道）办理：对象，日期，理由 — as the tracking page and the message say it (no person's name)."""
    return _("已转交（%(channel)s）办理：%(to)s，%(day)s。理由：%(reason)s") % {
        "channel": handoff.get_channel_display(),
        "to": handoff.to_whom,
        "day": _day(handoff.handed_at),
        "reason": handoff.reason,
    }


def _tell(handoff: Handoff, event: str, title: str, body: str) -> int:
    recipients, url = _concerned(handoff)
    if not recipients:
        return 0
    return notify(
        kind=Kind.FEEDBACK,
        reason=f"handoff.{event}:{handoff.pk}",
        recipients=recipients,
        title=title,
        body=body,
        url=url,
    )


# --- the steps -------------------------------------------------------------------------------------


@transaction.atomic
def handoff_create(
    *,
    actor,
    subject,
    channel: str,
    reason: str,
    unit=None,
    recipient: str = "",
    reference: str = "",
    handed_at=None,
    now=None,
) -> Handoff:
    """Hand ``subject`` (a submission, topic or suggestion) to another channel and tell the people concerned.

    Only who decides the matter now may (``permissions.can_hand_off``); refused for a matter past the point
    where it can be handed (a submission drafted, a topic consulted, a suggestion assigned …), already
    handed, without a channel, a recipient (a unit or a name) or a reason. ``handed_at`` is when it was
    handed (default now; never in the future)."""
    now = now or timezone.now()
    subject = _lock(subject)
    if not permissions.can_hand_off(actor, subject):
        raise PermissionDenied
    if refusal := handoff_refusal(subject):
        raise DomainError(refusal)
    if channel not in Channel.values:
        raise DomainError(_("请选择转交渠道。"), field="channel")
    recipient = (recipient or "").strip()
    if unit is None and not recipient:
        raise DomainError(_("请选择接收单位，或填写接收对象（如：镇人大主席团）。"), field="recipient")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请写明转交理由，群众将在查询页看到。"), field="reason")
    handed_at = handed_at or now
    if handed_at > now:
        raise DomainError(_("转交时间不能晚于现在。"), field="handed_on")
    if timezone.localdate(handed_at) < timezone.localdate(subject.created_at):
        raise DomainError(_("转交时间不能早于该事项的登记时间。"), field="handed_on")
    handoff = Handoff(
        channel=channel,
        unit=unit,
        recipient="" if unit is not None else recipient,
        reason=reason,
        reference=(reference or "").strip(),
        handed_at=handed_at,
        handed_by=actor,
        region=_region_of(subject),
        **{type(subject).__name__.lower(): subject},
    )
    save_record(handoff, actor=actor, reason="handoff.handed", note=reason, now=handed_at)
    title = _("【已转交其他渠道办理】%(title)s") % {"title": _title_of(subject)}
    _tell(handoff, "handed", title, handed_text(handoff))
    return handoff


@transaction.atomic
def handoff_answer(*, actor, handoff: Handoff, answer: str, answered_at=None, attachment=None, now=None) -> Handoff:
    """Record the answer the other channel gave (text, when, the letter), and tell the people concerned."""
    now = now or timezone.now()
    handoff = Handoff.objects.select_for_update(of=("self",)).get(pk=handoff.pk)
    if not permissions.can_follow_up(actor, handoff):
        raise PermissionDenied
    ensure_move(handoff, to=HandoffStatus.ANSWERED, moves=HANDOFF_MOVES)
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(_("请填写答复内容，群众将在查询页看到。"), field="answer")
    answered_at = answered_at or now
    if answered_at > now:
        raise DomainError(_("答复时间不能晚于现在。"), field="answered_on")
    if answered_at < handoff.handed_at:
        raise DomainError(_("答复时间不能早于转交时间。"), field="answered_on")
    changes = {"answer": answer, "answered_at": answered_at, "answer_recorded_by": actor}
    if attachment:
        changes["answer_attachment"] = attachment
    transition(
        handoff,
        to=HandoffStatus.ANSWERED,
        moves=HANDOFF_MOVES,
        actor=actor,
        reason="handoff.answered",
        changes=changes,
        now=answered_at,
    )
    title = _("【转交事项已答复】%(title)s") % {"title": _title_of(handoff.subject)}
    body = _("%(channel)s（%(to)s）答复：%(answer)s") % {
        "channel": handoff.get_channel_display(),
        "to": handoff.to_whom,
        "answer": excerpt(answer),
    }
    _tell(handoff, "answered", title, body)
    return handoff


@transaction.atomic
def handoff_withdraw(*, actor, handoff: Handoff, reason: str, now=None) -> Handoff:
    """Withdraw a hand-off made in error (before the answer): the matter comes back to where it was."""
    handoff = Handoff.objects.select_for_update(of=("self",)).get(pk=handoff.pk)
    if not permissions.can_follow_up(actor, handoff):
        raise PermissionDenied
    ensure_move(handoff, to=HandoffStatus.WITHDRAWN, moves=HANDOFF_MOVES)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请写明撤回原因。"), field="reason")
    return transition(
        handoff,
        to=HandoffStatus.WITHDRAWN,
        moves=HANDOFF_MOVES,
        actor=actor,
        reason="handoff.withdrawn",
        note=reason,
        changes={"withdraw_reason": reason, "withdrawn_by": actor},
        now=now,
    )
