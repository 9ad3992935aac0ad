"""镇村联动, upward: a village topic handed up to the township, which drafts, approves and convenes it."""

import pytest
from django.urls import reverse

from shangliang.core.errors import DomainError
from shangliang.orgs.states import PlatformKind, Role
from shangliang.orgs.tests.factories import grant, make_platform, make_user
from shangliang.topics import linkage, services
from shangliang.topics.models import Submission, Topic, TopicFollow, TopicSupport
from shangliang.topics.states import ConveningLevel, TopicStatus, Urgency, Weight
from shangliang.topics.tests.builders import approved, drafted, pending

pytestmark = pytest.mark.django_db

REASON = "涉及甲一村、甲二村两村共用的排水渠，村级协商无法解决"


@pytest.fixture
def people(district):
    return {
        "convener": grant(make_user("convener_a1", full_name="李召集"), Role.CONVENER, region=district["a1"]),
        "other_convener": grant(make_user("convener_a2"), Role.CONVENER, region=district["a2"]),
        "station_head": grant(make_user("head_a", full_name="林站长"), Role.STATION_HEAD, region=district["a"]),
        "approver": grant(make_user("approver_a"), Role.APPROVER, region=district["a"]),
        "other_head": grant(make_user("head_b"), Role.STATION_HEAD, region=district["b"]),
    }


@pytest.fixture
def room(district):
    return make_platform(district["a"], name="甲镇协商议事室", kind=PlatformKind.TOWNSHIP_ROOM)


@pytest.fixture
def village_topic(district, people):
    topic = drafted(district["a1"], "排水渠堵塞", actor=people["convener"])
    topic.urgency, topic.weight, topic.meets_public_wishes = Urgency.URGENT, Weight.MAJOR, True
    topic.save()
    return topic


def login(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def escalate_url(topic):
    return reverse("topics:topic_escalate", args=[topic.pk])


def topic_url(topic):
    return reverse("topics:topic_detail", args=[topic.pk])


# --- the service ------------------------------------------------------------------------------


def test_escalation_drafts_the_township_topic_and_marks_the_village_one(district, people, room, village_topic):
    submission = village_topic.submissions.get()
    supporter, follower = make_user(), make_user()
    TopicSupport.objects.create(topic=village_topic, user=supporter)
    TopicFollow.objects.create(topic=village_topic, user=follower)

    received = linkage.topic_escalate(actor=people["convener"], topic=village_topic, reason=REASON)

    assert received.status == TopicStatus.DRAFT
    assert received.convening_region == district["a"]
    assert received.convening_level == ConveningLevel.TOWNSHIP
    assert received.platform == room
    assert received.escalated_from == village_topic
    assert received.drafted_by == people["convener"]
    assert (received.title, received.background, received.category) == (
        village_topic.title,
        village_topic.background,
        village_topic.category,
    )
    assert (received.urgency, received.weight, received.meets_public_wishes) == (Urgency.URGENT, Weight.MAJOR, True)
    assert list(received.regions.all()) == [district["a1"]]
    village_topic.refresh_from_db()
    assert village_topic.status == TopicStatus.ESCALATED
    assert village_topic.escalated_at is not None
    assert village_topic.escalation_reason == REASON
    assert village_topic.escalated_to == received
    # The people of the village topic follow the township topic.
    submission.refresh_from_db()
    assert submission.topic == received
    assert TopicSupport.objects.filter(topic=received, user=supporter).exists()
    assert TopicSupport.objects.filter(topic=received, submission=submission).exists()
    assert TopicFollow.objects.filter(topic=received, user=follower).exists()
    # Each record says what happened, with the reason given.
    last = village_topic.history.order_by("-history_date", "-history_id").first()
    assert (last.history_change_reason, last.history_note) == ("topic.escalated", REASON)
    assert received.history.order_by("history_date").first().history_change_reason == "topic.escalation_received"
    assert submission.history.order_by("-history_date").first().history_change_reason == "submission.escalated"


def test_a_township_without_a_room_gets_a_topic_without_a_platform(district, people, village_topic):
    received = linkage.topic_escalate(actor=people["convener"], topic=village_topic, reason=REASON)
    assert received.platform is None


def test_a_grid_topic_goes_up_to_the_township_above_its_village(district, people, room):
    grid = district["a1"].children.get()
    topic = drafted(district["a1"], "楼道堆物", actor=people["convener"], regions=[grid])
    assert topic.convening_level == ConveningLevel.GRID
    received = linkage.topic_escalate(actor=people["convener"], topic=topic, reason=REASON)
    assert (received.convening_region, received.convening_level) == (district["a"], ConveningLevel.TOWNSHIP)
    assert list(received.regions.all()) == [grid]


def test_a_reason_is_required(people, village_topic):
    with pytest.raises(DomainError) as refused:
        linkage.topic_escalate(actor=people["convener"], topic=village_topic, reason="  ")
    assert refused.value.field == "reason"
    village_topic.refresh_from_db()
    assert village_topic.status == TopicStatus.DRAFT
    assert not Topic.objects.filter(escalated_from=village_topic).exists()


@pytest.mark.parametrize("build", [pending, approved])
def test_pending_and_approved_village_topics_may_be_escalated(district, people, build):
    topic = build(district["a1"], "路灯不亮")
    received = linkage.topic_escalate(actor=people["convener"], topic=topic, reason=REASON)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.ESCALATED
    assert received.status == TopicStatus.DRAFT


def test_township_rejected_and_already_escalated_topics_are_refused(district, people, village_topic):
    township_topic = drafted(district["a1"], "两村道路", regions=[district["a1"], district["a2"]])
    assert township_topic.convening_level == ConveningLevel.TOWNSHIP
    with pytest.raises(DomainError, match="只有村（社区）或村民小组"):
        linkage.topic_escalate(actor=people["station_head"], topic=township_topic, reason=REASON)
    rejected = services.topic_reject(actor=people["approver"], topic=pending(district["a1"], "广场舞"), note="不宜")
    with pytest.raises(DomainError, match="不予审定"):
        linkage.topic_escalate(actor=people["convener"], topic=rejected, reason=REASON)
    linkage.topic_escalate(actor=people["convener"], topic=village_topic, reason=REASON)
    with pytest.raises(DomainError, match="已提请"):
        linkage.topic_escalate(actor=people["convener"], topic=village_topic, reason=REASON)


# --- through the pages ------------------------------------------------------------------------


def test_village_convener_escalates_station_drafts_and_township_approves(client, district, people, room, village_topic):
    submission = village_topic.submissions.get()
    convener = login(client, people["convener"])
    page = text(convener.get(topic_url(village_topic)))
    assert escalate_url(village_topic) in page

    refused = convener.post(escalate_url(village_topic), {"reason": ""})
    assert refused.status_code == 400
    assert "请写明提请乡镇（街道）协商的理由" in text(refused)

    response = convener.post(escalate_url(village_topic), {"reason": REASON})
    received = Topic.objects.get(escalated_from=village_topic)
    assert response.status_code == 302
    assert response["Location"] == topic_url(received)
    # Both pages link to each other; the village one says where it went.
    village_page = text(convener.get(topic_url(village_topic)))
    assert "已提请乡镇（街道）协商" in village_page
    assert topic_url(received) in village_page
    assert escalate_url(village_topic) not in village_page
    township_page = text(convener.get(topic_url(received)))
    assert "本议题由甲一村提请乡镇（街道）协商" in township_page
    assert topic_url(village_topic) in township_page
    assert REASON in township_page

    # The township's station finds it on its home page, verifies it and submits it.
    client.logout()
    head = login(client, people["station_head"])
    home = text(head.get(reverse("portal:home")))
    assert "村（社区）提请的议题" in home
    assert topic_url(received) in home
    head.post(
        reverse("topics:verification_add", args=[received.pk]),
        {"checked_by": "林站长", "checked_on": "2026-03-02", "findings": "两村排水渠共用，堵塞属实"},
    )
    head.post(reverse("topics:topic_submit", args=[received.pk]))
    received.refresh_from_db()
    assert received.status == TopicStatus.PENDING
    assert "村（社区）提请的议题" not in text(head.get(reverse("portal:home")))

    # The township's approver decides it.
    client.logout()
    approver = login(client, people["approver"])
    response = approver.post(reverse("topics:topic_decide", args=[received.pk]), {"decision": "approve", "note": ""})
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.status == TopicStatus.APPROVED

    # The resident's track page says it went to the township and follows the township topic.
    client.logout()
    track = text(client.get(reverse("topics:track_detail", args=[submission.tracking_code])))
    assert "已提请乡镇（街道）协商" in track
    assert "甲镇" in track
    assert reverse("topics:pool_topic", args=[received.pk]) in track
    assert "李召集" not in track and "林站长" not in track
    # The village topic's old public address leads to the township topic.
    old_address = client.get(reverse("topics:pool_topic", args=[village_topic.pk]))
    assert old_address.status_code == 302
    assert old_address["Location"] == reverse("topics:pool_topic", args=[received.pk])


def test_track_page_while_the_township_drafts(client, district, people, village_topic):
    submission = village_topic.submissions.get()
    linkage.topic_escalate(actor=people["convener"], topic=village_topic, reason=REASON)
    page = text(client.get(reverse("topics:track_detail", args=[submission.tracking_code])))
    assert "已提请乡镇（街道）协商，由乡镇（街道）核实情况、拟定议题并审定。" in page
    assert "提请乡镇（街道）协商" in page
    # The reason is the staff's own words, not shown on the public page.
    assert REASON not in page


def test_another_village_convener_and_another_township_are_refused(client, district, people, village_topic):
    for user in (people["other_convener"], people["other_head"]):
        client.force_login(user)
        assert client.get(escalate_url(village_topic)).status_code == 404
        assert client.post(escalate_url(village_topic), {"reason": REASON}).status_code == 404
    village_topic.refresh_from_db()
    assert village_topic.status == TopicStatus.DRAFT


def test_township_station_head_may_escalate_a_village_topic(client, district, people, village_topic):
    response = login(client, people["station_head"]).post(escalate_url(village_topic), {"reason": REASON})
    assert response.status_code == 302
    assert Topic.objects.get(escalated_from=village_topic).drafted_by == people["station_head"]


def test_topic_lists_show_the_escalated_status(client, district, people, village_topic):
    linkage.topic_escalate(actor=people["convener"], topic=village_topic, reason=REASON)
    page = text(login(client, people["convener"]).get(reverse("topics:queue") + "?tab=topics"))
    assert "已提请乡镇协商" in page


def test_submissions_of_the_village_topic_no_longer_wait_with_the_village(district, people, village_topic):
    received = linkage.topic_escalate(actor=people["convener"], topic=village_topic, reason=REASON)
    assert set(Submission.objects.filter(topic=received)) == set(Submission.objects.filter(title="排水渠堵塞"))
    assert not Submission.objects.filter(topic=village_topic).exists()


def test_the_township_station_is_told_at_once_and_no_other_station(district, people, village_topic):
    from shangliang.core.models import Notification

    received = linkage.topic_escalate(actor=people["convener"], topic=village_topic, reason=REASON)
    told = Notification.objects.filter(user=people["station_head"], title__contains="【村（社区）提请】")
    assert told.count() == 1
    message = told.get()
    assert received.title in message.title and "甲一村提请甲镇协商" in message.body and REASON in message.body
    assert message.url == topic_url(received)
    assert not Notification.objects.filter(user=people["other_head"]).exists()
    assert not Notification.objects.filter(user=people["convener"], title__contains="提请").exists()
