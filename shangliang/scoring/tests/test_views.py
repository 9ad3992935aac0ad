"""Pages of the assessment: who sees which rows, the export, targets, and recording inspections."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_platform, make_user
from shangliang.scoring.models import AnnualTarget, Inspection, ScoringScheme
from shangliang.scoring.states import InspectionKind
from shangliang.scoring.tests.builders import committee, held, link

D = datetime.date


@pytest.fixture
def world(district):
    held(district["a1"], D(2025, 3, 1), title="甲镇停车")
    held(district["b1"], D(2025, 4, 1), title="乙镇路灯")
    people = {
        "admin": grant(make_user(), Role.ADMINISTRATOR, region=district["district"]),
        "office": grant(make_user(), Role.COMMITTEE_STAFF, region=district["district"]),
        "head_b": grant(make_user(), Role.STATION_HEAD, region=district["b"]),
        "resident": grant(make_user(), Role.RESIDENT, region=district["a1"]),
    }
    return {**district, **people}


def _get(client, user, name, *args, year=2025):
    client.force_login(user)
    return client.get(reverse(f"scoring:{name}", args=args), {"year": year})


def test_administrator_sees_every_station_ranked(client, world):
    response = _get(client, world["admin"], "stations")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert {r.name for r in rows} == {"甲镇", "乙镇"}
    assert "top-third" in response.content.decode()


def test_station_head_sees_only_own_township(client, world):
    response = _get(client, world["head_b"], "stations")
    assert [r.name for r in response.context["rows"]] == ["乙镇"]
    assert _get(client, world["head_b"], "station", world["b"].pk).status_code == 200
    assert _get(client, world["head_b"], "station", world["a"].pk).status_code == 404
    assert _get(client, world["head_b"], "station", 999999).status_code == 404


def test_station_detail_links_to_the_consultations_counted(client, world):
    response = _get(client, world["office"], "station", world["a"].pk)
    consultation = response.context["records"].consultations[0]
    assert reverse("consultations:detail", args=[consultation.pk]) in response.content.decode()


def test_residents_and_other_roles_are_refused(client, world):
    assert _get(client, world["resident"], "stations").status_code == 403
    convener = grant(make_user(), Role.CONVENER, region=world["a1"])
    assert _get(client, convener, "stations").status_code == 403
    client.logout()
    assert client.get(reverse("scoring:stations")).status_code == 302


def test_ranking_xlsx_reads_back(client, world):
    response = _get(client, world["admin"], "stations_xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "2025" in sheet["A1"].value
    assert sheet.cell(2, 1).value == "排名" and sheet.cell(2, 2).value == "乡镇（街道）"
    names = {sheet.cell(r, 2).value for r in (3, 4)}
    assert names == {"甲镇", "乙镇"}
    first = [c.value for c in sheet[3]]
    assert first[2] == 1 and first[3] == 2 and first[4] == "否"


def test_station_head_export_has_only_own_row(client, world):
    response = _get(client, world["head_b"], "stations_xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(3, 2).value == "乙镇" and sheet.cell(4, 2).value in (None, "")


def test_administrator_sets_township_targets(client, world):
    client.force_login(world["admin"])
    a, b = world["a"], world["b"]
    data = {"action": "townships", f"t{a.pk}_min": 3, f"t{b.pk}_min": 2, f"t{b.pk}_satisfaction": 90}
    response = client.post(reverse("scoring:targets") + "?year=2025", data)
    assert response.status_code == 302
    assert AnnualTarget.objects.get(year=2025, region=a).min_consultations == 3
    assert AnnualTarget.objects.get(year=2025, region=b).min_satisfaction_rate == 90


def test_invalid_target_shows_chinese_error_next_to_field(client, world):
    client.force_login(world["admin"])
    a, b = world["a"], world["b"]
    data = {"action": "townships", f"t{a.pk}_min": -1, f"t{b.pk}_min": 2, f"t{b.pk}_on_time": 120}
    response = client.post(reverse("scoring:targets") + "?year=2025", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "次数不能为负数。" in body and "请输入0到100之间的整数。" in body
    assert not AnnualTarget.objects.exists()


def test_scheme_weights_not_summing_to_100_are_refused(client, world):
    client.force_login(world["admin"])
    data = {
        "action": "scheme",
        "weight_consultations": 40,
        "weight_on_time": 30,
        "weight_replies": 15,
        "weight_satisfaction": 25,
        "full_points": "5",
    }
    response = client.post(reverse("scoring:targets") + "?year=2025", data)
    assert response.status_code == 400
    assert "四项权重之和应为100，当前为110。" in response.content.decode()
    data["weight_consultations"] = 30
    assert client.post(reverse("scoring:targets") + "?year=2025", data).status_code == 302
    assert sum(ScoringScheme.objects.get(year=2025).weights.values()) == 100


def test_targets_page_is_for_administrators_only(client, world):
    assert _get(client, world["office"], "targets").status_code == 403
    assert _get(client, world["head_b"], "targets").status_code == 403
    assert _get(client, world["admin"], "targets").status_code == 200


@pytest.fixture
def committees(world):
    ours = committee(world["district"], "提案委员会")
    theirs = committee(world["district"], "经济委员会")
    station_a = make_platform(world["a"])
    station_b = make_platform(world["b"])
    return {
        "ours": ours,
        "ours_link": link(ours, station_a),
        "theirs_link": link(theirs, station_b),
        "staff": grant(make_user(), Role.COMMITTEE_STAFF, unit=ours),
        "unlinked_staff": grant(make_user(), Role.COMMITTEE_STAFF, unit=committee(world["district"], "文史委员会")),
        **world,
    }


def _inspection(link_pk, **extra):
    return {
        "link": link_pk,
        "kind": InspectionKind.RESEARCH_VISIT,
        "visited_on": "2025-06-01",
        "findings": "查看议事室，听取群众意见。",
        **extra,
    }


def test_committee_staff_record_for_their_linked_station(client, committees):
    client.force_login(committees["staff"])
    response = client.post(reverse("scoring:inspection_add"), _inspection(committees["ours_link"].pk))
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.committee == committees["ours"] and inspection.recorded_by == committees["staff"]


def test_committee_staff_cannot_record_for_a_station_of_another_committee(client, committees):
    client.force_login(committees["staff"])
    response = client.post(reverse("scoring:inspection_add"), _inspection(committees["theirs_link"].pk))
    assert response.status_code == 400
    assert "只能为本专委会的联系站点录入督导记录。" in response.content.decode()
    assert not Inspection.objects.exists()


def test_staff_of_an_unlinked_committee_are_refused(client, committees):
    client.force_login(committees["unlinked_staff"])
    assert client.get(reverse("scoring:inspection_add")).status_code == 403
    response = client.post(reverse("scoring:inspection_add"), _inspection(committees["ours_link"].pk))
    assert response.status_code == 403


def test_inspection_form_errors_are_in_chinese(client, committees):
    client.force_login(committees["admin"])
    response = client.post(reverse("scoring:inspection_add"), _inspection(committees["ours_link"].pk, findings=""))
    assert response.status_code == 400
    assert "请填写调研督导情况。" in response.content.decode()


def test_inspection_list_marks_gaps_in_red(client, committees):
    response = _get(client, committees["office"], "inspections")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="has-gaps"' in body and "gap" in body
    assert len(response.context["schedule"]) == 2
    staff_view = _get(client, committees["staff"], "inspections")
    assert [r.link.pk for r in staff_view.context["schedule"]] == [committees["ours_link"].pk]
    head_view = _get(client, committees["head_b"], "inspections")
    assert [r.link.pk for r in head_view.context["schedule"]] == [committees["theirs_link"].pk]


def test_ranking_page_query_count_is_bounded(client, world, django_assert_max_num_queries):
    client.force_login(world["admin"])
    with django_assert_max_num_queries(25):
        client.get(reverse("scoring:stations"), {"year": 2025})
