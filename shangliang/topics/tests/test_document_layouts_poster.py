"""The submission poster (扫码反映问题海报) lists what cannot be taken up, the address, the opening hours and
the person in charge (issue 16, point 7)."""

import re

import pytest
from django.urls import reverse

from shangliang.orgs.tests.factories import make_platform
from shangliang.topics.states import ExclusionReason

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def test_the_poster_lists_the_eight_exclusions_the_address_hours_and_person_in_charge(client, district):
    platform = make_platform(
        district["a1"],
        address="甲一村村委会二楼",
        opening_hours="工作日 9:00—17:00",
        keeper_name="刘站长",
        contact_phone="0571-87654321",
        supervision_phone="0571-12345678",
    )
    response = client.get(reverse("topics:platform_poster", args=[platform.pk]))  # public: it is posted
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert "以下事项不纳入协商" in text
    assert len(ExclusionReason.labels) == 8
    for label in ExclusionReason.labels:
        assert _text(str(label)) in text
    assert "地址甲一村村委会二楼" in text and "开放时间工作日9:00—17:00" in text
    assert "负责人刘站长电话0571-87654321" in text and "监督电话0571-12345678" in text


def test_a_poster_without_details_shows_no_empty_lines(client, district):
    platform = make_platform(district["a1"])
    html = client.get(reverse("topics:platform_poster", args=[platform.pk])).content.decode()
    assert "以下事项不纳入协商" in html
    assert "负责人" not in html and "开放时间" not in html and "监督电话" not in html
