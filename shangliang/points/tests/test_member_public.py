"""The public pages of members (履职码) and stations, and the points for problems members log for residents."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations.models import Research
from shangliang.orgs import reception
from shangliang.orgs import services as org_services
from shangliang.orgs.tests.factories import make_member, make_platform, make_user
from shangliang.points import public_record, selectors
from shangliang.points.defaults import LATER_RULES, ensure_defaults
from shangliang.points.models import PointRule
from shangliang.points.states import PointKind
from shangliang.points.tests.builders import conclude, held_in, in_session_on
from shangliang.points.tests.conftest import YEAR
from shangliang.topics import member_matters
from shangliang.topics import services as topic_services
from shangliang.topics.models import Category
from shangliang.topics.tests.builders import approved

pytestmark = pytest.mark.django_db


def test_member_page_shows_the_real_record(client, district, people, record, django_assert_max_num_queries):
    wang = people["wang"]
    wang.mobile, wang.workplace = "13900001111", "某某公司总经理"
    wang.save()
    # The printed code's address leads to the page.
    response = client.get(reverse("orgs:member_public", args=[wang.code]))
    assert response.status_code == 302 and response["Location"] == f"/m/{wang.code}/"
    with django_assert_max_num_queries(20):
        page = client.get(f"/m/{wang.code}/").content.decode()
    assert f"{YEAR}年履职记录" in page
    # Two sessions attended (the cancelled one does not count), each linked to its public page.
    assert reverse("consultations:public_page", args=[record["first"].pk]) in page
    assert reverse("consultations:public_page", args=[record["second"].pk]) in page
    assert reverse("consultations:public_page", args=[record["cancelled"].pk]) not in page
    # The approved recommendation is named with its pool page; the others only by stage.
    assert reverse("topics:pool_topic", args=[record["topic"].pk]) in page
    assert "邻里纠纷" not in page and "广场舞噪音扰民" not in page
    # The suggestions with what became of them: one assigned, the returned one is not shown as assigned.
    assert page.count("办理 · ") == 1
    assert reverse("outcomes_public:result", args=[record["first"].pk]) in page
    # The proposal is named; the bulletin in draft is not counted; no contact details.
    assert record["proposal"].title in page
    assert "13900001111" not in page and "某某公司总经理" not in page
    assert reverse("topics:submit_member", args=[wang.code]) in page


def test_member_page_earlier_year_and_unknown_code(client, people):
    wang = people["wang"]
    page = client.get(f"/m/{wang.code}/?year={YEAR - 1}").content.decode()
    assert f"{YEAR - 1}年履职记录" in page
    assert client.get("/m/nobody/").status_code == 404
    assert client.get(reverse("orgs:member_public", args=["nobody"])).status_code == 404


@pytest.fixture
def station(district):
    keeper = make_user("keeper", full_name="刘站长")
    platform = make_platform(district["a"], name="甲镇委员联络站", address="甲镇人民路1号")
    platform.keeper, platform.keeper_name, platform.contact_phone = keeper, "刘站长", "0571-12345678"
    platform.opening_hours = "工作日 9:00—17:00"
    platform.save()
    members = []
    for n in range(6):
        member = make_member(f"委员{n}号", mobile=f"1390000{n:04d}", specialty="城乡规划")
        org_services.member_assign(actor=None, member=member, platform=platform, started_on=datetime.date(2026, 1, 1))
        members.append(member)
    return {"platform": platform, "keeper": keeper, "members": members}


def open_slot(platform, member, hours):
    starts = timezone.now() + datetime.timedelta(hours=hours)
    return reception.slot_create(
        actor=make_user(),
        platform=platform,
        member=member,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        capacity=1,
    )


def test_station_page(client, station, django_assert_max_num_queries):
    platform = station["platform"]
    booked = open_slot(platform, station["members"][0], 30)
    reception.appointment_book(actor=None, slot=booked, name="张", mobile="13812345678", matter="事")
    free = open_slot(platform, None, 50)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("public_members:station", args=[platform.pk])).content.decode()
    for text in (
        "甲镇委员联络站",
        "甲镇人民路1号",
        "工作日 9:00—17:00",
        "刘站长",
        "0571-12345678",
        "委员5号",
        "城乡规划",
    ):
        assert text in page
    assert "1390000" not in page and "13812345678" not in page  # no member's or resident's phone
    assert reverse("orgs:book", args=[free.pk]) in page
    assert reverse("orgs:book", args=[booked.pk]) not in page and "已约满" in page
    assert reverse("topics:submit_platform", args=[platform.pk]) in page
    assert reverse("public_members:member", args=[station["members"][0].code]) in page


def test_station_page_offers_joining_to_a_member_not_serving(client, station, district):
    platform = station["platform"]
    outsider = make_member("外委员", user=make_user("outsider"))
    client.force_login(outsider.user)
    assert "申请加入本站点" in client.get(reverse("public_members:station", args=[platform.pk])).content.decode()
    client.force_login(make_user("resident"))
    assert "申请加入本站点" not in client.get(reverse("public_members:station", args=[platform.pk])).content.decode()


def test_archived_or_unknown_station_is_404(client, station):
    org_services.platform_archive(actor=None, platform=station["platform"], reason="撤并")
    assert client.get(reverse("public_members:station", args=[station["platform"].pk])).status_code == 404
    assert client.get("/s/999999999999999999999999999999/").status_code == 404


# --- points for problems logged for residents ----------------------------------------------------


def _log(member, district, title):
    return member_matters.problem_log(
        actor=member.user,
        member=member,
        platform=None,
        region=district["a1"],
        category=Category.objects.get(name="环境卫生"),
        title=title,
    ).submission


def test_problem_logged_earns_points_once_accepted(client, district):
    ensure_defaults(PointRule, rules=LATER_RULES)
    platform = make_platform(district["a"], name="甲镇委员联络站")
    wang = make_member("王委员", user=make_user("wang"))
    org_services.member_assign(actor=None, member=wang, platform=platform, started_on=datetime.date(2026, 1, 1))
    screener = make_user()
    accepted = _log(wang, district, "楼道堆物")
    waiting = _log(wang, district, "路灯不亮")
    excluded = _log(wang, district, "邻里矛盾")
    topic_services.submission_screen(actor=screener, submission=accepted, eligible=True)
    topic_services.submission_screen(
        actor=screener, submission=excluded, eligible=False, reason="unsuitable", note="不宜协商"
    )
    # A resident's own sending through the member's page earns the member nothing.
    sent = member_matters.matter_send(
        actor=None,
        member=wang,
        platform=None,
        region=district["a1"],
        category=Category.objects.get(name="环境卫生"),
        title="井盖松动",
    ).submission
    topic_services.submission_screen(actor=screener, submission=sent, eligible=True)
    year = timezone.localdate().year
    ledger = selectors.ledger(wang, year)
    lines = [line for line in ledger.lines if line.kind == PointKind.PROBLEM_LOGGED]
    assert [line.record for line in lines] == ["楼道堆物"]
    assert selectors.counts(PointKind.PROBLEM_LOGGED, year, [wang.pk]) == {wang.pk: 1}
    assert waiting.status == "submitted"
    client.force_login(wang.user)
    assert "收集反映群众诉求被受理" in client.get(reverse("points:member_ledger", args=[wang.pk])).content.decode()
    entry = client.get(reverse("points:entry", args=[wang.pk, year, PointKind.PROBLEM_LOGGED, accepted.pk]))
    assert entry.status_code == 200 and "楼道堆物" in entry.content.decode()
    page = client.get(f"/m/{wang.code}/").content.decode()
    assert "收集反映群众诉求（已受理）" in page


# --- which year the member's page opens on ---------------------------------------------------------


@pytest.fixture
def last_year_record(district, people):
    """王's record lies only in earlier years: a session held last year that he attended and spoke at,
    with a suggestion of his, and research for it last year and three years ago."""
    wang = people["wang"]
    session = held_in(conclude(in_session_on(district, approved(district["a1"], "村口积水"), speak=[wang])), YEAR - 1)
    session.suggestions.filter(order=1).update(proposed_by=wang)
    for day in (datetime.date(YEAR - 1, 5, 10), datetime.date(YEAR - 3, 5, 10)):
        research = Research.objects.create(
            consultation=session,
            researchers="王委员",
            researched_on=day,
            place="村口",
            findings="排水沟堵塞",
            recorded_by=session.convener,
        )
        research.members.add(wang)
    return {"member": wang, "session": session}


def test_member_page_opens_on_the_latest_year_with_records(client, last_year_record, django_assert_num_queries):
    wang, session = last_year_record["member"], last_year_record["session"]
    with django_assert_num_queries(1):
        assert public_record.record_years(wang) == [YEAR - 1, YEAR - 3]
    response = client.get(f"/m/{wang.code}/")
    assert response.status_code == 200 and response.context["year"] == YEAR - 1
    page = response.content.decode()
    assert f"{YEAR - 1}年履职记录" in page
    assert reverse("consultations:public_page", args=[session.pk]) in page
    record = response.context["record"]
    assert len(record.sessions) == 1 and len(record.research) == 1 and len(record.suggestions) == 1
    # The switcher lists the years with records, latest first, and no empty year between them.
    assert response.context["years"] == [YEAR - 1, YEAR - 3]
    switcher = page.split('id="year-filter"')[1].split("</form>")[0]
    assert f'<option value="{YEAR - 1}" selected>' in switcher and f'value="{YEAR - 3}"' in switcher
    assert f'value="{YEAR - 2}"' not in switcher and f'value="{YEAR}"' not in switcher
    # An earlier year with records, and the current year asked for by name (nothing yet: zeros).
    earlier = client.get(f"/m/{wang.code}/?year={YEAR - 3}")
    assert earlier.context["year"] == YEAR - 3 and len(earlier.context["record"].research) == 1
    assert not earlier.context["record"].sessions
    current = client.get(f"/m/{wang.code}/?year={YEAR}")
    assert f"{YEAR}年履职记录" in current.content.decode() and current.context["years"] == [YEAR, YEAR - 1, YEAR - 3]


def test_member_without_records_opens_on_the_current_year(client, people):
    wang = people["wang"]
    assert public_record.record_years(wang) == []
    response = client.get(f"/m/{wang.code}/")
    assert response.context["year"] == YEAR and response.context["years"] == [YEAR]
    assert f"{YEAR}年履职记录" in response.content.decode()


@pytest.mark.parametrize("year", ["abc", "9" * 30, "1999", str(YEAR + 1), "-1", "2025abc", " ", "1e3"])
def test_a_bad_year_falls_back_to_the_latest_year_with_records(client, last_year_record, year):
    wang = last_year_record["member"]
    response = client.get(f"/m/{wang.code}/", {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == YEAR - 1
    assert f"{YEAR - 1}年履职记录" in response.content.decode()


@pytest.mark.parametrize("year", ["\x00", "20\x0025"])
def test_a_nul_byte_in_the_year_is_a_bad_request_not_an_error(client, last_year_record, year):
    # The project's middleware refuses a NUL byte anywhere in the address before the page is reached.
    assert client.get(f"/m/{last_year_record['member'].code}/", {"year": year}).status_code == 400
