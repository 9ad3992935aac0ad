"""Dates in year 1 or 9999 are refused next to the field and saved nowhere (penetration test finding 14).

One range for the whole platform (``core.dates``: 2000 to 2100). Every form checks it through
``core.forms.CleanTextMixin``, which every form takes (``tests/test_control_characters.py`` checks
that); query strings through ``core.params`` and the dashboard's period; imports row by row.
Each case pairs a refused date with an accepted one, so the form cannot fail for another reason.
"""

import datetime

import pytest
from django.urls import reverse

from shangliang.core.dates import FIRST_YEAR, LAST_YEAR
from shangliang.orgs.imports import KINDS, Row
from shangliang.orgs.models import ConsultationCommittee, Platform
from shangliang.orgs.states import PlatformKind, Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.topics.tests.builders import drafted

pytestmark = pytest.mark.django_db

MESSAGE = f"日期须在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间。"
OUT_OF_RANGE = ["0001-01-01", "9999-12-31"]


@pytest.fixture
def station_head(district):
    return grant(make_user("bounded-station"), Role.STATION_HEAD, region=district["a"])


@pytest.mark.parametrize("day", OUT_OF_RANGE)
def test_a_platform_started_in_year_1_or_9999_is_refused_next_to_the_field(client, district, station_head, day):
    client.force_login(station_head)
    url = reverse("orgs:platform_create")
    data = {
        "name": "甲二村议事厅",
        "kind": PlatformKind.VILLAGE_ROOM,
        "brand": "有事好商量",
        "region": district["a2"].pk,
    }

    response = client.post(url, data | {"active_since": day})
    assert response.status_code == 200
    assert response.context["form"].errors["active_since"] == [MESSAGE]
    assert MESSAGE in response.content.decode()
    assert not Platform.objects.filter(name="甲二村议事厅").exists()

    assert client.post(url, data | {"active_since": "2024-05-01"}).status_code == 302
    assert Platform.objects.get(name="甲二村议事厅").active_since == datetime.date(2024, 5, 1)


@pytest.mark.parametrize("day", OUT_OF_RANGE)
def test_a_verification_dated_year_1_or_9999_is_refused_next_to_the_field(client, district, station_head, day):
    topic = drafted(district["a1"], actor=station_head)
    client.force_login(station_head)
    url = reverse("topics:verification_add", args=[topic.pk])
    data = {"checked_by": "林站长", "findings": "现场属实"}

    response = client.post(url, data | {"checked_on": day})
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert not topic.verifications.exists()

    assert client.post(url, data | {"checked_on": "2026-03-02"}).status_code == 302
    assert topic.verifications.get().checked_on == datetime.date(2026, 3, 2)


@pytest.mark.parametrize("day", OUT_OF_RANGE)
def test_the_admin_refuses_a_committee_founded_in_year_1_or_9999(client, district, day):
    client.force_login(make_user("bounded-root", is_superuser=True, is_staff=True))
    url = reverse("admin:orgs_consultationcommittee_add")
    data = {
        "region": district["a1"].pk,
        "name": "甲一村协商委员会",
        "seats-TOTAL_FORMS": "0",
        "seats-INITIAL_FORMS": "0",
    }

    response = client.post(url, data | {"established_on": day})
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not ConsultationCommittee.objects.exists()

    assert client.post(url, data | {"established_on": "2016-06-01"}).status_code == 302
    assert ConsultationCommittee.objects.get().established_on == datetime.date(2016, 6, 1)


@pytest.mark.parametrize("cell", ["0001-01-01", datetime.date(9999, 12, 31), datetime.datetime(1, 1, 1)])
def test_an_imported_date_outside_the_range_is_a_problem_of_its_row(cell):
    columns, problems = {column.header: column for column in KINDS["platforms"].columns}, []
    assert Row(7, {"启用日期": cell}, columns, problems).date("启用日期") is None
    assert problems == [{"row": 7, "column": "启用日期", "message": MESSAGE}]
    assert Row(8, {"启用日期": "2024-05-01"}, columns, problems).date("启用日期") == datetime.date(2024, 5, 1)


@pytest.fixture
def reader(client, district):
    client.force_login(grant(make_user("bounded-reader"), Role.ADMINISTRATOR, region=district["district"]))
    return client


@pytest.mark.parametrize(
    "query",
    [
        {"year": "1"},
        {"year": "9999"},
        {"start": "0001-01-01", "end": "0001-12-31"},
        {"start": "2025-01-01", "end": "9999-12-31"},
    ],
)
def test_the_dashboard_answers_400_to_a_period_in_year_1_or_9999(reader, query):
    assert reader.get(reverse("dashboard:index"), query).status_code == 400
    assert reader.get(reverse("dashboard:records", args=["consultations"]), query).status_code == 400
    assert reader.get(reverse("dashboard:index"), {"year": "2025"}).status_code == 200


@pytest.mark.parametrize("month", ["0001-01", "9999-12"])
def test_the_records_of_a_month_in_year_1_or_9999_are_not_found(reader, month):
    url = reverse("dashboard:records", args=["month"])
    assert reader.get(url, {"year": "2025", "value": month}).status_code == 404
    assert reader.get(url, {"year": "2025", "value": "2025-03"}).status_code == 200


def test_the_annual_report_of_year_1_or_9999_is_not_found(reader):
    assert reader.get("/dashboard/report/0001.docx").status_code == 404
    assert reader.get("/dashboard/report/9999.docx").status_code == 404
