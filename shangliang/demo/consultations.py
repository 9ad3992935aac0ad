"""Consultations on the approved topics of the demo district, written through the consultation services.

Four in five of the older approved topics get a consultation (about 135, 120 of them concluded over
three years, as in the source district), and the newest ones carry consultations in every status:
planned (some with nobody picked yet), notified, in session, held with the minutes waiting,
concluded with confirmed minutes, suggestions and explained dissent, and cancelled (one of them
planned again later). Participants come from the candidates
the system proposes, plus the deputies, experts and cadres a convener adds by hand. The demo
accounts of 青石镇 each find work: ``convener`` a topic with candidates still to pick, a session
open online and minutes to confirm; ``station`` a notice out and a consultation ready to notify.
What is found, said and agreed (``data/consultations.json``) is data; this module decides who
takes part, who speaks, and when.

As in ``demo.topics``, every step is planned at a moment in the past and played by the demo's
timeline (``demo.timeline``) in the order of those moments; a step passes its moment to the services
that read the clock (the notice, sign-in, the online window) and dates its parts (a sign-in, each
statement at its minute of the meeting) with ``timeline.at``. The picks of one consultation are
resolved against one list of candidates, as the participants page does.
"""

import random
from collections import Counter, defaultdict
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shangliang.accounts.services import resident_register
from shangliang.consultations import selectors, services
from shangliang.consultations.models import (
    AssemblyVote,
    Consultation,
    Dissent,
    OnlinePost,
    Participant,
    SessionFormat,
    Statement,
    Suggestion,
)
from shangliang.consultations.states import (
    AFFECTED_CATEGORIES,
    AssemblyBody,
    ConsultationStatus,
    ExplanationOutcome,
    Mode,
    ParticipantCategory,
    Rsvp,
    Stance,
    VoteResult,
)
from shangliang.core.errors import DomainError
from shangliang.demo import district
from shangliang.demo.content import load
from shangliang.demo.names import NameSource
from shangliang.demo.timeline import Timeline
from shangliang.demo.topics import MATTER_TALKS, SOURCE_TOPICS
from shangliang.orgs.models import CommitteeSeat, ConsultationCommittee, Member, Platform, Region
from shangliang.orgs.states import PlatformKind, RegionLevel
from shangliang.topics.models import Submission, Topic
from shangliang.topics.permissions import CPPCC_PLATFORM_KINDS
from shangliang.topics.states import ConveningLevel, TopicStatus

SEED = district.SEED + 2

PLANNED, NOTIFIED, IN_SESSION, HELD, CONCLUDED, CANCELLED = (
    ConsultationStatus.PLANNED,
    ConsultationStatus.NOTIFIED,
    ConsultationStatus.IN_SESSION,
    ConsultationStatus.HELD,
    ConsultationStatus.CONCLUDED,
    ConsultationStatus.CANCELLED,
)
# A consultation planned but with nobody picked yet: the convener still has candidates to choose.
UNPICKED = "unpicked"

AFFECTED = (ParticipantCategory.RESIDENT, ParticipantCategory.STAKEHOLDER, ParticipantCategory.GRID_HEAD)
OFFICIAL = (
    ParticipantCategory.UNIT,
    ParticipantCategory.MEMBER,
    ParticipantCategory.EXPERT,
    ParticipantCategory.DEPUTY,
    ParticipantCategory.TOWNSHIP,
)


@dataclass(frozen=True)
class Talk:
    """What is found, read, said and agreed on one matter (a theme of ``topics.json``, or a source topic).

    ``{place}`` and ``{n}`` in the finding are filled in for the topic; each concern is a dissenting
    view and the explanation the organiser gives afterwards.
    """

    finding: str
    policies: tuple[str, ...]
    suggestions: tuple[str, ...]
    concerns: tuple[tuple[str, str], ...]
    expert: str
    reply: str = ""
    stakeholder: str = ""  # who the matter touches, as the participants list calls them

    @classmethod
    def of(cls, data: dict) -> "Talk":
        return cls(
            finding=data["finding"],
            policies=tuple(data["policies"]),
            suggestions=tuple(data["suggestions"]),
            concerns=tuple((concern["view"], concern["explanation"]) for concern in data["concerns"]),
            reply=data.get("reply", ""),
            expert=data["expert"],
            stakeholder=data.get("stakeholder", ""),
        )


_CONSULTATIONS = load("consultations")

# By the matter the topic was drafted from (its theme, ``topics.MATTER_TALKS``): everything found,
# read, said and agreed on a topic is its own matter's, never another topic's of the same category.
# The consultations of the source documents have their own, by the topic's title.
TALKS = {key: Talk.of(talk) for key, talk in _CONSULTATIONS["talks"].items()}
SOURCE_TALKS = {title: Talk.of(talk) for title, talk in _CONSULTATIONS["source_talks"].items()}


def talk_for(topic: Topic) -> Talk:
    """What is found, read, said and agreed on ``topic``: its own matter's talk.

    The matter is known by the title of the submission the topic was drafted from (the first of its
    submissions; the later ones merged into it say the same). Raises KeyError for a topic whose matter
    has no talk, rather than borrowing another topic's.
    """
    if topic.title in SOURCE_TALKS:
        return SOURCE_TALKS[topic.title]
    for submission in sorted(topic.submissions.all(), key=lambda s: s.pk):
        key = MATTER_TALKS.get(submission.title)
        if key is not None:
            return TALKS[key]
    raise KeyError(f"no talk in consultations.json for the topic {topic.title}")


# Forms by the kind of matter, with their weights; each must exist (the defaults of consultations.defaults).
FORMS = _CONSULTATIONS["forms"]
ONLINE_FORM = FORMS["online"]
RURAL_FORMS, URBAN_FORMS, HOUSING_FORMS, TOWNSHIP_FORMS = (
    tuple((form["name"], form["weight"]) for form in FORMS[kind]) for kind in ("rural", "urban", "housing", "township")
)
AGENDAS = {
    form: tuple((item["title"], item["minutes"]) for item in agenda)
    for form, agenda in _CONSULTATIONS["agendas"].items()
}
for _alias, _form in _CONSULTATIONS["agenda_aliases"].items():
    AGENDAS[_alias] = AGENDAS[_form]

# Who speaks on an agenda item, by the words of its title.
AFFECTED_WORDS = tuple(_CONSULTATIONS["affected_words"])
OFFICIAL_WORDS = tuple(_CONSULTATIONS["official_words"])

PLACES = _CONSULTATIONS["places"]
PEOPLE = _CONSULTATIONS["people"]
RESEARCH = _CONSULTATIONS["research"]
SAYS = _CONSULTATIONS["statements"]
RESIDENT_SUPPORT = tuple(_CONSULTATIONS["resident_support"])
RESIDENT_QUESTIONS = tuple(_CONSULTATIONS["resident_questions"])
ONLINE_OPINIONS = tuple((opinion["text"], opinion["stance"]) for opinion in _CONSULTATIONS["online_opinions"])
ONLINE_REPLY = (_CONSULTATIONS["online_reply"]["text"], _CONSULTATIONS["online_reply"]["stance"])
AD_POST = _CONSULTATIONS["ad_post"]
AD_REASON = _CONSULTATIONS["ad_reason"]

POSTPONED = _CONSULTATIONS["postponed"]
CANCEL_REASONS = tuple(_CONSULTATIONS["cancel_reasons"])
EXPLAIN_METHODS = tuple(_CONSULTATIONS["explain_methods"])
# An opposing opinion posted online joins the dissent list at the close; the organiser calls its author.
ONLINE_DISSENT_METHOD = "电话沟通"
ONLINE_DISSENT_EXPLANATION = "会后电话联系发表意见的群众，说明了方案的考虑和后续安排，群众表示理解。"

SOCIAL_BY_CATEGORY = _CONSULTATIONS["social_by_category"]
MINUTES = _CONSULTATIONS["minutes"]
VOTE = _CONSULTATIONS["vote"]


@dataclass
class _Plan:
    """One consultation to build and what happens to it; filled in as its steps are played."""

    topic: Topic
    goal: str
    convener: object
    talk: Talk
    form: SessionFormat
    mode: str
    platform: Platform
    place: str
    agenda: tuple[tuple[str, int], ...]
    starts_at: datetime
    ends_at: datetime
    regions: list[Region] = field(default_factory=list)
    finding: str = ""
    consultation: Consultation | None = None
    dissents: list[tuple[Dissent, str]] = field(default_factory=list)  # each with the explanation to give
    posts: list[OnlinePost] = field(default_factory=list)
    reserved: bool = False  # a dissent stays reserved and goes to the assembly
    cancel_reason: str = ""


def build_demo_consultations(*, stdout=None) -> dict:
    """Add consultations to the approved topics of the demo district built by ``build_demo_topics``.

    Runs in one transaction and writes through the consultation services. Returns the counts.
    """
    with transaction.atomic():
        sessions = _Sessions(stdout)
        sessions.plan()
        sessions.play()
        return sessions.counts()


def _township_kind(name: str) -> str:
    """How a township's bodies and cadres are called: a street (街道), a rural township (乡) or a town (镇)."""
    if name.endswith("街道"):
        return "street"
    return "xiang" if name.endswith("乡") else "town"


def _village_kind(name: str) -> str:
    return "village" if name.endswith("村") else "community"


class _Sessions:
    """Plans every step of every consultation at a moment in the past, then plays them in the order of those moments."""

    def __init__(self, stdout):
        self.stdout = stdout
        self.rng = random.Random(SEED)
        self.names = NameSource(self.rng)
        self.today = timezone.localdate()
        self.limit = timezone.make_aware(datetime.combine(self.today, time()))
        self.timeline = Timeline()
        self.plans: list[_Plan] = []
        self.load()

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")

    # --- the district and its topics -------------------------------------------------------

    def load(self) -> None:
        self.district = Region.objects.get(code=district.DISTRICT_CODE)
        self.townships = list(Region.objects.filter(parent=self.district).order_by("code"))
        self.first = self.townships[0]
        first_villages = list(Region.objects.filter(parent=self.first).order_by("code"))
        users = get_user_model().objects.filter(username__in=district.DEMO_USERNAMES)
        self.users = {u.username: u for u in users}
        self.village_conveners = {
            first_villages[0].pk: self.users["convener"],
            first_villages[1].pk: self.users["convener2"],
        }
        platforms = Platform.objects.filter(region__path__startswith=self.district.path).order_by("pk")
        self.rooms = {
            p.region_id: p for p in platforms if p.kind in (PlatformKind.VILLAGE_ROOM, PlatformKind.TOWNSHIP_ROOM)
        }
        self.committees = set(ConsultationCommittee.objects.values_list("region_id", flat=True))
        self.forms = {f.name: f for f in SessionFormat.objects.filter(is_archived=False)}
        self.demo_member = Member.objects.select_related("sector").get(user=self.users["member"])
        self.demo_township_id = (
            self.demo_member.assignments.filter(ended_on__isnull=True)
            .values_list("platform__region_id", flat=True)
            .first()
        )
        # Generated names must not meet the people the district and the topics already have.
        self.taken_names = set(Member.objects.values_list("name", flat=True))
        self.taken_names |= set(CommitteeSeat.objects.values_list("name", flat=True))
        self.taken_names |= set(get_user_model().objects.values_list("full_name", flat=True))
        self.taken_names |= set(Submission.objects.values_list("submitter_name", flat=True))
        self.taken_mobiles = set(get_user_model().objects.exclude(mobile=None).values_list("mobile", flat=True))
        self.taken_mobiles |= set(Member.objects.values_list("mobile", flat=True))
        self.taken_mobiles |= set(CommitteeSeat.objects.values_list("mobile", flat=True))
        self.taken_mobiles |= set(Submission.objects.values_list("submitter_mobile", flat=True))
        self.topics = list(
            Topic.objects.filter(status=TopicStatus.APPROVED, convening_region__path__startswith=self.district.path)
            .select_related("category", "convening_region", "platform")
            .prefetch_related("regions", "submissions")
            .order_by("approved_at", "pk")
        )
        self.online_residents: list = []
        self.ad_hidden = False

    def person(self, female_share: float = 0.4) -> str:
        while True:
            name = self.names.person(self.names.gender(female_share))
            if name not in self.taken_names:
                self.taken_names.add(name)
                return name

    def mobile(self) -> str:
        while True:
            number = self.names.mobile()
            if number not in self.taken_mobiles:
                self.taken_mobiles.add(number)
                return number

    def convener_for(self, topic: Topic):
        region = topic.convening_region
        if region.pk in self.village_conveners:
            return self.village_conveners[region.pk]
        if region.path.startswith(self.first.path):
            return self.users["station"]
        return self.users["admin"]

    def township_of(self, topic: Topic) -> Region:
        region = topic.convening_region
        if region.level == RegionLevel.TOWNSHIP:
            return region
        if region.level == RegionLevel.VILLAGE:
            return next(t for t in self.townships if t.pk == region.parent_id)
        return next(t for t in self.townships if t.pk == topic.regions.all()[0].parent_id)

    # --- time -----------------------------------------------------------------------------

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def office_hours(self, day: date) -> datetime:
        return self.at(day, self.rng.randint(8, 17), self.rng.randrange(60))

    def schedule(self, when: datetime, step) -> None:
        """Play ``step(when)`` at ``when``; every step lies before today."""
        if when >= self.limit:
            raise ValueError(f"a step at {when} would fall on or after today")
        self.timeline.add(when, step)

    # --- the plan -------------------------------------------------------------------------

    def plan(self) -> None:
        goals = self.goals()
        self.plan_online_residents()
        vote_plan = None
        for topic in self.topics:
            goal = goals.get(topic.pk)
            if goal is None:
                continue
            plan = self.plan_one(topic, goal)
            self.plans.append(plan)
            if vote_plan is None and goal == CONCLUDED and self.fits_vote(plan):
                vote_plan = plan
        if vote_plan is not None:
            vote_plan.reserved = True
        # A consultation called off for the flood season is planned again and held a month or two later.
        postponed = next((p for p in self.plans if p.goal == CANCELLED and self.age(p.starts_at) >= 80), None)
        if postponed is not None:
            postponed.cancel_reason = POSTPONED
            later = self.age(postponed.starts_at) - self.rng.randint(30, 50)
            self.plans.append(self.plan_one(postponed.topic, CONCLUDED, session_age=later))
        for plan in self.plans:
            self.schedule_plan(plan, vote=plan is vote_plan)

    def goals(self) -> dict[int, str]:
        """What each topic's consultation comes to; topics left out wait for one in the public pool."""
        goals: dict[int, str] = {}
        newest_first = sorted(self.topics, key=lambda t: (t.approved_at, t.pk), reverse=True)
        by_convener: dict[str, list[Topic]] = defaultdict(list)
        others = []
        for topic in newest_first:
            convener = self.convener_for(topic)
            if convener.username == "admin":
                others.append(topic)
            else:
                by_convener[convener.username].append(topic)
        # The demo accounts of the first township: the newest topics carry the open work.
        patterns = {
            "convener": (UNPICKED, IN_SESSION, HELD, CONCLUDED, CONCLUDED, CONCLUDED),
            "convener2": (CONCLUDED, CONCLUDED),
            "station": (PLANNED, NOTIFIED, None, CONCLUDED, CANCELLED, CONCLUDED),
        }
        for username, topics in by_convener.items():
            pattern = patterns.get(username, ())
            for index, topic in enumerate(topics):
                goal = pattern[index] if index < len(pattern) else self.old_goal(topic)
                if goal:
                    goals[topic.pk] = goal
        recent = (UNPICKED, PLANNED, NOTIFIED, PLANNED, NOTIFIED, IN_SESSION, HELD, HELD)
        for index, topic in enumerate(others):
            if topic.title in SOURCE_TOPICS:
                goals[topic.pk] = CONCLUDED
            elif index < len(recent):
                goals[topic.pk] = recent[index]
            else:
                goal = self.old_goal(topic)
                if goal:
                    goals[topic.pk] = goal
        return goals

    def old_goal(self, topic: Topic) -> str | None:
        """Four in five older topics have been consulted on; a few were called off, the rest still wait."""
        if self.age(topic.approved_at) < 45:
            return None
        draw = self.rng.random()
        if draw < 0.8:
            return CONCLUDED
        if draw < 0.83:
            return CANCELLED
        return None

    def age(self, moment: datetime) -> int:
        return (self.today - timezone.localdate(moment)).days

    def fits_vote(self, plan: _Plan) -> bool:
        """The assembly votes on a village matter that costs the villagers money or work."""
        topic = plan.topic
        return (
            topic.convening_level == ConveningLevel.VILLAGE
            and topic.category.name in VOTE["categories"]
            and plan.convener.username != "admin"
        )

    def plan_online_residents(self) -> None:
        """Residents who registered on the WeChat page and give their views online.

        Nobody logs in as them, so, like the residents who rate (``demo.evaluation``), their accounts have no
        usable password: hashing the demo password for each would cost a second of the seeding."""
        for index in range(5):
            name, mobile = self.person(0.5), self.mobile()
            when = self.office_hours(self.today - timedelta(days=1200 - 15 * index))
            self.schedule(when, partial(self.register, name, mobile))

    def register(self, name: str, mobile: str, when: datetime) -> None:
        self.online_residents.append(resident_register(mobile=mobile, password=None, full_name=name, verified=True))

    def plan_one(self, topic: Topic, goal: str, *, session_age: int | None = None) -> _Plan:
        rng = self.rng
        regions = list(topic.regions.all())
        talk = talk_for(topic)
        platform = topic.platform or self.rooms.get(topic.convening_region_id) or self.rooms[regions[0].parent_id]
        approved_age = self.age(topic.approved_at)
        if session_age is None:
            session_age = self.session_age(goal, approved_age)
        draw = rng.random()
        if goal == IN_SESSION:
            # A session still open is an online one: its page stays open for a few days.
            mode = Mode.ONLINE
        elif goal == HELD:
            # Closed only days ago: a week-long online window would not have ended yet.
            mode = Mode.HYBRID if draw < 0.25 else Mode.OFFLINE
        else:
            mode = Mode.ONLINE if draw < 0.08 else Mode.HYBRID if draw < 0.25 else Mode.OFFLINE
        form_name = self.form_name(topic, platform, mode)
        form = self.forms.get(form_name) or self.forms[FORMS["fallback"]]
        agenda = AGENDAS.get(form.name, AGENDAS["default"])
        day = self.today - timedelta(days=session_age)
        if mode == Mode.ONLINE:
            starts_at = self.at(day, 9)
            ends_at = self.at(day + timedelta(days=rng.randint(5, 7)), 18)
        else:
            if form.name in FORMS["evening"]:
                starts_at = self.at(day, *FORMS["evening"][form.name])
            else:
                starts_at = self.at(day, *rng.choice(((9, 0), (9, 30), (14, 30), (15, 0))))
            length = sum(minutes for _title, minutes in agenda) + rng.choice((10, 20, 30))
            ends_at = starts_at + timedelta(minutes=length)
        return _Plan(
            topic=topic,
            goal=goal,
            convener=self.convener_for(topic),
            talk=talk,
            form=form,
            mode=mode,
            platform=platform,
            place="" if mode == Mode.ONLINE else self.place(topic, platform, form.name, regions),
            agenda=agenda,
            starts_at=starts_at,
            ends_at=ends_at,
            regions=regions,
            finding=talk.finding.format(place="、".join(r.name for r in regions[:3]), n=rng.randint(8, 60)),
        )

    def session_age(self, goal: str, approved_age: int) -> int:
        """Days from the session to today; negative when it lies ahead."""
        rng = self.rng
        if goal in (UNPICKED, PLANNED):
            return -rng.randint(12, 25)
        if goal == NOTIFIED:
            return -rng.randint(3, 8)
        if goal == IN_SESSION:
            return rng.randint(2, 3)
        if goal == HELD:
            return rng.randint(3, 9)
        # Consultations follow approval by two weeks to two months; the latest steps end before today.
        return max(approved_age - rng.randint(16, 60), 30)

    def form_name(self, topic: Topic, platform: Platform, mode: str) -> str:
        rng = self.rng
        if mode == Mode.ONLINE:
            return ONLINE_FORM
        if platform.kind in CPPCC_PLATFORM_KINDS:
            return rng.choice(FORMS["cppcc"])
        if topic.convening_level == ConveningLevel.DISTRICT:
            return FORMS["district"]
        if topic.category.name == FORMS["policy_category"]:
            return FORMS["policy"]
        if topic.convening_level == ConveningLevel.TOWNSHIP:
            choices = TOWNSHIP_FORMS
        elif topic.convening_region.name.endswith("村"):
            choices = RURAL_FORMS
        elif topic.category.name in FORMS["housing_categories"]:
            choices = HOUSING_FORMS
        else:
            choices = URBAN_FORMS
        return rng.choices([name for name, _w in choices], [w for _n, w in choices])[0]

    def place(self, topic: Topic, platform: Platform, form: str, regions: list[Region]) -> str:
        rng = self.rng
        region = topic.convening_region
        if topic.convening_level != ConveningLevel.VILLAGE or platform.kind in CPPCC_PLATFORM_KINDS:
            return platform.address or platform.name
        name = region.name
        if form == PLACES["courtyard_form"]:
            return rng.choice(PLACES["courtyard"]).format(name=name)
        if name.endswith("村"):
            return rng.choice(PLACES["village"]).format(name=name)
        if form in PLACES["housing_forms"]:
            return PLACES["housing"].format(name=name)
        return rng.choice(PLACES["community"]).format(name=name)

    # --- the steps of one consultation ----------------------------------------------------

    def schedule_plan(self, plan: _Plan, *, vote: bool) -> None:
        rng = self.rng
        start = plan.starts_at
        approved_on = timezone.localdate(plan.topic.approved_at)
        if plan.goal in (UNPICKED, PLANNED):
            planned_on = max(self.today - timedelta(days=rng.randint(4, 12)), approved_on + timedelta(days=1))
            planned_on = min(planned_on, self.today - timedelta(days=2))
            notice_day = self.today
        else:
            # The notice goes out five to nine days ahead (at least three are required), never today.
            notice_day = min(
                timezone.localdate(start) - timedelta(days=rng.randint(5, 9)), self.today - timedelta(days=1)
            )
            planned_on = max(notice_day - timedelta(days=rng.randint(8, 20)), approved_on + timedelta(days=1))
            if planned_on > notice_day - timedelta(days=2):
                raise ValueError(f"{plan.topic.title}: approved too late for a notice on {notice_day}")
        plan_at = self.office_hours(planned_on)
        self.schedule(plan_at, partial(self.run_plan, plan))
        if plan.goal == UNPICKED:
            self.schedule(plan_at + timedelta(minutes=20), partial(self.invite, plan, picks=2, free=False))
            return
        self.schedule(plan_at + timedelta(minutes=30), partial(self.invite, plan))
        # Research comes between picking the participants and the notice (不调研不协商).
        research_day = planned_on + timedelta(days=max(1, (notice_day - planned_on).days // 2))
        if plan.goal != PLANNED or rng.random() < 0.6:
            self.schedule(self.office_hours(research_day), partial(self.research, plan, first=True))
            second = research_day + timedelta(days=1)
            if second < notice_day and rng.random() < 0.3:
                self.schedule(self.office_hours(second), partial(self.research, plan, first=False))
        if plan.goal == PLANNED:
            return
        if plan.goal == CANCELLED and rng.random() < 0.5:
            self.schedule(self.office_hours(notice_day), partial(self.cancel, plan))
            return
        notice_at = self.at(notice_day, rng.randint(9, 11), rng.randrange(60))
        self.schedule(notice_at, partial(self.notice, plan))
        replies_until = min(start - timedelta(hours=2), self.limit - timedelta(hours=3))
        if plan.goal == CANCELLED:
            cancel_at = self.at(notice_day + timedelta(days=2), rng.randint(9, 17))
            self.schedule(cancel_at, partial(self.cancel, plan))
            replies_until = cancel_at - timedelta(hours=1)
        self.schedule(notice_at + timedelta(hours=1), partial(self.replies, plan, notice_at, replies_until))
        sign_up_at = self.at(notice_day + timedelta(days=1), 20, rng.randrange(60))
        if rng.random() < 0.25 and sign_up_at < replies_until:
            self.schedule(sign_up_at, partial(self.sign_up, plan))
        if plan.goal == CANCELLED:
            return
        if plan.mode != Mode.OFFLINE:
            self.schedule_posts(plan, notice_at)
        if plan.goal == NOTIFIED:
            return
        self.schedule(start - timedelta(minutes=25), partial(self.session, plan))
        if plan.goal == IN_SESSION:
            return
        self.schedule(plan.ends_at, partial(self.close, plan))
        if plan.goal == HELD:
            return
        explained = timezone.localdate(plan.ends_at) + timedelta(days=rng.randint(2, 6))
        self.schedule(self.office_hours(explained), partial(self.explain, plan))
        drafted = explained + timedelta(days=rng.randint(1, 3))
        self.schedule(self.office_hours(drafted), partial(self.resolve, plan))
        if vote:
            voted = drafted + timedelta(days=rng.randint(5, 10))
            self.schedule(self.at(voted, 19, 30), partial(self.vote, plan))
            drafted = voted
        agreed = drafted + timedelta(days=rng.randint(1, 4))
        self.schedule(self.office_hours(agreed), partial(self.agree, plan))

    def schedule_posts(self, plan: _Plan, notice_at: datetime) -> None:
        rng = self.rng
        if plan.mode == Mode.ONLINE:
            first, last = plan.starts_at, plan.ends_at - timedelta(hours=2)
        else:
            first, last = notice_at + timedelta(hours=3), plan.starts_at - timedelta(hours=1)
        last = min(last, self.limit - timedelta(hours=3))
        if last <= first:
            return
        count = rng.randint(4, 7) if plan.mode == Mode.ONLINE else rng.randint(2, 4)
        span = (last - first).total_seconds()
        moments = sorted(first + timedelta(seconds=rng.uniform(0, span)) for _ in range(count))
        for index, when in enumerate(moments):
            self.schedule(when, partial(self.post, plan, index))

    # --- playing --------------------------------------------------------------------------

    def play(self) -> None:
        self.timeline.play()
        self.say(f"协商：{len(self.plans)} 次")

    def fresh(self, plan: _Plan) -> Consultation:
        plan.consultation = Consultation.objects.select_related("topic", "session_format", "platform", "convener").get(
            pk=plan.consultation.pk
        )
        return plan.consultation

    # --- what each step does --------------------------------------------------------------

    def run_plan(self, plan: _Plan, when: datetime) -> None:
        plan.consultation = services.consultation_plan(
            actor=plan.convener,
            topic=plan.topic,
            platform=plan.platform,
            session_format=plan.form,
            mode=plan.mode,
            starts_at=plan.starts_at,
            ends_at=plan.ends_at,
            place=plan.place,
            agenda=list(plan.agenda),
        )

    def invite(self, plan: _Plan, when: datetime, *, picks: int | None = None, free: bool = True) -> None:
        """Pick from the candidates the system proposes, then add those it cannot know about."""
        rng = self.rng
        consultation = plan.consultation
        candidates = selectors.candidates_for(consultation)
        keys = self.picks(plan, candidates)
        if picks is not None:
            keys = keys[:picks]
        # Every pick is resolved against the list as proposed, before anyone is added.
        resolved = self.with_demo_member(
            plan, [selectors.resolve_candidate(consultation, key, candidates) for key in keys]
        )
        for fields in resolved:
            # Someone proposed twice, e.g. as submitter and as supporter, is refused the second time.
            self.add(plan, **fields)
        if not free:
            return
        officials = self.officials(plan)
        for category, organisation in officials:
            self.add(plan, category=category, name=self.person(), organisation=organisation, mobile=self.mobile())
        # Residents and those the matter touches come to at least half (利益涉及谁就和谁商量), except in
        # about one consultation in seven, where officials outweigh them and the convener is warned.
        if rng.random() < 0.15:
            return
        counts = Counter(consultation.participants.values_list("category", flat=True))
        affected = sum(counts[c] for c in AFFECTED_CATEGORIES)
        missing = sum(counts.values()) - 2 * affected
        for category, organisation in self.residents(plan, max(missing + rng.randint(0, 2), 1)):
            self.add(plan, category=category, name=self.person(), organisation=organisation, mobile=self.mobile())

    def with_demo_member(self, plan: _Plan, resolved: list[dict]) -> list[dict]:
        """The demo ``member`` account's member takes the first member's place in the consultations of
        their township, so that account has a record and points to show. The member is attached to the
        township station but often ranks below the twelve candidates proposed; swapping one member for
        another keeps the number of participants, and so the rest of the demo, unchanged."""
        member = self.demo_member
        if self.township_of(plan.topic).pk != self.demo_township_id:
            return resolved
        if any(fields.get("member") == member for fields in resolved):
            return resolved
        for index, fields in enumerate(resolved):
            if fields.get("category") == ParticipantCategory.MEMBER:
                organisation = f"{member.sector.name} · {member.specialty}" if member.specialty else member.sector.name
                swapped = {"category": ParticipantCategory.MEMBER, "name": member.name, "organisation": organisation}
                swapped |= {"member": member, "user": member.user, "mobile": member.mobile}
                return [*resolved[:index], swapped, *resolved[index + 1 :]]
        return resolved

    def add(self, plan: _Plan, **fields) -> Participant | None:
        try:
            return services.participant_add(actor=plan.convener, consultation=plan.consultation, **fields)
        except DomainError:
            # Already on the list under another key (a seat holder who also submitted the matter).
            return None

    def picks(self, plan: _Plan, candidates: list) -> list[str]:
        rng = self.rng
        by_kind: dict[str, list] = defaultdict(list)
        for candidate in candidates:
            by_kind[candidate.key.split(":")[0]].append(candidate)
        keys = [c.key for c in by_kind["submission"][:2]] + [c.key for c in by_kind["user"][:1]]
        seats = by_kind["seat"]
        chairs = [c for c in seats if c.category == ParticipantCategory.VILLAGE_CADRE]
        others = [c for c in seats if c.category != ParticipantCategory.VILLAGE_CADRE]
        wide = plan.topic.convening_level != ConveningLevel.VILLAGE
        keys += [c.key for c in chairs[: 2 if wide else 1]]
        keys += [c.key for c in rng.sample(others, min(len(others), rng.randint(1, 2)))]
        members = by_kind["member"]
        wanted = 2 if wide or plan.platform.kind in CPPCC_PLATFORM_KINDS else 1
        demo = [c for c in members if c.key == f"member:{self.demo_member.pk}"]
        rest = [c for c in members if c not in demo]
        keys += [c.key for c in (demo + rest)[:wanted]]
        units = [c for c in by_kind["unit"] if c.category == ParticipantCategory.UNIT]
        keys += [c.key for c in units[: 2 if wide else 1]]
        if not chairs:
            keys += [c.key for c in by_kind["unit"] if c.category == ParticipantCategory.VILLAGE_CADRE][:1]
        return keys

    def officials(self, plan: _Plan) -> list[tuple[str, str]]:
        """Deputies, experts, cadres and organisations the convener adds by hand: (category, organisation)."""
        rng = self.rng
        topic = plan.topic
        town = self.township_of(topic).name
        category = topic.category.name
        cadre = PEOPLE["township_cadre"][_township_kind(town)].format(town=town)
        people = [(ParticipantCategory.TOWNSHIP, cadre)]
        village = topic.convening_region
        if topic.convening_level == ConveningLevel.VILLAGE and (
            village.pk not in self.committees or rng.random() < 0.3
        ):
            # The party secretary comes when the matter is the village's own, and always where no
            # consultation committee exists to propose a chair.
            secretary = PEOPLE["village_secretary"][_village_kind(village.name)].format(name=village.name)
            people.append((ParticipantCategory.VILLAGE_CADRE, secretary))
        if rng.random() < 0.35 or topic.convening_level != ConveningLevel.VILLAGE:
            congress = "district" if town.endswith("街道") or rng.random() < 0.4 else "town"
            people.append((ParticipantCategory.DEPUTY, PEOPLE["deputies"][congress]))
        if rng.random() < 0.3 or plan.platform.kind in CPPCC_PLATFORM_KINDS:
            people.append((ParticipantCategory.EXPERT, plan.talk.expert))
        if category in SOCIAL_BY_CATEGORY and rng.random() < 0.4:
            organisation = SOCIAL_BY_CATEGORY[category].format(
                trade=self.names.trade_name(), village=plan.regions[0].name
            )
            people.append((ParticipantCategory.SOCIAL, organisation))
        if rng.random() < 0.25:
            people.append((ParticipantCategory.ELDER, rng.choice(PEOPLE["elders"])))
        if rng.random() < 0.5:
            people.append((ParticipantCategory.GRID_HEAD, PEOPLE["grid_head"].format(region=plan.regions[0].name)))
        return people

    def residents(self, plan: _Plan, count: int) -> list[tuple[str, str]]:
        word = plan.talk.stakeholder or self.stakeholder_word(plan.topic.category.name)
        people = []
        for index in range(count):
            region = plan.regions[index % len(plan.regions)].name
            if index % 3 == 0:
                people.append((ParticipantCategory.STAKEHOLDER, f"{region}{word}"))
            else:
                representative = PEOPLE["residents"][_village_kind(region)].format(region=region)
                people.append((ParticipantCategory.RESIDENT, representative))
        return people

    @staticmethod
    def stakeholder_word(category: str) -> str:
        return PEOPLE["stakeholders"].get(category, PEOPLE["stakeholder"])

    def research(self, plan: _Plan, when: datetime, *, first: bool) -> None:
        rng = self.rng
        consultation = self.fresh(plan)
        members = list(consultation.participants.filter(category=ParticipantCategory.MEMBER))
        convener = plan.convener
        if convener.is_superuser:
            organiser = RESEARCH["organiser"].format(township=self.township_of(plan.topic).name)
        else:
            organiser = convener.full_name
        names = [RESEARCH["member"].format(name=m.name) for m in members[:2]]
        names += [organiser, RESEARCH["grid_worker"].format(name=self.person())]
        place = RESEARCH["place"].format(places="、".join(r.name for r in plan.regions[:3]))
        if first:
            findings = plan.finding + rng.choice(RESEARCH["first_notes"])
            policies = "、".join(rng.sample(plan.talk.policies, min(2, len(plan.talk.policies))))
        else:
            findings = RESEARCH["second_findings"]
            policies = plan.talk.policies[-1]
        services.research_add(
            actor=convener,
            consultation=consultation,
            researchers="、".join(names),
            researched_on=timezone.localdate(when),
            place=place,
            findings=findings,
            policies=policies,
            members=[m.member for m in members[:2] if m.member_id],
        )

    def notice(self, plan: _Plan, when: datetime) -> None:
        consultation = plan.consultation
        check = services.representativeness_check(consultation)
        plan.consultation = services.notice_send(
            actor=plan.convener, consultation=consultation, acknowledge_warnings=bool(check.warnings), now=when
        )

    def replies(self, plan: _Plan, sent: datetime, until: datetime, when: datetime) -> None:
        """Participants open the notice and answer whether they come, over the days before the session."""
        rng = self.rng
        span = max((until - sent).total_seconds(), 3600)
        for participant in plan.consultation.participants.all():
            if not (participant.mobile or participant.user_id):
                continue
            read_at = sent + timedelta(seconds=rng.uniform(600, span / 2))
            if rng.random() < 0.7:
                with self.timeline.at(read_at):
                    services.notice_mark_read(participant, now=read_at)
            draw = rng.random()
            if draw < 0.75:
                answer = Rsvp.YES
            elif draw < 0.85:
                answer = Rsvp.NO
            else:
                continue
            answered_at = read_at + timedelta(seconds=rng.uniform(60, span / 2))
            with self.timeline.at(answered_at):
                services.participant_rsvp(participant=participant, answer=answer)

    def sign_up(self, plan: _Plan, when: datetime) -> None:
        """A resident signs up on the public page after seeing the notice."""
        if not self.online_residents:
            return
        user = self.rng.choice(self.online_residents)
        with suppress(DomainError):  # they signed up already, or it was called off meanwhile
            services.participant_signup(user=user, consultation=plan.consultation, name=user.full_name)

    def cancel(self, plan: _Plan, when: datetime) -> None:
        services.consultation_cancel(
            actor=plan.convener,
            consultation=plan.consultation,
            reason=plan.cancel_reason or self.rng.choice(CANCEL_REASONS),
        )

    def post(self, plan: _Plan, index: int, when: datetime) -> None:
        rng = self.rng
        consultation = self.fresh(plan)
        invited = [p.user for p in consultation.participants.exclude(user=None).select_related("user")]
        is_reply = index == 2 and bool(plan.posts)
        everyone = self.online_residents + invited
        user = rng.choice(everyone)
        # One opinion per verified number and consultation (replies aside): each author gives theirs once.
        gave = {post.author_id for post in plan.posts if post.reply_to_id is None}
        if not is_reply and user.pk in gave:
            user = next((u for u in everyone if u.pk not in gave), None)
            if user is None:
                return
        reply_to = None
        # One advertisement slips in overall, on an online consultation, and is hidden.
        is_ad = index == 1 and plan.mode == Mode.ONLINE and not self.ad_hidden
        if is_ad:
            text, stance = AD_POST.format(mobile=self.mobile()), Stance.NEUTRAL
        elif is_reply:
            text, stance = ONLINE_REPLY
            reply_to = plan.posts[0]
        else:
            text, stance = rng.choice(ONLINE_OPINIONS)
            if stance == Stance.SUGGEST and rng.random() < 0.5:
                text = SAYS["online_suggestion"].format(suggestion=rng.choice(plan.talk.suggestions))
        post = services.online_post(
            user=user, consultation=consultation, text=text, stance=stance, reply_to=reply_to, now=when
        )
        plan.posts.append(post)
        if is_ad:
            with self.timeline.at(when + timedelta(minutes=rng.randint(20, 90))):
                services.post_hide(actor=plan.convener, post=post, reason=AD_REASON)
            self.ad_hidden = True

    def session(self, plan: _Plan, when: datetime) -> None:
        """Sign-in before the start, the session itself with its statements, and dissent noted as it is said."""
        rng = self.rng
        consultation = plan.consultation
        start = plan.starts_at
        people = list(consultation.participants.all())
        present = []
        for participant in people:
            if participant.rsvp == Rsvp.NO or (participant.rsvp == Rsvp.PENDING and rng.random() < 0.4):
                continue
            # Most scan the code at the door; staff sign in those without a phone at hand.
            by_staff = participant.user_id is None and rng.random() < 0.4
            arrived = start - timedelta(minutes=rng.randint(1, 25))
            with self.timeline.at(arrived):
                services.sign_in(participant=participant, actor=plan.convener if by_staff else None, now=arrived)
            present.append(participant)
        with self.timeline.at(start):
            plan.consultation = services.session_open(actor=plan.convener, consultation=consultation, now=start)
        if plan.mode == Mode.ONLINE:
            # The page opens with the background; the opinions come in over the following days.
            with self.timeline.at(start + timedelta(minutes=5)):
                services.statement_add(
                    actor=plan.convener,
                    consultation=plan.consultation,
                    participant=self.lead(present or people),
                    text=SAYS["online_opening"].format(finding=plan.finding),
                    agenda_item=plan.consultation.agenda.first(),
                    is_online=True,
                )
            return
        self.statements(plan, present or people)

    @staticmethod
    def lead(present: list[Participant]) -> Participant:
        """Who opens and sums up: the village cadre, else the township's, else an official."""
        for category in (ParticipantCategory.VILLAGE_CADRE, ParticipantCategory.TOWNSHIP, *OFFICIAL):
            for participant in present:
                if participant.category == category:
                    return participant
        return present[0]

    def statements(self, plan: _Plan, present: list[Participant]) -> None:
        """Who speaks follows the agenda: the opening, the people concerned, the officials, the summing up."""
        rng = self.rng
        consultation = plan.consultation
        talk = plan.talk
        affected = [p for p in present if p.category in AFFECTED]
        officials = sorted((p for p in present if p.category in OFFICIAL), key=lambda p: OFFICIAL.index(p.category))
        others = [p for p in present if p.category in (ParticipantCategory.ELDER, ParticipantCategory.SOCIAL)]
        lead = self.lead(present)
        concerns = list(talk.concerns)
        rng.shuffle(concerns)
        dissents = 0
        if plan.reserved or rng.random() < 0.55:
            dissents = 2 if len(concerns) > 1 and rng.random() < 0.2 else 1
        items = list(consultation.agenda.all())
        clock = plan.starts_at
        for number, item in enumerate(items):
            said: list[tuple[Participant, str, str, str]] = []  # speaker, text, stance, explanation if dissent
            if number == 0:
                said.append((lead, SAYS["opening"].format(finding=plan.finding), Stance.NEUTRAL, ""))
            if any(word in item.title for word in AFFECTED_WORDS):
                speakers = rng.sample(affected, min(len(affected), rng.randint(2, 4)))
                for index, speaker in enumerate(speakers):
                    if dissents and index == len(speakers) - 1:
                        view, explanation = concerns.pop()
                        dissents -= 1
                        said.append((speaker, view, Stance.OPPOSE, explanation))
                    elif index == 0:
                        said.append((speaker, rng.choice(RESIDENT_SUPPORT), Stance.SUPPORT, ""))
                    elif rng.random() < 0.5:
                        said.append((speaker, rng.choice(RESIDENT_QUESTIONS), Stance.NEUTRAL, ""))
                    else:
                        suggestion = SAYS["resident_suggestion"].format(suggestion=rng.choice(talk.suggestions))
                        said.append((speaker, suggestion, Stance.SUGGEST, ""))
                said += [(p, self.other_says(p), Stance.SUPPORT, "") for p in others[:1]]
            if any(word in item.title for word in OFFICIAL_WORDS) or (
                number == 1 and SAYS["departments_word"] in item.title
            ):
                ideas = rng.sample(talk.suggestions, len(talk.suggestions))
                for speaker, idea in zip(officials[:4], ideas, strict=False):
                    said.append((speaker, self.official_says(speaker, talk, idea), Stance.SUGGEST, ""))
            if number == len(items) - 1:
                first, second = rng.sample(talk.suggestions, 2)
                summary = SAYS["summary"].format(first=first, second=second)
                said.append((lead, summary, Stance.SUGGEST, ""))
                if affected:
                    said.append((rng.choice(affected), SAYS["agreed"], Stance.SUPPORT, ""))
            if not said:
                said.append((lead, SAYS["nothing_added"].format(item=item.title), Stance.NEUTRAL, ""))
            step = max(item.minutes // max(len(said), 1), 2)
            for speaker, text, stance, explanation in said:
                clock += timedelta(minutes=step)
                with self.timeline.at(clock):
                    statement = services.statement_add(
                        actor=plan.convener,
                        consultation=consultation,
                        participant=speaker,
                        text=text,
                        stance=stance,
                        agenda_item=item,
                    )
                if stance == Stance.OPPOSE:
                    # An opposing statement is a dissent: the service carries it into the dissent list.
                    plan.dissents.append((statement.dissent, explanation))
            clock = max(clock, plan.starts_at + timedelta(minutes=sum(i.minutes for i in items[: number + 1])))

    def other_says(self, speaker: Participant) -> str:
        if speaker.category == ParticipantCategory.ELDER:
            return SAYS["elder"]
        return SAYS["social"]

    def official_says(self, speaker: Participant, talk: Talk, suggestion: str = "") -> str:
        rng = self.rng
        category = speaker.category
        if category == ParticipantCategory.UNIT and speaker.unit_id and talk.reply:
            return talk.reply
        if category == ParticipantCategory.MEMBER:
            return SAYS["member"].format(suggestion=suggestion or rng.choice(talk.suggestions))
        if category == ParticipantCategory.EXPERT:
            return SAYS["expert"]
        if category == ParticipantCategory.DEPUTY:
            return SAYS["deputy"]
        town = self.township_of(speaker.consultation.topic).name
        return SAYS["township"].format(level=SAYS["township_level"][_township_kind(town)])

    def close(self, plan: _Plan, when: datetime) -> None:
        consultation = plan.consultation
        if plan.mode == Mode.ONLINE:
            # The departments answer the online opinions before the page closes; their answers are recorded.
            answering = sorted(
                (p for p in consultation.participants.all() if p.category in OFFICIAL),
                key=lambda p: OFFICIAL.index(p.category),
            )
            items = list(consultation.agenda.all())
            for index, speaker in enumerate(answering[:2]):
                with self.timeline.at(plan.ends_at - timedelta(minutes=30 - 10 * index)):
                    services.statement_add(
                        actor=plan.convener,
                        consultation=consultation,
                        participant=speaker,
                        text=self.official_says(speaker, plan.talk),
                        stance=Stance.SUGGEST,
                        agenda_item=items[-1] if items else None,
                        is_online=True,
                    )
        services.session_close(actor=plan.convener, consultation=consultation)

    def explain(self, plan: _Plan, when: datetime) -> None:
        """The organiser follows up each dissenting view: most accept the explanation, some keep their view."""
        rng = self.rng
        last = len(plan.dissents) - 1
        for index, (dissent, explanation) in enumerate(plan.dissents):
            reserved = (plan.reserved and index == last) or (not plan.reserved and rng.random() < 0.2)
            services.dissent_explain(
                actor=plan.convener,
                dissent=dissent,
                method=rng.choice(EXPLAIN_METHODS),
                explanation=explanation,
                outcome=ExplanationOutcome.RESERVED if reserved else ExplanationOutcome.ACCEPTED,
            )
        online = plan.consultation.dissents.filter(outcome=ExplanationOutcome.PENDING, statement__is_online=True)
        for dissent in online:
            services.dissent_explain(
                actor=plan.convener,
                dissent=dissent,
                method=ONLINE_DISSENT_METHOD,
                explanation=ONLINE_DISSENT_EXPLANATION,
                outcome=ExplanationOutcome.ACCEPTED,
            )

    def resolve(self, plan: _Plan, when: datetime) -> None:
        """Suggestions from the record, then the minutes: the draft with the suggestions, confirmed."""
        rng = self.rng
        consultation = self.fresh(plan)
        chosen = rng.sample(plan.talk.suggestions, rng.randint(2, min(4, len(plan.talk.suggestions))))
        # Members who were there put forward every other suggestion (no draw from rng: the rest of
        # the demo keeps its sequence).
        present = [
            p.member
            for p in consultation.participants.filter(
                category=ParticipantCategory.MEMBER, member__isnull=False, signed_in_at__isnull=False
            ).select_related("member")
        ]
        for index, text in enumerate(chosen):
            proposer = present[index // 2 % len(present)] if present and index % 2 == 0 else None
            services.suggestion_add(actor=plan.convener, consultation=consultation, text=text, proposed_by=proposer)
        lines = [consultation.minutes.rstrip(), "", MINUTES["suggestions_heading"]]
        lines += [f"   {n}. {text}" for n, text in enumerate(chosen, start=1)]
        if plan.dissents:
            lines += ["", MINUTES["dissent_note"]]
        services.minutes_update(actor=plan.convener, consultation=consultation, text="\n".join(lines) + "\n")
        services.minutes_confirm(actor=plan.convener, consultation=plan.consultation)

    def vote(self, plan: _Plan, when: datetime) -> None:
        """The item that stayed contested goes to the villagers' representatives, who adopt it changed."""
        rng = self.rng
        consultation = self.fresh(plan)
        item = consultation.suggestions.first()
        item = services.suggestion_contest(actor=plan.convener, suggestion=item, reason=VOTE["contest"])
        village = consultation.topic.convening_region
        # Two thirds of the representatives make the quorum (村民委员会组织法 第二十六条).
        attendees = min(village.representatives, -(-village.representatives * 2 // 3) + rng.randint(1, 6))
        against, abstentions = rng.randint(3, 6), rng.randint(1, 3)
        services.assembly_vote_add(
            actor=plan.convener,
            consultation=consultation,
            suggestion=item,
            body=AssemblyBody.REPRESENTATIVES,
            held_on=timezone.localdate(when),
            matter=VOTE["matter"].format(topic=plan.topic.title),
            attendees=attendees,
            votes_for=attendees - against - abstentions,
            votes_against=against,
            abstentions=abstentions,
            decision=VOTE["decision"],
            result=VoteResult.CHANGED,
            changed_text=f"{item.text.rstrip('。')}；{VOTE['change']}。",
        )

    def agree(self, plan: _Plan, when: datetime) -> None:
        services.resolution_agree(actor=plan.convener, consultation=plan.consultation)

    # --- summary --------------------------------------------------------------------------

    def counts(self) -> dict:
        consultations = Consultation.objects.filter(topic__convening_region__path__startswith=self.district.path)
        by_status = Counter(consultations.values_list("status", flat=True))
        counts = {"consultations": consultations.count()}
        counts |= {f"consultations_{status}": by_status[status] for status in ConsultationStatus.values}
        counts |= {
            "participants": Participant.objects.filter(consultation__in=consultations).count(),
            "statements": Statement.objects.filter(consultation__in=consultations).count(),
            "online_posts": OnlinePost.objects.filter(consultation__in=consultations).count(),
            "suggestions": Suggestion.objects.filter(consultation__in=consultations).count(),
            "dissents": Dissent.objects.filter(consultation__in=consultations).count(),
            "assembly_votes": AssemblyVote.objects.filter(consultation__in=consultations).count(),
        }
        return counts
