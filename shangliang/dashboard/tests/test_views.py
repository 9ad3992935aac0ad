"""The dashboard's pages through HTTP: who may open which scope, what the page shows, the query bound."""

import datetime
import json
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shangliang.dashboard import report
from shangliang.dashboard.tests.conftest import YEAR, at, done, held, publish, rate
from shangliang.orgs import services as org_services
from shangliang.orgs.states import RegionLevel, Role
from shangliang.orgs.tests.factories import grant, make_member, make_platform, make_region
from shangliang.outcomes.tests.builders import assigned, liaison_of, make_unit

pytestmark = pytest.mark.django_db

INDEX = reverse("dashboard:index")


def make_user(username, **fields):
    """An account without a password (the tests log in with force_login): hashing would only be slow."""
    return get_user_model().objects.create(username=username, **fields)


@pytest.fixture
def people(world):
    d = world.district
    users = {
        "administrator": grant(make_user("p_admin"), Role.ADMINISTRATOR, region=d["district"]),
        "committee_staff": grant(make_user("p_staff"), Role.COMMITTEE_STAFF, region=d["district"]),
        "approver": grant(make_user("p_approver"), Role.APPROVER, region=d["district"]),
        "supervisor": grant(make_user("p_supervisor"), Role.SUPERVISOR, region=d["district"]),
        "evaluator": grant(make_user("p_evaluator"), Role.EVALUATOR, region=d["district"]),
        "head_a": grant(make_user("p_head_a"), Role.STATION_HEAD, region=d["a"]),
        "approver_b": grant(make_user("p_approver_b"), Role.APPROVER, region=d["b"]),
        "convener_a1": grant(make_user("p_convener_a1"), Role.CONVENER, region=d["a1"]),
        "convener_pb1": grant(make_user("p_convener_pb1"), Role.CONVENER, platform=world.platforms["pb1"]),
        "member": grant(make_user("p_member"), Role.MEMBER, region=d["a"]),
        "liaison": make_user("p_liaison"),
        "resident": grant(make_user("p_resident"), Role.RESIDENT, region=d["a1"]),
        "root": make_user("p_root", is_superuser=True),
    }
    return users


def _scope(world, name):
    """Query parameters of the scopes the matrix tries."""
    d, p = world.district, world.platforms
    return {
        "district": {"region": d["district"].pk, "year": YEAR},
        "a": {"region": d["a"].pk, "year": YEAR},
        "b": {"region": d["b"].pk, "year": YEAR},
        "a1": {"region": d["a1"].pk, "year": YEAR},
        "pa1": {"platform": p["pa1"].pk, "year": YEAR},
        "pb1": {"platform": p["pb1"].pk, "year": YEAR},
    }[name]


SCOPES = ["district", "a", "b", "a1", "pa1", "pb1"]
DISTRICT_WIDE = set(SCOPES)
# who: the scopes they may open (every other scope answers 404); None: refused outright (403).
MATRIX = {
    "administrator": DISTRICT_WIDE,
    "committee_staff": DISTRICT_WIDE,
    "approver": DISTRICT_WIDE,
    "supervisor": DISTRICT_WIDE,
    "evaluator": DISTRICT_WIDE,
    "root": DISTRICT_WIDE,
    "head_a": {"a", "a1", "pa1"},
    "approver_b": {"b", "pb1"},
    "convener_a1": {"a1", "pa1"},
    "convener_pb1": {"pb1"},
    "member": None,
    "liaison": None,
    "resident": None,
}


def _urls(key="consultations"):
    return [
        (INDEX, {}),
        (reverse("dashboard:records", args=[key]), {}),
        (reverse("dashboard:annual_report", args=[YEAR, "docx"]), {"year": None}),
    ]


@pytest.mark.parametrize("who", list(MATRIX))
def test_permission_matrix_of_scopes_for_the_dashboard_the_drill_down_and_the_report(
    client, world, people, who, monkeypatch
):
    # The scope is checked before the report is written; drawing it for every cell would only be slow.
    monkeypatch.setattr(report, "annual_report", lambda scope: SimpleNamespace(title=scope.name))
    monkeypatch.setattr(report, "annual_report_docx", lambda content: b"")
    client.force_login(people[who])
    allowed = MATRIX[who]
    for name in SCOPES:
        params = _scope(world, name)
        for url, extra in _urls():
            query = {k: v for k, v in {**params, **extra}.items() if v is not None}
            status = client.get(url, query).status_code
            expected = 403 if allowed is None else (200 if name in allowed else 404)
            assert status == expected, (who, name, url, status)


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for url, _extra in _urls():
        response = client.get(url, _scope(world, "district"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_township_official_cannot_open_another_townships_dashboard_or_records(client, world, people):
    client.force_login(people["head_a"])
    b = _scope(world, "b")
    assert client.get(INDEX, b).status_code == 404
    for key in ("consultations", "suggestions", "ratings", "members", "villages", "month"):
        assert client.get(reverse("dashboard:records", args=[key]), {**b, "value": ""}).status_code == 404
    assert client.get(reverse("dashboard:records", args=["consultations"]), _scope(world, "pb1")).status_code == 404
    report = reverse("dashboard:annual_report", args=[YEAR, "pdf"])
    assert client.get(report, {"region": world.district["b"].pk}).status_code == 404
    # Their own township works with the same requests.
    assert client.get(INDEX, _scope(world, "a")).status_code == 200
    assert client.get(reverse("dashboard:records", args=["consultations"]), _scope(world, "a")).status_code == 200


def test_default_scope_is_the_widest_region_covered_and_the_current_year(client, world, people):
    client.force_login(people["head_a"])
    response = client.get(INDEX)
    scope = response.context["scope"]
    assert scope.region == world.district["a"] and scope.platform is None
    assert (scope.start, scope.end) == (
        datetime.date(timezone.localdate().year, 1, 1),
        datetime.date(timezone.localdate().year, 12, 31),
    )
    client.force_login(people["convener_pb1"])
    assert client.get(INDEX).context["scope"].platform == world.platforms["pb1"]


def test_unit_liaisons_have_no_dashboard(client, world):
    liaison = liaison_of(make_unit(world.district["district"], "区教育局"), "p_unit_liaison")
    client.force_login(liaison)
    assert client.get(INDEX).status_code == 403


@pytest.mark.parametrize(
    "params",
    [
        {"year": "twenty"},
        {"year": "1800"},
        {"start": "2025-05-01", "end": "2025-04-01"},
        {"start": "2025-02-30", "end": "2025-04-01"},
        {"start": "2015-01-01", "end": "2025-04-01"},
    ],
)
def test_a_malformed_period_is_a_bad_request(client, world, params):
    client.force_login(world.convener)
    assert client.get(INDEX, {"region": world.district["district"].pk, **params}).status_code == 400


def test_unknown_region_or_platform_is_404(client, world):
    client.force_login(world.convener)
    assert client.get(INDEX, {"region": 999999}).status_code == 404
    assert client.get(INDEX, {"region": "x"}).status_code == 404
    assert client.get(INDEX, {"platform": 999999}).status_code == 404


def test_the_page_shows_cards_tables_and_chart_data_that_link_to_the_records(client, world):
    client.force_login(world.convener)
    response = client.get(INDEX, _scope(world, "district"))
    body = response.content.decode()
    assert 'id="headline"' in body and 'data-figure="consultations"' in body
    for table in ("month-rows", "form-rows", "source-rows", "category-rows", "children-rows", "coverage-rows"):
        assert f'id="{table}"' in body
    assert reverse("dashboard:records", args=["month"]) in body
    assert "vendor/echarts/echarts.min.js" in body and "dashboard/dashboard.js" in body
    assert 'id="station-rows"' in body and 'id="ranking-rows"' in body
    data = response.context["data"]
    charts = {chart["id"]: chart for chart in data["charts"]}
    assert set(charts) == {
        "chart-month",
        "chart-form",
        "chart-source",
        "chart-category",
        "chart-children",
        "chart-stations",
    }
    assert charts["chart-stations"]["labels"] == ["甲镇", "乙镇"]
    assert reverse("scoring:station", args=[world.district["a"].pk]) in charts["chart-stations"]["series"][0]["urls"][0]
    march = charts["chart-month"]["labels"].index("2025-03")
    assert charts["chart-month"]["series"][0]["values"][march] == 2
    assert "value=2025-03" in charts["chart-month"]["series"][0]["urls"][march]
    assert charts["chart-children"]["labels"] == ["甲镇", "乙镇"]
    embedded = body.split('id="dashboard-data" type="application/json">')[1].split("</script>")[0]
    assert json.loads(embedded)["charts"][0]["id"] == "chart-month"
    assert reverse("dashboard:annual_report", args=[YEAR, "docx"]) in body


def test_a_custom_period_carries_into_the_drill_down_links(client, world):
    client.force_login(world.convener)
    params = {"region": world.district["district"].pk, "start": "2025-03-01", "end": "2025-03-31"}
    response = client.get(INDEX, params)
    assert response.context["board"].consultations.total == 2
    body = response.content.decode()
    assert "start=2025-03-01&amp;end=2025-03-31" in body
    records = client.get(reverse("dashboard:records", args=["consultations"]), params)
    assert records.context["page"].paginator.count == 2


def test_rating_records_show_no_names_or_mobiles(client, world):
    client.force_login(world.convener)
    body = client.get(reverse("dashboard:records", args=["ratings"]), _scope(world, "district")).content.decode()
    assert "还可以更快一些" in body and "入户走访" in body
    assert "1390000100" not in body and "139****" not in body


def test_echarts_and_the_dashboard_script_are_served_by_the_app():
    assert finders.find("vendor/echarts/echarts.min.js")
    assert finders.find("dashboard/dashboard.js")


def _grow(world):
    """More of everything: a third township with villages, platforms, consultations, items, ratings, members."""
    d = world.district["district"]
    c_town = make_region("丙镇", RegionLevel.TOWNSHIP, d)
    villages = [make_region(f"丙{n}村", RegionLevel.VILLAGE, c_town) for n in range(3)]
    town_room = make_platform(c_town, name="丙镇协商议事室")
    rooms = [make_platform(v, name=f"{v.name}议事室") for v in villages]
    members = [make_member(f"丙委员{n}") for n in range(3)]
    for member, room in zip(members, rooms, strict=True):
        org_services.member_assign(actor=None, member=member, platform=room, started_on=datetime.date(2024, 1, 1))
    for n, (village, room) in enumerate(zip(villages, [town_room, *rooms[:2]], strict=True)):
        consultation = held(
            village,
            room,
            f"丙镇议题{n}",
            at(n + 4, 8),
            convener=world.convener,
            suggestions=["建议一", "建议二"],
            category_name="医疗卫生",
            members=members[:1] if n == 0 else (),
        )
        done(assigned(consultation, order=0, actor=world.convener), world.convener)
        assigned(consultation, order=1, actor=world.convener)
        publish(consultation, world.convener)
        rate(consultation, world.convener, "satisfied", "basic", f"1370000{n:04d}")


def test_the_dashboard_runs_the_same_number_of_queries_for_a_small_and_a_larger_district(client, world):
    client.force_login(world.convener)
    params = _scope(world, "district")
    client.get(INDEX, params)  # the first request of a session also stores the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(INDEX, params).status_code == 200
    _grow(world)
    with CaptureQueriesContext(connection) as large:
        response = client.get(INDEX, params)
    assert response.context["board"].consultations.total == 7
    assert len(large) == len(small)
    # 25 for the figures, 7 for the stations' scores, 9 for the members' ranking (one per activity), and a
    # fixed 26 for the seeds' statistics (``seed_figures``: solved 4, implemented 3, voluntary 1, sectors 2,
    # members 5, committees 3, chair council 1, departments 4, and the district's own lookups); then 3 for the
    # fund (one aggregate) and the hand-offs (by channel, past the answer period).
    assert len(small) <= 78
