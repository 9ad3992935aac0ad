"""Research attachments: only documents and images by content, stored under a random name, served only to
those who may see the consultation, always as a download that the browser may not sniff."""

import datetime
import re

import pytest
from django.urls import reverse
from django_sendfile.utils import _get_sendfile

from shangliang.consultations.models import Research
from shangliang.consultations.tests.builders import planned
from shangliang.core.tests.files import PDF, REFUSED_TYPE, html, pdf, svg
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(district):
    return {
        "convener": grant(make_user("convener"), Role.CONVENER, region=district["a1"]),
        "station": grant(make_user("station"), Role.STATION_HEAD, region=district["a"]),
        "neighbour": grant(make_user("neighbour"), Role.CONVENER, region=district["a2"]),
        "outsider": grant(make_user("outsider"), Role.CONVENER, region=district["b1"]),
    }


@pytest.fixture
def consultation(district, staff):
    return planned(district, convener=staff["convener"])


def research_data(**extra):
    return {
        "researchers": "林站长",
        "researched_on": datetime.date.today().isoformat(),
        "place": "集镇主街",
        "findings": "赶集日人行道被占",
        **extra,
    }


def add_research(client, consultation, attachment):
    url = reverse("consultations:research_add", args=[consultation.pk])
    return client.post(url, research_data(attachment=attachment))


@pytest.fixture
def research(client, consultation, staff):
    client.force_login(staff["convener"])
    add_research(client, consultation, pdf("村民名单 13800000000.pdf"))
    client.logout()
    return Research.objects.get()


@pytest.mark.parametrize("make", [html, svg], ids=["html", "svg"])
def test_html_and_svg_research_attachments_are_refused_next_to_the_field(client, consultation, staff, make):
    client.force_login(staff["convener"])
    response = add_research(client, consultation, make())
    assert response.status_code == 400
    field_block = response.content.decode().split('id="id_attachment"')[1].split("</div>")[0]
    assert REFUSED_TYPE in field_block
    assert not Research.objects.exists()


def test_a_pdf_renamed_to_html_is_stored_as_a_pdf_under_a_random_name(client, consultation, staff):
    client.force_login(staff["convener"])
    response = add_research(client, consultation, pdf("村民名单.html"))
    assert response.status_code == 302
    name = Research.objects.get().attachment.name
    assert re.fullmatch(r"research/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", name), name


def test_stored_name_is_random_and_keeps_nothing_of_the_original_name(research):
    name = research.attachment.name
    assert re.fullmatch(r"research/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", name), name
    assert "13800000000" not in name and "村民名单" not in name


def test_anonymous_visitor_gets_404_for_a_research_attachment(client, research):
    assert research.attachment.url.startswith("/media/research/")
    assert client.get(research.attachment.url).status_code == 404


@pytest.mark.parametrize("who", ["neighbour", "outsider"])
def test_a_convener_of_another_village_gets_404_for_a_research_attachment(client, research, staff, who):
    client.force_login(staff[who])
    assert client.get(research.attachment.url).status_code == 404


@pytest.mark.parametrize("who", ["convener", "station"])
def test_those_who_see_the_consultation_download_the_attachment_without_sniffing(client, research, staff, who):
    client.force_login(staff[who])
    response = client.get(research.attachment.url)
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_the_consultation_page_links_to_the_media_view(client, research, staff):
    client.force_login(staff["convener"])
    page = client.get(reverse("consultations:detail", args=[research.consultation_id])).content.decode()
    assert f'href="{research.attachment.url}"' in page


@pytest.fixture
def nginx_sendfile(settings):
    settings.SENDFILE_BACKEND = "django_sendfile.backends.nginx"
    settings.SENDFILE_URL = "/protected-media"
    _get_sendfile.cache_clear()
    yield
    _get_sendfile.cache_clear()


def test_in_production_nginx_sends_the_file_from_its_internal_location(client, research, staff, nginx_sendfile):
    client.force_login(staff["convener"])
    response = client.get(research.attachment.url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{research.attachment.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
