"""Inspection attachments: only documents and images by content, at most 10 MB, a random stored name, and
served only to those who may see the inspection."""

import re

import pytest
from django.urls import reverse

from shangliang.core.tests.files import PDF, REFUSED_TYPE, TOO_LARGE, html, pdf, svg, upload
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_platform, make_user
from shangliang.scoring.models import Inspection
from shangliang.scoring.states import InspectionKind
from shangliang.scoring.tests.builders import committee, link

pytestmark = pytest.mark.django_db


@pytest.fixture
def committees(district):
    ours = committee(district["district"], "提案委员会")
    theirs = committee(district["district"], "经济委员会")
    station_a = make_platform(district["a"])
    return {
        "ours_link": link(ours, station_a),
        "theirs_link": link(theirs, make_platform(district["b"])),
        "staff": grant(make_user(), Role.COMMITTEE_STAFF, unit=ours),
        "their_staff": grant(make_user(), Role.COMMITTEE_STAFF, unit=theirs),
        "head_a": grant(make_user(), Role.STATION_HEAD, region=district["a"]),
        "head_b": grant(make_user(), Role.STATION_HEAD, region=district["b"]),
        "resident": grant(make_user(), Role.RESIDENT, region=district["a1"]),
    }


def record(client, committees, attachment):
    client.force_login(committees["staff"])
    data = {
        "link": committees["ours_link"].pk,
        "kind": InspectionKind.RESEARCH_VISIT,
        "visited_on": "2025-06-01",
        "findings": "查看议事室，听取群众意见。",
        "attachment": attachment,
    }
    return client.post(reverse("scoring:inspection_add"), data)


def error_next_to_attachment(response) -> str:
    return response.content.decode().split('id="id_attachment"')[1].split("</div>")[0]


@pytest.mark.parametrize("make", [html, svg], ids=["html", "svg"])
def test_html_and_svg_inspection_attachments_are_refused_next_to_the_field(client, committees, make):
    response = record(client, committees, make())
    assert response.status_code == 400
    assert REFUSED_TYPE in error_next_to_attachment(response)
    assert not Inspection.objects.exists()


def test_an_inspection_attachment_over_10_mb_is_refused(client, committees):
    response = record(client, committees, upload("督导照片.pdf", PDF + b"0" * (10 * 1024 * 1024)))
    assert response.status_code == 400
    assert TOO_LARGE in error_next_to_attachment(response)
    assert not Inspection.objects.exists()


@pytest.fixture
def inspection(client, committees):
    assert record(client, committees, pdf("督导记录.pdf")).status_code == 302
    client.logout()
    return Inspection.objects.get()


def test_an_inspection_attachment_is_stored_under_a_random_name(inspection):
    name = inspection.attachment.name
    assert re.fullmatch(r"scoring/inspections/2025/06/[0-9a-f]{32}\.pdf", name), name


@pytest.mark.parametrize("who", [None, "resident", "their_staff", "head_b"])
def test_others_get_404_for_an_inspection_attachment(client, committees, inspection, who):
    if who:
        client.force_login(committees[who])
    assert client.get(inspection.attachment.url).status_code == 404


@pytest.mark.parametrize("who", ["staff", "head_a"])
def test_those_who_see_the_inspection_download_its_attachment(client, committees, inspection, who):
    client.force_login(committees[who])
    response = client.get(inspection.attachment.url)
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
