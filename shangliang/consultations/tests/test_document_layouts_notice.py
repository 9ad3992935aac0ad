"""The notice (协商通知) carries the research findings and a contact person (issue 16, point 7)."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from shangliang.consultations import services
from shangliang.consultations.tests.builders import notified
from shangliang.orgs import services as org_services
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def convener(district):
    return grant(make_user(full_name="王主任", mobile="13811112222"), Role.CONVENER, region=district["a1"])


def _text(client, consultation) -> str:
    response = client.get(reverse("consultations:notice_pdf", args=[consultation.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def test_the_notice_lists_the_research_findings_and_the_platforms_person_in_charge(client, district, convener):
    consultation = notified(district, convener=convener)
    services.research_add(
        actor=convener,
        consultation=consultation,
        researchers="林站长",
        researched_on=datetime.date(2026, 3, 2),
        place="集镇主街",
        findings="赶集日人行道被占，老人绕行。",
    )
    org_services.platform_update(
        actor=None, platform=consultation.platform, keeper_name="刘站长", contact_phone="0571-87654321"
    )
    client.force_login(convener)
    text = _text(client, consultation)
    assert "七、前期调研情况：" in text
    assert "1.2026年3月2日在集镇主街调研：赶集日人行道被占，老人绕行。" in text
    assert "八、联系人：刘站长，电话：0571-87654321" in text
    # Who researched is not posted; neither is the convener's own mobile.
    assert "林站长" not in text and "13811112222" not in text


def test_without_research_or_a_person_in_charge_the_convener_is_the_contact(client, district, convener):
    consultation = notified(district, convener=convener)
    client.force_login(convener)
    text = _text(client, consultation)
    assert "前期调研情况" not in text
    assert "七、联系人：王主任" in text and "13811112222" not in text
