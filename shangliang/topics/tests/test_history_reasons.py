"""A topic's history keeps the reason code and the approver's own words; the page translates the code when shown."""

import pytest
from django.conf import settings
from django.urls import reverse

from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.topics.states import TopicStatus
from shangliang.topics.tests.builders import pending

pytestmark = pytest.mark.django_db

# 300 characters: longer than the 100 the history's reason column holds.
LONG_NOTE = ("核实记录缺少现场照片，请补充村民代表意见和施工范围。" * 12)[:300]


@pytest.fixture
def topic(district):
    return pending(district["a1"])


@pytest.fixture
def secretary(district):
    return grant(make_user("secretary"), Role.APPROVER, region=district["a1"])


@pytest.fixture
def station_head(district):
    return grant(make_user("station"), Role.STATION_HEAD, region=district["a"])


def page(client, user, topic, language=None) -> str:
    client.cookies.clear()
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client.get(reverse("topics:topic_detail", args=[topic.pk])).content.decode()


def test_an_english_speaking_approver_stores_the_code_and_the_chinese_page_shows_the_chinese_label(
    client, topic, secretary, station_head
):
    assert len(LONG_NOTE) == 300
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(secretary)
    response = client.post(reverse("topics:topic_decide", args=[topic.pk]), {"decision": "return", "note": LONG_NOTE})
    assert response.status_code == 302
    row = topic.history.latest("history_date")
    assert row.status == TopicStatus.RETURNED
    assert (row.history_change_reason, row.history_note) == ("topic.returned", LONG_NOTE)

    assert f"退回补充：{LONG_NOTE}" in page(client, station_head, topic)
    english = page(client, station_head, topic, language="en")
    assert f"Returned for revision：{LONG_NOTE}" in english and f"退回补充：{LONG_NOTE}" not in english


def test_each_step_of_the_topic_shows_its_own_label(client, topic, secretary, station_head):
    client.force_login(secretary)
    client.post(reverse("topics:topic_decide", args=[topic.pk]), {"decision": "approve"})
    codes = list(topic.history.order_by("history_date", "history_id").values_list("history_change_reason", flat=True))
    # Setting the regions of a new draft writes a second row with the draft's reason.
    assert list(dict.fromkeys(codes)) == ["topic.drafted", "topic.submitted", "topic.approved"]
    shown = page(client, station_head, topic)
    for label in ("拟定议题", "提交审定", "审定"):
        assert f"<td>{label}</td>" in shown
