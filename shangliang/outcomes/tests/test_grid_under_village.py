"""A grid's topic (村民小组/网格召集) is run by its village: the village's convener plans it on the village's
room, and its items are checked by its convener as a village's are (003: 人口较多的自然村、村民小组…召集协商)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations.models import Consultation, SessionFormat
from shangliang.consultations.states import Mode
from shangliang.orgs.states import RegionLevel, Role
from shangliang.orgs.tests.factories import grant, make_platform, make_user
from shangliang.outcomes import permissions as outcome_permissions
from shangliang.outcomes.tests.builders import assigned, concluded, make_unit
from shangliang.topics.states import ConveningLevel
from shangliang.topics.tests.builders import pending

pytestmark = pytest.mark.django_db


@pytest.fixture
def grid(district):
    return district["a1"].children.get(level=RegionLevel.GRID)


@pytest.fixture
def people(district):
    return {
        "convener": grant(make_user("convener"), Role.CONVENER, region=district["a1"]),
        "neighbour": grant(make_user("neighbour"), Role.CONVENER, region=district["a2"]),
        "secretary": grant(make_user("secretary"), Role.APPROVER, region=district["a1"]),
        "township_party": grant(make_user("township-party"), Role.APPROVER, region=district["a"]),
    }


def test_the_village_convener_plans_the_grid_topic_on_the_village_room(client, district, grid, people):
    topic = pending(district["a1"], "第一网格楼道杂物", regions=[grid])
    client.force_login(people["secretary"])
    client.post(reverse("topics:topic_decide", args=[topic.pk]), {"decision": "approve"})
    room = make_platform(district["a1"])
    url = reverse("consultations:plan", args=[topic.pk])
    client.force_login(people["neighbour"])
    assert client.get(url).status_code == 404
    client.force_login(people["convener"])
    assert room in client.get(url).context["form"].fields["platform"].queryset
    start = timezone.localtime() + datetime.timedelta(days=7)
    response = client.post(
        url,
        {
            "platform": room.pk,
            "session_format": SessionFormat.objects.get(name="居（村）民议事会").pk,
            "mode": Mode.OFFLINE,
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": "第一网格活动室",
            "agenda": "通报情况 10\n群众发言 45",
        },
    )
    consultation = Consultation.objects.get(topic=topic)
    assert response.status_code == 302 and consultation.platform == room
    assert consultation.convener == people["convener"]
    assert client.get(reverse("consultations:detail", args=[consultation.pk])).status_code == 200


def test_the_items_of_a_grid_consultation_are_checked_by_its_convener(district, grid, people):
    consultation = concluded(district, convener=people["convener"], regions=[grid])
    assert consultation.topic.convening_level == ConveningLevel.GRID
    item = assigned(consultation, unit=make_unit(district["district"]), actor=people["township_party"])
    assert outcome_permissions.is_village_item(item)
    assert outcome_permissions.can_check(people["convener"], item)
    assert not outcome_permissions.can_check(people["neighbour"], item)
