"""A small record of members' activity, counted by hand in the tests."""

import datetime

import pytest
from django.utils import timezone

from shangliang.consultations import services as consultation_services
from shangliang.consultations.models import Research
from shangliang.events.tests.builders import held_event, station_head
from shangliang.orgs import services as org_services
from shangliang.orgs.tests.factories import make_member, make_platform, make_user
from shangliang.outcomes import services as outcome_services
from shangliang.outcomes.states import ReportKind
from shangliang.outcomes.tests.builders import assigned
from shangliang.points.tests.builders import (
    conclude,
    excluded_recommendation,
    held_in,
    in_session_on,
    invite,
    planned_on,
    recommended,
)
from shangliang.topics import member_matters
from shangliang.topics import services as topic_services
from shangliang.topics.models import Category
from shangliang.topics.tests.builders import approved

YEAR = timezone.localdate().year


@pytest.fixture
def people(district):
    """王 has a login account and lives in 甲一村; 赵 lives in 甲一村; 钱 lives in 乙一村."""
    return {
        "wang": make_member("王委员", user=make_user("wang", full_name="王委员"), home_region=district["a1"]),
        "zhao": make_member("赵委员", home_region=district["a1"]),
        "qian": make_member("钱委员", home_region=district["b1"]),
    }


@pytest.fixture
def record(district, people):
    """By hand, for the default rules:

    王: approved recommendation (3); researched before the session on it (3); attended it (2) and spoke
        twice there (1, once per session); proposed two of its suggestions: one assigned (2 as his
        suggestion, 2 as from his recommendation), the other assigned and returned (0); signed a
        proposal that was sent (3) and a bulletin left in draft (0); attended a
        second session on his login account (2); a rejected, a returned and an excluded recommendation
        (0); signed in at a session later cancelled (0). Total 18.
    钱: attended and spoke at the first session: 2 + 1 = 3.
    赵: invited to the first session, never signed in: 0.
    """
    wang, zhao, qian = people["wang"], people["zhao"], people["qian"]
    topic = recommended(district, wang, "集镇电动车乱停放")
    recommended(district, wang, "广场舞噪音扰民", decision="reject")
    recommended(district, wang, "菜市场排水不畅", decision="return")
    excluded_recommendation(district, wang, "邻里纠纷")

    first = held_in(conclude(in_session_on(district, topic, speak=[wang, qian], absent=[zhao])), YEAR)
    research = Research.objects.create(
        consultation=first,
        researchers="王委员、街道干部",
        researched_on=datetime.date(YEAR, 5, 10),
        place="集镇东口",
        findings="停放点不足",
        recorded_by=first.convener,
    )
    research.members.add(wang)
    # 王 put forward the first two suggestions; the second one's assignment is returned.
    first.suggestions.filter(order__in=[1, 2]).update(proposed_by=wang)
    assigned(first, order=0)
    returned = assigned(first, order=1)
    # 王 signed a proposal that was sent (3) and a bulletin still in draft (0).
    proposal = outcome_services.report_draft(
        actor=first.convener, consultation=first, kind=ReportKind.PROPOSAL, recipient="区政协", members=[wang]
    )
    proposal = outcome_services.report_send(actor=first.convener, report=proposal)
    outcome_services.report_draft(
        actor=first.convener, consultation=first, kind=ReportKind.OPINION_BULLETIN, recipient="区政协", members=[wang]
    )
    outcome_services.assignment_return(actor=make_user(), assignment=returned, reason="不属本单位职责")

    second = held_in(
        in_session_on(district, approved(district["a1"], "村道路灯不亮"), attend=[wang], by_account=[wang]), YEAR
    )

    cancelled = planned_on(district, approved(district["a1"], "小区停车难"))
    participant = invite(cancelled, wang)
    invite(cancelled, zhao)
    cancelled = consultation_services.notice_send(
        actor=cancelled.convener, consultation=cancelled, acknowledge_warnings=True
    )
    consultation_services.sign_in(participant=participant, actor=cancelled.convener)
    cancelled = consultation_services.consultation_cancel(
        actor=cancelled.convener, consultation=cancelled, reason="天气原因"
    )
    held_in(cancelled, YEAR)
    return {
        "proposal": proposal,
        "topic": topic,
        "first": first,
        "second": second,
        "cancelled": cancelled,
        "returned": returned,
    }


@pytest.fixture
def loop_record(district, people, record):
    """``record`` and the two later activities, by hand: 王, serving the 甲镇 station, logged a resident's
    problem the station accepted (1) and one still waiting (0), and spoke at a briefing held there this
    year (2). His total becomes 21."""
    wang = people["wang"]
    station = make_platform(district["a"], name="甲镇委员联络站")
    org_services.member_assign(actor=None, member=wang, platform=station, started_on=datetime.date(YEAR, 1, 1))
    logged = {
        title: member_matters.problem_log(
            actor=wang.user,
            member=wang,
            platform=None,
            region=district["a1"],
            category=Category.objects.get(name="环境卫生"),
            title=title,
            resident_name="李大爷",
        ).submission
        for title in ("楼道堆物", "路灯不亮")
    }
    topic_services.submission_screen(actor=make_user(), submission=logged["楼道堆物"], eligible=True)
    starts_at = timezone.make_aware(datetime.datetime(YEAR, 4, 1, 14, 0))
    briefing = held_event(
        station, station_head(district["a"]), starts_at=starts_at, speaker_member=wang, title="医保政策解读"
    )
    return {**record, "problem": logged["楼道堆物"], "briefing": briefing}
