"""Issue 13, point 10: one action, one history row, with the regions concerned recorded in it.

Setting a tracked many-to-many field after the save used to add a second row with the same reason
(``core.records.set_many`` folds it into the save's row).
"""

import pytest
from django.urls import reverse

from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.topics import services
from shangliang.topics.tests.builders import accepted

pytestmark = pytest.mark.django_db


@pytest.fixture
def station_head(district):
    return grant(make_user("station"), Role.STATION_HEAD, region=district["a"])


def regions_of(row) -> set[int]:
    return set(row.regions.values_list("region_id", flat=True))


def test_drafting_a_topic_from_a_submission_writes_one_row_with_its_region(client, district, station_head):
    submission = accepted(district["a1"], screener=station_head)
    topic = services.topic_draft_from_submission(actor=station_head, submission=submission)

    [row] = topic.history.all()
    assert (row.history_type, row.history_change_reason, row.history_user) == ("+", "topic.drafted", station_head)
    assert regions_of(row) == {district["a1"].pk}

    client.force_login(station_head)
    page = client.get(reverse("topics:topic_detail", args=[topic.pk])).content.decode()
    assert page.count("拟定议题") == 1


def test_editing_a_draft_writes_one_row_with_the_new_regions(district, station_head):
    topic = services.topic_draft_from_submission(
        actor=station_head, submission=accepted(district["a1"], screener=station_head)
    )
    services.topic_update(
        actor=station_head,
        topic=topic,
        title=topic.title,
        background="背景",
        category=topic.category,
        is_livelihood=topic.is_livelihood,
        small_cut_reason="",
        regions=[district["a2"], district["a1"]],
        platform=topic.platform,
    )
    # Replacing a region (a removal and an addition) still gives one row.
    services.topic_update(
        actor=station_head,
        topic=topic,
        title="修改后的标题",
        background="背景",
        category=topic.category,
        is_livelihood=topic.is_livelihood,
        small_cut_reason="",
        regions=[district["a2"]],
        platform=topic.platform,
    )

    rows = list(topic.history.order_by("history_id"))
    assert [(r.history_type, r.history_change_reason) for r in rows] == [
        ("+", "topic.drafted"),
        ("~", "topic.updated"),
        ("~", "topic.updated"),
    ]
    assert [regions_of(r) for r in rows] == [
        {district["a1"].pk},
        {district["a1"].pk, district["a2"].pk},
        {district["a2"].pk},
    ]
    assert rows[2].title == "修改后的标题"
