"""Progress attachments, evidence and reply letters: only documents and images by content, served only to
those who may see the item or the report."""

import re

import pytest
from django.urls import reverse

from shangliang.core.tests.files import PDF, REFUSED_TYPE, html, image_bytes, pdf, svg, upload
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import services
from shangliang.outcomes.models import Assignment, OutcomeReport, ProgressUpdate
from shangliang.outcomes.states import ReportKind
from shangliang.outcomes.tests.builders import assigned, concluded, liaison_of, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(district):
    unit_a = make_unit(district["district"], "区住房和城乡建设局")
    unit_b = make_unit(district["district"], "区交通运输局")
    return {
        "unit_a": unit_a,
        "convener": grant(make_user("convener"), Role.CONVENER, region=district["a1"]),
        "approver": grant(make_user("approver"), Role.APPROVER, region=district["a"]),
        "liaison_a": liaison_of(unit_a, "liaison_a"),
        "liaison_b": liaison_of(unit_b, "liaison_b"),
        "outsider": grant(make_user("outsider"), Role.CONVENER, region=district["b1"]),
    }


@pytest.fixture
def item(district, people):
    consultation = concluded(district, convener=people["convener"])
    item = assigned(consultation, unit=people["unit_a"], actor=people["approver"])
    return services.assignment_accept(actor=people["liaison_a"], assignment=item, version=item.version)


def url(name, *args):
    return reverse(f"outcomes:{name}", args=args)


def post_progress(client, item, attachment):
    data = {"progress": "已完成选址", "version": item.version, "attachment": attachment}
    return client.post(url("progress_add", item.pk), data)


def error_next_to(response, field_id: str) -> str:
    return response.content.decode().split(f'id="{field_id}"')[1].split("</div>")[0]


@pytest.mark.parametrize("make", [html, svg], ids=["html", "svg"])
def test_html_and_svg_progress_attachments_are_refused_next_to_the_field(client, people, item, make):
    client.force_login(people["liaison_a"])
    response = post_progress(client, item, make("现场.jpg"))
    assert response.status_code == 400
    assert REFUSED_TYPE in error_next_to(response, "progress_form_attachment")
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("make", [html, svg], ids=["html", "svg"])
def test_html_and_svg_evidence_is_refused_next_to_the_field(client, people, item, make):
    client.force_login(people["liaison_a"])
    data = {"result": "建成", "version": item.version, "evidence": make()}
    response = client.post(url("assignment_complete", item.pk), data)
    assert response.status_code == 400
    assert REFUSED_TYPE in error_next_to(response, "complete_form_evidence")
    assert not Assignment.objects.get(pk=item.pk).evidence


@pytest.mark.parametrize("make", [html, svg], ids=["html", "svg"])
def test_html_and_svg_reply_letters_are_refused_next_to_the_field(client, people, item, make):
    consultation = item.suggestion.consultation
    report = services.report_draft(
        actor=people["convener"],
        consultation=consultation,
        kind=ReportKind.CONSULTATION_REPORT,
        recipient="镇政府",
        is_entrusted=True,
    )
    report = services.report_send(actor=people["convener"], report=report)
    client.force_login(people["convener"])
    response = client.post(url("report_reply", report.pk), {"text": "已安排专项资金。", "attachment": make()})
    assert response.status_code == 400
    assert REFUSED_TYPE in error_next_to(response, "id_attachment")
    assert not OutcomeReport.objects.get(pk=report.pk).reply_attachment


@pytest.fixture
def update(client, people, item):
    client.force_login(people["liaison_a"])
    response = post_progress(client, item, upload("现场.png", image_bytes("PNG"), "image/png"))
    assert response.status_code == 302
    client.logout()
    return ProgressUpdate.objects.get()


def test_a_progress_photo_is_stored_under_a_random_name_with_the_detected_extension(update):
    assert re.fullmatch(r"outcomes/progress/\d{4}/\d{2}/[0-9a-f]{32}\.png", update.attachment.name)


@pytest.mark.parametrize("who", ["liaison_b", "outsider"])
def test_others_get_404_for_a_progress_attachment(client, people, update, who):
    assert client.get(update.attachment.url).status_code == 404
    client.force_login(people[who])
    assert client.get(update.attachment.url).status_code == 404


@pytest.mark.parametrize("who", ["liaison_a", "convener", "approver"])
def test_those_who_see_the_item_download_the_progress_attachment(client, people, update, who):
    client.force_login(people[who])
    response = client.get(update.attachment.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_evidence_is_served_to_the_unit_and_not_to_another(client, people, item):
    client.force_login(people["liaison_a"])
    data = {"result": "建成", "version": item.version, "evidence": pdf()}
    assert client.post(url("assignment_complete", item.pk), data).status_code == 302
    evidence = Assignment.objects.get(pk=item.pk).evidence
    assert client.get(evidence.url).content == PDF
    client.force_login(people["liaison_b"])
    assert client.get(evidence.url).status_code == 404
