"""The public pages of members (履职码) and stations, and the points for problems members log for residents."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.orgs import reception
from shangliang.orgs import services as org_services
from shangliang.orgs.tests.factories import make_member, make_platform, make_user
from shangliang.points import selectors
from shangliang.points.defaults import LATER_RULES, ensure_defaults
from shangliang.points.models import PointRule
from shangliang.points.states import PointKind
from shangliang.points.tests.conftest import YEAR
from shangliang.topics import member_matters
from shangliang.topics import services as topic_services
from shangliang.topics.models import Category

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
