"""Hand-offs to other channels in the demo district (制度衔接: 政党、人大、政府、政协提案、人民团体、社会组织、12345).

Eight matters handed off over the last months, most answered:
- the first township's approved topic that the township government takes on directly (转交镇政府直接办理),
  handed by the station head: the case the demo used to record as a cancelled consultation;
- a deferred suggestion carried on as a CPPCC proposal (政协提案), answered by the department;
- six residents' submissions waiting for screening or drafting in the other townships, handed by the CPPCC office
  staff: to 12345, a department directly, the township's people's congress presidium (unanswered past the
  period, so it shows on the hander's home page and the supervision board), the women's federation, a
  volunteers' federation (handed last week) and the township party committee.

Played on a ``Timeline`` so every row carries its own moment; nothing is stamped today. Draws only from
its own generator (``random.Random("handoffs")``), so the other parts of the demo keep their numbers.
"""

import random
from datetime import datetime, timedelta

from shangliang.consultations.models import Suggestion
from shangliang.consultations.states import ConsultationStatus, SuggestionDecision
from shangliang.demo.timeline import Timeline
from shangliang.handoffs import services
from shangliang.handoffs.models import Handoff
from shangliang.handoffs.states import Channel, HandoffStatus
from shangliang.orgs.models import Region, Unit
from shangliang.orgs.selectors import path_ids
from shangliang.orgs.states import Role, UnitKind
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.states import AssignmentStatus
from shangliang.topics.models import Submission, Topic
from shangliang.topics.states import OPEN_SUBMISSION_STATUSES, TopicStatus

TOPIC_REASON = "经核实，该事项属镇政府职责范围，所需资金已列入镇级年度计划，议题转交镇政府直接办理，不再另行组织协商。"
TOPIC_ANSWER = "镇政府已安排镇村建设办牵头实施，施工方案已在村务公开栏公示，计划本季度内完工，完工后组织群众代表验收。"
PROPOSAL_REASON = "该建议涉及全区统筹，村（社区）层面暂缓采纳；经研究，以政协提案形式提请区政府研究办理。"
PROPOSAL_ANSWER = "承办单位答复：已将该事项纳入明年全区民生实事项目统筹安排，先行在部分村（社区）试点。"

# (channel, preferred categories, recipient (a unit found by name part, or text), reason, answer, days handed
# before yesterday, days to the answer or None)
SUBMISSION_CASES = [
    (
        Channel.HOTLINE,
        ("公共设施", "环境卫生", "道路桥梁"),
        "text:12345政务服务便民热线",
        "属市政设施报修事项，转12345热线派单至责任部门处理。",
        "12345热线回复：工单已派至责任部门，现场处理完毕，工单已办结，回访群众表示满意。",
        62,
        6,
    ),
    (
        Channel.GOVERNMENT,
        ("停车与交通秩序", "道路桥梁", "生态环境"),
        "category",
        "属政府部门职责，无需协商，转交政府部门直接办理。",
        "已安排专人现场核查并整改到位，下一步纳入日常巡查。",
        48,
        12,
    ),
    (
        Channel.CONGRESS,
        ("政策落实", "住房保障", "医疗卫生"),
        "township:{township}{congress}",
        "涉及镇级财政预算安排，转镇人大主席团在预算审查监督中研究，并请人大代表跟踪。",
        "",
        44,
        None,
    ),
    (
        Channel.PEOPLES_ORG,
        ("教育", "扶弱助困", "就业与收入"),
        "text:区妇女联合会",
        "涉及留守儿童课后看护和妇女就业，转区妇联“儿童之家”和巧手工坊项目统筹。",
        "区妇联已将该村（社区）纳入“儿童之家”建设名单，暑期开设课后托管班。",
        75,
        20,
    ),
    (
        Channel.SOCIAL_ORG,
        ("养老服务", "扶弱助困", "文化体育"),
        "text:区志愿服务联合会",
        "属可由志愿服务解决的需求，转区志愿服务联合会对接就近的志愿服务队。",
        "",
        6,
        None,
    ),
    (
        Channel.PARTY,
        ("平安建设", "其他", "文化体育"),
        "party",
        "需发挥党员先锋作用，转镇党委统筹安排党员志愿服务岗。",
        "镇党委已在该村设立党员志愿服务岗，每周轮值，情况在村务公开栏公示。",
        90,
        15,
    ),
]


def _township_of(region: Region) -> Region | None:
    ids = path_ids(region.path)
    return Region.objects.filter(pk=ids[1]).first() if len(ids) > 1 else None


def _unit(kind: str, region: Region | None) -> Unit | None:
    if region is None:
        return None
    return Unit.objects.filter(kind=kind, region=region, is_archived=False).order_by("pk").first()


class _Builder:
    def __init__(self, *, users: dict, district: Region, yesterday: datetime):
        self.users, self.district, self.yesterday = users, district, yesterday
        self.rng = random.Random("handoffs")
        self.timeline = Timeline()
        self.first_township = users["station"].scoped_roles.get(role=Role.STATION_HEAD).region

    def moment(self, days_before: float, *, after: datetime | None = None) -> datetime:
        """A working-hours moment ``days_before`` yesterday, never before ``after``."""
        when = self.yesterday - timedelta(days=days_before, minutes=self.rng.randint(0, 420))
        if after is not None and when <= after:
            when = after + timedelta(hours=self.rng.randint(2, 20))
        return min(when, self.yesterday)

    def hand(self, *, actor, subject, channel, reason, at, answer="", answered_at=None, **to) -> None:
        """Plan the hand-off at ``at`` and, when given, its answer at ``answered_at`` (both planned before play)."""
        made = {}

        def handed(moment):
            made["handoff"] = services.handoff_create(
                actor=actor, subject=subject, channel=channel, reason=reason, handed_at=moment, now=moment, **to
            )

        def answered(moment):
            services.handoff_answer(actor=actor, handoff=made["handoff"], answer=answer, answered_at=moment, now=moment)

        self.timeline.add(at, handed)
        if answer:
            self.timeline.add(answered_at, answered)

    # --- the cases ----------------------------------------------------------------------------------

    def topic_to_township_government(self) -> None:
        """An approved topic of the first township, not yet consulted: the township government takes it on."""
        under_way = [s for s in ConsultationStatus.values if s != ConsultationStatus.CANCELLED]
        candidates = (
            Topic.objects.filter(
                status=TopicStatus.APPROVED,
                is_archived=False,
                convening_region__path__startswith=self.first_township.path,
            )
            .exclude(consultations__status__in=under_way)
            .order_by("approved_at", "pk")
        )
        topic = candidates.first()
        if topic is None:
            return
        government = _unit(UnitKind.TOWNSHIP_GOVERNMENT, self.first_township)
        at = self.moment(30, after=topic.approved_at)
        to = {"unit": government} if government else {"recipient": f"{self.first_township.name}人民政府"}
        self.hand(
            actor=self.users["station"],
            subject=topic,
            channel=Channel.GOVERNMENT,
            reason=TOPIC_REASON,
            at=at,
            answer=TOPIC_ANSWER,
            answered_at=self.moment(22, after=at),
            **to,
        )

    def deferred_suggestion_to_proposal(self) -> None:
        """A suggestion deferred (暂缓采纳) for want of district-wide means, carried on as a CPPCC proposal."""
        live = Assignment.objects.exclude(status=AssignmentStatus.RETURNED).values("suggestion_id")
        suggestion = (
            Suggestion.objects.filter(
                decision=SuggestionDecision.DEFERRED,
                consultation__status=ConsultationStatus.CONCLUDED,
                consultation__is_archived=False,
            )
            .exclude(pk__in=live)
            .select_related("consultation")
            .order_by("decided_at", "pk")
            .first()
        )
        if suggestion is None:
            return
        committee = Unit.objects.filter(kind=UnitKind.CPPCC_COMMITTEE, name__contains="提案").first()
        to = {"unit": committee} if committee else {"recipient": "区政协提案委员会"}
        at = self.moment(40, after=suggestion.decided_at or suggestion.consultation.concluded_at)
        self.hand(
            actor=self.users["district_party"],
            subject=suggestion,
            channel=Channel.CPPCC,
            reason=PROPOSAL_REASON,
            at=at,
            answer=PROPOSAL_ANSWER,
            answered_at=self.moment(8, after=at),
            **to,
        )

    def submissions(self) -> None:
        """Six submissions waiting for screening or drafting outside the first township (whose queues the
        demo's own accounts work)."""
        waiting = list(
            Submission.objects.filter(
                status__in=OPEN_SUBMISSION_STATUSES,
                region__path__startswith=self.district.path,
                is_archived=False,
            )
            .exclude(region__path__startswith=self.first_township.path)
            .select_related("category", "region")
            .order_by("created_at", "pk")
        )
        used = set()
        for channel, categories, to_whom, reason, answer, days, answer_days in SUBMISSION_CASES:
            # The oldest enough waiting submission of a fitting category, else of any.
            latest = self.yesterday - timedelta(days=days + 1)
            fitting = [s for s in waiting if s.pk not in used and s.created_at <= latest]
            chosen = [s for s in fitting if s.category.name in categories] or fitting
            if not chosen:
                continue
            submission = self.rng.choice(chosen[:5])
            used.add(submission.pk)
            to = self.recipient(to_whom, submission)
            at = self.moment(days, after=submission.created_at)
            self.hand(
                actor=self.users["cppcc"],
                subject=submission,
                channel=channel,
                reason=reason,
                at=at,
                answer=answer,
                answered_at=self.moment(max(days - answer_days, 0), after=at) if answer_days else None,
                **to,
            )

    def recipient(self, to_whom: str, submission: Submission) -> dict:
        township = _township_of(submission.region)
        if to_whom == "category":
            unit = submission.category.responsible_units.filter(is_archived=False).order_by("pk").first()
            return {"unit": unit} if unit else {"recipient": "区政府办公室"}
        if to_whom == "party":
            unit = _unit(UnitKind.PARTY_ORGANISATION, township)
            return {"unit": unit} if unit else {"recipient": f"{township.name}党委"}
        _kind, text = to_whom.split(":", 1)
        name = township.name if township else ""
        # A township's congress has its presidium; a street (街道) the district congress's working committee.
        congress = "人大工委" if name.endswith("街道") else "人大主席团"
        return {"recipient": text.format(township=name, congress=congress)}

    def build(self) -> dict:
        self.topic_to_township_government()
        self.deferred_suggestion_to_proposal()
        self.submissions()
        self.timeline.play()
        live = Handoff.objects.exclude(status=HandoffStatus.WITHDRAWN)
        return {"handoffs": live.count(), "handoffs_answered": live.filter(status=HandoffStatus.ANSWERED).count()}


def build(*, users: dict, district: Region, yesterday: datetime) -> dict:
    return _Builder(users=users, district=district, yesterday=yesterday).build()
