"""Briefings, lectures and training are counted apart: their own dashboard section and drill-down, no change
to the consultations or to a station's score, and 宣讲授课 points for the member who spoke, once per event."""

import datetime
import re

import pytest
from django.urls import reverse

from shangliang.dashboard import event_figures, selectors
from shangliang.dashboard.selectors import Scope
from shangliang.dashboard.tests.conftest import YEAR, at, make_user
from shangliang.events import selectors as event_selectors
from shangliang.events import services as event_services
from shangliang.events.states import EventKind
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant
from shangliang.points import selectors as point_selectors
from shangliang.points.defaults import EVENT_SPOKE_RULE, ensure_defaults
from shangliang.points.models import PointRule
from shangliang.points.states import PointKind
from shangliang.scoring.selectors import station_scores

pytestmark = pytest.mark.django_db


def _held(platform, actor, when, *, kind=EventKind.BRIEFING, signs=0, headcount=None, **fields):
    fields.setdefault("speaker_name", "区医保局科长")
    event = event_services.event_create(
        actor=actor,
        platform=platform,
        kind=kind,
        title=fields.pop("title", f"{kind}活动"),
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=2),
        now=when - datetime.timedelta(days=7),
        **fields,
    )
    for n in range(signs):
        event_services.sign_in_self(
            event=event, name=f"参加者{n}", mobile=f"1370000{n:04d}", now=when + datetime.timedelta(minutes=n)
        )
    return event_services.event_hold(
        event, actor=actor, headcount=headcount, now=when + datetime.timedelta(hours=2, minutes=5)
    )


def _scores(region):
    return [(row.name, row.held, row.total, row.points, row.figures) for row in station_scores(YEAR, region)]


@pytest.fixture
def staff(world):
    return grant(make_user("ev_staff"), Role.COMMITTEE_STAFF, region=world.district["district"])


@pytest.fixture
def held_events(world, staff):
    p, m = world.platforms, world.members
    return [
        _held(p["pa"], staff, at(4, 8, 14), signs=5, headcount=20, speaker_member=m["jia"], title="医保政策解读"),
        _held(p["pa1"], staff, at(5, 9, 19), kind=EventKind.LEGAL, signs=3, speaker_member=m["jia"], title="民法典"),
        _held(p["pb1"], staff, at(9, 1, 9), kind=EventKind.TRAINING, headcount=15, title="召集人培训"),
    ]


def test_held_events_leave_the_consultations_and_the_station_scores_as_they_were(world, staff):
    district = world.district["district"]
    scope = Scope.for_year(YEAR, region=district)
    today = datetime.date(YEAR, 12, 31)
    before = selectors.dashboard_for(scope, today)
    scores = _scores(district)
    p = world.platforms
    _held(p["pa"], staff, at(4, 8, 14), signs=5, headcount=20)
    _held(p["pa1"], staff, at(5, 9, 19), kind=EventKind.LEGAL, signs=3)
    after = selectors.dashboard_for(scope, today)
    assert after.consultations.total == before.consultations.total == 4
    assert after.consultations == before.consultations
    assert after.coverage == before.coverage
    assert after.members == before.members
    assert _scores(district) == scores
    figures = event_figures.event_figures(scope)
    assert (figures.held, figures.signed, figures.headcount, figures.attendance) == (2, 8, 20, 28)


def test_only_held_events_of_the_period_and_place_count(world, staff, held_events):
    p = world.platforms
    planned = event_services.event_create(
        actor=staff,
        platform=p["pa"],
        kind=EventKind.LECTURE,
        title="计划中",
        speaker_name="讲师",
        starts_at=at(12, 1),
        ends_at=at(12, 1, 11),
    )
    cancelled = event_services.event_create(
        actor=staff,
        platform=p["pa"],
        kind=EventKind.LECTURE,
        title="取消了",
        speaker_name="讲师",
        starts_at=at(10, 1),
        ends_at=at(10, 1, 11),
    )
    event_services.event_cancel(cancelled, actor=staff, reason="下雨")
    _held(p["pa"], staff, at(1, 1, 9) - datetime.timedelta(days=2), title="上一年的")  # 2024-12-30
    district = event_figures.event_figures(Scope.for_year(YEAR, region=world.district["district"]))
    assert district.held == 3 and district.attendance == 5 + 20 + 3 + 15
    assert [(kind, n, people) for kind, _label, n, people in district.by_kind] == [
        ("briefing", 1, 25),
        ("lecture", 0, 0),
        ("training", 1, 15),
        ("legal", 1, 3),
    ]
    township_a = event_figures.event_figures(Scope.for_year(YEAR, region=world.district["a"]))
    assert (township_a.held, township_a.attendance) == (2, 28)
    platform = event_figures.event_figures(Scope.for_year(YEAR, platform=p["pb1"]))
    assert (platform.held, platform.attendance) == (1, 15)
    assert planned.pk not in [
        e.pk for e in event_figures.event_records(Scope.for_year(YEAR, region=world.district["district"]))
    ]


def test_the_dashboard_shows_the_section_and_its_drill_down_lists_exactly_what_it_counts(
    client, world, staff, held_events, django_assert_max_num_queries
):
    client.force_login(staff)
    query = {"region": world.district["district"].pk, "year": YEAR}
    page = client.get(reverse("dashboard:index"), query).content.decode()
    section = page[page.index('id="event-figures"') :]
    section = section[: section.index("</table>")]
    total = re.search(r'id="event-total">.*?<a [^>]*>(\d+)</a></td><td class="num">(\d+)<', section, re.S)
    assert total.groups() == ("3", "43")
    response = client.get(reverse("dashboard:records", args=["events"]), query)
    rows = re.findall(r'<tr><td><a href="/events/(\d+)/">.*?<td class="num">(\d+)</td></tr>', response.content.decode())
    assert sorted(int(pk) for pk, _n in rows) == sorted(e.pk for e in held_events)
    assert sum(int(n) for _pk, n in rows) == 43
    legal = client.get(reverse("dashboard:records", args=["events"]), {**query, "value": "legal"}).content.decode()
    assert "民法典" in legal and "医保政策解读" not in legal and "法治宣传" in legal
    assert client.get(reverse("dashboard:records", args=["events"]), {**query, "value": "bogus"}).status_code == 404
    with django_assert_max_num_queries(20):
        client.get(reverse("dashboard:records", args=["events"]), query)


def test_the_member_who_spoke_earns_event_spoke_once_per_held_event(world, staff, held_events):
    ensure_defaults(PointRule, kinds={EVENT_SPOKE_RULE[0]}, rules=[EVENT_SPOKE_RULE])
    member = world.members["jia"]
    found = point_selectors.occurrences(PointKind.EVENT_SPOKE, member, YEAR)
    assert [o.pk for o in found] == [held_events[0].pk, held_events[1].pk]
    assert found[0].public_url == reverse("events:public_detail", args=[held_events[0].pk])
    assert point_selectors.counts(PointKind.EVENT_SPOKE, YEAR, [member.pk, world.members["yi"].pk]) == {member.pk: 2}
    ledger = point_selectors.ledger(member, YEAR)
    spoke = next(t for t in ledger.totals if t.kind == PointKind.EVENT_SPOKE)
    assert spoke.count == 2 and spoke.points == 2 * EVENT_SPOKE_RULE[1]
    row = next(r for r in point_selectors.ranking(YEAR).rows if r.member == member)
    assert row.total == ledger.total
    assert list(event_selectors.events_spoken_by(member, YEAR)) == held_events[:2]
    line = next(line for line in ledger.lines if line.kind == PointKind.EVENT_SPOKE)
    assert dict(point_selectors.entry_facts(line, member))["活动"] == "医保政策解读"
