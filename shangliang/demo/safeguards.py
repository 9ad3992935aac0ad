"""The demo district's own rules and the township–village linkage, set yesterday, after its history is played.

- Procedure rules (协商程序规则): a matter convened by the district or touching two villages or more
  is talked over at a 民主听证会 or 专题议事会; every village resolution is reviewed by the township
  government before it is reported or assigned.
- Approval routes (议题审定规则): township and district topics are approved by their party committee
  with the meeting recorded; company rooms by the same or a higher party organisation; sector rooms
  and member studios by the CPPCC committee.
- A villager group's matter is convened by the group, under its village (村民小组召集).
- A village topic the village cannot settle is handed up to the township (镇村联动).
"""

from collections import Counter
from datetime import datetime, time, timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shangliang.consultations.models import ProcedureRules, SessionFormat
from shangliang.consultations.states import LegalReviewMode
from shangliang.core.records import save_record
from shangliang.demo import district
from shangliang.demo.content import load
from shangliang.demo.timeline import Timeline
from shangliang.orgs.models import Region
from shangliang.orgs.states import PlatformKind, Role
from shangliang.topics import linkage
from shangliang.topics import services as topic_services
from shangliang.topics.models import ApprovalRoute, Submission, Topic
from shangliang.topics.states import ApprovalRouteKind, ConveningLevel, SubmissionStatus, TopicStatus

_SAFEGUARDS = load("safeguards")

ROUTES = (
    # (platform kind, convening level, route, party meeting recorded)
    ("", ConveningLevel.TOWNSHIP, ApprovalRouteKind.SAME_LEVEL, True),
    ("", ConveningLevel.DISTRICT, ApprovalRouteKind.SAME_LEVEL, True),
    (PlatformKind.COMPANY_ROOM, "", ApprovalRouteKind.SAME_OR_HIGHER, False),
    (PlatformKind.SECTOR_ROOM, "", ApprovalRouteKind.CPPCC_COMMITTEE, False),
    (PlatformKind.MEMBER_STUDIO, "", ApprovalRouteKind.CPPCC_COMMITTEE, False),
)


def build_demo_safeguards(*, stdout=None) -> dict:
    """Set the rules, convene one villager group's matter and escalate one village topic, yesterday.
    Returns the counts."""
    with transaction.atomic():
        users = {u.username: u for u in get_user_model().objects.filter(username__in=district.DEMO_USERNAMES)}
        the_district = Region.objects.get(code=district.DISTRICT_CODE)
        township = users["township_party"].scoped_roles.get(role=Role.APPROVER).region
        yesterday = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=1), time(9)))
        done = {}
        timeline = Timeline()
        timeline.add(yesterday, partial(set_rules, users["admin"], the_district))
        timeline.add(yesterday + timedelta(hours=1), partial(convene_group, users["convener2"], done))
        timeline.add(yesterday + timedelta(hours=2), partial(escalate_village_topic, users["station"], township, done))
        timeline.play()
        if stdout is not None:
            stdout.write(f"程序规则与审定规则 {len(ROUTES)} 条；村民小组议题 {int('group' in done)} 个\n")
        # The topic counts again: the escalation added the township topic and moved the village one.
        topics = Topic.objects.filter(convening_region__path__startswith=the_district.path)
        by_status = Counter(topics.values_list("status", flat=True))
        return {
            "topics": topics.count(),
            **{f"topics_{status}": by_status[status] for status in TopicStatus.values},
            "approval_routes": len(ROUTES),
            "escalations": int("escalated" in done),
        }


def set_rules(admin, the_district: Region, when: datetime) -> None:
    """A matter of the district or of two villages or more is heard (民主听证会、专题议事会); every village
    resolution is reviewed by the township; the approval routes of ``ROUTES``."""
    rules = ProcedureRules(
        district=the_district,
        hearing_from_level=ConveningLevel.DISTRICT,
        hearing_min_villages=2,
        legal_review=LegalReviewMode.ALL,
    )
    hearing_formats = list(SessionFormat.objects.filter(name__in=_SAFEGUARDS["hearing_formats"]))
    save_record(rules, actor=admin, reason="procedure_rules.set", m2m={"hearing_formats": hearing_formats})
    for kind, level, route, meeting in ROUTES:
        route_rule = ApprovalRoute(district=the_district, platform_kind=kind, convening_level=level, route=route)
        route_rule.party_meeting_required = meeting
        save_record(route_rule, actor=admin, reason="approval_route.set")


def convene_group(convener, done: dict, when: datetime) -> None:
    """The village's convener drafts a villager group's own matter, convened by the group (村民小组召集)."""
    village = convener.scoped_roles.get(role=Role.CONVENER).region
    submission = (
        Submission.objects.filter(region=village, status=SubmissionStatus.ACCEPTED, grid__isnull=False)
        .order_by("pk")
        .first()
    )
    if submission is None:
        return
    topic = topic_services.topic_draft_from_submission(actor=convener, submission=submission)
    done["group"] = topic_services.topic_update(
        actor=convener,
        topic=topic,
        title=topic.title,
        background=topic.background,
        category=topic.category,
        is_livelihood=topic.is_livelihood,
        small_cut_reason=topic.small_cut_reason,
        regions=[submission.grid],
        platform=topic.platform,
    )


def escalate_village_topic(station_head, township: Region, done: dict, when: datetime) -> None:
    """The township station hands up a village's draft the village cannot settle alone."""
    topic = (
        Topic.objects.filter(
            status=TopicStatus.DRAFT,
            convening_level=ConveningLevel.VILLAGE,
            convening_region__path__startswith=township.path,
            title__contains=_SAFEGUARDS["escalation_matter"],
        )
        .order_by("-pk")
        .first()
    )
    if topic is not None:
        done["escalated"] = linkage.topic_escalate(
            actor=station_head, topic=topic, reason=_SAFEGUARDS["escalation_reason"]
        )
