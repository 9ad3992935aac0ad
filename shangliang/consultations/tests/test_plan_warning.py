"""The plan form warns at once when the chosen start is inside the notice period, naming the earliest
possible start, and refuses it on submit with the same words."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations.models import Consultation, SessionFormat
from shangliang.consultations.states import Mode
from shangliang.consultations.tests.builders import planned
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_platform, make_user
from shangliang.topics.tests.builders import approved

pytestmark = pytest.mark.django_db

EARLIEST = re.compile(r"距开始不足3天，最早可安排在(\d{4}-\d{2}-\d{2} \d{2}:\d{2})（通知应至少提前3天发出）。")


@pytest.fixture
def convener(district):
    return grant(make_user("convener"), Role.CONVENER, region=district["a1"])


@pytest.fixture
def topic(district):
    return approved(district["a1"])


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _check(client, topic, starts_at: str):
    return client.get(reverse("consultations:plan_start_check", args=[topic.pk]), {"starts_at": starts_at})


def test_a_start_inside_the_notice_period_is_warned_with_the_earliest_possible_start(client, convener, topic):
    client.force_login(convener)
    response = _check(client, topic, _when(timezone.now() + datetime.timedelta(days=1)))
    assert response.status_code == 200
    found = EARLIEST.search(response.content.decode())
    assert found, response.content.decode()
    earliest = timezone.make_aware(datetime.datetime.strptime(found.group(1), "%Y-%m-%d %H:%M"))
    expected = timezone.now() + datetime.timedelta(days=3)
    assert datetime.timedelta(0) <= earliest - expected + datetime.timedelta(minutes=1) <= datetime.timedelta(minutes=3)


def test_a_start_far_enough_ahead_gets_no_warning(client, convener, topic):
    client.force_login(convener)
    response = _check(client, topic, _when(timezone.now() + datetime.timedelta(days=4)))
    assert response.status_code == 200 and response.content.decode().strip() == ""


def test_a_start_that_is_no_time_is_said_in_chinese(client, convener, topic):
    client.force_login(convener)
    assert "请输入有效的开始时间" in _check(client, topic, "明天上午").content.decode()
    assert _check(client, topic, "").content.decode().strip() == ""


def test_only_those_who_may_plan_the_topic_get_the_check(client, district, topic):
    url = reverse("consultations:plan_start_check", args=[topic.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(grant(make_user("neighbour"), Role.CONVENER, region=district["a2"]))
    assert client.get(url, {"starts_at": "2026-01-01T09:00"}).status_code == 404
    client.force_login(make_user("resident"))
    assert client.get(url).status_code == 403


def test_the_plan_form_asks_the_check_as_the_start_changes(client, convener, topic):
    client.force_login(convener)
    page = client.get(reverse("consultations:plan", args=[topic.pk])).content.decode()
    assert f'hx-get="{reverse("consultations:plan_start_check", args=[topic.pk])}"' in page
    assert 'hx-target="next .start-warning"' in page and 'class="start-warning"' in page


def test_the_plan_form_refuses_on_submit_with_the_same_message(client, district, convener, topic):
    client.force_login(convener)
    start = timezone.now() + datetime.timedelta(days=1)
    warned = EARLIEST.search(_check(client, topic, _when(start)).content.decode()).group(0)
    data = {
        "platform": make_platform(district["a1"]).pk,
        "session_format": SessionFormat.objects.get(name="居（村）民议事会").pk,
        "mode": Mode.OFFLINE,
        "starts_at": _when(start),
        "ends_at": _when(start + datetime.timedelta(hours=2)),
        "place": "村委会",
        "agenda": "自由发言 30",
    }
    response = client.post(reverse("consultations:plan", args=[topic.pk]), data)
    page = response.content.decode()
    refused = EARLIEST.search(page)
    assert refused and refused.group(0)[:12] == warned[:12]
    assert f'<p class="field-error" role="alert">{refused.group(0)}</p>' in page
    assert not Consultation.objects.exists()


def test_the_edit_form_has_the_check_of_its_consultation(client, district, convener):
    consultation = planned(district, convener=convener)
    client.force_login(convener)
    url = reverse("consultations:start_check", args=[consultation.pk])
    page = client.get(reverse("consultations:edit", args=[consultation.pk])).content.decode()
    assert f'hx-get="{url}"' in page
    soon = _when(timezone.now() + datetime.timedelta(hours=5))
    assert EARLIEST.search(client.get(url, {"starts_at": soon}).content.decode())
    client.force_login(grant(make_user("neighbour"), Role.CONVENER, region=district["a2"]))
    assert client.get(url, {"starts_at": soon}).status_code == 404
