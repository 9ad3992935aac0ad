"""Members face to face with residents in the demo district (委员群众面对面).

- The demo member's station (the first township's room) gets its person in charge: the station head's
  account, named on the public page with an office phone and opening hours (when nobody set them yet).
- The demo member's reception hours: one ten days ago (two residents booked, one received, one did not
  come), one next week with two bookings made yesterday; the person in charge's hours the week after,
  with one booking made yesterday; a second member's hours at their own station next week.
- One matter a resident sent from the demo member's page yesterday (waiting for screening), and one
  problem the member logged for a resident a week ago, accepted by the station (it earns points).
- One pending request of another member of the first township to join its station (on the station
  head's home page).

Played on a ``Timeline``: nothing is stamped today. Draws only from ``random.Random("members")``.
"""

import random
from datetime import datetime, timedelta

from shangliang.core.records import save_record
from shangliang.demo.timeline import Timeline
from shangliang.orgs import joining, reception
from shangliang.orgs.models import JoinRequest, Member, MemberAssignment, Platform, Region
from shangliang.orgs.selectors import villages_for
from shangliang.orgs.states import JoinRequestStatus
from shangliang.points.defaults import LATER_RULES, ensure_defaults
from shangliang.points.models import PointRule
from shangliang.topics import member_matters
from shangliang.topics import services as topic_services
from shangliang.topics.models import Category

OFFICE_PHONE = "0571-8801{n:04d}"
NAMES = ["周桂兰", "陈建国", "吴秀英", "郑国强", "孙玉梅"]
MATTERS = [
    "小区加装电梯，一楼住户有顾虑，想当面听听委员的意见。",
    "孩子放学后没人看管，想问问社区能不能办托管班。",
    "老旧小区雨污分流改造后路面一直没恢复。",
    "村里的集体经济收益分配想了解政策。",
    "菜市场周边早高峰拥堵，想反映一下。",
]


class Builder:
    def __init__(self, *, users: dict, district: Region, yesterday: datetime):
        self.users = users
        self.district = district
        self.yesterday = yesterday
        self.random = random.Random("members")
        self.timeline = Timeline()
        self.counts = {"接待时段": 0, "预约": 0, "经委员反映的事项": 0, "下沉申请": 0}

    def at(self, days_before: float, hour: int = 9) -> datetime:
        day = self.yesterday - timedelta(days=days_before)
        return day.replace(hour=hour, minute=0, second=0, microsecond=0)

    def ahead(self, days: int, hour: int) -> datetime:
        return (self.yesterday + timedelta(days=days + 1)).replace(hour=hour, minute=0, second=0, microsecond=0)

    def phone(self) -> str:
        return f"139{self.random.randrange(10**8):08d}"

    def build(self) -> dict:
        ensure_defaults(PointRule, rules=LATER_RULES)
        member = Member.objects.filter(user=self.users.get("member")).first()
        head = self.users.get("station")
        if member is None or head is None:
            return self.counts
        assignment = (
            MemberAssignment.objects.filter(member=member, ended_on__isnull=True).select_related("platform").first()
        )
        if assignment is None:
            return self.counts
        platform = assignment.platform
        self.timeline.add(self.at(30), lambda moment: self.person_in_charge(platform, head, moment))
        self.member_hours(platform, member, head)
        self.keeper_hours(platform, head)
        self.other_member_hours(member, head)
        self.matters(member, platform, head)
        self.join_request(member, platform)
        self.timeline.play()
        return self.counts

    def person_in_charge(self, platform: Platform, head, moment: datetime) -> None:
        platform.refresh_from_db()
        if platform.keeper_id:
            return
        platform.keeper = head
        platform.keeper_name = platform.keeper_name or head.full_name or head.username
        platform.contact_phone = platform.contact_phone or OFFICE_PHONE.format(n=platform.pk % 10000)
        platform.opening_hours = platform.opening_hours or "工作日 8:30—17:30"
        save_record(platform, actor=head, reason="platform.updated", now=moment)

    def slot(self, *, platform, member, head, opened: datetime, starts: datetime, capacity=4, note=""):
        holder = {}

        def open_it(moment):
            holder["slot"] = reception.slot_create(
                actor=head,
                platform=platform,
                member=member,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                capacity=capacity,
                note=note,
                now=moment,
            )
            self.counts["接待时段"] += 1

        self.timeline.add(opened, open_it)
        return holder

    def booking(self, holder, at: datetime, *, close=None, closer=None) -> None:
        index = self.counts["预约"] % len(NAMES)
        name, matter, mobile = NAMES[index], MATTERS[index], self.phone()
        booked = {}

        def book(moment):
            booked["a"] = reception.appointment_book(
                actor=None, slot=holder["slot"], name=name, mobile=mobile, matter=matter, now=moment
            )
            self.counts["预约"] += 1

        self.timeline.add(at, book)
        if close is not None:
            attended, when, note = close

            def record(moment):
                reception.appointment_close(
                    actor=closer, appointment=booked["a"], attended=attended, note=note, now=moment
                )

            self.timeline.add(when, record)

    def member_hours(self, platform, member, head) -> None:
        past = self.slot(
            platform=platform, member=member, head=head, opened=self.at(20), starts=self.at(10, 14), note="委员接待日"
        )
        self.booking(
            past, self.at(15), close=(True, self.at(10, 17), "已当面解答政策，建议由社区牵头协调"), closer=member.user
        )
        self.booking(past, self.at(13), close=(False, self.at(10, 17), ""), closer=member.user)
        upcoming = self.slot(
            platform=platform, member=member, head=head, opened=self.at(6), starts=self.ahead(6, 14), note="委员接待日"
        )
        self.booking(upcoming, self.yesterday)
        self.booking(upcoming, self.yesterday + timedelta(hours=2))

    def keeper_hours(self, platform, head) -> None:
        hours = self.slot(
            platform=platform, member=None, head=head, opened=self.at(5), starts=self.ahead(13, 9), capacity=6
        )
        self.booking(hours, self.yesterday + timedelta(hours=3))

    def other_member_hours(self, member, head) -> None:
        other = (
            MemberAssignment.objects.filter(ended_on__isnull=True, platform__region=member_platform_region(member))
            .exclude(member=member)
            .select_related("member", "platform")
            .order_by("pk")
            .first()
        )
        if other is None:
            return
        self.slot(platform=other.platform, member=other.member, head=head, opened=self.at(4), starts=self.ahead(8, 9))

    def matters(self, member, platform, head) -> None:
        villages = list(villages_for(platform)[:3])
        categories = list(Category.objects.filter(is_archived=False).order_by("pk")[:8])
        if not villages or not categories:
            return

        def sent(moment):
            member_matters.matter_send(
                actor=None,
                member=member,
                platform=platform,
                region=villages[0],
                category=self.random.choice(categories),
                title="公交站台没有遮雨棚",
                content="下雨天老人孩子等车全身湿透，希望委员帮忙反映加装遮雨棚。",
                location_detail="村口公交站",
            )
            self.counts["经委员反映的事项"] += 1

        self.timeline.add(self.yesterday, sent)
        logged = {}

        def log(moment):
            logged["s"] = member_matters.problem_log(
                actor=member.user,
                member=member,
                platform=platform,
                region=villages[-1],
                category=self.random.choice(categories),
                title="小区门口路灯损坏",
                content="委员走访时居民反映，小区东门两盏路灯坏了一个多月。",
                resident_name=NAMES[0],
                resident_mobile=self.phone(),
            ).submission
            self.counts["经委员反映的事项"] += 1

        def accept(moment):
            topic_services.submission_screen(actor=head, submission=logged["s"], eligible=True)

        self.timeline.add(self.at(7), log)
        self.timeline.add(self.at(5), accept)

    def join_request(self, member, platform) -> None:
        township = platform.region
        serving = MemberAssignment.objects.filter(platform=platform, ended_on__isnull=True).values("member_id")
        others = (
            Member.objects.filter(is_archived=False)
            .exclude(pk__in=serving)
            .exclude(join_requests__status=JoinRequestStatus.PENDING)
            .order_by("pk")
        )
        # Someone living in the township (就近) if there is one, else any member serving elsewhere.
        candidate = others.filter(home_region__path__startswith=township.path).first() or others.first()
        if candidate is None or JoinRequest.objects.filter(member=candidate, platform=platform).exists():
            return

        def ask(moment):
            joining.join_request_make(
                actor=candidate.user,
                member=candidate,
                platform=platform,
                reason="家住本镇，熟悉镇情民意，希望就近到联络站履职。",
            )
            self.counts["下沉申请"] += 1

        self.timeline.add(self.at(2), ask)


def member_platform_region(member: Member):
    assignment = (
        MemberAssignment.objects.filter(member=member, ended_on__isnull=True).select_related("platform").first()
    )
    return assignment.platform.region if assignment else None


def build(*, users: dict, district: Region, yesterday: datetime) -> dict:
    return Builder(users=users, district=district, yesterday=yesterday).build()
