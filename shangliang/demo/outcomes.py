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
their steps fell due, as the nightly job would have. What the units write (``data/outcomes.json``)
is data; this module decides what becomes of each item, and when.

As in ``demo.consultations``, every step is planned at a moment in the past and played by the
demo's timeline (``demo.timeline``) in the order of those moments, so that the reminders see each
item as it was that day. Each step passes its moment to the services (``now=``, ``today=``,
``reported_on=``); the feedback it queues for after the commit goes out at the same moment. Units
other than ``liaison``'s get a liaison account, ``liaison_<short code>`` with the demo password
(``district.liaison_username``): the history then names who acted, the reminders have someone to
reach, and a visitor can log in as any unit to finish its items.
"""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shangliang.accounts.services import staff_account_create
from shangliang.consultations import legal
from shangliang.consultations.models import Consultation, LegalReview, Suggestion
from shangliang.consultations.safeguards import VILLAGE_LEVELS
from shangliang.consultations.states import ConsultationStatus, SuggestionDecision
from shangliang.core.models import Notification
from shangliang.demo import district
from shangliang.demo.content import load
from shangliang.demo.names import NameSource
from shangliang.demo.timeline import Timeline
from shangliang.orgs import services as org_services
from shangliang.orgs.models import ContactLink, Platform, Region, Unit
from shangliang.orgs.states import PlatformKind, RegionLevel, Role, UnitKind
from shangliang.outcomes import decisions, selectors, services
from shangliang.outcomes.models import (
    Assignment,
    ExtensionRequest,
    OutcomeReport,
    ProgressUpdate,
    Publication,
    Reminder,
)
from shangliang.outcomes.permissions import is_village_item
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
HOUSING = district.LIAISON_UNIT

# What becomes of one suggestion's item by today.
DONE = "done"  # done by its deadline
LATE = "late"  # done after its deadline
EXTENDED = "extended"  # the deadline was extended, then done by the new one
DEFERRED = "deferred"  # cannot be done now, explained
WORKING = "working"  # accepted, in progress, due later
CHECKING = "checking"  # finished by the unit lately, waiting for the check (验收)
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
    (CHECKING, 0, "housing", "", ""),
    (CHECKING, 0, "", "", ""),
)
ON_TIME, LATE_REPLY = "on_time", "late"
# How the entrusted consultation reports are answered in writing, oldest first.
ANSWERS = (ON_TIME, LATE_REPLY, ON_TIME, ON_TIME, LATE_REPLY, ON_TIME)
# Days from assigning to the deadline for the finished items: most within a quarter, works longer.
TERMS = (30, 45, 60, 60, 90, 90, 120, 180)

_OUTCOMES = load("outcomes")
# Words that make a suggestion the village's own business, and words that hand it to the township.
VILLAGE_WORDS = tuple(_OUTCOMES["village_words"])
TOWNSHIP_WORDS = tuple(_OUTCOMES["township_words"])

# (progress, problems, next steps) as a unit reports them: at the start, halfway, and when stuck.
PROGRESS_START = tuple(tuple(update) for update in _OUTCOMES["progress_start"])
PROGRESS_MIDDLE = tuple(tuple(update) for update in _OUTCOMES["progress_middle"])
PROGRESS_STUCK = tuple(tuple(update) for update in _OUTCOMES["progress_stuck"])
CO_UNIT_PROGRESS = tuple(_OUTCOMES["co_unit_progress"])
CO_UNIT_NEXT = _OUTCOMES["co_unit_next"]
RESULTS = tuple(_OUTCOMES["results"])
DEFERRALS = tuple(_OUTCOMES["deferrals"])
EXTENSION_REASONS = tuple(_OUTCOMES["extension_reasons"])
NOT_ADOPTED_REASONS = tuple(_OUTCOMES["not_adopted_reasons"])
DEFERRED_REASONS = tuple(_OUTCOMES["deferred_reasons"])
LEGAL_CORRECTION = _OUTCOMES["legal_correction"]
APPROVAL_NOTE = _OUTCOMES["approval_note"]
REFUSAL_NOTE = _OUTCOMES["refusal_note"]
REPLY_TEXT = _OUTCOMES["reply_text"]
FOLLOW_UP_PROBLEMS = tuple(_OUTCOMES["follow_up_problems"])
RECIPIENTS = _OUTCOMES["recipients"]
POSITIONS = _OUTCOMES["positions"]


# The CPPCC's proposal categories (提案类别) for the demo's matter categories.
PROPOSAL_CATEGORY_DEFAULT = "社会事业"
PROPOSAL_CATEGORIES = {
    "就业与收入": "经济建设",
    "农业生产": "经济建设",
    "住房保障": "城乡建设",
    "道路桥梁": "城乡建设",
    "公共设施": "城乡建设",
    "物业管理": "城乡建设",
    "停车与交通秩序": "城乡建设",
    "环境卫生": "生态环境",
    "生态环境": "生态环境",
    "教育": "文化教育",
    "文化体育": "文化教育",
    "平安建设": "社会治理",
    "政策落实": "社会治理",
}


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


class _Outcomes:
    def __init__(self, stdout):
        self.stdout = stdout
        self.rng = random.Random(SEED)
        self.names = NameSource(self.rng)
        self.today = timezone.localdate()
        self.limit = timezone.make_aware(datetime.combine(self.today, time()))
        self.timeline = Timeline()
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

    def schedule(self, day: date, step, *, hour: int | None = None) -> None:
        """Play ``step(moment)`` on ``day``, at ``hour`` or in office hours; every step lies before today."""
        when = (
            self.moment(day, hour, 30)
            if hour is not None
            else self.moment(day, self.rng.randint(8, 17), self.rng.randrange(60))
        )
        if when >= self.limit:
            raise ValueError(f"a step at {when} would fall on or after today")
        self.timeline.add(when, step)

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
            for suggestion in self.taken(case, rank):
                lead, co_units = self.units_for(case, suggestion)
                supervisor = self.users["supervisor"] if rng.random() < 0.65 else self.users["cppcc"]
                item = _Item(case, suggestion, lead, co_units, supervisor)
                item.assign_on = self.after(case.sent_on, 4, 12)
                case.items.append(item)
        self.plan_open_fates([c for c in newest_first if c.is_open])
        self.plan_closed_fates([c for c in self.cases if not c.is_open])
        self.plan_reports()
        self.plan_reviews()
        for case in self.cases:
            for item in case.items:
                self.schedule_item(item)
            self.plan_publication(case)
        self.plan_reminders()

    def taken(self, case: _Case, rank: int) -> list[Suggestion]:
        """The suggestions the party committee and government adopt; now and then, on an older matter
        with three or more, the last is not adopted or deferred, with the reason told to the people."""
        if case.is_open or len(case.suggestions) < 3 or rank % 7 not in (3, 5):
            return case.suggestions
        *taken, last = case.suggestions
        if rank % 7 == 3:
            decision, reasons = SuggestionDecision.NOT_ADOPTED, NOT_ADOPTED_REASONS
        else:
            decision, reasons = SuggestionDecision.DEFERRED, DEFERRED_REASONS
        reason = reasons[rank // 7 % len(reasons)]
        self.schedule(self.after(case.sent_on, 3, 6), partial(self.decide_item, case, last, decision, reason))
        return taken

    def decide_item(self, case: _Case, suggestion: Suggestion, decision: str, reason: str, when: datetime) -> None:
        decisions.suggestion_decide(
            actor=self.assigner(case), suggestion=suggestion, decision=decision, reason=reason, now=when
        )

    def plan_reviews(self) -> None:
        """The demo township's government reviews its villages' resolutions of the last year before they
        are reported (合法性审查); the newest with three or more items has one corrected."""
        year_ago = self.days_ago(365)
        cases = [
            c
            for c in self.cases
            if c.township.pk == self.first_township_id
            and c.consultation.topic.convening_level in VILLAGE_LEVELS
            and c.drafted_on >= year_ago
        ]
        # The corrected item is the last of its case: one whose every item is adopted.
        corrected = next(
            (c for c in reversed(cases) if len(c.suggestions) >= 3 and len(c.items) == len(c.suggestions)), None
        )
        for case in cases:
            self.schedule(case.drafted_on, partial(self.review, case, corrected=case is corrected), hour=9)

    def review(self, case: _Case, when: datetime, *, corrected: bool) -> None:
        corrections = {}
        if corrected:
            item = case.suggestions[-1]
            text = item.text.rstrip("。") + LEGAL_CORRECTION["append"] + "。"
            corrections[item] = (text, LEGAL_CORRECTION["basis"])
            opinion = LEGAL_CORRECTION["opinion_corrected"].format(n=len(case.suggestions))
        else:
            opinion = LEGAL_CORRECTION["opinion_passed"]
        legal.legal_review_record(
            actor=self.users["township_legal"],
            consultation=case.consultation,
            opinion=opinion,
            corrections=corrections,
            now=when,
        )
        for item in corrections:
            item.refresh_from_db()

    def units_for(self, case: _Case, suggestion: Suggestion) -> tuple[Unit, list[Unit]]:
        """The lead unit the text and the category point to, and a co-unit or two now and then."""
        rng = self.rng
        text = suggestion.text
        category = case.consultation.topic.category.name
        departments = [
            self.units[name] for name in district.RESPONSIBLE_UNITS.get(category, (_OUTCOMES["default_department"],))
        ]
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
            return RECIPIENTS["proposal"]["name"], self.units[RECIPIENTS["proposal"]["unit"]]
        if kind == ReportKind.OPINION_BULLETIN:
            return RECIPIENTS["opinion_bulletin"]["name"], None
        if case.consultation.topic.convening_level == ConveningLevel.DISTRICT:
            return RECIPIENTS["district"]["name"], self.units[RECIPIENTS["district"]["unit"]]
        government = self.governments[case.township.pk]
        party = RECIPIENTS["township_party"]["street" if case.township.name.endswith("街道") else "town"]
        name = RECIPIENTS["township"].format(township=case.township.name, party=party, government=government.name)
        return name, government

    def draft(self, sent: _Sent, when: datetime) -> None:
        recipient, unit = self.recipient(sent.case, sent.kind)
        consultation = sent.case.consultation
        signers = []
        if sent.kind in (ReportKind.PROPOSAL, ReportKind.OPINION_BULLETIN):
            # The members who were at the session put their names to a proposal or bulletin (提案人).
            present = consultation.participants.filter(member__isnull=False, signed_in_at__isnull=False)
            signers = [p.member for p in present.select_related("member").order_by("pk")[:2]]
        category, handlers = "", ""
        if sent.kind == ReportKind.PROPOSAL:
            # A proposal carries its 类别 and the units it suggests should handle it (建议承办单位).
            category = PROPOSAL_CATEGORIES.get(consultation.topic.category.name, PROPOSAL_CATEGORY_DEFAULT)
            handlers = "、".join(dict.fromkeys(item.lead.name for item in sent.case.items))
        sent.report = services.report_draft(
            actor=consultation.convener,
            consultation=consultation,
            kind=sent.kind,
            recipient=recipient,
            recipient_unit=unit,
            is_entrusted=sent.is_entrusted,
            members=signers,
            proposal_category=category,
            suggested_handlers=handlers[:200],
        )

    def send(self, sent: _Sent, when: datetime) -> None:
        sent.report = services.report_send(actor=sent.case.consultation.convener, report=sent.report, now=when)

    def reply(self, sent: _Sent, when: datetime) -> None:
        names = list(dict.fromkeys(item.lead.name for item in sent.case.items))
        if len(names) > 1:
            units = _OUTCOMES["reply_units"]["several"].format(units="、".join(names))
        else:
            units = _OUTCOMES["reply_units"]["one"].format(unit=names[0])
        text = REPLY_TEXT.format(title=sent.report.title, n=len(sent.case.items), units=units)
        services.report_reply(actor=sent.case.consultation.convener, report=sent.report, text=text, now=when)

    def follow_up(self, case: _Case, when: datetime) -> None:
        consultation = case.consultation
        items = Assignment.objects.filter(suggestion__consultation=consultation).exclude(
            status=AssignmentStatus.RETURNED
        )
        statuses = Counter(items.values_list("status", flat=True))
        today = timezone.localdate(when)
        recipient, unit = self.recipient(case, ReportKind.CONSULTATION_REPORT)
        texts = _OUTCOMES["follow_up_report"]
        status = texts["status"].format(
            month=today.month,
            day=today.day,
            topic=consultation.topic.title,
            count=len(case.items),
            assigned=sum(statuses.values()),
            done=statuses[AssignmentStatus.DONE],
            working=statuses[AssignmentStatus.ACCEPTED] + statuses[AssignmentStatus.ASSIGNED],
        )
        problems = texts["problems"].format(problem=self.rng.choice(FOLLOW_UP_PROBLEMS))
        body = "\n".join((status, "", problems, "", texts["request"].format(recipient=recipient)))
        report = services.report_draft(
            actor=consultation.convener,
            consultation=consultation,
            kind=ReportKind.CONSULTATION_REPORT,
            recipient=recipient,
            recipient_unit=unit,
            is_entrusted=True,
            title=texts["title"].format(topic=consultation.topic.title),
            body=body,
        )
        services.report_send(actor=consultation.convener, report=report, now=when)

    # --- one item -------------------------------------------------------------------------------

    def schedule_item(self, item: _Item) -> None:
        """Plan the item's steps from its assignment to its fate; every day lies before today."""
        rng = self.rng
        fate = item.fate
        if fate == UNASSIGNED:
            return
        day = item.assign_on
        if item.returned_by is not None:
            self.schedule(day, partial(self.assign, item, item.returned_by, day + timedelta(days=60)))
            day = self.after(day, 1, 3)
            self.schedule(day, partial(self.give_back, item))
            day = self.after(day, 1, 2)
        if fate in CLOSED_FATES:
            deadline = day + timedelta(days=item.term)
        elif fate in (WORKING, CHECKING):
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
        self.schedule(day, partial(self.assign, item, item.lead, deadline))
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
        elif fate == CHECKING and start < self.days_ago(1):
            self.schedule(start, partial(self.progress, item, PROGRESS_START))
            self.finish(item, self.days_ago(1))
        elif fate == CHECKING:  # accepted too lately to have finished: still working
            item.fate = WORKING
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
        """The unit's liaison; units without a demo account get one, liaison_<short code> with the demo password."""
        if unit.pk not in self.liaisons:
            user = staff_account_create(
                actor=self.users["admin"],
                username=district.liaison_username(unit),
                password=None,
                full_name=self.person(),
            )
            district.give_demo_password(user)
            org_services.role_grant(actor=self.users["admin"], user=user, role=Role.UNIT_LIAISON, unit=unit)
            self.liaisons[unit.pk] = user
        return self.liaisons[unit.pk]

    def assigner(self, case: _Case):
        """The party committee of the demo township for its matters, the district's elsewhere."""
        return self.users["township_party" if case.township.pk == self.first_township_id else "district_party"]

    def responsible(self, unit: Unit) -> str:
        if unit.kind == UnitKind.GOVERNMENT_DEPARTMENT:
            position = self.rng.choice(POSITIONS["department"])
        elif unit.kind == UnitKind.TOWNSHIP_GOVERNMENT:
            town = unit.region.name
            kind = "street" if town.endswith("街道") else "xiang" if town.endswith("乡") else "town"
            position = POSITIONS["township"][kind]
        elif unit.kind == UnitKind.VILLAGE_COMMITTEE:
            position = self.rng.choice(POSITIONS["village"])
        else:
            position = POSITIONS["other"]
        return _OUTCOMES["responsible"].format(name=self.person(), position=position)

    def assign(self, item: _Item, unit: Unit, deadline: date, when: datetime) -> None:
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
            today=timezone.localdate(when),
        )

    def give_back(self, item: _Item, when: datetime) -> None:
        assignment = item.assignment
        services.assignment_return(
            actor=self.liaison(assignment.lead_unit),
            assignment=assignment,
            reason=_OUTCOMES["give_back_reason"].format(unit=item.lead.name),
            now=when,
        )

    def accept(self, item: _Item, when: datetime) -> None:
        item.assignment = services.assignment_accept(
            actor=self.liaison(item.lead), assignment=item.assignment, now=when
        )

    def progress(self, item: _Item, texts: tuple, when: datetime) -> None:
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
            progress=progress.format(place=place, suggestion=item.suggestion.text),
            problems=problems,
            next_steps=next_steps,
            reported_on=timezone.localdate(when),
        )

    def complete(self, item: _Item, when: datetime) -> None:
        rng = self.rng
        visited = rng.randint(12, 40)
        result = rng.choice(RESULTS).format(
            place=(item.case.village or item.case.township).name, n=visited, m=visited - rng.randint(0, 3)
        )
        services.assignment_complete(
            actor=self.liaison(item.lead),
            assignment=item.assignment,
            result=f"{item.suggestion.text}：{result}",
            now=when,
        )
        if item.fate == CHECKING:
            return  # still waiting for the check
        # The check (验收) accepts it, so it counts as done: a village's items by the convener.
        consultation = item.assignment.suggestion.consultation
        checker = consultation.convener if is_village_item(item.assignment) else item.supervisor
        services.assignment_check(item.assignment, actor=checker, now=when)
        # Checking, they read what the item's page had sent them (the 待验收 message among it).
        page = reverse("outcomes:assignment", args=[item.assignment.pk])
        Notification.objects.filter(user=checker, url=page, read_at__isnull=True).update(read_at=when)

    def defer(self, item: _Item, when: datetime) -> None:
        services.assignment_defer(
            actor=self.liaison(item.lead), assignment=item.assignment, reason=self.rng.choice(DEFERRALS), now=when
        )

    def ask(self, item: _Item, later: date, when: datetime) -> None:
        services.extension_request(
            actor=self.liaison(item.lead),
            assignment=item.assignment,
            requested_deadline=later,
            reason=self.rng.choice(EXTENSION_REASONS),
        )

    def decide(self, item: _Item, approve: bool, when: datetime) -> None:
        extension = item.assignment.extensions.get(status=ExtensionStatus.PENDING)
        services.extension_decide(
            actor=item.supervisor,
            extension=extension,
            approve=approve,
            note=APPROVAL_NOTE if approve else REFUSAL_NOTE,
            now=when,
        )

    # --- publication and reminders ------------------------------------------------------------------

    def plan_publication(self, case: _Case) -> None:
        if case.is_open or case.is_publication_overdue:
            return
        finished = max(item.closed_on for item in case.items)
        late = self.rng.random() < 0.1
        day = self.after(finished, 9, 15) if late else self.after(finished, 1, 6)
        self.schedule(min(day, self.days_ago(1)), partial(self.publish, case))

    def publish(self, case: _Case, when: datetime) -> None:
        consultation = case.consultation
        held = timezone.localtime(consultation.starts_at)
        texts = _OUTCOMES["publication"]
        lines = [
            texts["opening"].format(
                year=held.year,
                month=held.month,
                day=held.day,
                platform=consultation.platform.name,
                topic=consultation.topic.title,
                count=len(case.suggestions),
            )
        ]
        for number, line in enumerate(selectors.three_lists(consultation), start=1):
            assignment = line.assignment
            if assignment is None:
                # Not adopted or deferred: the public result says so, with the reason.
                suggestion = line.suggestion
                lines.append(
                    f"{number}. {suggestion.text}：{suggestion.get_decision_display()}。{suggestion.decision_reason}"
                )
                continue
            if assignment.status == AssignmentStatus.DONE:
                outcome = assignment.result.removeprefix(f"{line.suggestion.text}：")
            else:
                outcome = f"{assignment.get_status_display()}。{assignment.deferral_reason}"
            lines.append(f"{number}. {line.suggestion.text}（{assignment.lead_unit.name}）：{outcome}")
        lines.append(texts["closing"])
        others = [PublicChannel.ONLINE.value, PublicChannel.MEETING.value, PublicChannel.PRINT.value]
        channels = [PublicChannel.BOARD.value, *self.rng.sample(others, self.rng.randint(0, 2))]
        services.publication_publish(
            actor=consultation.convener,
            consultation=consultation,
            summary="\n".join(lines),
            channels=channels,
            now=when,
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
                self.schedule(day, self.remind, hour=7)

    @staticmethod
    def remind(when: datetime) -> None:
        reminders_run(today=timezone.localdate(when))

    # --- playing ------------------------------------------------------------------------------------

    def play(self) -> None:
        self.timeline.play()
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
        items = Suggestion.objects.filter(consultation__in=[c.consultation for c in self.cases])
        counts |= {
            "legal_reviews": LegalReview.objects.filter(consultation__in=[c.consultation for c in self.cases]).count(),
            "corrected_items": items.filter(corrected_at__isnull=False).count(),
            "not_adopted": items.filter(decision=SuggestionDecision.NOT_ADOPTED).count(),
            "deferred": items.filter(decision=SuggestionDecision.DEFERRED).count(),
        }
        counts["outcome_publications_overdue"] = len(
            selectors.unpublished_overdue(Consultation.objects.filter(pk__in=[c.consultation.pk for c in self.cases]))
        )
        return counts
