"""Briefings, lectures and training in the demo district (我说你听: 知情明政, 公益培训, 专题培训, 法治宣传).

About a dozen events over the last year at the station's township room, the convener's village room and
rooms of other townships: departments and members as speakers, an outside lawyer, residents signing in by
the QR (and a few added by the staff), the headcount of people without phones, questions answered on the
spot and from the public page, one cancelled, and one planned for next week. Played on a ``Timeline`` so
that every row carries its own moment; nothing is stamped today.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from shangliang.demo.names import NameSource
from shangliang.demo.timeline import Timeline
from shangliang.events import services
from shangliang.events.models import Event
from shangliang.events.states import EventKind
from shangliang.orgs.models import Member, Platform, ScopedRole, Unit
from shangliang.orgs.states import PlatformKind, UnitKind
from shangliang.points.defaults import EVENT_SPOKE_RULE, ensure_defaults
from shangliang.points.models import PointRule

# (kind, title, speaker: "unit:<name part>" / "member" / "expert", summary, audience)
PLAN = [
    (
        EventKind.BRIEFING,
        "城乡居民医保政策解读",
        "unit:医疗保障",
        "讲解年度缴费标准、门诊统筹、异地就医备案和大病保险报销流程。",
        "辖区居民",
    ),
    (
        EventKind.LEGAL,
        "民法典进村居：婚姻家庭与继承",
        "expert",
        "结合身边案例讲解婚姻家庭、继承、相邻关系中的常见纠纷和解决办法。",
        "村（居）民",
    ),
    (
        EventKind.LECTURE,
        "老年人防范电信诈骗讲座",
        "unit:公安",
        "常见诈骗手法、识别要点，现场演示国家反诈中心APP。",
        "老年人及家属",
    ),
    (
        EventKind.TRAINING,
        "村级协商议事召集人专题培训",
        "member",
        "协商议事“六步法”、议题征集和协商意见落实的实际做法，分组模拟一次协商。",
        "村（社区）召集人、联络员",
    ),
    (
        EventKind.BRIEFING,
        "老旧小区改造计划通报",
        "unit:住房",
        "通报本年度改造项目清单、施工安排和居民需配合的事项。",
        "小区居民",
    ),
    (EventKind.LECTURE, "春季果树病虫害防治", "member", "现场讲解病虫害识别和科学用药，发放技术手册。", "种植户"),
    (EventKind.LEGAL, "劳动合同与欠薪维权", "expert", "讲解劳动合同签订、工伤认定和欠薪投诉渠道。", "务工人员"),
    (
        EventKind.TRAINING,
        "基层干部依法协商专题培训",
        "unit:司法",
        "村务决策合法性审查要点和协商结果依法纠正的程序。",
        "村组干部",
    ),
    (
        EventKind.BRIEFING,
        "义务教育招生政策说明会",
        "unit:教育",
        "讲解学区划分、报名时间和材料，解答随迁子女入学问题。",
        "适龄儿童家长",
    ),
    (EventKind.LECTURE, "家庭急救知识培训", "expert", "心肺复苏、海姆立克急救法现场教学。", "辖区居民"),
    (EventKind.LEGAL, "防范非法集资宣传", "unit:金融", "识别非法集资的特征，讲解举报渠道。", "辖区居民"),
    (EventKind.BRIEFING, "农村人居环境整治工作通报", "member", "通报垃圾分类、厕所改造进展和下一步安排。", "村民代表"),
]
QUESTIONS = [
    ("异地就医要先备案吗？", "需要，可在国家医保服务平台APP或社区服务站办理备案。"),
    ("老人没有智能手机怎么办？", "可以由家属代办，也可以到便民服务中心窗口办理。"),
    ("这些材料在哪里可以领到？", "活动材料已放在议事室资料架，也可在本页下载。"),
    ("下次活动什么时候？", "近期活动会在公开页面提前发布，欢迎关注。"),
]
EXPERTS = ["王律师（区法律援助中心）", "李医生（区人民医院急诊科）", "张律师（青年律师志愿服务队）"]


def _platform_of(user, kind) -> Platform | None:
    grant = ScopedRole.objects.filter(user=user, revoked_at__isnull=True, region__isnull=False).first()
    if grant is None:
        return None
    return Platform.objects.filter(region=grant.region, kind=kind, is_archived=False).order_by("pk").first()


def _platforms(users, district) -> list[Platform]:
    rooms = [
        _platform_of(users.get("station"), PlatformKind.TOWNSHIP_ROOM),
        _platform_of(users.get("convener"), PlatformKind.VILLAGE_ROOM),
    ]
    others = Platform.objects.filter(
        region__path__startswith=district.path, kind=PlatformKind.TOWNSHIP_ROOM, is_archived=False
    ).order_by("pk")
    rooms += list(others[:3])
    unique = []
    for room in rooms:
        if room is not None and room not in unique:
            unique.append(room)
    return unique


def _unit(part: str) -> Unit | None:
    units = Unit.objects.filter(kind=UnitKind.GOVERNMENT_DEPARTMENT, is_archived=False)
    return units.filter(name__contains=part).order_by("pk").first() or units.order_by("pk").first()


def build(*, users, district, yesterday) -> dict:
    rng = random.Random("events")
    names = NameSource(rng)
    ensure_defaults(PointRule, kinds={EVENT_SPOKE_RULE[0]}, rules=[EVENT_SPOKE_RULE])
    rooms = _platforms(users, district)
    organiser = users.get("cppcc") or users.get("station")
    if not rooms or organiser is None:
        return {"events": 0}
    demo_member = Member.objects.filter(user=users["member"]).first() if users.get("member") else None
    members = [demo_member] if demo_member else []
    members += list(Member.objects.filter(is_archived=False).exclude(pk__in=[m.pk for m in members]).order_by("pk")[:2])
    today = timezone.localdate()
    timeline = Timeline()
    made = {"events": 0, "event_sign_ins": 0, "event_questions": 0}

    def plan_one(index, spec, day, *, cancel=False):
        kind, title, speaker, summary, audience = spec
        room = rooms[index % len(rooms)]
        hour = rng.choice([9, 10, 14, 15, 19])
        starts_at = timezone.make_aware(datetime.combine(day, time(hour)))
        ends_at = starts_at + timedelta(minutes=rng.choice([60, 90, 120]))
        fields = {}
        if speaker.startswith("unit:"):
            fields["speaker_unit"] = _unit(speaker.removeprefix("unit:"))
        elif speaker == "member" and members:
            fields["speaker_member"] = members[index % len(members)]
        if not fields.get("speaker_unit") and not fields.get("speaker_member"):
            fields["speaker_name"] = EXPERTS[index % len(EXPERTS)]
        created = min(starts_at - timedelta(days=rng.randint(5, 12)), yesterday)
        holder = {}

        def create(moment):
            holder["event"] = services.event_create(
                actor=organiser,
                platform=room,
                kind=kind,
                title=title,
                summary=summary,
                audience=audience,
                starts_at=starts_at,
                ends_at=ends_at,
                now=moment,
                **fields,
            )
            made["events"] += 1

        timeline.add(created, create)
        if day >= today:
            return
        if cancel:
            timeline.add(
                starts_at - timedelta(days=1),
                lambda moment: services.event_cancel(
                    holder["event"], actor=organiser, reason="主讲人临时有公务，活动改期另行通知。", now=moment
                ),
            )
            return
        signs = rng.randint(12, 38)

        def sign_ins(moment):
            for n in range(signs):
                at = starts_at - timedelta(minutes=rng.randint(-20, 40))
                gender = names.gender(0.5)
                with timeline.at(at):
                    if n % 9 == 8:
                        services.sign_in_add(actor=organiser, event=holder["event"], name=names.person(gender), now=at)
                    else:
                        services.sign_in_self(
                            event=holder["event"], name=names.person(gender), mobile=names.mobile(), now=at
                        )
                made["event_sign_ins"] += 1

        timeline.add(starts_at - timedelta(minutes=20), sign_ins)

        def questions(moment):
            for text, answer in rng.sample(QUESTIONS, rng.randint(1, 2)):
                services.question_record(
                    actor=organiser, event=holder["event"], text=text, answer=answer, answered_by="主讲人", now=moment
                )
                made["event_questions"] += 1

        timeline.add(starts_at + timedelta(minutes=50), questions)
        timeline.add(
            ends_at + timedelta(minutes=10),
            lambda moment: services.event_hold(
                holder["event"],
                actor=organiser,
                headcount=rng.choice([None, 3, 5, 8, 12]),
                record=f"{summary}现场气氛热烈，群众反响良好。",
                now=moment,
            ),
        )

    for index, spec in enumerate(PLAN):
        day = today - timedelta(days=20 + index * 28 + rng.randint(0, 9))
        plan_one(index, spec, day, cancel=index == 6)
    # One planned for next week, registered a few days ago.
    plan_one(
        len(PLAN),
        (EventKind.LEGAL, "宪法宣传周：宪法进社区", "unit:司法", "学习宪法条文，开展法律咨询。", "辖区居民"),
        today + timedelta(days=rng.randint(7, 10)),
    )
    timeline.play()
    # A resident's question from the public page, waiting for the staff (who are told: played on a timeline
    # too, so the message is dated yesterday and goes through the demo's sender).
    upcoming = Event.objects.filter(title="宪法宣传周：宪法进社区").order_by("-pk").first()
    if upcoming is not None:
        asking = Timeline()
        asking.add(
            yesterday,
            lambda moment: services.question_ask(event=upcoming, text="可以现场咨询宅基地纠纷吗？", now=moment),
        )
        asking.play()
        made["event_questions"] += 1
    return made
