"""A small district for 2025 built through the services, with every figure counted by hand.

示范区 → 甲镇 (甲一村, 甲二村) and 乙镇 (乙一村).

Platforms in place in 2025 (5): 甲镇协商议事室 (township room at 甲镇), 甲一村议事室 (village room),
乙一村议事室 (village room), 区政协经济界议事室 (sector room at the district), 甲一村网格议事点
(village room in 甲一村's grid). Not counted: 甲二村议事室 (archived in 2024), 乙镇新平台 (started 2026).
Coverage: villages 甲一村 and 乙一村 of 3 (甲镇 1/2, 乙镇 1/1); townships 1 of 2 (甲镇).

Consultations held in 2025 (4), C5 outside the year, C6 only planned:
    C1 甲一村议事室  2025-03-10  教育 (livelihood)   resident  居（村）民议事会  2 suggestions
    C2 甲一村议事室  2025-03-20  环境卫生            grid      民情恳谈会        1 suggestion
    C3 乙一村议事室  2025-06-05  养老服务 (livelihood) resident  居（村）民议事会  3 suggestions
    C4 甲镇协商议事室 2025-11-15  道路桥梁            offline   专题协商会        1 suggestion
    C5 甲一村议事室  2024-12-31  环境卫生            resident                    1 suggestion
Assignments: C1#1 done, C1#2 overdue, C2#1 done, C3#1 done, C3#2 returned, C4#1 open (not due),
    C5#1 done. Assigned 5, done 3, overdue 1.
Problems solved (on the spot + settled directly + items done): nothing solved on the spot or directly; 3 items done.
Entrusted reports: C1 replied on time, C3 replied late, C2 sent and waiting; C4's report is not
    entrusted, C1 has an unsent entrusted draft. Entrusted 3: on time 1, late 1, waiting 1.
Ratings (C1, C3 published): process satisfied/basic/satisfied/unsatisfied, result
    satisfied/unsatisfied/basic/unsatisfied: 4 ratings, process 75%, result 50%. C5 has one rating.
Members: 委员甲 (甲一村议事室, signed in at C1), 委员乙 (乙一村议事室, no sign-in), 委员丙 (甲镇议事室,
    ended 2024-06-30), 委员丁 (sector room, signed in at C3 in 乙镇). Assigned 3, active 2.
Typical case: C1 "助学路上商量出新办法" (published).
"""

import datetime
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import timezone

from shangliang.consultations import services as consultation_services
from shangliang.consultations.models import Consultation, SessionFormat
from shangliang.consultations.states import Mode, ParticipantCategory
from shangliang.consultations.tests.builders import researched, starting_soon, with_people
from shangliang.evaluation import services as evaluation_services
from shangliang.evaluation.states import RatingChannel
from shangliang.orgs import services as org_services
from shangliang.orgs.models import Platform
from shangliang.orgs.states import PlatformKind, RegionLevel, Role
from shangliang.orgs.tests.factories import grant, make_member, make_platform, make_user, small_district
from shangliang.outcomes import services as outcome_services
from shangliang.outcomes.states import ReportKind
from shangliang.outcomes.tests.builders import assigned, make_unit
from shangliang.topics import services as topic_services
from shangliang.topics.models import Submission
from shangliang.topics.states import Source
from shangliang.topics.tests.builders import approved, category, submit

YEAR = 2025


def at(month, day, hour=9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(YEAR, month, day, hour))


@dataclass
class World:
    district: dict
    platforms: dict
    consultations: dict
    members: dict
    convener: object


def held(
    village,
    platform,
    title,
    when,
    *,
    convener,
    suggestions,
    category_name="环境卫生",
    source=Source.RESIDENT,
    form="居（村）民议事会",
    members=(),
):
    """A consultation of ``village`` on ``platform`` concluded through the services, then dated ``when``."""
    topic = approved(village, title, category=category(category_name), source=source, actor=convener)
    starts = timezone.now() + datetime.timedelta(days=10)
    consultation = consultation_services.consultation_plan(
        actor=convener,
        topic=topic,
        platform=platform,
        session_format=SessionFormat.objects.get(name=form),
        mode=Mode.OFFLINE,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="党群服务中心",
        agenda=[("通报调研情况", 10)],
    )
    with_people(consultation)
    people = [
        consultation_services.participant_add(
            actor=convener, consultation=consultation, category=ParticipantCategory.MEMBER, name=m.name, member=m
        )
        for m in members
    ]
    consultation = consultation_services.notice_send(actor=convener, consultation=consultation)
    # The session day has come: it opens now, so the figures count it in this year.
    consultation = consultation_services.session_open(
        actor=convener, consultation=starting_soon(researched(consultation))
    )
    for person in people:
        consultation_services.sign_in(participant=person, actor=convener)
    consultation = consultation_services.session_close(actor=convener, consultation=consultation)
    consultation_services.minutes_confirm(actor=convener, consultation=consultation)
    for text in suggestions:
        consultation_services.suggestion_add(actor=convener, consultation=consultation, text=text)
    consultation = consultation_services.resolution_agree(actor=convener, consultation=consultation)
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_at=when, ends_at=when + datetime.timedelta(hours=2), in_session_at=when
    )
    consultation.refresh_from_db()
    return consultation


def done(assignment, actor):
    assignment = outcome_services.assignment_accept(actor=actor, assignment=assignment)
    outcome_services.progress_add(actor=actor, assignment=assignment, unit=assignment.lead_unit, progress="已开工")
    assignment.refresh_from_db()
    assignment = outcome_services.assignment_complete(actor=actor, assignment=assignment, result="已落实")
    # Done means checked (验收): only then does it count.
    return outcome_services.assignment_check(assignment, actor=assignment.supervisor)


def publish(consultation, actor):
    summary = "已全部落实，群众认可。"
    return outcome_services.publication_publish(actor=actor, consultation=consultation, summary=summary)


def rate(consultation, actor, process, result, mobile):
    return evaluation_services.rating_record(
        actor=actor,
        consultation=consultation,
        channel=RatingChannel.VISIT,
        process=process,
        result=result,
        comment="还可以更快一些",
        mobile=mobile,
    )


def entrusted_report(consultation, actor, *, sent_days_ago=None, replied=False, entrusted=True):
    report = outcome_services.report_draft(
        actor=actor,
        consultation=consultation,
        kind=ReportKind.CONSULTATION_REPORT,
        recipient="镇政府",
        is_entrusted=entrusted,
    )
    if sent_days_ago is None:
        return report
    report = outcome_services.report_send(
        actor=actor, report=report, now=timezone.now() - datetime.timedelta(days=sent_days_ago)
    )
    if replied:
        report = outcome_services.report_reply(actor=actor, report=report, text="已研究，按建议办理。")
    return report


def build_world(district) -> World:
    d, a, b, a1, a2, b1 = (district[k] for k in ("district", "a", "b", "a1", "a2", "b1"))
    convener = grant(make_user("dash_convener", full_name="林站长"), Role.ADMINISTRATOR, region=d)
    grid = a1.children.get(level=RegionLevel.GRID)
    platforms = {
        "pa": make_platform(a, name="甲镇协商议事室", active_since=datetime.date(2020, 1, 1)),
        "pa1": make_platform(a1, name="甲一村议事室", active_since=datetime.date(2021, 5, 1)),
        "pb1": make_platform(b1, name="乙一村议事室"),
        "ps": make_platform(d, name="区政协经济界议事室", kind=PlatformKind.SECTOR_ROOM),
        "grid": make_platform(grid, name="甲一村网格议事点", kind=PlatformKind.VILLAGE_ROOM),
        "pa2": make_platform(a2, name="甲二村议事室"),
        "new": make_platform(b, name="乙镇新平台", active_since=datetime.date(2026, 2, 1)),
    }
    org_services.platform_archive(actor=None, platform=platforms["pa2"], reason="撤并")
    archived_at = timezone.make_aware(datetime.datetime(2024, 5, 1))
    Platform.objects.filter(pk=platforms["pa2"].pk).update(archived_at=archived_at)

    members = {
        "jia": make_member("委员甲"),
        "yi": make_member("委员乙"),
        "bing": make_member("委员丙"),
        "ding": make_member("委员丁"),
    }
    for key, platform in (("jia", "pa1"), ("yi", "pb1"), ("bing", "pa"), ("ding", "ps")):
        org_services.member_assign(
            actor=None, member=members[key], platform=platforms[platform], started_on=datetime.date(2023, 1, 1)
        )
    bing = members["bing"].assignments.get()
    org_services.member_assignment_end(actor=None, assignment=bing, ended_on=datetime.date(2024, 6, 30))

    c1 = held(
        a1,
        platforms["pa1"],
        "村小学放学接送拥堵",
        at(3, 10),
        convener=convener,
        suggestions=["错峰放学", "增设接送点"],
        category_name="教育",
        members=[members["jia"]],
    )
    c2 = held(
        a1,
        platforms["pa1"],
        "垃圾清运不及时",
        at(3, 20),
        convener=convener,
        suggestions=["增加清运频次"],
        source=Source.GRID,
        form="民情恳谈会",
    )
    c3 = held(
        b1,
        platforms["pb1"],
        "老年食堂选址",
        at(6, 5),
        convener=convener,
        suggestions=["利用闲置村部", "引入社会组织运营", "设立助餐点"],
        category_name="养老服务",
        members=[members["ding"]],
    )
    c4 = held(
        a1,
        platforms["pa"],
        "镇村道路提档",
        at(11, 15),
        convener=convener,
        suggestions=["分批硬化"],
        category_name="道路桥梁",
        source=Source.OFFLINE,
        form="专题协商会",
    )
    c5 = held(
        a1,
        platforms["pa1"],
        "去年的议题",
        timezone.make_aware(datetime.datetime(2024, 12, 31, 20)),
        convener=convener,
        suggestions=["去年的建议"],
    )
    # Planned in 2025 but never held: not a consultation held.
    planned_topic = approved(a1, "只筹备未召开", actor=convener)
    planned = consultation_services.consultation_plan(
        actor=convener,
        topic=planned_topic,
        platform=platforms["pa1"],
        session_format=SessionFormat.objects.get(name="居（村）民议事会"),
        mode=Mode.OFFLINE,
        starts_at=at(4, 1),
        ends_at=at(4, 1, 11),
    )

    # One more resident raised C2's problem; merged into its submission, it is solved with it.
    merged = submit(a1, "垃圾桶满了没人收")
    topic_services.submission_merge(actor=convener, submission=merged, into=Submission.objects.get(topic=c2.topic))

    unit = make_unit(d, "区城管局")
    today = timezone.localdate()
    done(assigned(c1, order=0, unit=unit, actor=convener), convener)
    assigned(c1, order=1, unit=unit, actor=convener, today=today - datetime.timedelta(days=40), days=30)
    done(assigned(c2, order=0, unit=unit, actor=convener), convener)
    done(assigned(c3, order=0, unit=unit, actor=convener), convener)
    returned = assigned(c3, order=1, unit=unit, actor=convener)
    outcome_services.assignment_return(actor=convener, assignment=returned, reason="不属于本单位职责")
    assigned(c4, order=0, unit=unit, actor=convener, days=60)
    done(assigned(c5, order=0, unit=unit, actor=convener), convener)

    entrusted_report(c1, convener, sent_days_ago=3, replied=True)
    entrusted_report(c3, convener, sent_days_ago=20, replied=True)
    entrusted_report(c2, convener, sent_days_ago=1)
    entrusted_report(c4, convener, sent_days_ago=5, entrusted=False)
    entrusted_report(c1, convener)

    for consultation in (c1, c3, c5):
        publish(consultation, convener)
    rate(c1, convener, "satisfied", "satisfied", "13900001001")
    rate(c1, convener, "basic", "unsatisfied", "13900001002")
    rate(c3, convener, "satisfied", "basic", "13900001003")
    rate(c3, convener, "unsatisfied", "unsatisfied", "13900001004")
    rate(c5, convener, "unsatisfied", "unsatisfied", "13900001005")
    evaluation_services.typical_case_publish(
        actor=convener,
        consultation=c1,
        title="助学路上商量出新办法",
        story="放学时段校门口拥堵，村里召集家长、学校和交警一起商量……",
    )
    return World(
        district=district,
        platforms=platforms,
        consultations={"c1": c1, "c2": c2, "c3": c3, "c4": c4, "c5": c5, "planned": planned},
        members=members,
        convener=convener,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once per test module inside a transaction that is rolled back afterwards; each test runs
    in a savepoint inside it, so what a test adds disappears with the test."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world(small_district())
        yield built
        transaction.set_rollback(True)
