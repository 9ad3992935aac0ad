"""Groups and grids convene their own matters under the village (003: 人口较多的自然村、村民小组…召集协商).

A topic whose regions all lie in one grid is convened at grid level; the village's convener drafts it and
the village's approver decides it. Planning it on the village's room and checking its items are tested in
``outcomes/tests/test_grid_under_village.py`` (this app may not import the later stages).
"""

import pytest
from django.urls import reverse

from shangliang.orgs.states import RegionLevel, Role
from shangliang.orgs.tests.factories import grant, make_region, make_user
from shangliang.topics.selectors import topics_to_approve
from shangliang.topics.states import ConveningLevel, TopicStatus
from shangliang.topics.tests.builders import drafted, pending

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
        "neighbour_party": grant(make_user("neighbour-party"), Role.APPROVER, region=district["a2"]),
        "township_party": grant(make_user("township-party"), Role.APPROVER, region=district["a"]),
    }


def test_a_matter_of_one_grid_is_convened_at_grid_level_else_at_the_village(district, grid):
    topic = drafted(district["a1"], regions=[grid])
    assert (topic.convening_level, topic.convening_region) == (ConveningLevel.GRID, grid)
    second = make_region("甲一村第二网格", RegionLevel.GRID, district["a1"])
    topic = drafted(district["a1"], "两个网格", regions=[grid, second])
    assert (topic.convening_level, topic.convening_region) == (ConveningLevel.VILLAGE, district["a1"])
    topic = drafted(district["a1"], "网格和全村", regions=[grid, district["a1"]])
    assert (topic.convening_level, topic.convening_region) == (ConveningLevel.VILLAGE, district["a1"])


def test_the_village_convener_drafts_the_grid_topic_through_the_page(client, district, grid, people):
    topic = drafted(district["a1"], actor=people["convener"])
    client.force_login(people["convener"])
    data = {
        "title": topic.title,
        "background": "第一网格楼道堆放杂物",
        "category": topic.category_id,
        "urgency": topic.urgency,
        "weight": topic.weight,
        "small_cut_reason": "",
        "regions": [grid.pk],
    }
    response = client.post(reverse("topics:topic_edit", args=[topic.pk]), data)
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.convening_level == ConveningLevel.GRID and topic.convening_region == grid
    page = client.get(reverse("topics:topic_detail", args=[topic.pk])).content.decode()
    assert "村民小组/网格召集" in page and grid.name in page
    client.force_login(people["neighbour"])
    assert client.get(reverse("topics:topic_edit", args=[topic.pk])).status_code == 404


def test_the_village_approver_decides_a_grid_topic_and_others_are_refused(client, district, grid, people):
    topic = pending(district["a1"], "第一网格楼道杂物", regions=[grid])
    assert [t.title for t in topics_to_approve(people["secretary"])] == ["第一网格楼道杂物"]
    url = reverse("topics:topic_decide", args=[topic.pk])
    for name in ("township_party", "neighbour_party", "convener"):
        client.force_login(people[name])
        assert client.post(url, {"decision": "approve"}).status_code == 404, name
        assert not topics_to_approve(people[name]).exists(), name
    client.force_login(people["secretary"])
    assert client.post(url, {"decision": "approve"}).status_code == 302
    topic.refresh_from_db()
    assert topic.status == TopicStatus.APPROVED and topic.decided_by == people["secretary"]
