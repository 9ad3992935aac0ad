"""镇村联动 (003: 建立镇协商与村、社区协商的联动机制): a village topic handed up to the township.

A village (or villager group / grid) topic that the village cannot settle is escalated
(``topic_escalate``): the township topic is drafted from it, the township's station verifies,
drafts and submits it as usual, the township's approver decides, and the township convenes. The
village topic stays as it was, marked ESCALATED, and points to the township topic; the residents
who brought it, supported it or follow it now follow the township topic to its end.

The other half of the linkage (a township outcome handing items down to villages) belongs to the
outcomes stage: ``outcomes.handdown``.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from shangliang.core.errors import DomainError
from shangliang.core.notify import Kind, notify
from shangliang.core.records import save_record
from shangliang.core.transitions import ensure_move, transition
from shangliang.orgs.models import Platform, Region
from shangliang.orgs.permissions import path_q, region_paths
from shangliang.orgs.selectors import path_ids
from shangliang.orgs.states import PlatformKind, RegionLevel, Role
from shangliang.topics.models import Submission, Topic, TopicFollow, TopicSupport
from shangliang.topics.permissions import SCREENERS, can_edit_topic
from shangliang.topics.states import CRITERIA, TOPIC_MOVES, ConveningLevel, TopicStatus

# The levels a topic may be handed up from: a village's own matter, or a villager group's / grid's.
ESCALATABLE_LEVELS = frozenset({ConveningLevel.VILLAGE, ConveningLevel.GRID})
ESCALATABLE_STATUSES = frozenset({TopicStatus.DRAFT, TopicStatus.PENDING, TopicStatus.RETURNED, TopicStatus.APPROVED})
# Topics may not import consultations: a consultation's status by its stored value.
CANCELLED_CONSULTATION = "cancelled"
# The township topic is still with the station (to verify, draft and submit).
TOWNSHIP_DRAFTING = (TopicStatus.DRAFT, TopicStatus.RETURNED)

# Fields the township topic takes over from the village topic as they stand.
COPIED_FIELDS = (
    "title",
    "background",
    "category",
    "is_livelihood",
    "small_cut_reason",
    "source",
    "urgency",
    "weight",
    *CRITERIA,
)


def township_above(region: Region) -> Region | None:
    """The township (street) a village or grid lies in; None when the chain has none."""
    ids = path_ids(region.path)
    if len(ids) < 2:
        return None
    township = Region.objects.filter(pk=ids[1]).first()
    return township if township is not None and township.level == RegionLevel.TOWNSHIP else None


def township_room(township: Region) -> Platform | None:
    """The township's consultation room (乡镇（街道）协商议事室), if it has one."""
    return (
        Platform.objects.filter(region=township, kind=PlatformKind.TOWNSHIP_ROOM, is_archived=False)
        .order_by("pk")
        .first()
    )


def escalation_refusal(topic: Topic) -> str | None:
    """Why ``topic`` cannot be handed up to the township now (None when it can). Reads the topic's
    consultations only for an approved one."""
    if topic.convening_level not in ESCALATABLE_LEVELS:
        return _("只有村（社区）或村民小组、网格召集的议题可以提请乡镇（街道）协商。")
    if topic.status == TopicStatus.ESCALATED:
        return _("该议题已提请乡镇（街道）协商。")
    if topic.status not in ESCALATABLE_STATUSES:
        return _("不予审定的议题不能提请乡镇（街道）协商。")
    if topic.status == TopicStatus.APPROVED and topic.consultations.exclude(status=CANCELLED_CONSULTATION).exists():
        return _("该议题已安排协商，不能再提请乡镇（街道）协商；如确需提请，请先取消协商。")
    return None


def can_escalate(user, topic: Topic) -> bool:
    """Whoever may edit the topic (the village convener, the township station head) while the topic allows it."""
    return can_edit_topic(user, topic) and escalation_refusal(topic) is None


@transaction.atomic
def topic_escalate(*, actor, topic: Topic, reason: str) -> Topic:
    """Hand a village (or grid) topic up to the township (提请乡镇（街道）协商); returns the township topic.

    The township topic is a draft convened by the township above, at the township level, on the
    township's room when it has one, with the village topic's title, background, category, regions,
    source, priority and criteria, drafted by ``actor``. The village topic moves to ESCALATED with the
    reason ("topic.escalated"); the new one is recorded as received ("topic.escalation_received").
    The submissions drafted into the village topic now follow the township topic (a history row
    each, "submission.escalated"), and its supporters and followers support and follow it too.

    Raises DomainError without a reason, for a topic that is not a village's or grid's, is rejected or
    already escalated, or is approved with a consultation under way (not cancelled); or when no
    township lies above it.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请写明提请乡镇（街道）协商的理由。"), field="reason")
    topic = Topic.objects.select_for_update().select_related("convening_region").get(pk=topic.pk)
    if refusal := escalation_refusal(topic):
        raise DomainError(refusal, field="reason")
    ensure_move(topic, to=TopicStatus.ESCALATED, moves=TOPIC_MOVES)
    township = township_above(topic.convening_region)
    if township is None:
        raise DomainError(_("找不到该议题所在的乡镇（街道）。"), field="reason")
    received = Topic(
        **{name: getattr(topic, name) for name in COPIED_FIELDS},
        convening_region=township,
        convening_level=ConveningLevel.TOWNSHIP,
        platform=township_room(township),
        drafted_by=actor,
        escalated_from=topic,
    )
    save_record(
        received,
        actor=actor,
        reason="topic.escalation_received",
        note=reason,
        m2m={"regions": list(topic.regions.all())},
    )
    transition(
        topic,
        to=TopicStatus.ESCALATED,
        moves=TOPIC_MOVES,
        actor=actor,
        reason="topic.escalated",
        note=reason,
        changes={"escalation_reason": reason},
    )
    _carry_over(topic, received, actor)
    _tell_station(received, township, topic.convening_region, reason)
    return received


def _tell_station(received: Topic, township: Region, village: Region, reason: str) -> None:
    """The township's station heads learn at once that a village handed a topic up to them."""
    heads = (
        get_user_model()
        .objects.filter(
            is_active=True,
            scoped_roles__role=Role.STATION_HEAD,
            scoped_roles__revoked_at__isnull=True,
            scoped_roles__region=township,
        )
        .distinct()
        .order_by("pk")
    )
    values = {"village": village.name, "township": township.name, "topic": received.title, "reason": reason}
    notify(
        kind=Kind.REMINDER,
        reason=f"topic.escalated:{received.pk}",
        recipients=list(heads),
        title=_("【村（社区）提请】%(topic)s") % values,
        body=_("%(village)s提请%(township)s协商，请核实拟定后提交审定。提请理由：%(reason)s") % values,
        url=reverse("topics:topic_detail", args=[received.pk]),
    )


def _carry_over(village: Topic, township: Topic, actor) -> None:
    """The people of the village topic follow the township topic: its submissions, supporters, followers."""
    for submission in Submission.objects.select_for_update().filter(topic=village).order_by("pk"):
        submission.topic = township
        save_record(submission, actor=actor, reason="submission.escalated", update_fields=["topic", "updated_at"])
    for support in TopicSupport.objects.filter(topic=village).order_by("pk"):
        if support.user_id:
            TopicSupport.objects.get_or_create(topic=township, user_id=support.user_id)
        else:
            TopicSupport.objects.get_or_create(topic=township, submission_id=support.submission_id)
    for user_id in TopicFollow.objects.filter(topic=village).values_list("user_id", flat=True):
        TopicFollow.objects.get_or_create(topic=township, user_id=user_id)


# --- reads ---------------------------------------------------------------------------------


def escalations_to_draft(user) -> QuerySet[Topic]:
    """Township topics handed up by villages that the user's station still has to verify, draft and submit
    (村（社区）提请的议题): the SQL form of ``can_edit_topic`` on them."""
    qs = Topic.objects.filter(escalated_from__isnull=False, status__in=TOWNSHIP_DRAFTING, is_archived=False)
    if getattr(user, "is_superuser", False):
        return qs
    return qs.filter(path_q(region_paths(user, SCREENERS), "convening_region__path"))


@dataclass(frozen=True)
class Linkage:
    """What a topic page says about the linkage: where it was handed up from, where it went."""

    escalated_from: Topic | None
    escalated_to: Topic | None
    can_escalate: bool
    refusal: str  # why the user who may edit it cannot escalate it now ('' when they can, or may not edit)


def topic_linkage(user, topic: Topic) -> Linkage:
    """The linkage of ``topic`` for its staff page (two queries at most)."""
    escalated_from = (
        Topic.objects.select_related("convening_region").filter(pk=topic.escalated_from_id).first()
        if topic.escalated_from_id
        else None
    )
    escalated_to = None
    if topic.status == TopicStatus.ESCALATED:
        escalated_to = Topic.objects.select_related("convening_region").filter(escalated_from=topic).first()
    refusal = ""
    open_to_escalation = topic.convening_level in ESCALATABLE_LEVELS and topic.status in ESCALATABLE_STATUSES
    if open_to_escalation and can_edit_topic(user, topic):
        refusal = escalation_refusal(topic) or ""
    may = open_to_escalation and not refusal and can_edit_topic(user, topic)
    return Linkage(escalated_from, escalated_to, may, refusal)


def public_successor(pk) -> Topic | None:
    """The approved township topic an escalated village topic ``pk`` was handed up to: the village topic's
    public address (it was in the pool once approved) leads there."""
    return (
        Topic.objects.filter(
            escalated_from_id=pk,
            escalated_from__status=TopicStatus.ESCALATED,
            status=TopicStatus.APPROVED,
            is_archived=False,
        )
        .only("pk")
        .first()
    )
