"""Approval routed as each district rules (001: 经同级或上级党委会讨论通过; 002: 报区政协相关专委会确定).

A district's rules say who approves topics of each platform kind and convening level; the approval
records the party committee meeting when the rule asks for it, and whether the matter is wide-reaching.
Each setting approves with the right account and refuses the others, through the decision form.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shangliang.core.errors import DomainError
from shangliang.core.records import save_record
from shangliang.orgs.states import PlatformKind, Role
from shangliang.orgs.tests.factories import grant, make_platform, make_region, make_user
from shangliang.topics import permissions, routing, services
from shangliang.topics.models import ApprovalRoute, Topic
from shangliang.topics.selectors import topics_to_approve, waiting_counts
from shangliang.topics.states import ApprovalRouteKind, ConveningLevel, TopicStatus
from shangliang.topics.tests.builders import pending

pytestmark = pytest.mark.django_db

SAME, HIGHER, CPPCC = ApprovalRouteKind.SAME_LEVEL, ApprovalRouteKind.SAME_OR_HIGHER, ApprovalRouteKind.CPPCC_COMMITTEE
MEETING = {
    "party_meeting_on": "2026-03-02",
    "party_meeting_name": "甲镇党委会第12次会议",
    "party_meeting_ref": "甲党纪〔2026〕12号",
}


@pytest.fixture
def people(district):
    return {
        "secretary": grant(make_user("secretary"), Role.APPROVER, region=district["a1"]),
        "township_party": grant(make_user("township-party"), Role.APPROVER, region=district["a"]),
        "other_party": grant(make_user("other-party"), Role.APPROVER, region=district["b"]),
        "district_party": grant(make_user("district-party"), Role.APPROVER, region=district["district"]),
        "cppcc": grant(make_user("cppcc"), Role.COMMITTEE_STAFF, region=district["district"]),
        "convener": grant(make_user("convener"), Role.CONVENER, region=district["a1"]),
    }


def rule(district, route, *, kind="", level="", meeting=False) -> ApprovalRoute:
    return save_record(
        ApprovalRoute(
            district=district["district"],
            platform_kind=kind,
            convening_level=level,
            route=route,
            party_meeting_required=meeting,
        ),
        actor=None,
        reason="approval_route.set",
    )


def decide(client, user, topic, data=None):
    client.force_login(user)
    return client.post(reverse("topics:topic_decide", args=[topic.pk]), {"decision": "approve", **(data or {})})


def assert_only(client, topic, people, allowed, refused):
    for name in refused:
        assert decide(client, people[name], topic).status_code == 404, name
        topic.refresh_from_db()
        assert topic.status == TopicStatus.PENDING, name
    assert decide(client, people[allowed], topic).status_code == 302
    topic.refresh_from_db()
    assert topic.status == TopicStatus.APPROVED and topic.decided_by == people[allowed]


# --- each setting: the right account approves, the others are refused ---------------------------


def test_same_level_the_village_party_organisation_approves_and_the_township_is_refused(client, district, people):
    rule(district, SAME, level=ConveningLevel.VILLAGE)
    topic = pending(district["a1"])
    assert_only(client, topic, people, "secretary", ["township_party", "district_party", "other_party", "cppcc"])


def test_same_or_higher_the_township_approves_a_village_topic_another_township_is_refused(client, district, people):
    rule(district, HIGHER)
    topic = pending(district["a1"])
    assert_only(client, topic, people, "township_party", ["other_party", "cppcc", "convener"])
    # The village's own party organisation and the district's decide under this rule as well.
    for name in ("secretary", "district_party"):
        other = pending(district["a1"], f"{name}的议题")
        assert decide(client, people[name], other).status_code == 302, name
    # A township topic is not decided by a village below it.
    township_topic = pending(district["a1"], "两村的事", regions=[district["a1"], district["a2"]])
    assert_only(client, township_topic, people, "township_party", ["secretary", "other_party"])


def test_cppcc_committee_decides_station_topics_and_the_party_organisation_is_refused(client, district, people):
    rule(district, CPPCC, kind=PlatformKind.TOWNSHIP_ROOM)
    station = make_platform(district["a"])
    topic = pending(district["a1"], platform=station)
    assert_only(client, topic, people, "cppcc", ["secretary", "township_party", "district_party"])
    # Another township's CPPCC liaison staff does not cover 甲镇.
    other_staff = grant(make_user("other-cppcc"), Role.COMMITTEE_STAFF, region=district["b"])
    second = pending(district["a1"], "第二个", platform=station)
    assert decide(client, other_staff, second).status_code == 404
    # A topic of the village room is still the village's (the rule names township rooms only).
    village_topic = pending(district["a1"], "村里的事", platform=make_platform(district["a1"]))
    assert_only(client, village_topic, people, "secretary", ["cppcc"])


def test_without_rules_the_sector_room_goes_to_the_committee_and_the_rest_to_the_same_level(district, people):
    sector = make_platform(district["a"], name="经济界协商议事室", kind=PlatformKind.SECTOR_ROOM)
    assert routing.route_for(pending(district["a1"], platform=sector)) == (CPPCC, False)
    assert routing.route_for(pending(district["a1"], "二")) == (SAME, False)


def test_the_district_may_send_sector_rooms_to_the_party_organisation(client, district, people):
    rule(district, SAME, kind=PlatformKind.SECTOR_ROOM)
    sector = make_platform(district["a"], name="经济界协商议事室", kind=PlatformKind.SECTOR_ROOM)
    topic = pending(district["a1"], platform=sector)
    assert_only(client, topic, people, "secretary", ["cppcc", "township_party"])


# --- specificity ---------------------------------------------------------------------------------


def test_the_most_specific_rule_applies(district, people):
    room = make_platform(district["a1"])
    studio = make_platform(district["a"], name="委员工作室", kind=PlatformKind.MEMBER_STUDIO)
    plain = pending(district["a1"], "无平台")
    on_room = pending(district["a1"], "村议事室", platform=room)
    on_studio = pending(district["a1"], "工作室", platform=studio)
    township = pending(district["a1"], "两村", regions=[district["a1"], district["a2"]])

    rule(district, HIGHER)  # any kind, any level
    assert [routing.route_for(t)[0] for t in (plain, on_room, on_studio, township)] == [HIGHER] * 4
    rule(district, SAME, level=ConveningLevel.VILLAGE, meeting=True)  # any kind, village level
    assert routing.route_for(plain) == (SAME, True)
    assert routing.route_for(township) == (HIGHER, False)
    village_room_rule = rule(district, CPPCC, kind=PlatformKind.VILLAGE_ROOM)  # this kind, any level
    assert routing.route_for(on_room) == (CPPCC, False)
    assert routing.route_for(plain) == (SAME, True), "a topic without a platform matches only blank kinds"
    rule(district, HIGHER, kind=PlatformKind.VILLAGE_ROOM, level=ConveningLevel.VILLAGE, meeting=True)
    assert routing.route_for(on_room) == (HIGHER, True)
    assert routing.route_for(on_studio) == (SAME, True), "the studio's own kind has no rule: the level's rule"

    # An archived rule no longer applies; another district's rules never do.
    village_room_rule.is_archived, village_room_rule.archived_at = True, timezone.now()
    save_record(village_room_rule, actor=None, reason="approval_route.set")
    other = make_region("邻区", "district", code="110102000000")
    save_record(ApprovalRoute(district=other, route=CPPCC), actor=None, reason="approval_route.set")
    assert routing.route_for(township) == (HIGHER, False)


# --- the party committee meeting and the hearing flag ------------------------------------------


def test_a_meeting_record_is_required_when_the_rule_asks_and_shown_on_the_page(client, district, people):
    rule(district, SAME, meeting=True)
    topic = pending(district["a1"])
    client.force_login(people["secretary"])
    page = client.get(reverse("topics:topic_detail", args=[topic.pk])).content.decode()
    assert "须经党委会讨论通过" in page and 'name="party_meeting_ref"' in page

    response = decide(client, people["secretary"], topic)
    assert response.status_code == 400
    errors = response.context["decision_form"].errors
    assert set(errors) == {"party_meeting_on", "party_meeting_name", "party_meeting_ref"}
    topic.refresh_from_db()
    assert topic.status == TopicStatus.PENDING

    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = decide(client, people["secretary"], topic, {**MEETING, "party_meeting_on": tomorrow})
    assert response.status_code == 400
    assert "不能晚于今天" in str(response.context["decision_form"].errors["party_meeting_on"])

    response = decide(client, people["secretary"], topic, {**MEETING, "needs_hearing": "on"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.status == TopicStatus.APPROVED and topic.needs_hearing
    assert topic.party_meeting_on == datetime.date(2026, 3, 2)
    assert (topic.party_meeting_name, topic.party_meeting_ref) == (MEETING["party_meeting_name"], "甲党纪〔2026〕12号")
    row = topic.history.latest("history_date")
    assert row.history_change_reason == "topic.approved" and row.party_meeting_ref == "甲党纪〔2026〕12号"

    page = client.get(reverse("topics:topic_detail", args=[topic.pk])).content.decode()
    assert "甲镇党委会第12次会议" in page and "甲党纪〔2026〕12号" in page and "2026-03-02" in page
    assert "是，须采用听证会等形式" in page


def test_the_service_refuses_an_approval_without_the_meeting_whatever_calls_it(district, people):
    rule(district, SAME, level=ConveningLevel.VILLAGE, meeting=True)
    topic = pending(district["a1"])
    with pytest.raises(DomainError) as refused:
        services.topic_approve(actor=people["secretary"], topic=topic, party_meeting_name="村党支部会")
    assert refused.value.field == "party_meeting_on"
    with pytest.raises(DomainError) as refused:
        services.topic_approve(actor=people["secretary"], topic=topic, party_meeting_on=datetime.date(2026, 3, 1))
    assert refused.value.field == "party_meeting_name"
    assert Topic.objects.get(pk=topic.pk).status == TopicStatus.PENDING
    services.topic_approve(
        actor=people["secretary"],
        topic=topic,
        party_meeting_on=datetime.date(2026, 3, 1),
        party_meeting_name="村党支部会",
        party_meeting_ref="2026-3",
    )
    assert Topic.objects.get(pk=topic.pk).status == TopicStatus.APPROVED


def test_without_the_requirement_the_meeting_is_optional_and_the_hearing_flag_is_saved(client, district, people):
    topic = pending(district["a1"])
    assert decide(client, people["secretary"], topic).status_code == 302
    topic.refresh_from_db()
    assert topic.status == TopicStatus.APPROVED and not topic.needs_hearing and topic.party_meeting_on is None
    page = client.get(reverse("topics:topic_detail", args=[topic.pk])).content.decode()
    assert 'id="party-meeting"' not in page and "是，须采用听证会等形式" not in page
    second = pending(district["a1"], "第二个")
    assert decide(client, people["secretary"], second, {"needs_hearing": "on"}).status_code == 302
    second.refresh_from_db()
    assert second.needs_hearing


# --- the queue -------------------------------------------------------------------------------


def _mixed_topics(district):
    station = make_platform(district["a"])
    sector = make_platform(district["a"], name="经济界协商议事室", kind=PlatformKind.SECTOR_ROOM)
    grid = district["a1"].children.get()
    return [
        pending(district["a1"], "村里的事"),
        pending(district["a1"], "村里议事室的事", platform=make_platform(district["a1"])),
        pending(district["a1"], "网格的事", regions=[grid]),
        pending(district["a1"], "镇站的事", platform=station),
        pending(district["a1"], "界别的事", platform=sector),
        pending(district["a2"], "甲二村的事"),
        pending(district["b1"], "乙一村的事"),
        pending(district["a1"], "甲镇两村", regions=[district["a1"], district["a2"]]),
        pending(district["a1"], "跨镇", regions=[district["a1"], district["b1"]]),
    ]


@pytest.mark.parametrize(
    "rules",
    [
        [],
        [(HIGHER, "", "")],
        [(HIGHER, "", ConveningLevel.VILLAGE), (CPPCC, PlatformKind.TOWNSHIP_ROOM, "")],
        [(SAME, "", ""), (HIGHER, PlatformKind.VILLAGE_ROOM, ConveningLevel.VILLAGE), (HIGHER, "", "grid")],
        [(CPPCC, "", ConveningLevel.TOWNSHIP), (SAME, PlatformKind.SECTOR_ROOM, "")],
    ],
)
def test_the_queue_lists_exactly_what_the_user_may_approve(district, people, rules):
    for route, kind, level in rules:
        rule(district, route, kind=kind, level=level)
    topics = _mixed_topics(district)
    for name, user in people.items():
        user._scoped_roles_cache = None
        expected = {t.title for t in topics if permissions.can_approve_topic(user, t)}
        assert {t.title for t in topics_to_approve(user)} == expected, name
        assert waiting_counts(user).to_approve == len(expected), name


def test_the_queue_and_home_page_use_the_same_number_of_queries_for_few_and_many_topics(client, district, people):
    rule(district, HIGHER, level=ConveningLevel.VILLAGE)
    rule(district, CPPCC, kind=PlatformKind.TOWNSHIP_ROOM)
    user = grant(people["township_party"], Role.COMMITTEE_STAFF, region=district["a"])
    client.force_login(user)
    station = make_platform(district["a"])

    def add(n):
        for i in range(n):
            pending(district["a1"], f"村事{i}")
            pending(district["a2"], f"站事{i}", platform=station)

    def count(url):
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    queue, home = reverse("topics:queue") + "?tab=approve", reverse("portal:home")
    add(2)
    few = count(queue), count(home)
    add(15)
    assert (count(queue), count(home)) == few
    response = client.get(queue)
    assert response.context["page"].paginator.count == 34


def test_the_administrator_sets_a_rule_in_the_admin_and_archives_it(client, district, people):
    admin = make_user("root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    data = {
        "district": district["district"].pk,
        "platform_kind": "",
        "convening_level": ConveningLevel.VILLAGE,
        "route": HIGHER,
        "party_meeting_required": "on",
    }
    assert client.post(reverse("admin:topics_approvalroute_add"), data).status_code == 302
    route = ApprovalRoute.objects.get()
    assert routing.route_for(pending(district["a1"])) == (HIGHER, True)
    listing = client.get(reverse("admin:topics_approvalroute_changelist")).content.decode()
    assert "同级或上级党组织审定" in listing
    # The same case twice is refused; an archived rule stops applying and frees its place.
    assert client.post(reverse("admin:topics_approvalroute_add"), data).status_code == 200
    change = reverse("admin:topics_approvalroute_change", args=[route.pk])
    assert client.post(change, {**data, "is_archived": "on"}).status_code == 302
    route.refresh_from_db()
    assert route.archived_at is not None
    assert routing.route_for(pending(district["a1"], "二")) == (SAME, False)
    assert client.post(reverse("admin:topics_approvalroute_add"), data).status_code == 302
    assert client.get(reverse("admin:topics_approvalroute_history", args=[route.pk])).status_code == 200
