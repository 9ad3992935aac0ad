"""Outcomes of the concluded demo consultations, written through the outcomes services.

Each concluded consultation is reported up (a consultation report to the party committee and
government; a CPPCC proposal from a member studio or a district matter; now and then a
public-opinion bulletin). Entrusted matters are answered in writing, most within ten days, some
late; one follow-up report waits past its due date and one is not due yet. Nearly every suggestion
is handed to a unit (a district department, a township government or a village committee, with
co-units now and then), followed by the CPPCC committee linked to the station and by ``supervisor``
or ``cppcc``. Older consultations are finished and their results published, except one whose
publication is overdue; the newer ones have items in every state: waiting to be accepted, in
progress, due within three days, overdue and on the district's overdue board, deferred with an
explanation, returned and assigned again, with an extension approved, refused or pending.
``liaison``'s unit, 区住房和城乡建设局, has items in every state. Reminders run on the past days
their steps fell due, as the nightly job would have.

As in ``demo.consultations``, every step is planned at a moment in the past and the steps are
played in the order of those moments, so that the reminders see each item as it was that day.
Each step runs with the clock set to its moment: the services stamp ``timezone.now`` (the status
helper stamps ``sent_at`` and ``replied_at`` from the clock, whatever ``now=`` says), and so every
row, stamp and history row reads like the history it imitates. The feedback a step queues for after
the commit is sent at once through the demo sender, so it carries the step's moment and no
generated number reaches a real gateway. Units other than ``liaison``'s get a liaison account
without a usable password: the history then names who acted, and the reminders have someone to
reach.
"""

import random
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from unittest import mock

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from shangliang.accounts.services import staff_account_create
from shangliang.consultations.models import Consultation, Suggestion
from shangliang.consultations.states import ConsultationStatus
from shangliang.demo import district
from shangliang.demo.consultations import DEMO_SENDERS
from shangliang.demo.names import NameSource
from shangliang.orgs import services as org_services
from shangliang.orgs.models import ContactLink, Platform, Region, Unit
from shangliang.orgs.states import PlatformKind, RegionLevel, Role, UnitKind
from shangliang.outcomes import selectors, services
from shangliang.outcomes.models import (
    Assignment,
    ExtensionRequest,
    OutcomeReport,
    ProgressUpdate,
    Publication,
    Reminder,
)
from shangliang.outcomes.reminders import reminders_run
from shangliang.outcomes.states import (
    AssignmentStatus,
    ExtensionStatus,
    PublicChannel,
    ReminderKind,
    ReportKind,
    ReportStatus,
)
from shangliang.topics.permissions import CPPCC_PLATFORM_KINDS
from shangliang.topics.states import ConveningLevel, Source

SEED = district.SEED + 3
HOUSING = "区住房和城乡建设局"

# What becomes of one suggestion's item by today.
DONE = "done"  # done by its deadline
LATE = "late"  # done after its deadline
EXTENDED = "extended"  # the deadline was extended, then done by the new one
DEFERRED = "deferred"  # cannot be done now, explained
WORKING = "working"  # accepted, in progress, due later
STRETCHED = "stretched"  # accepted, the deadline extended, in progress
OVERDUE = "overdue"  # accepted, past its deadline
REFUSED = "refused"  # accepted, an extension refused, past its deadline
SOON = "soon"  # accepted, due within three days
ASKING = "asking"  # accepted, due within three days, an extension waiting for a decision
WAITING = "waiting"  # assigned lately, not accepted yet
IGNORED = "ignored"  # assigned, never accepted, past its deadline
UNASSIGNED = "unassigned"  # not handed to anyone yet
CLOSED_FATES = (DONE, LATE, EXTENDED, DEFERRED)

# The consultations with open items: the newest ones. The one after them is finished but its results
# are not published (overdue); the older ones are finished and published.
OPEN_CASES = 8
# Consultations concluded more recently than this are open as well: their items cannot have run a
# full term yet.
RECENT_DAYS = 135
# Special fates of the newer items, in this order: (fate, days overdue, unit, who supervises, who
# returned it first). "housing" puts the item with liaison's unit.
OPEN_FATES = (
    (OVERDUE, 12, "housing", "supervisor", ""),
    (WAITING, 0, "housing", "", "区城市管理局"),
    (WORKING, 0, "housing", "", ""),
    (ASKING, 0, "housing", "", ""),
    (UNASSIGNED, 0, "", "", ""),
    (OVERDUE, 9, "", "cppcc", ""),
    (OVERDUE, 5, "", "", ""),
    (REFUSED, 16, "", "supervisor", ""),
    (IGNORED, 3, "", "", ""),
    (SOON, 0, "", "", ""),
    (WAITING, 0, "", "", ""),
    (STRETCHED, 0, "", "", ""),
    (DEFERRED, 0, "", "", ""),
    (OVERDUE, 2, "", "", ""),
)
ON_TIME, LATE_REPLY = "on_time", "late"
# How the entrusted consultation reports are answered in writing, oldest first.
ANSWERS = (ON_TIME, LATE_REPLY, ON_TIME, ON_TIME, LATE_REPLY, ON_TIME)
# Days from assigning to the deadline for the finished items: most within a quarter, works longer.
TERMS = (30, 45, 60, 60, 90, 90, 120, 180)
# Words that make a suggestion the village's own business, and words that hand it to the township.
VILLAGE_WORDS = (
    "村规民约",
    "志愿者",
    "网格员",
    "村民代表",
    "理事会",
    "业主委员会",
    "巡逻队",
    "代办点",
    "宣讲",
    "结对",
    "评选",
)
TOWNSHIP_WORDS = ("镇政府", "乡政府", "镇卫生院", "街道")

PROGRESS_START = (
    (
        "已召开专题会议研究部署，明确分管领导和具体责任人，制定了工作方案和时间表。",
        "",
        "按工作方案分步推进，每月向督办负责人报告一次进展。",
    ),
    (
        "已到{place}现场踏勘，逐项核实建议涉及的情况，初步确定了实施范围。",
        "部分群众对实施范围和先后顺序意见不一。",
        "请村（社区）召开群众代表会议商定实施顺序，再细化方案。",
    ),
    ("已与配合单位对接，明确各自分工，完成前期摸底和需求统计。", "", "抓紧编制实施方案和经费预算，报分管领导审定。"),
)
PROGRESS_MIDDLE = (
    (
        "实施方案已审定，所需资金已纳入年度预算，正在履行采购程序。",
        "采购和招标周期较长，整体进度比计划稍慢。",
        "招标完成后立即组织实施，同步做好群众解释工作。",
    ),
    (
        "已完成约一半工作量，阶段成果已在{place}公开栏公示，群众反映较好。",
        "",
        "加快剩余部分实施，完成后组织群众代表参与验收。",
    ),
    (
        "管护人员和经费来源已落实，相关制度已起草，正在征求群众意见。",
        "个别群众对费用分担有不同意见。",
        "由村（社区）干部和网格员逐户上门解释，必要时提交村（居）民代表会议讨论。",
    ),
    ("主体工作已基本完成，正在收尾和整理资料。", "", "完成后组织验收，并在公开栏公示办理结果。"),
)
PROGRESS_STUCK = (
    (
        "前期工作已完成，实施方案已报审，但尚未开工。",
        "项目资金需区镇两级分担，镇级配套资金尚未到位。",
        "已提请镇政府专题研究资金安排，争取本月内落实资金后开工。",
    ),
    (
        "已完成部分工作，剩余部分因连续降雨暂停施工。",
        "天气原因影响工期，原定时限内无法全部完成。",
        "天气好转后增加施工力量，抢抓工期，同时向督办负责人说明情况。",
    ),
    (
        "已多次与相关方协调，方案基本成型。",
        "涉及部分住户和产权单位，意见尚未完全统一。",
        "请属地镇（街道）和村（社区）协助做好群众工作，力争尽快形成一致意见。",
    ),
)
CO_UNIT_PROGRESS = (
    "作为配合单位，已安排专人与牵头单位对接，提供了政策依据和技术指导。",
    "作为配合单位，已完成分工范围内的现场核查，相关意见已反馈牵头单位。",
)
CO_UNIT_NEXT = "继续配合牵头单位做好相关工作，按时报送进展。"
RESULTS = (
    "已按建议落实到位，完工后组织群众代表现场验收，验收合格，办理结果已在{place}公开栏公示。",
    "已落实并建立长效机制，明确了管护责任人和经费来源，群众反映的问题已基本解决。",
    "已办结。回访群众{n}户，{m}户对办理结果表示满意。",
    "已按时完成，相关做法已写入村规民约（居民公约），由村（社区）监督执行。",
)
DEFERRALS = (
    "该事项所需资金较大，今年区级财政预算已安排完毕，经研究列入明年预算后实施。已由村（社区）干部向提出建议的群众当面说明。",
    "实施该建议涉及的地块权属尚未确定，需待确权完成后再实施。已在公开栏说明原因，确权完成后恢复办理。",
    "经专业机构评估，现有条件暂不具备实施条件，待配套项目完成后一并实施。已向相关群众解释说明。",
)
EXTENSION_REASONS = (
    "受连续降雨影响，施工无法按期完成，申请延期。",
    "项目需履行政府采购程序，招标周期较长，申请延期。",
    "涉及部分住户的意见尚未统一，需进一步协商，申请延期。",
)
APPROVAL_NOTE = "同意延期，请按新时限办结，期间每半个月报告一次进展。"
REFUSAL_NOTE = "该事项群众关注度高，原时限已考虑工作量，请按原时限办结；确有困难的，先完成主体部分并报告进展。"
REPLY_TEXT = (
    "《{title}》收悉。经研究，原则同意协商意见，拟将{n}条建议列入工作责任清单，{units}牵头办理，"
    "明确责任人和办理时限，由区政协相关专委会跟踪督办，办理结果及时向群众公开。"
)
FOLLOW_UP_PROBLEMS = (
    "个别事项所需资金尚未落实，已超过办理时限，群众多次询问办理进度。",
    "部分事项涉及多个单位，牵头单位协调难度较大，进度慢于预期。",
)


@dataclass
class _Case:
    """One concluded consultation and what happens to its outcome."""

    consultation: Consultation
    township: Region
    village: Region | None
    suggestions: list[Suggestion]
    committee: Unit | None
    drafted_on: date | None = None
    sent_on: date | None = None
    items: list["_Item"] = field(default_factory=list)
    is_open: bool = False
    is_publication_overdue: bool = False


@dataclass
class _Sent:
    """One report to draft and send; the steps fill in the record."""

    case: _Case
    kind: str
    is_entrusted: bool = False
    report: OutcomeReport | None = None


@dataclass
class _Item:
    """One suggestion and the item made of it."""

    case: _Case
    suggestion: Suggestion
    lead: Unit
    co_units: list[Unit]
    supervisor: object = None
    fate: str = DONE
    late_by: int = 0  # days past the deadline, for the fates still open past it
    returned_by: Unit | None = None  # a unit that got it first and returned it
    assign_on: date | None = None
    term: int = 60
    deadlines: list[date] = field(default_factory=list)
    closed_on: date | None = None
    assignment: Assignment | None = None


def build_demo_outcomes(*, stdout=None) -> dict:
    """Report, assign, follow up and publish the outcomes of the concluded demo consultations.

    Runs in one transaction and writes through the outcomes services. Returns the counts.
    """
    with transaction.atomic():
        outcomes = _Outcomes(stdout)
        outcomes.plan()
        outcomes.play()
        return outcomes.counts()


@contextmanager
def played_at(when: datetime):
    """Run one step with the clock at ``when``; what it queued for after the commit is sent now, at ``when``."""
    connection = transaction.get_connection()
    queued = len(connection.run_on_commit)
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield
        callbacks = connection.run_on_commit[queued:]
        del connection.run_on_commit[queued:]
        for _savepoints, callback, _robust in callbacks:
            callback()


class _Outcomes:
    def __init__(self, stdout):
        self.stdout = stdout
        self.rng = random.Random(SEED)
        self.names = NameSource(self.rng)
        self.today = timezone.localdate()
        self.limit = timezone.make_aware(datetime.combine(self.today, time()))
        self.steps: list[tuple[datetime, int, Callable[[], None]]] = []
        self.cases: list[_Case] = []
        self.liaisons: dict[int, object] = {}
        self.load()

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")

    # --- the district and its consultations ------------------------------------------------

    def load(self) -> None:
        self.district = Region.objects.get(code=district.DISTRICT_CODE)
        users = get_user_model().objects.filter(username__in=district.DEMO_USERNAMES)
        self.users = {u.username: u for u in users}
        units = Unit.objects.filter(region__path__startswith=self.district.path, is_archived=False)
        self.units = {u.name: u for u in units if u.region_id == self.district.pk}
        self.governments = {u.region_id: u for u in units if u.kind == UnitKind.TOWNSHIP_GOVERNMENT}
        self.village_units = {u.region_id: u for u in units if u.kind == UnitKind.VILLAGE_COMMITTEE}
        self.housing = self.units[HOUSING]
        self.liaisons[self.housing.pk] = self.users["liaison"]
        links = ContactLink.objects.filter(ended_on__isnull=True).select_related("committee").order_by("pk")
        self.committees = {link.platform_id: link.committee for link in links}
        self.township_rooms = {
            p.region_id: p.pk
            for p in Platform.objects.filter(kind=PlatformKind.TOWNSHIP_ROOM, region__parent=self.district)
        }
        self.first_township_id = self.users["township_party"].scoped_roles.get(role=Role.APPROVER).region_id
        self.taken_names = set(get_user_model().objects.values_list("full_name", flat=True))
        consultations = (
            Consultation.objects.filter(
                status=ConsultationStatus.CONCLUDED, topic__convening_region__path__startswith=self.district.path
            )
            .select_related("topic__category", "topic__convening_region", "platform", "convener")
            .prefetch_related("topic__regions", "suggestions")
            .order_by("concluded_at", "pk")
        )
        for consultation in consultations:
            topic = consultation.topic
            region = topic.convening_region
            if region.level == RegionLevel.TOWNSHIP:
                township, village = region, None
            elif region.level == RegionLevel.VILLAGE:
                township, village = Region.objects.get(pk=region.parent_id), region
            else:
                township, village = Region.objects.get(pk=topic.regions.all()[0].parent_id), None
            committee = self.committees.get(consultation.platform_id) or self.committees.get(
                self.township_rooms.get(township.pk)
            )
            self.cases.append(_Case(consultation, township, village, list(consultation.suggestions.all()), committee))

    def person(self) -> str:
        while True:
            name = self.names.person(self.names.gender(0.4))
            if name not in self.taken_names:
                self.taken_names.add(name)
                return name

    # --- time -------------------------------------------------------------------------------

    def moment(self, day: date, hour: int, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def schedule(self, day: date, run: Callable[[], None], *, hour: int | None = None) -> None:
        when = (
            self.moment(day, hour, 30)
            if hour is not None
            else self.moment(day, self.rng.randint(8, 17), self.rng.randrange(60))
        )
        if when >= self.limit:
            raise ValueError(f"a step at {when} would fall on or after today")
        self.steps.append((when, len(self.steps), run))

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def after(self, day: date, low: int, high: int) -> date:
        return day + timedelta(days=self.rng.randint(low, high))

    # --- the plan ---------------------------------------------------------------------------

    def plan(self) -> None:
        rng = self.rng
        newest_first = list(reversed(self.cases))
        recent = self.days_ago(RECENT_DAYS)
        open_cases = max(
            OPEN_CASES, sum(1 for c in newest_first if timezone.localdate(c.consultation.concluded_at) >= recent)
        )
        for rank, case in enumerate(newest_first):
            case.is_open = rank < open_cases
            case.is_publication_overdue = rank == open_cases
            concluded_on = timezone.localdate(case.consultation.concluded_at)
            case.drafted_on = self.after(concluded_on, 1, 2)
            case.sent_on = self.after(case.drafted_on, 1, 3)
            for suggestion in case.suggestions:
                lead, co_units = self.units_for(case, suggestion)
                supervisor = self.users["supervisor"] if rng.random() < 0.65 else self.users["cppcc"]
                item = _Item(case, suggestion, lead, co_units, supervisor)
                item.assign_on = self.after(case.sent_on, 4, 12)
                case.items.append(item)
        self.plan_open_fates([c for c in newest_first if c.is_open])
        self.plan_closed_fates([c for c in self.cases if not c.is_open])
        self.plan_reports()
        for case in self.cases:
            for item in case.items:
                self.schedule_item(item)
            self.plan_publication(case)
        self.plan_reminders()

    def units_for(self, case: _Case, suggestion: Suggestion) -> tuple[Unit, list[Unit]]:
        """The lead unit the text and the category point to, and a co-unit or two now and then."""
        rng = self.rng
        text = suggestion.text
        category = case.consultation.topic.category.name
        departments = [self.units[name] for name in district.RESPONSIBLE_UNITS.get(category, ("区政府办公室",))]
        named = [
            unit for name, unit in self.units.items() if name in text and unit.kind == UnitKind.GOVERNMENT_DEPARTMENT
        ]
        government = self.governments[case.township.pk]
        local = self.village_units.get(case.village.pk) if case.village else None
        if any(word in text for word in TOWNSHIP_WORDS):
            lead = government
        elif named:
            lead = named[0]
        elif any(word in text for word in VILLAGE_WORDS):
            lead = local or government
        elif case.consultation.topic.convening_level == ConveningLevel.DISTRICT:
            lead = departments[0]
        elif rng.random() < 0.2:
            lead = government
        else:
            lead = departments[0]
        co_units = []
        for unit in (*named, *departments, government, local):
            if unit is not None and unit != lead and unit not in co_units and len(co_units) < 2 and rng.random() < 0.3:
                co_units.append(unit)
        return lead, co_units

    def plan_open_fates(self, cases: list[_Case]) -> None:
        """The newest consultations carry the open work: the special fates first, the rest done or going."""
        rng = self.rng
        items = [item for case in cases for item in case.items]
        housing_first = sorted(items, key=lambda i: (not self.may_be_housing(i), items.index(i)))
        taken: set[int] = set()
        for fate, late_by, unit, supervisor, returned_by in OPEN_FATES:
            pool = housing_first if unit == "housing" else items
            item = next(i for i in pool if id(i) not in taken and not (unit == "" and i.lead == self.housing))
            taken.add(id(item))
            item.fate, item.late_by = fate, late_by
            if unit == "housing":
                self.make_housing(item)
            if supervisor:
                item.supervisor = self.users[supervisor]
            if returned_by:
                item.returned_by = self.units[returned_by]
        for item in items:
            if id(item) not in taken:
                item.fate = rng.choice((DONE, DONE, WORKING, WORKING, SOON))
                if item.fate == DONE and item.assign_on > self.days_ago(40):
                    # Assigned too lately to have run a term and been finished before today.
                    item.fate = WORKING
        for item in items:
            if item.fate in (WAITING, IGNORED):
                # A second batch, assigned after the report was answered: the government took its time.
                item.assign_on = self.days_ago(rng.randint(33, 40) if item.fate == IGNORED else rng.randint(2, 5))
                if item.returned_by is not None:
                    item.assign_on = self.days_ago(9)
            elif item.fate in CLOSED_FATES:
                # Finished some weeks ago: the deadline fell before today.
                room = (self.days_ago(30) - item.assign_on).days
                item.term = max(30, min(rng.choice(TERMS) + 60, room - 25))

    def may_be_housing(self, item: _Item) -> bool:
        category = item.case.consultation.topic.category.name
        return item.lead == self.housing or HOUSING in district.RESPONSIBLE_UNITS.get(category, ())

    def make_housing(self, item: _Item) -> None:
        if item.lead != self.housing:
            item.co_units = [u for u in (item.lead, *item.co_units) if u != self.housing][:2]
            item.lead = self.housing

    def plan_closed_fates(self, cases: list[_Case]) -> None:
        rng = self.rng
        items = [item for case in cases for item in case.items]
        for item in items:
            draw = rng.random()
            item.fate = DONE if draw < 0.8 else LATE if draw < 0.88 else EXTENDED if draw < 0.97 else DEFERRED
            room = (self.days_ago(20) - item.assign_on).days - 70
            item.term = min(rng.choice(TERMS), room)
        # liaison's unit also deferred one and returned one that was not its own.
        housing = next(i for i in items if i.lead == self.housing)
        housing.fate = DEFERRED
        mistaken = next(i for i in items if i.lead.kind == UnitKind.GOVERNMENT_DEPARTMENT and i.lead != self.housing)
        mistaken.returned_by = self.housing
        mistaken.fate = DONE
        # A township government returns a matter only a department can carry out.
        other = next(
            i
            for i in reversed(items)
            if i.lead.kind == UnitKind.GOVERNMENT_DEPARTMENT and i.lead != self.housing and i is not mistaken
        )
        other.returned_by = self.governments[other.case.township.pk]

    # --- reports ------------------------------------------------------------------------------

    def plan_reports(self) -> None:
        entrusted = [c for c in self.cases if c.consultation.topic.source in (Source.GOVERNMENT, Source.HOTLINE)]
        for case in self.cases[3::5]:
            if len(entrusted) >= len(ANSWERS):
                break
            if case not in entrusted and not self.is_cppcc(case):
                entrusted.append(case)
        answers = {case.consultation.pk: answer for case, answer in zip(entrusted, ANSWERS, strict=False)}
        for index, case in enumerate(self.cases):
            consultation = case.consultation
            level = consultation.topic.convening_level
            if self.is_cppcc(case):
                kinds = [ReportKind.PROPOSAL]
            elif level == ConveningLevel.DISTRICT:
                kinds = [ReportKind.CONSULTATION_REPORT, ReportKind.PROPOSAL]
            else:
                kinds = [ReportKind.CONSULTATION_REPORT]
            if level == ConveningLevel.VILLAGE and index % 6 == 2:
                kinds.append(ReportKind.OPINION_BULLETIN)
            for kind in kinds:
                answer = answers.get(consultation.pk, "") if kind == ReportKind.CONSULTATION_REPORT else ""
                sent = _Sent(case, kind, is_entrusted=bool(answer))
                self.schedule(case.drafted_on, partial(self.draft, sent))
                self.schedule(case.sent_on, partial(self.send, sent))
                if not answer:
                    continue
                due = case.sent_on + timedelta(days=services.reply_days())
                replied = self.after(due, -7, -1) if answer == ON_TIME else self.after(due, 2, 12)
                self.schedule(replied, partial(self.reply, sent))
        newest = [c for c in reversed(self.cases) if c.is_open and not self.is_cppcc(c)]
        # The station reports how the newer items are going; the government owes a written answer.
        self.schedule(self.days_ago(19), partial(self.follow_up, newest[1]))
        self.schedule(self.days_ago(4), partial(self.follow_up, newest[2]))
        # A bulletin on the newest consultation is still a draft.
        self.schedule(self.days_ago(2), partial(self.draft, _Sent(newest[0], ReportKind.OPINION_BULLETIN)))

    def is_cppcc(self, case: _Case) -> bool:
        return case.consultation.platform.kind in CPPCC_PLATFORM_KINDS

    def recipient(self, case: _Case, kind: str) -> tuple[str, Unit | None]:
        if kind == ReportKind.PROPOSAL:
            return "区政协提案委员会", self.units["提案委员会"]
        if kind == ReportKind.OPINION_BULLETIN:
            return "区政协办公室", None
        if case.consultation.topic.convening_level == ConveningLevel.DISTRICT:
            return "区委、区政府", self.units["区政府办公室"]
        government = self.governments[case.township.pk]
        party = "党工委" if case.township.name.endswith("街道") else "党委"
        return f"{case.township.name}{party}、{government.name}", government

    def draft(self, sent: _Sent) -> None:
        recipient, unit = self.recipient(sent.case, sent.kind)
        consultation = sent.case.consultation
        signers = []
        if sent.kind in (ReportKind.PROPOSAL, ReportKind.OPINION_BULLETIN):
            # The members who were at the session put their names to a proposal or bulletin (提案人).
            present = consultation.participants.filter(member__isnull=False, signed_in_at__isnull=False)
            signers = [p.member for p in present.select_related("member").order_by("pk")[:2]]
        sent.report = services.report_draft(
            actor=consultation.convener,
            consultation=consultation,
            kind=sent.kind,
            recipient=recipient,
            recipient_unit=unit,
            is_entrusted=sent.is_entrusted,
            members=signers,
        )

    def send(self, sent: _Sent) -> None:
        sent.report = services.report_send(actor=sent.case.consultation.convener, report=sent.report)

    def reply(self, sent: _Sent) -> None:
        names = list(dict.fromkeys(item.lead.name for item in sent.case.items))
        units = f"分别交{'、'.join(names)}" if len(names) > 1 else f"交{names[0]}"
        text = REPLY_TEXT.format(title=sent.report.title, n=len(sent.case.items), units=units)
        services.report_reply(actor=sent.case.consultation.convener, report=sent.report, text=text)

    def follow_up(self, case: _Case) -> None:
        consultation = case.consultation
        items = Assignment.objects.filter(suggestion__consultation=consultation).exclude(
            status=AssignmentStatus.RETURNED
        )
        statuses = Counter(items.values_list("status", flat=True))
        today = timezone.localdate()
        recipient, unit = self.recipient(case, ReportKind.CONSULTATION_REPORT)
        body = "\n".join(
            (
                f"截至{today.month}月{today.day}日，“{consultation.topic.title}”形成的{len(case.items)}条协商意见建议"
                f"已交办{sum(statuses.values())}条，其中已办结{statuses[AssignmentStatus.DONE]}条，"
                f"正在办理{statuses[AssignmentStatus.ACCEPTED] + statuses[AssignmentStatus.ASSIGNED]}条。",
                "",
                f"存在问题：{self.rng.choice(FOLLOW_UP_PROBLEMS)}",
                "",
                f"建议：恳请{recipient}协调落实资金，督促承办单位加快办理，并书面答复。",
            )
        )
        report = services.report_draft(
            actor=consultation.convener,
            consultation=consultation,
            kind=ReportKind.CONSULTATION_REPORT,
            recipient=recipient,
            recipient_unit=unit,
            is_entrusted=True,
            title=f"关于“{consultation.topic.title}”协商意见落实情况的报告",
            body=body,
        )
        services.report_send(actor=consultation.convener, report=report)

    # --- one item -------------------------------------------------------------------------------

    def schedule_item(self, item: _Item) -> None:
        """Plan the item's steps from its assignment to its fate; every day lies before today."""
        rng = self.rng
        fate = item.fate
        if fate == UNASSIGNED:
            return
        day = item.assign_on
        if item.returned_by is not None:
            self.schedule(day, partial(self.assign, item, item.returned_by, day + timedelta(days=60), day))
            day = self.after(day, 1, 3)
            self.schedule(day, partial(self.give_back, item))
            day = self.after(day, 1, 2)
        if fate in CLOSED_FATES:
            deadline = day + timedelta(days=item.term)
        elif fate == WORKING:
            deadline = self.after(self.today, 15, 60)
        elif fate in (OVERDUE, REFUSED, IGNORED):
            deadline = self.days_ago(item.late_by)
        elif fate in (SOON, ASKING):
            deadline = self.after(self.today, 1, 2)
        elif fate == WAITING:
            deadline = day + timedelta(days=rng.choice((30, 45, 60)))
        else:  # STRETCHED: the first deadline passed days ago, the new one lies ahead
            deadline = self.days_ago(rng.randint(3, 6))
        item.deadlines.append(deadline)
        self.schedule(day, partial(self.assign, item, item.lead, deadline, day))
        if fate in (WAITING, IGNORED):
            return
        accepted = self.after(day, 1, 3)
        self.schedule(accepted, partial(self.accept, item))
        start = accepted + timedelta(days=2)
        if fate == DONE:
            end = min(self.after(accepted, max(5, item.term // 2), max(6, item.term - 2)), deadline)
            self.progress_between(item, start, end - timedelta(days=1), stuck=False)
            self.finish(item, end)
        elif fate == LATE:
            end = self.after(deadline, 3, 20)
            self.progress_between(item, start, deadline - timedelta(days=2), stuck=False)
            self.schedule(deadline + timedelta(days=1), partial(self.progress, item, PROGRESS_STUCK))
            self.finish(item, end)
        elif fate == EXTENDED:
            asked = deadline - timedelta(days=rng.randint(5, 9))
            later = deadline + timedelta(days=rng.choice((30, 45, 60)))
            self.progress_between(item, start, asked - timedelta(days=1), stuck=False)
            self.extend(item, asked, later, approve=True)
            self.finish(item, later - timedelta(days=rng.randint(0, 12)))
        elif fate == DEFERRED:
            noted = self.after(accepted, 5, 15)
            self.schedule(noted, partial(self.progress, item, PROGRESS_STUCK))
            item.closed_on = min(self.after(noted, 5, 20), deadline - timedelta(days=1))
            self.schedule(item.closed_on, partial(self.defer, item))
        elif fate in (WORKING, SOON):
            self.progress_between(item, start, self.days_ago(2), stuck=False)
        elif fate == ASKING:
            asked = self.days_ago(rng.randint(2, 3))
            self.progress_between(item, start, asked - timedelta(days=1), stuck=True)
            self.schedule(asked, partial(self.ask, item, deadline + timedelta(days=30)))
        elif fate == OVERDUE:
            self.progress_between(item, start, min(deadline, self.days_ago(2)), stuck=True)
        elif fate == REFUSED:
            asked = deadline - timedelta(days=rng.randint(6, 10))
            self.progress_between(item, start, asked - timedelta(days=1), stuck=True)
            self.extend(item, asked, deadline + timedelta(days=45), approve=False)
        elif fate == STRETCHED:
            asked = deadline - timedelta(days=rng.randint(6, 9))
            self.progress_between(item, start, asked - timedelta(days=1), stuck=True)
            self.extend(item, asked, self.after(self.today, 30, 60), approve=True)
            self.schedule(self.days_ago(1), partial(self.progress, item, PROGRESS_MIDDLE))

    def progress_between(self, item: _Item, start: date, end: date, *, stuck: bool) -> None:
        """One to three updates between ``start`` and ``end``: first the start, the last stuck when it is late."""
        span = (end - start).days
        if span < 0:
            return
        count = 1 if span < 45 else 2 if span < 150 else 3
        days = sorted({start + timedelta(days=self.rng.randint(0, span)) for _ in range(count)})
        for index, day in enumerate(days):
            if index == 0:
                texts = PROGRESS_START
            elif stuck and index == len(days) - 1:
                texts = PROGRESS_STUCK
            else:
                texts = PROGRESS_MIDDLE
            self.schedule(day, partial(self.progress, item, texts))

    def finish(self, item: _Item, day: date) -> None:
        item.closed_on = day
        self.schedule(day, partial(self.complete, item))

    def extend(self, item: _Item, asked: date, later: date, *, approve: bool) -> None:
        self.schedule(asked, partial(self.ask, item, later))
        decided = asked + timedelta(days=self.rng.randint(1, 3))
        self.schedule(decided, partial(self.decide, item, approve))
        if approve:
            item.deadlines.append(later)

    # --- what each step does ----------------------------------------------------------------------

    def liaison(self, unit: Unit):
        """The unit's liaison; units without a demo account get one that cannot log in."""
        if unit.pk not in self.liaisons:
            user = staff_account_create(
                actor=self.users["admin"], username=f"liaison_{unit.pk}", password=None, full_name=self.person()
            )
            # ``date_joined`` takes its default from the ``timezone.now`` bound when the model was defined,
            # which the step's clock does not reach: the account is dated to the step like everything else.
            joined = timezone.now()
            get_user_model().objects.filter(pk=user.pk).update(date_joined=joined)
            user.history.update(date_joined=joined)
            org_services.role_grant(actor=self.users["admin"], user=user, role=Role.UNIT_LIAISON, unit=unit)
            self.liaisons[unit.pk] = user
        return self.liaisons[unit.pk]

    def assigner(self, case: _Case):
        """The party committee of the demo township for its matters, the district's elsewhere."""
        return self.users["township_party" if case.township.pk == self.first_township_id else "district_party"]

    def responsible(self, unit: Unit) -> str:
        if unit.kind == UnitKind.GOVERNMENT_DEPARTMENT:
            position = self.rng.choice(("副局长", "科长", "股长"))
        elif unit.kind == UnitKind.TOWNSHIP_GOVERNMENT:
            town = unit.region.name
            position = "办事处副主任" if town.endswith("街道") else "副乡长" if town.endswith("乡") else "副镇长"
        elif unit.kind == UnitKind.VILLAGE_COMMITTEE:
            position = self.rng.choice(("主任", "副主任"))
        else:
            position = "负责人"
        return f"{self.person()}（{position}）"

    def assign(self, item: _Item, unit: Unit, deadline: date, day: date) -> None:
        self.liaison(unit)
        for co_unit in item.co_units:
            self.liaison(co_unit)
        item.assignment = services.assignment_create(
            actor=self.assigner(item.case),
            suggestion=item.suggestion,
            lead_unit=unit,
            co_units=[u for u in item.co_units if u != unit],
            deadline=deadline,
            responsible_person=self.responsible(unit),
            responsible_mobile=self.names.mobile(),
            cppcc_committee=item.case.committee,
            supervisor=item.supervisor,
            today=day,
        )

    def give_back(self, item: _Item) -> None:
        assignment = item.assignment
        services.assignment_return(
            actor=self.liaison(assignment.lead_unit),
            assignment=assignment,
            reason=f"该事项主要涉及{item.lead.name}的职责，本单位不具备实施条件，建议改交{item.lead.name}牵头办理，本单位可以配合。",
        )

    def accept(self, item: _Item) -> None:
        item.assignment = services.assignment_accept(actor=self.liaison(item.lead), assignment=item.assignment)

    def progress(self, item: _Item, texts: tuple) -> None:
        progress, problems, next_steps = self.rng.choice(texts)
        unit = item.lead
        if item.co_units and texts is PROGRESS_MIDDLE and self.rng.random() < 0.3:
            unit = item.co_units[0]
            progress, problems, next_steps = self.rng.choice(CO_UNIT_PROGRESS), "", CO_UNIT_NEXT
        place = (item.case.village or item.case.township).name
        services.progress_add(
            actor=self.liaison(unit),
            assignment=item.assignment,
            unit=unit,
            progress=progress.format(place=place),
            problems=problems,
            next_steps=next_steps,
            reported_on=timezone.localdate(),
        )

    def complete(self, item: _Item) -> None:
        rng = self.rng
        visited = rng.randint(12, 40)
        result = rng.choice(RESULTS).format(
            place=(item.case.village or item.case.township).name, n=visited, m=visited - rng.randint(0, 3)
        )
        services.assignment_complete(
            actor=self.liaison(item.lead), assignment=item.assignment, result=f"{item.suggestion.text}：{result}"
        )

    def defer(self, item: _Item) -> None:
        services.assignment_defer(
            actor=self.liaison(item.lead), assignment=item.assignment, reason=self.rng.choice(DEFERRALS)
        )

    def ask(self, item: _Item, later: date) -> None:
        services.extension_request(
            actor=self.liaison(item.lead),
            assignment=item.assignment,
            requested_deadline=later,
            reason=self.rng.choice(EXTENSION_REASONS),
        )

    def decide(self, item: _Item, approve: bool) -> None:
        extension = item.assignment.extensions.get(status=ExtensionStatus.PENDING)
        services.extension_decide(
            actor=item.supervisor, extension=extension, approve=approve, note=APPROVAL_NOTE if approve else REFUSAL_NOTE
        )

    # --- publication and reminders ------------------------------------------------------------------

    def plan_publication(self, case: _Case) -> None:
        if case.is_open or case.is_publication_overdue:
            return
        finished = max(item.closed_on for item in case.items)
        late = self.rng.random() < 0.1
        day = self.after(finished, 9, 15) if late else self.after(finished, 1, 6)
        self.schedule(min(day, self.days_ago(1)), partial(self.publish, case))

    def publish(self, case: _Case) -> None:
        consultation = case.consultation
        held = timezone.localtime(consultation.starts_at)
        lines = [
            f"{held.year}年{held.month}月{held.day}日，{consultation.platform.name}就“{consultation.topic.title}”开展协商，"
            f"形成意见建议{len(case.items)}条。办理情况如下：",
        ]
        for number, line in enumerate(selectors.three_lists(consultation), start=1):
            assignment = line.assignment
            if assignment.status == AssignmentStatus.DONE:
                outcome = assignment.result.removeprefix(f"{line.suggestion.text}：")
            else:
                outcome = f"{assignment.get_status_display()}。{assignment.deferral_reason}"
            lines.append(f"{number}. {line.suggestion.text}（{assignment.lead_unit.name}）：{outcome}")
        lines.append("欢迎群众继续监督，有意见建议可通过公开栏二维码或村（社区）议事室反映。")
        others = [PublicChannel.ONLINE.value, PublicChannel.MEETING.value, PublicChannel.PRINT.value]
        channels = [PublicChannel.BOARD.value, *self.rng.sample(others, self.rng.randint(0, 2))]
        services.publication_publish(
            actor=consultation.convener, consultation=consultation, summary="\n".join(lines), channels=channels
        )

    def plan_reminders(self) -> None:
        """The nightly job, on each day one of its steps fell due (the same as running it every day)."""
        days = set()
        for case in self.cases:
            for item in case.items:
                # Nothing is sent for an item once it is finished: those days need no run.
                last = item.closed_on or self.today
                for deadline in item.deadlines:
                    due = (deadline + timedelta(days=offset) for offset in (-3, 1, 3, 7))
                    days |= {day for day in due if day <= last}
        for day in sorted(days):
            if day < self.today:
                self.schedule(day, partial(reminders_run, today=day), hour=7)

    # --- playing ------------------------------------------------------------------------------------

    def play(self) -> None:
        with override_settings(SHANGLIANG_SENDERS=DEMO_SENDERS):
            for when, _order, run in sorted(self.steps, key=lambda step: (step[0], step[1])):
                with played_at(when):
                    run()
        self.say(f"成果：{Assignment.objects.count()} 项交办，{OutcomeReport.objects.count()} 份报送")

    # --- summary ------------------------------------------------------------------------------------

    def counts(self) -> dict:
        assignments = Assignment.objects.filter(
            suggestion__consultation__topic__convening_region__path__startswith=self.district.path
        )
        reports = OutcomeReport.objects.filter(consultation__in=[c.consultation for c in self.cases])
        by_status = Counter(assignments.values_list("status", flat=True))
        entrusted = list(reports.filter(is_entrusted=True))
        counts = {
            "outcome_reports": reports.count(),
            **{f"outcome_reports_{kind}": reports.filter(kind=kind).count() for kind in ReportKind.values},
            "outcome_reports_draft": reports.filter(status=ReportStatus.DRAFT).count(),
            "outcome_entrusted": len(entrusted),
            "outcome_replies_late": sum(
                1 for r in entrusted if r.status == ReportStatus.REPLIED and selectors.is_reply_late(r)
            ),
            "outcome_replies_waiting": sum(1 for r in entrusted if r.status == ReportStatus.SENT),
            "outcome_assignments": assignments.count(),
            **{f"outcome_assignments_{status}": by_status[status] for status in AssignmentStatus.values},
            "outcome_overdue": selectors.assignments_filtered(assignments, state="overdue").count(),
            "outcome_due_soon": selectors.assignments_filtered(assignments, state="due_soon").count(),
            "outcome_district_board": selectors.district_overdue(assignments).count(),
            "outcome_progress": ProgressUpdate.objects.filter(assignment__in=assignments).count(),
            **{
                f"outcome_extensions_{status}": ExtensionRequest.objects.filter(
                    assignment__in=assignments, status=status
                ).count()
                for status in ExtensionStatus.values
            },
            **{
                f"outcome_reminders_{kind}": Reminder.objects.filter(assignment__in=assignments, kind=kind).count()
                for kind in ReminderKind.values
            },
            "outcome_publications": Publication.objects.filter(
                consultation__in=[c.consultation for c in self.cases]
            ).count(),
        }
        counts["outcome_publications_overdue"] = len(
            selectors.unpublished_overdue(Consultation.objects.filter(pk__in=[c.consultation.pk for c in self.cases]))
        )
        return counts
