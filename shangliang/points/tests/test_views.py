"""The points pages through HTTP: who may read a ledger, the ranking in the user's scope, the year
filter, the Excel export read back, and query counts that do not grow with the number of members."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shangliang.orgs.models import Member
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_member, make_user
from shangliang.points import selectors
from shangliang.points.models import PointRule
from shangliang.points.tests.builders import held_in, in_session_on
from shangliang.points.tests.conftest import YEAR
from shangliang.topics.tests.builders import approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(district):
    return {
        "head_a": grant(make_user("head_a"), Role.STATION_HEAD, region=district["a"]),
        "head_b": grant(make_user("head_b"), Role.STATION_HEAD, region=district["b"]),
        "admin": grant(make_user("admin"), Role.ADMINISTRATOR, region=district["district"]),
        "resident": grant(make_user("resident"), Role.RESIDENT, region=district["a1"]),
    }


def ledger_url(member, **query):
    url = reverse("points:member_ledger", args=[member.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def text(response) -> str:
    return response.content.decode()


# --- the ledger ----------------------------------------------------------------------------------


def test_a_member_sees_their_own_ledger_with_the_records_behind_it(client, people, record):
    client.force_login(people["wang"].user)
    response = client.get(ledger_url(people["wang"], year=YEAR))
    assert response.status_code == 200
    page = text(response)
    assert "王委员的履职积分" in page
    # The records behind the points, on pages the member may open (test_evidence follows them all).
    assert reverse("topics:pool_topic", args=[record["topic"].pk]) in page
    assert reverse("consultations:public_page", args=[record["first"].pk]) in page
    assert 'id="ledger-totals"' in page and ">18<" in page


def test_a_member_cannot_read_another_members_ledger(client, people):
    client.force_login(people["wang"].user)
    assert client.get(ledger_url(people["qian"])).status_code == 404


def test_station_head_reads_members_of_their_township_only(client, people, staff):
    client.force_login(staff["head_a"])
    assert client.get(ledger_url(people["wang"], year=YEAR)).status_code == 200
    assert client.get(ledger_url(people["qian"])).status_code == 404
    client.force_login(staff["head_b"])
    assert client.get(ledger_url(people["wang"])).status_code == 404
    assert client.get(ledger_url(people["qian"])).status_code == 200


def test_resident_and_visitor_are_refused_a_ledger(client, people, staff):
    assert client.get(ledger_url(people["wang"])).status_code == 302
    client.force_login(staff["resident"])
    assert client.get(ledger_url(people["wang"])).status_code == 404
    assert client.get(reverse("points:member_ledger", args=[999999])).status_code == 404


def test_ledger_defaults_to_this_year_and_shows_a_bad_year_next_to_the_field(client, people):
    client.force_login(people["wang"].user)
    page = text(client.get(ledger_url(people["wang"])))
    assert f"{YEAR}年度" in page and f'value="{YEAR}"' in page
    page = text(client.get(ledger_url(people["wang"], year=YEAR + 5)))
    assert f"年份不能晚于{YEAR}年" in page
    assert 'class="field-error"' in page and f"{YEAR}年度" in page
    assert "本年度暂无计分记录" in text(client.get(ledger_url(people["wang"], year=YEAR - 3)))


# --- the ranking ---------------------------------------------------------------------------------


def test_ranking_lists_only_visible_members_with_links_to_their_ledgers(client, people, staff):
    client.force_login(staff["head_a"])
    page = text(client.get(reverse("points:ranking"), {"year": YEAR}))
    assert "王委员" in page and "赵委员" in page and "钱委员" not in page
    assert ledger_url(people["wang"], year=YEAR) in page
    assert "所荐议题形成的建议被采纳交办" in page


def test_ranking_narrows_to_a_region_and_refuses_one_out_of_scope(client, district, people, staff):
    client.force_login(staff["admin"])
    page = text(client.get(reverse("points:ranking"), {"year": YEAR, "region": district["b"].pk}))
    assert "钱委员" in page and "王委员" not in page
    client.force_login(staff["head_a"])
    page = text(client.get(reverse("points:ranking"), {"region": district["b"].pk}))
    assert "钱委员" not in page and 'class="field-error"' in page


def test_ranking_is_refused_to_residents_and_visitors(client, staff):
    assert client.get(reverse("points:ranking")).status_code == 302
    client.force_login(staff["resident"])
    assert client.get(reverse("points:ranking")).status_code == 403
    assert client.get(reverse("points:ranking_xlsx")).status_code == 403


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["points:ranking", "points:ranking_xlsx"])
def test_ranking_query_count_does_not_grow_with_members(client, district, staff, people, name):
    client.force_login(staff["admin"])
    url, params = reverse(name), {"year": YEAR}
    client.get(url, params)  # the first request of a session reads what later ones have cached
    with_three = _queries(client, url, params)
    for i in range(10):
        make_member(f"新委员{i}", home_region=district["a2"])
    assert _queries(client, url, params) == with_three


def test_ranking_selector_queries_are_the_same_for_2_and_10_members(district, django_assert_num_queries):
    for i in range(2):
        make_member(f"甲委员{i}", home_region=district["a1"])
    kinds = PointRule.objects.filter(is_active=True, is_archived=False).count()
    with django_assert_num_queries(kinds + 2):
        assert len(selectors.ranking(YEAR, members=Member.objects.all()).rows) == 2
    for i in range(8):
        make_member(f"乙委员{i}", home_region=district["a1"])
    with django_assert_num_queries(kinds + 2):
        assert len(selectors.ranking(YEAR, members=Member.objects.all()).rows) == 10


def test_ranking_export_reads_back(client, district, people, staff, loop_record):
    make_member("=1+2", home_region=district["a1"])
    client.force_login(staff["head_a"])
    response = client.get(reverse("points:ranking_xlsx"), {"year": YEAR, "region": district["a"].pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == f"{YEAR}年度政协委员履职积分排名"
    assert "甲镇" in sheet["A2"].value
    header = [cell.value for cell in sheet[3]]
    assert header == [
        *["名次", "姓名", "委员层级", "界别", "参加协商会议", "会上发言", "参加商前调研", "委员荐题被立项"],
        *["所荐议题形成的建议被采纳交办", "所提建议被采纳交办", "署名提案或社情民意信息报送"],
        *["收集反映群众诉求被受理", "宣讲授课", "合计"],
    ]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    assert rows[0] == [1, "王委员", "区（县）政协委员", "经济界", 4, 1, 3, 3, 2, 2, 3, 1, 2, 21]
    assert {row[1] for row in rows} == {"王委员", "赵委员", "'=1+2"}
    assert all(row[13] == 0 for row in rows[1:])
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.page_setup.orientation == "landscape"


# --- the admin -----------------------------------------------------------------------------------


def test_administrator_edits_a_rule_in_the_admin_and_history_names_them(client):
    root = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(root)
    rule = PointRule.objects.get(kind="session_spoke")
    url = reverse("admin:points_pointrule_change", args=[rule.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": rule.kind, "points": "1.5", "yearly_cap": "", "is_active": "on", "note": "x"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.points == 1.5 and rule.yearly_cap is None
    assert rule.history.first().history_user == root
    assert client.get(reverse("admin:points_pointrule_delete", args=[rule.pk])).status_code == 403


def test_admin_refuses_a_second_rule_in_force_next_to_the_form(client):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:points_pointrule_add"), {"kind": "session_spoke", "points": "2", "is_active": "on"}
    )
    assert response.status_code == 200
    assert "该履职事项已有一条启用的规则" in text(response)
    assert PointRule.objects.filter(kind="session_spoke").count() == 1


def test_ledger_query_count_does_not_grow_with_its_lines(client, district, people, staff, record):
    client.force_login(staff["admin"])
    client.get(ledger_url(people["zhao"]))
    empty = _queries(client, ledger_url(people["zhao"]), {})
    with_lines = _queries(client, ledger_url(people["wang"]), {})
    # Which staff pages the reader may open: one query per kind of page (consultation, assignment,
    # topic), whatever the number of lines.
    assert with_lines <= empty + 3
    held_in(in_session_on(district, approved(district["a1"], "又一次协商"), attend=[people["wang"]]), YEAR)
    assert _queries(client, ledger_url(people["wang"]), {}) == with_lines
