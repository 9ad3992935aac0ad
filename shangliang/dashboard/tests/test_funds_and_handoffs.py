"""The consultation fund (协商资金) and the hand-offs to other channels (转交其他渠道) on the dashboard: their figures
against the hand count of ``around_data``, each drill-down against its figure, the scope, the queries; and the
platforms' total, which leaves the other venues out."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from shangliang.dashboard import fund_figures, handoff_figures, selectors
from shangliang.dashboard.selectors import Scope
from shangliang.dashboard.tests.around_data import build_around, hand, income
from shangliang.dashboard.tests.conftest import YEAR
from shangliang.orgs.states import PlatformKind, Role, VenueType
from shangliang.orgs.tests.factories import grant, make_platform, make_user

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def around(world):
    return build_around(world)


def _scope(world, where):
    if where == "pb1":
        return Scope.for_year(YEAR, platform=world.platforms["pb1"])
    return Scope.for_year(YEAR, region=world.district[where])


def _signed_sum(rows) -> Decimal:
    return sum((row.signed for row in rows), D("0"))


# --- the fund ------------------------------------------------------------------------------------


def test_the_funds_figures_count_the_year_net_of_corrections(world, around):
    district = fund_figures.fund_figures(_scope(world, "district"))
    assert (district.income, district.spent, district.reversed, district.balance) == (
        D("15000.00"),
        D("1200.00"),
        D("1600.00"),
        D("18400.00"),
    )
    assert [(kind, amount) for kind, _label, amount in district.income_by_kind] == [
        ("allocation", D("10000.00")),
        ("donation", D("5000.00")),
        ("other_income", D("0.00")),
    ]
    assert [(kind, amount) for kind, _label, amount in district.spent_by_kind] == [
        ("operation", D("400.00")),
        ("implementation", D("800.00")),
    ]
    assert (district.consultation_lines, district.assignment_lines) == (2, 1)
    township = fund_figures.fund_figures(_scope(world, "a"))
    assert (township.income, township.spent, township.reversed, township.balance) == (
        D("12000.00"),
        D("700.00"),
        D("1600.00"),
        D("15900.00"),
    )
    assert (township.consultation_lines, township.assignment_lines) == (1, 1)
    platform = fund_figures.fund_figures(_scope(world, "pb1"))
    assert (platform.income, platform.spent, platform.balance, platform.lines) == (D("0.00"), D("500.00"), None, 1)


@pytest.mark.parametrize("where", ["district", "a", "pb1"])
def test_each_fund_figure_is_what_its_drill_down_lists(world, around, where):
    scope = _scope(world, where)
    fund = fund_figures.fund_figures(scope)

    def rows(value=""):
        return list(fund_figures.fund_records(scope, value))

    assert _signed_sum(rows("income")) == fund.income
    assert _signed_sum(rows("spent")) == fund.spent
    assert _signed_sum(rows("reversed")) == -fund.reversed  # corrections take their amount off the spending
    for kind, _label, amount in fund.income_by_kind:
        assert _signed_sum(rows(f"income:{kind}")) == amount
    for kind, _label, amount in fund.spent_by_kind:
        assert _signed_sum(rows(f"spent:{kind}")) == amount
    assert len(rows("consultation")) == fund.consultation_lines
    assert len(rows("assignment")) == fund.assignment_lines
    if fund.balance is not None:
        balance = rows("balance")
        income = sum((r.signed for r in balance if r.is_income), D("0"))
        assert income - sum((r.signed for r in balance if not r.is_income), D("0")) == fund.balance
    else:
        with pytest.raises(selectors.UnknownFigure):
            rows("balance")
    for bogus in ("bogus", "income:operation", "spent:donation", "spent:x:y"):
        with pytest.raises(selectors.UnknownFigure):
            rows(bogus)


def test_the_dashboard_shows_the_fund_and_its_drill_down_lists_the_lines(
    client, world, around, django_assert_max_num_queries
):
    client.force_login(world.convener)
    query = {"region": world.district["district"].pk, "year": YEAR}
    page = client.get(reverse("dashboard:index"), query).content.decode()
    section = page[page.index('id="fund-figures"') :]
    section = section[: section.index('id="fund-lines"')]
    assert re.search(r'id="fund-income">.*?<a [^>]*>15,000.00</a>', section, re.S)
    assert re.search(r'id="fund-spent">.*?<a [^>]*>1,200.00</a>', section, re.S)
    assert re.search(r'id="fund-reversed">.*?<a [^>]*>1,600.00</a>', section, re.S)
    assert re.search(r'id="fund-balance">.*?<a [^>]*>18,400.00</a>', section, re.S)
    records = reverse("dashboard:records", args=["funds"])
    spent = client.get(records, {**query, "value": "spent"}).content.decode()
    assert re.findall(r'data-signed="(-?[\d.]+)"', spent) and sum(
        D(n) for n in re.findall(r'data-signed="(-?[\d.]+)"', spent)
    ) == D("1200.00")
    # The correction shows negative with the line it reverses; the reversed line says so; no person's name.
    assert "-1,200.00" in spent and "冲正（第5号）" in spent and "已冲正" in spent and "接送点护栏" in spent
    assert "around_keeper_a1" not in spent
    assert "尚待审批的茶水" not in client.get(records, query).content.decode()
    lines = client.get(records, {**query, "value": "consultation"}).content.decode()
    assert "印制协商通知" in lines and "老年食堂选址资料" in lines and "道路硬化材料" not in lines
    assert "关联协商的支出" in lines
    assert client.get(records, {**query, "value": "bogus"}).status_code == 404
    platform = client.get(reverse("dashboard:index"), {"platform": world.platforms["pb1"].pk, "year": YEAR})
    assert 'id="fund-income"' not in platform.content.decode() and 'id="fund-balance"' not in platform.content.decode()
    with django_assert_max_num_queries(20):
        assert client.get(records, {**query, "value": "balance"}).status_code == 200


# --- hand-offs -----------------------------------------------------------------------------------


def test_the_handoff_figures_count_the_years_live_handoffs_by_channel(world, around):
    district = handoff_figures.handoff_figures(_scope(world, "district"))
    assert (district.handed, district.answered, district.awaiting, district.overdue) == (3, 1, 2, 2)
    rows = {row.channel: (row.handed, row.answered, row.awaiting) for row in district.by_channel if row.handed}
    assert rows == {"hotline": (2, 1, 1), "congress": (1, 0, 1)}
    township = handoff_figures.handoff_figures(_scope(world, "a"))
    assert (township.handed, township.answered) == (2, 1)
    platform = handoff_figures.handoff_figures(_scope(world, "pb1"))
    assert (platform.handed, platform.answered, platform.awaiting) == (1, 0, 1)


@pytest.mark.parametrize("where", ["district", "a", "pb1"])
def test_each_handoff_figure_is_what_its_drill_down_lists(world, around, where):
    scope = _scope(world, where)
    figures = handoff_figures.handoff_figures(scope)

    def count(value=""):
        return handoff_figures.handoff_records(scope, value).count()

    assert count() == figures.handed
    assert (count("answered"), count("awaiting"), count("overdue")) == (
        figures.answered,
        figures.awaiting,
        figures.overdue,
    )
    for row in figures.by_channel:
        assert count(row.channel) == row.handed
        assert (count(f"{row.channel}:answered"), count(f"{row.channel}:awaiting")) == (row.answered, row.awaiting)
    for bogus in ("bogus", "hotline:bogus", "bogus:answered"):
        with pytest.raises(selectors.UnknownFigure):
            count(bogus)


def test_the_dashboard_shows_the_handoffs_and_the_drill_down_names_no_one(client, world, around):
    staff = grant(make_user("around_staff"), Role.COMMITTEE_STAFF, region=world.district["district"])
    client.force_login(staff)
    query = {"region": world.district["district"].pk, "year": YEAR}
    page = client.get(reverse("dashboard:index"), query).content.decode()
    total = re.search(r'id="handoff-total">.*?<a [^>]*>(\d+)</a>.*?<a [^>]*>(\d+)</a>.*?<a [^>]*>(\d+)</a>', page, re.S)
    assert total.groups() == ("3", "1", "2")
    listed = client.get(reverse("dashboard:records", args=["handoffs"]), {**query, "value": "hotline"})
    text = listed.content.decode()
    assert "路灯不亮" in text and "乙村河道" in text and "井盖缺失" not in text and "去年的事" not in text
    assert "12345热线" in text and "属于其他渠道办理的事项" not in text  # the reason is not shown
    assert "around_keeper_a1" not in text
    awaiting = client.get(reverse("dashboard:records", args=["handoffs"]), {**query, "value": "congress:awaiting"})
    assert "井盖缺失" in awaiting.content.decode() and "人大协商：待答复" in awaiting.content.decode()
    # Another township's station head: 甲镇's dashboard answers 404.
    head_b = grant(make_user("around_head_b"), Role.STATION_HEAD, region=world.district["b"])
    client.force_login(head_b)
    a_query = {"region": world.district["a"].pk, "year": YEAR}
    assert client.get(reverse("dashboard:records", args=["handoffs"]), a_query).status_code == 404
    assert client.get(reverse("dashboard:records", args=["funds"]), a_query).status_code == 404


def test_the_drill_downs_cost_the_same_queries_for_few_or_many_records(
    client, world, around, django_assert_max_num_queries
):
    client.force_login(world.convener)
    query = {"region": world.district["district"].pk, "year": YEAR}
    pages = [
        (reverse("dashboard:records", args=["funds"]), ""),
        (reverse("dashboard:records", args=["handoffs"]), ""),
        (reverse("dashboard:index"), ""),
    ]
    counts = []
    for url, value in pages:
        with django_assert_max_num_queries(200) as captured:
            assert client.get(url, {**query, "value": value} if value else query).status_code == 200
        counts.append(len(captured.captured_queries))
    build_more(world, around)
    for (url, value), before in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(before):
            assert client.get(url, {**query, "value": value} if value else query).status_code == 200


def build_more(world, around):
    """More lines and hand-offs of the same kinds, in 2025."""
    keeper = around.keepers["a1"]
    for n in range(4):
        income(around.accounts["a1"], keeper, f"{100 + n}", datetime.date(YEAR, 7, 1 + n))
        hand(keeper, world.district["a1"], f"又一件事{n}", datetime.date(YEAR, 9, 1 + n))


# --- the platforms' total leaves the other venues out ----------------------------------------------


def test_the_platform_total_counts_rooms_and_lists_the_venues_apart(client, world):
    venue = make_platform(
        world.district["a1"], name="甲一村党群之家", kind=PlatformKind.VENUE, venue_type=VenueType.PARTY_MASS_HOME
    )
    scope = _scope(world, "district")
    coverage = selectors.coverage(scope)
    assert (coverage.platforms, coverage.venues) == (5, 1)
    assert PlatformKind.VENUE not in {kind for kind, _label, _n in coverage.by_kind}
    assert sum(n for _level, _label, n in coverage.by_level) == 5
    # The drill-downs agree: the total lists the rooms; the venues have their own line.
    rooms = selectors.records(scope, "platforms")
    assert rooms.count() == 5 and venue not in rooms
    assert list(selectors.records(scope, "platforms", "venue")) == [venue]
    # A venue is not held to a number of consultations: the report does not name it as idle.
    assert venue not in selectors.idle_platforms(scope)
    for level, _label, n in coverage.by_level:
        assert selectors.records(scope, "platforms", f"level:{level}").count() == n
    client.force_login(world.convener)
    page = client.get(reverse("dashboard:index"), {"region": world.district["district"].pk, "year": YEAR})
    text = page.content.decode()
    assert re.search(r'data-figure="platforms"[^>]*><div class="n">5<', text)
    assert 'id="venue-row"' in text and "其他议事场所（不计入平台数和覆盖率）" in text
    venues = client.get(
        reverse("dashboard:records", args=["platforms"]),
        {"region": world.district["district"].pk, "year": YEAR, "value": "venue"},
    )
    assert "甲一村党群之家" in venues.content.decode()
    listed = client.get(
        reverse("dashboard:records", args=["platforms"]), {"region": world.district["district"].pk, "year": YEAR}
    )
    assert "甲一村党群之家" not in listed.content.decode()
