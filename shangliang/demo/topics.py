"""Three years of submissions and topics in the demo district, written through the topic services.

About three hundred submissions from every source go through screening, merging, drafting and
approval (about 120 of their topics are consulted on, as in the source district's three years), so
every queue of the demo accounts has something in it: the station head and the conveners of the
first township have submissions to screen and topics to draft, ``secretary`` and
``township_party`` have topics to approve, and the public pool shows the approved ones. The real
topics of the source documents (春耕生产用水难, 红房子未开发区保护, 关爱少年儿童, 集镇电动车乱停放,
农村环境卫生管理) are among them. What people write (``data/topics.json``) is data; this module
decides who writes what, where and when.

Every step is planned first, each at a day in the past, and then played by the demo's timeline
(``demo.timeline``) in the order of those days, so the tracking timeline reads like the real history
it imitates. One ``random.Random(SEED)`` drives every choice; only the dates move with the day the
demo is seeded, so that the waiting items stay recent.
"""

import random
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shangliang.demo import district
from shangliang.demo.content import load
from shangliang.demo.names import NameSource
from shangliang.demo.timeline import Timeline
from shangliang.orgs.models import Member, MemberAssignment, Platform, Region, Unit
from shangliang.orgs.states import PlatformKind, RegionLevel, UnitKind
from shangliang.topics import services
from shangliang.topics.models import Category, Submission, Topic
from shangliang.topics.permissions import CPPCC_PLATFORM_KINDS
from shangliang.topics.states import ExclusionReason, Source, SubmissionStatus, TopicStatus, Urgency, Weight

SEED = district.SEED + 1

RURAL, URBAN, ANY = "rural", "urban", "any"


@dataclass(frozen=True)
class Matter:
    """What a submission says. ``{village}``, ``{grid}`` and ``{town}`` in the content are filled in
    for the place it comes from; ``topic`` names the topic drafted from it, after the place."""

    theme: str
    category: str
    title: str
    content: str
    where: str = ANY
    topic: str = ""
    # The entry of ``consultations.json``'s talks that a consultation on it reads; the theme by default.
    talk: str = ""

    @property
    def talk_key(self) -> str:
        return self.talk or self.theme


@dataclass(frozen=True)
class Duplicate:
    """A submission and the later ones that say the same in other words; the later ones are merged."""

    original: Matter
    copies: tuple[Matter, ...]


_TOPICS = load("topics")

# Each theme is raised at most once per township, so the duplicate finder meets only the
# duplicates planted on purpose, not the same generated complaint twice.
GENERIC_MATTERS = tuple(Matter(**matter) for matter in _TOPICS["generic_matters"])
# The ground truth of the duplicate finder (bench/duplicates.py). Each title is used exactly once.
DUPLICATES = {
    key: Duplicate(Matter(**pair["original"]), tuple(Matter(**copy) for copy in pair["copies"]))
    for key, pair in _TOPICS["duplicates"].items()
}
# (reason, what was submitted, the note the submitter reads). Several carry the keywords that the
# exclusion hints look for (起诉, 仲裁, 复议, 信访, 上访, 举报, 纪委, 涉密), several do not.
EXCLUSIONS = tuple((item["reason"], Matter(**item["matter"]), item["note"]) for item in _TOPICS["exclusions"])
# The five consultations named in the source documents, as the demo titles their topics.
SOURCE_TOPICS = tuple(_TOPICS["source_topics"])
# The planned stories of the first township and of the source documents, by name.
STORIES = _TOPICS["stories"]
TEXTS = _TOPICS["texts"]


def _all_matters() -> list[Matter]:
    """Every matter a submission can say: the generic ones, the planted duplicates, the stories, the exclusions."""
    matters = list(GENERIC_MATTERS)
    matters += [m for d in DUPLICATES.values() for m in (d.original, *d.copies)]
    matters += [Matter(**story["matter"]) for story in STORIES.values() if "matter" in story]
    matters += [matter for _reason, matter, _note in EXCLUSIONS]
    return matters


# Submission title → the talk a consultation on its topic reads (``demo.consultations.talk_for``).
MATTER_TALKS = {matter.title: matter.talk_key for matter in _all_matters() if matter.talk_key}


def _matter(story: str) -> Matter:
    return Matter(**STORIES[story]["matter"])


# A department that would assign (点题) matters of each category.
ASSIGNING_DEPARTMENTS = _TOPICS["assigning_departments"]

# Generated stories on top of the planned ones: enough approved topics for about 116 concluded
# consultations over three years, as in the source district.
GENERIC_STORIES = 210
# Days before today of the oldest generated submission: its consultation falls three years back.
OLDEST_STORY = 1170
# Townships that lagged in one stretch of the history (township index: ages in days of the
# submissions they hardly raised): they fall short of the two consultations a year in that year.
LAGGING = {5: (760, OLDEST_STORY), 8: (700, OLDEST_STORY), 3: (330, 640)}
LAGGING_WEIGHT = 0.05

SOURCE_WEIGHTS = {
    Source.RESIDENT: 45,
    Source.MEMBER: 12,
    Source.GOVERNMENT: 9,
    Source.GRID: 13,
    Source.OFFLINE: 12,
    Source.HOTLINE: 9,
}
# How staff-recorded matters begin; a few words only, so that they do not make unrelated
# submissions look alike to the duplicate finder. Keyed by source.
SOURCE_LEADS = {source: tuple(leads) for source, leads in _TOPICS["source_leads"].items()}

# The steps after "submit" that lead to each outcome.
_TOPIC_STEPS = ("accept", "draft", "verify", "send")
CHAINS = {
    "submitted": (),
    "accepted": ("accept",),
    "draft": ("accept", "draft"),
    "verified": ("accept", "draft", "verify"),
    "pending": _TOPIC_STEPS,
    "returned": (*_TOPIC_STEPS, "return"),
    "approved": (*_TOPIC_STEPS, "approve"),
    "approved_after_return": (*_TOPIC_STEPS, "return", "resend", "approve"),
    "rejected": (*_TOPIC_STEPS, "reject"),
}
# Days between a step and the one before it.
GAPS = {
    "accept": (1, 6),
    "exclude": (1, 8),
    "reopen": (1, 5),
    "merge": (1, 5),
    "draft": (3, 25),
    "verify": (2, 12),
    "send": (1, 10),
    "approve": (2, 15),
    "reject": (2, 15),
    "return": (2, 15),
    "resend": (4, 20),
}
# Steps named after the decision they record, and the service that records it.
DECISIONS = {
    "approve": services.topic_approve,
    "reject": services.topic_reject,
    "return": services.topic_return,
}


ACCEPT_REPLIES = tuple(_TOPICS["accept_replies"])
HANDLED_DIRECTLY_REPLY = _TOPICS["handled_directly_reply"]
DRAFT_REPLY = _TOPICS["draft_reply"]
APPROVED_REPLY = _TOPICS["approved_reply"]
MERGED_REPLY = _TOPICS["merged_reply"]
REJECT_NOTES = tuple(_TOPICS["reject_notes"])
RETURN_NOTES = tuple(_TOPICS["return_notes"])
APPROVE_NOTES = tuple(_TOPICS["approve_notes"])
FINDINGS = tuple(_TOPICS["findings"])
SMALL_CUT_REASONS = tuple(_TOPICS["small_cut_reasons"])


def priority_of(story: "_Story") -> dict:
    """The urgency, weight and criteria the station records when drafting (大小、轻重、缓急；党政所需、群众所盼、
    政协所能、委员所为), drawn from the title's checksum so the rest of the demo keeps its sequence."""
    draw = zlib.crc32(story.topic_title.encode())
    source = story.create.get("source", Source.RESIDENT)
    return {
        "urgency": (Urgency.URGENT, Urgency.NORMAL, Urgency.NORMAL, Urgency.NORMAL, Urgency.LATER)[draw % 5],
        "weight": (Weight.MAJOR, Weight.ORDINARY, Weight.ORDINARY, Weight.MINOR)[draw // 5 % 4],
        "meets_party_needs": source == Source.GOVERNMENT or draw % 3 == 0,
        "meets_public_wishes": source != Source.GOVERNMENT or draw % 2 == 0,
        "within_cppcc_reach": story.platform is None or draw % 4 != 3,
        "within_members_reach": source == Source.MEMBER or draw % 5 in (1, 2),
    }


@dataclass
class _Story:
    """One submission and what happens to it; filled in as its steps are played."""

    village: Region
    matter: Matter
    create: dict  # the arguments of submission_create
    steps: dict[str, int] = field(default_factory=dict)  # step → age in days
    replies: dict[str, str] = field(default_factory=dict)
    regions: list[Region] = field(default_factory=list)
    topic_title: str = ""
    background: str = ""
    platform: Platform | None = None
    exclusion: tuple[str, str] = ("", "")
    reopen_note: str = ""
    decision_notes: dict[str, str] = field(default_factory=dict)
    merge_into: "_Story | None" = None
    submission: Submission | None = None
    topic: Topic | None = None


@dataclass
class DemoTopics:
    """What ``build_demo_topics`` made: counts by status, and the planted (later, earlier) duplicates."""

    counts: dict
    duplicate_pairs: list[tuple[int, int]]


def build_demo_topics(*, stdout=None) -> DemoTopics:
    """Add the history of submissions and topics to the demo district built by ``build_demo_district``.

    Runs in one transaction and writes through the topic services only. Returns the counts by
    status and the planted duplicate pairs.
    """
    with transaction.atomic():
        history = _History(stdout)
        history.plan()
        history.play()
        return DemoTopics(history.counts(), demo_duplicate_pairs())


def demo_duplicate_pairs() -> list[tuple[int, int]]:
    """(later submission id, earlier submission id) for each planted duplicate in the demo district."""
    district_path = Region.objects.get(code=district.DISTRICT_CODE).path
    titles = [m.title for d in DUPLICATES.values() for m in (d.original, *d.copies)]
    ids = dict(
        Submission.objects.filter(region__path__startswith=district_path, title__in=titles).values_list("title", "pk")
    )
    return [(ids[copy.title], ids[d.original.title]) for d in DUPLICATES.values() for copy in d.copies]


class _History:
    """Plans every step of every story at a day in the past, then plays them in the order of those days."""

    def __init__(self, stdout):
        self.stdout = stdout
        self.rng = random.Random(SEED)
        self.names = NameSource(self.rng)
        self.today = timezone.localdate()
        self.timeline = Timeline()
        self.themes: dict[int, set[str]] = defaultdict(set)
        self.load()

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")

    # --- the district as built ------------------------------------------------------------

    def load(self) -> None:
        self.district = Region.objects.get(code=district.DISTRICT_CODE)
        self.townships = list(Region.objects.filter(parent=self.district).order_by("code"))
        self.villages: dict[int, list[Region]] = defaultdict(list)
        for village in Region.objects.filter(level=RegionLevel.VILLAGE, parent__in=self.townships).order_by("code"):
            self.villages[village.parent_id].append(village)
        self.grids: dict[int, list[Region]] = defaultdict(list)
        for grid in Region.objects.filter(level=RegionLevel.GRID, path__startswith=self.district.path).order_by("pk"):
            self.grids[grid.parent_id].append(grid)
        platforms = Platform.objects.filter(region__path__startswith=self.district.path).order_by("pk")
        self.rooms = {
            p.region_id: p for p in platforms if p.kind in (PlatformKind.VILLAGE_ROOM, PlatformKind.TOWNSHIP_ROOM)
        }
        self.studios = {p.name: p for p in platforms if p.kind == PlatformKind.MEMBER_STUDIO}
        self.cppcc_platforms = {p.pk for p in platforms if p.kind in CPPCC_PLATFORM_KINDS}
        self.units = {u.name: u for u in Unit.objects.filter(region=self.district)}
        self.governments = {
            u.region_id: u for u in Unit.objects.filter(kind=UnitKind.TOWNSHIP_GOVERNMENT, region__in=self.townships)
        }
        self.members: dict[int, list] = defaultdict(list)
        assignments = MemberAssignment.objects.filter(
            platform__kind=PlatformKind.TOWNSHIP_ROOM, platform__region__in=self.townships, ended_on__isnull=True
        ).select_related("member__user", "platform")
        for assignment in assignments.order_by("member_id"):
            self.members[assignment.platform.region_id].append(assignment.member)
        self.users = {u.username: u for u in get_user_model().objects.filter(username__in=district.DEMO_USERNAMES)}
        self.demo_member = Member.objects.get(user=self.users["member"])
        self.categories = {c.name: c for c in Category.objects.all()}
        self.first = self.townships[0]
        first_villages = self.villages[self.first.pk]
        self.screeners = {
            first_villages[0].pk: self.users["convener"],
            first_villages[1].pk: self.users["convener2"],
        }
        self.approvers = {
            first_villages[0].pk: self.users["secretary"],
            self.first.pk: self.users["township_party"],
            self.district.pk: self.users["district_party"],
        }

    def village(self, township: int, index: int) -> Region:
        return self.villages[self.townships[township].pk][index]

    def screener(self, village: Region):
        if village.pk in self.screeners:
            return self.screeners[village.pk]
        return self.users["station"] if village.parent_id == self.first.pk else self.users["admin"]

    def drafter(self, regions: list[Region]):
        if len({r.pk for r in regions}) == 1:
            return self.screener(regions[0])
        if all(r.parent_id == self.first.pk for r in regions):
            return self.users["station"]
        return self.users["admin"]

    def approver(self, topic: Topic):
        if topic.platform_id in self.cppcc_platforms:
            return self.users["cppcc"]
        return self.approvers.get(topic.convening_region_id, self.users["admin"])

    # --- time -----------------------------------------------------------------------------

    def moment(self, age: int, *, staff: bool) -> datetime:
        day = self.today - timedelta(days=age)
        hour = self.rng.randint(8, 17) if staff else self.rng.randint(7, 21)
        return timezone.make_aware(datetime.combine(day, time(hour, self.rng.randrange(60))))

    def gap(self, step: str) -> int:
        return self.rng.randint(*GAPS[step])

    def schedule(self, story: _Story, steps: list[tuple[str, int]]) -> None:
        for step, age in steps:
            if age < 1:
                raise ValueError(f"{story.matter.title}: {step} would fall on or after today")
            story.steps[step] = age
            when = self.moment(age, staff=step not in ("submit", "support"))
            self.timeline.add(when, partial(self.run, story, step))

    def forward(self, story: _Story, goal: str, start: int) -> None:
        """Play the chain towards ``goal`` from the submission day; stop where today is reached."""
        steps, age = [("submit", start)], start
        for step in CHAINS[goal]:
            age -= self.gap(step)
            if age < 1:
                break
            steps.append((step, age))
        self.schedule(story, steps)

    def backward(self, story: _Story, goal: str, end: int) -> None:
        """Place the chain towards ``goal`` so that its last step falls ``end`` days ago."""
        names = ["submit", *CHAINS[goal]]
        ages = [end]
        for step in reversed(names[1:]):
            ages.append(ages[-1] + self.gap(step))
        self.schedule(story, list(zip(names, reversed(ages), strict=True)))

    # --- stories --------------------------------------------------------------------------

    def story(
        self,
        village: Region,
        matter: Matter,
        *,
        source: str = Source.RESIDENT,
        actor=None,
        named: bool | None = None,
        member=None,
        unit: Unit | None = None,
        platform: Platform | None = None,
        lead: str | None = None,
    ) -> _Story:
        rng = self.rng
        township = self.township_of(village)
        grids = self.grids[village.pk]
        grid = rng.choice(grids)
        content = matter.content.format(
            village=village.name, grid=grid.name, town=township.name.removesuffix("镇").removesuffix("街道")
        )
        if lead is None:
            lead = rng.choice(SOURCE_LEADS.get(source, ("",))).format(count=rng.randint(6, 40))
        recorder = self.screener(village)
        create = {
            "source": source,
            "region": village,
            "category": self.categories[matter.category],
            "title": matter.title,
            "content": lead + content,
            "platform": platform,
        }
        if source == Source.RESIDENT:
            create["actor"] = actor
            if named is None:
                named = actor is not None or rng.random() < 0.35
            if named:
                create["is_anonymous"] = False
                create["submitter_name"] = actor.full_name if actor else self.names.person(self.names.gender(0.5))
                create["submitter_mobile"] = actor.mobile if actor else self.names.mobile()
            if platform is None and village.pk in self.rooms and rng.random() < 0.4:
                create["platform"] = self.rooms[village.pk]
        elif source == Source.MEMBER:
            member = member or rng.choice(self.members[township.pk])
            create["member"] = member
            create["actor"] = member.user or recorder
            create["platform"] = platform or self.rooms[township.pk]
        else:
            create["actor"] = actor or recorder
            if source == Source.GRID:
                create["grid"] = grid
            elif source == Source.GOVERNMENT:
                if unit is None:
                    department = ASSIGNING_DEPARTMENTS.get(matter.category)
                    use_department = department and rng.random() < 0.6
                    unit = self.units[department] if use_department else self.governments[township.pk]
                create["assigning_unit"] = unit
            elif source == Source.OFFLINE and platform is None:
                create["platform"] = self.rooms.get(village.pk) or self.rooms[township.pk]
        self.themes[township.pk].add(matter.theme)
        return _Story(village=village, matter=matter, create=create, regions=[village])

    def topic_plan(
        self,
        story: _Story,
        *,
        regions: list[Region] | None = None,
        title: str = "",
        background: str = "",
        platform: Platform | None = None,
    ) -> None:
        rng = self.rng
        story.regions = regions or [story.village]
        parents = {r.parent_id for r in story.regions}
        if len(story.regions) == 1:
            place = story.village.name
        elif len(parents) == 1:
            place = self.township_of(story.regions[0]).name
        else:
            place = ""
        story.topic_title = title or f"{place}{story.matter.topic or story.matter.title}"
        households = rng.randint(12, 260)
        story.background = background or TEXTS["background"].format(
            content=story.create["content"], households=households
        )
        if platform is not None:
            story.platform = platform
        elif len(parents) == 1:
            key = story.regions[0].pk if len(story.regions) == 1 else story.regions[0].parent_id
            story.platform = self.rooms.get(key)
        story.decision_notes["small_cut"] = rng.choice(SMALL_CUT_REASONS).format(count=households)
        story.decision_notes["findings"] = rng.choice(FINDINGS).format(count=rng.randint(5, 30))
        story.decision_notes["checker"] = self.names.person(self.names.gender(0.5))

    def township_of(self, region: Region) -> Region:
        return next(t for t in self.townships if t.pk == region.parent_id)

    def add_replies(self, story: _Story) -> None:
        """Replies to some of the steps the story reaches; a rejection is explained more often than not."""
        rng = self.rng
        reached = story.steps
        if "merge" in reached and rng.random() < 0.5:
            story.replies["merge"] = MERGED_REPLY
        if "accept" in reached and rng.random() < 0.3:
            story.replies["accept"] = rng.choice(ACCEPT_REPLIES)
        if "draft" in reached and rng.random() < 0.3:
            story.replies["draft"] = DRAFT_REPLY
        if "approve" in reached and rng.random() < 0.3:
            story.replies["approve"] = APPROVED_REPLY
        if "reject" in reached and rng.random() < 0.6:
            story.replies["reject"] = TEXTS["rejected_reply"].format(note=story.decision_notes["reject"])

    def decisions(self, story: _Story) -> None:
        story.decision_notes["approve"] = self.rng.choice(APPROVE_NOTES)
        story.decision_notes["reject"] = self.rng.choice(REJECT_NOTES)
        story.decision_notes["return"] = self.rng.choice(RETURN_NOTES)

    def topic_story(self, story: _Story, goal: str, *, end: int | None = None, start: int | None = None, **plan):
        self.topic_plan(story, **plan)
        self.decisions(story)
        if end is not None:
            self.backward(story, goal, end)
        else:
            self.forward(story, goal, start)
        return story

    def merge(self, copy: _Story, into: _Story, *, submitted: int, merged: int) -> _Story:
        copy.merge_into = into
        self.schedule(copy, [("submit", submitted), ("merge", merged)])
        return copy

    def support(self, story: _Story, *, days_after: int) -> None:
        self.schedule(story, [("support", story.steps["approve"] - days_after)])

    # --- the plan -------------------------------------------------------------------------

    def plan(self) -> None:
        self.plan_first_township()
        self.plan_source_topics()
        self.plan_duplicates()
        self.plan_exclusions()
        self.plan_generic(GENERIC_STORIES)

    def plan_first_township(self) -> None:
        """What the demo accounts of 青石镇 find in their queues."""
        v = self.villages[self.first.pk]
        resident = self.users["resident"]
        ebike = DUPLICATES["ebike"]
        # 集镇电动车乱停放: three submissions, one topic for the town seat and two villages next to
        # it, waiting for the township party committee.
        a = self.topic_story(
            self.story(v[0], ebike.original),
            "pending",
            end=6,
            regions=[v[0], v[2], v[3]],
            title=STORIES["ebike"]["title"],
            background=STORIES["ebike"]["background"].format(village=v[0].name, second=v[2].name, third=v[3].name),
        )
        self.merge(self.story(v[2], ebike.copies[0]), a, submitted=a.steps["submit"] - 4, merged=a.steps["submit"] - 6)
        self.merge(
            self.story(v[0], ebike.copies[1], actor=resident),
            a,
            submitted=a.steps["submit"] - 9,
            merged=a.steps["submit"] - 10,
        )
        # A village topic waiting for the village party secretary.
        self.topic_story(self.story(v[0], _matter("elevator"), named=True), "pending", end=4)
        # Returned by the township party committee: the station has to complete it.
        returned = self.story(v[0], _matter("market"), source=Source.GRID)
        self.topic_story(returned, "returned", end=12, regions=[v[0], v[4]])
        returned.decision_notes["return"] = STORIES["market"]["return_note"]
        # Drafts: one verified and ready to send, one just started.
        member = self.demo_member
        children = STORIES["left_behind_children"]
        self.topic_story(
            self.story(
                v[1], _matter("left_behind_children"), source=Source.MEMBER, member=member, lead=children["lead"]
            ),
            "verified",
            end=3,
        )
        self.topic_story(self.story(v[5], _matter("pond"), source=Source.OFFLINE), "draft", end=2)
        # An open submission and a later one in other words, both still waiting.
        light = DUPLICATES["streetlight"]
        original = self.story(v[1], light.original, source=Source.GRID)
        self.backward(original, "accepted", 16)
        copy = self.story(v[1], light.copies[0])
        self.schedule(copy, [("submit", 2)])
        # Accepted, waiting to be drafted.
        self.backward(self.story(v[0], _matter("crossing")), "accepted", 11)
        self.backward(self.story(v[6], _matter("bus_to_town"), source=Source.HOTLINE), "accepted", 9)
        # Waiting for screening: a dispute already in court (the hints flag it), a member's idea.
        self.schedule(self.story(v[7], _matter("lawsuit"), named=True), [("submit", 1)])
        tea = STORIES["tea"]
        self.schedule(
            self.story(v[8], _matter("tea"), source=Source.MEMBER, member=member, lead=tea["lead"]), [("submit", 3)]
        )
        # Excluded by mistake, put back and accepted.
        hall = STORIES["hall"]
        reopened = self.story(v[9], _matter("hall"), source=Source.OFFLINE)
        reopened.exclusion = (ExclusionReason.UNSUITABLE, hall["exclusion_note"])
        reopened.reopen_note = hall["reopen_note"]
        self.schedule(reopened, [("submit", 45), ("exclude", 40), ("reopen", 37), ("accept", 35)])
        # The resident's own submissions: one on the board, one waiting, one answered elsewhere.
        dining = self.topic_story(self.story(v[0], _matter("dining"), actor=resident), "approved", end=150)
        dining.replies["approve"] = APPROVED_REPLY
        self.support(dining, days_after=3)
        self.schedule(self.story(v[0], _matter("clinic"), actor=resident), [("submit", 1)])
        housing = STORIES["housing"]
        answered = self.story(v[0], _matter("housing"), actor=resident)
        answered.exclusion = (ExclusionReason.ANSWERED, housing["exclusion_note"])
        answered.replies["exclude"] = housing["reply"]
        self.schedule(answered, [("submit", 210), ("exclude", 207)])
        # An older village topic of the second convener, approved by the administrator (the village
        # has no approver account), which the resident supports.
        farm_road = next(m for m in GENERIC_MATTERS if m.theme == "farm_road")
        road = self.topic_story(self.story(v[1], farm_road, source=Source.OFFLINE), "approved", end=300)
        self.support(road, days_after=12)

    def plan_source_topics(self) -> None:
        """The consultations named in the source documents, and topics at the district level."""
        t1, t2, t4, t5, t7, t8 = (self.villages[self.townships[i].pk] for i in (1, 2, 4, 5, 7, 8))
        irrigation = DUPLICATES["irrigation"]
        spring = self.story(t1[1], irrigation.original, source=Source.MEMBER)
        self.topic_story(
            spring,
            "approved",
            end=296,
            regions=[t1[1], t1[2], t1[3]],
            title=STORIES["spring"]["title"],
            background=STORIES["spring"]["background"].format(first=t1[1].name, second=t1[2].name, third=t1[3].name),
            platform=self.studios[STORIES["spring"]["studio"]],
        )
        self.merge(
            self.story(t1[2], irrigation.copies[0], source=Source.GRID),
            spring,
            submitted=spring.steps["submit"] - 3,
            merged=spring.steps["submit"] - 5,
        )
        self.support(spring, days_after=6)

        red_houses = STORIES["red_houses"]
        self.topic_story(
            self.story(t4[2], _matter("red_houses"), source=Source.GOVERNMENT, unit=self.units[red_houses["unit"]]),
            "approved",
            end=620,
            regions=[t4[1], t4[2]],
            title=red_houses["title"],
        )

        youth = STORIES["youth"]
        self.topic_story(
            self.story(t2[0], _matter("youth"), source=Source.MEMBER, lead=youth["lead"]),
            "approved",
            end=480,
            regions=[t2[0], t2[1]],
            title=youth["title"],
            platform=self.studios[youth["studio"]],
        )

        sanitation = STORIES["sanitation"]
        rural = self.topic_story(
            self.story(t7[1], _matter("sanitation"), source=Source.GOVERNMENT, unit=self.units[sanitation["unit"]]),
            "approved",
            end=700,
            regions=[t7[1], t7[2], t8[0], t8[1]],
            title=sanitation["title"],
        )
        self.support(rural, days_after=20)

        t3 = self.villages[self.townships[3].pk]
        self.topic_story(
            self.story(t2[5], _matter("baisha_river"), source=Source.OFFLINE),
            "approved",
            end=420,
            regions=[t2[5], t3[6]],
            title=STORIES["baisha_river"]["title"],
        )

        self.topic_story(
            self.story(t5[6], _matter("remote_bus"), source=Source.HOTLINE),
            "pending",
            end=8,
            regions=[t5[6], t8[6]],
            title=STORIES["remote_bus"]["title"],
        )

        drugs = STORIES["drugs"]
        self.topic_story(
            self.story(t2[3], _matter("drugs"), source=Source.MEMBER, lead=drugs["lead"]),
            "pending",
            end=5,
            platform=self.studios[drugs["studio"]],
        )

    def plan_duplicates(self) -> None:
        # (key, township, village of the original, village of the copy, the original's goal and the
        # age of its last step, whether its topic covers both villages, copy source or "" for a resident)
        placements = (
            ("garbage", 3, 0, 0, "approved", 200, False, ""),
            ("elevator", 6, 0, 0, "approved", 350, False, ""),
            ("water", 8, 2, 3, "approved", 150, True, ""),
            ("market", 4, 0, 0, "rejected", 260, False, ""),
            ("river", 7, 4, 5, "approved", 540, True, Source.GRID),
            ("parking", 2, 4, 4, "approved", 90, False, ""),
            ("children", 5, 1, 1, "accepted", 40, False, ""),
            ("meal", 1, 7, 7, "approved", 800, False, ""),
            ("noise", 3, 4, 4, "returned", 15, False, ""),
            ("bus", 1, 5, 6, "approved", 950, True, ""),
            ("express", 4, 5, 6, "accepted", 60, False, ""),
            ("stairlight", 6, 5, 5, "accepted", 10, False, ""),
            ("dump", 7, 6, 6, "approved", 400, False, Source.HOTLINE),
            ("drain", 5, 0, 0, "draft", 20, False, Source.GRID),
        )
        sources = list(SOURCE_WEIGHTS)
        weights = list(SOURCE_WEIGHTS.values())
        for key, township, v_original, v_copy, goal, end, both, copy_source in placements:
            duplicate = DUPLICATES[key]
            first, second = self.village(township, v_original), self.village(township, v_copy)
            source = Source.RESIDENT if copy_source else self.rng.choices(sources, weights)[0]
            original = self.story(first, duplicate.original, source=source)
            if goal == "accepted":
                self.backward(original, goal, end)
            else:
                self.topic_story(original, goal, end=end, regions=[first, second] if both else None)
            copy = self.story(second, duplicate.copies[0], source=copy_source or Source.RESIDENT)
            if key == "stairlight":
                # The resident tried again while the first one waits: both are open for the screener.
                self.schedule(copy, [("submit", self.rng.randint(1, 5))])
            else:
                submitted = max(original.steps["submit"] - self.rng.randint(2, 20), 3)
                self.merge(copy, original, submitted=submitted, merged=submitted - self.rng.randint(1, 2))
            self.add_replies(copy)
            self.add_replies(original)

    def plan_exclusions(self) -> None:
        rng = self.rng
        first_township = {ExclusionReason.ACCUSATION, ExclusionReason.DISCIPLINE}
        for reason, matter, note in EXCLUSIONS:
            if reason in first_township and matter.where == RURAL:
                township = self.first
                first_township.discard(reason)
            else:
                township = rng.choice([t for t in self.townships[1:] if self.has_village_for(t, matter)])
            village = self.pick_village(township, matter)
            named = reason == ExclusionReason.ACCUSATION or rng.random() < 0.4
            source = Source.RESIDENT if rng.random() < 0.75 else rng.choice([Source.HOTLINE, Source.OFFLINE])
            story = self.story(village, matter, source=source, named=named if source == Source.RESIDENT else None)
            story.exclusion = (reason, note)
            start = rng.randint(20, 1000)
            self.schedule(story, [("submit", start), ("exclude", start - self.gap("exclude"))])

    def open_matters(self, township: Region) -> list[Matter]:
        """Matters whose theme the township has not raised yet, and that fit one of its villages."""
        used = self.themes[township.pk]
        return [m for m in GENERIC_MATTERS if m.theme not in used and self.has_village_for(township, m)]

    def has_village_for(self, township: Region, matter: Matter) -> bool:
        return any(self.fits(v, matter) for v in self.villages[township.pk])

    def pick_village(self, township: Region, matter: Matter) -> Region:
        villages = [v for v in self.villages[township.pk] if self.fits(v, matter)]
        return self.rng.choice(villages)

    @staticmethod
    def fits(village: Region, matter: Matter) -> bool:
        if matter.where == RURAL:
            return village.name.endswith("村")
        if matter.where == URBAN:
            return village.name.endswith("社区")
        return True

    def plan_generic(self, count: int) -> None:
        rng = self.rng
        sources, source_weights = list(SOURCE_WEIGHTS), list(SOURCE_WEIGHTS.values())
        for _ in range(count):
            # Most of the history is settled; the last weeks fill the screening queues.
            share = rng.random()
            if share < 0.08:
                start = rng.randint(1, 14)
            elif share < 0.22:
                start = rng.randint(15, 120)
            else:
                start = rng.randint(121, OLDEST_STORY)
            open_matters = {t.pk: self.open_matters(t) for t in self.townships}
            townships = [t for t in self.townships if open_matters[t.pk]]
            # The demo accounts work in the first township, so it gets more than its share.
            township = rng.choices(townships, [self.township_weight(t, start) for t in townships])[0]
            villages = self.villages[township.pk]
            matter = rng.choice(open_matters[township.pk])
            village = self.pick_village(township, matter)
            story = self.story(village, matter, source=rng.choices(sources, source_weights)[0])
            if start > 150:
                goals = {"approved": 78, "approved_after_return": 6, "rejected": 10, "accepted": 6}
            elif start <= 21:
                goals = {"submitted": 55, "accepted": 30, "draft": 15}
            else:
                goals = {
                    "approved": 30,
                    "approved_after_return": 4,
                    "rejected": 6,
                    "pending": 14,
                    "returned": 8,
                    "verified": 8,
                    "draft": 8,
                    "accepted": 22,
                }
            goal = rng.choices(list(goals), list(goals.values()))[0]
            regions = None
            if goal != "accepted" and rng.random() < 0.2:
                siblings = [v for v in villages if v.pk != village.pk]
                regions = [village, *rng.sample(siblings, rng.randint(1, 2))]
            self.topic_story(story, goal, start=start, regions=regions)
            self.add_replies(story)
            if goal == "accepted" and start > 150 and "accept" in story.steps:
                story.replies["accept"] = HANDLED_DIRECTLY_REPLY

    def township_weight(self, township: Region, start: int) -> float:
        index = self.townships.index(township)
        low, high = LAGGING.get(index, (0, -1))
        if low <= start <= high:
            return LAGGING_WEIGHT
        return 3 if township == self.first else 1

    # --- playing the plan -----------------------------------------------------------------

    def play(self) -> None:
        self.timeline.play()
        self.say(f"诉求与建议：{Submission.objects.count()} 件，议题：{Topic.objects.count()} 个")

    def run(self, story: _Story, step: str, when: datetime) -> None:
        """One step, through the service the screener, drafter or approver would use; the timeline dates it."""
        users = self.users
        submission = story.submission
        actor = self.screener(story.village)
        if step == "submit":
            create = story.create
            if create["source"] == Source.RESIDENT and create.get("is_anonymous") is False:
                # A named resident proved the number on the form (an SMS code, or a verified account).
                create = {**create, "mobile_verified_at": when}
            story.submission = services.submission_create(**create).submission
            return
        if step == "accept":
            services.submission_screen(actor=actor, submission=submission, eligible=True)
        elif step == "exclude":
            reason, note = story.exclusion
            services.submission_screen(actor=actor, submission=submission, eligible=False, reason=reason, note=note)
        elif step == "reopen":
            services.submission_reopen(actor=actor, submission=submission, note=story.reopen_note)
        elif step == "merge":
            services.submission_merge(actor=actor, submission=submission, into=story.merge_into.submission)
        elif step == "draft":
            actor = self.drafter(story.regions)
            topic = services.topic_draft_from_submission(actor=actor, submission=submission)
            story.topic = self.update(story, topic, actor, story.background)
        elif step == "verify":
            actor = self.drafter(story.regions)
            self.verify(story, actor, story.decision_notes["findings"], checked=story.steps[step])
        elif step == "send":
            actor = self.drafter(story.regions)
            story.topic = services.topic_submit(actor=actor, topic=story.topic)
        elif step in DECISIONS:
            actor = self.approver(story.topic)
            story.topic = DECISIONS[step](actor=actor, topic=story.topic, note=story.decision_notes[step])
        elif step == "resend":
            actor = self.drafter(story.regions)
            self.update(story, story.topic, actor, TEXTS["resend_background"].format(background=story.background))
            self.verify(story, actor, TEXTS["resend_findings"], checked=story.steps[step])
            story.topic = services.topic_submit(actor=actor, topic=story.topic)
        elif step == "support":
            services.topic_support(user=users["resident"], topic=story.topic)
            return
        text = story.replies.get(step)
        if text:
            services.reply_add(actor=actor, submission=submission, text=text)

    def update(self, story: _Story, topic: Topic, actor, background: str) -> Topic:
        category = self.categories[story.matter.category]
        return services.topic_update(
            actor=actor,
            topic=topic,
            title=story.topic_title,
            background=background,
            category=category,
            is_livelihood=category.is_livelihood,
            small_cut_reason=story.decision_notes["small_cut"],
            regions=story.regions,
            platform=story.platform,
            **priority_of(story),
        )

    def verify(self, story: _Story, actor, findings: str, *, checked: int) -> None:
        # The administrator stands in for the stations outside the first township.
        if actor.is_superuser:
            station = TEXTS["station"].format(township=self.township_of(story.village).name)
        else:
            station = actor.full_name
        services.verification_add(
            actor=actor,
            topic=story.topic,
            checked_by=TEXTS["checked_by"].format(station=station, checker=story.decision_notes["checker"]),
            checked_on=self.today - timedelta(days=checked),
            findings=findings,
        )

    # --- summary --------------------------------------------------------------------------

    def counts(self) -> dict:
        submissions = Submission.objects.filter(region__path__startswith=self.district.path)
        topics = Topic.objects.filter(convening_region__path__startswith=self.district.path)
        counts = {"submissions": submissions.count(), "topics": topics.count()}
        by_status = Counter(submissions.values_list("status", flat=True))
        counts |= {f"submissions_{status}": by_status[status] for status in SubmissionStatus.values}
        by_status = Counter(topics.values_list("status", flat=True))
        counts |= {f"topics_{status}": by_status[status] for status in TopicStatus.values}
        return counts
