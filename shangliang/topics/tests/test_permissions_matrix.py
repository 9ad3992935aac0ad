"""The topic-stage permission matrix: each role × each action × (own, parent, sibling, other scope).

Village roles are held at 甲一村, township roles at 甲镇, the CPPCC office staff at the district; the
member sits on 甲一村's room and the liaison on 甲一村's village committee. The targets are records
convened at 甲一村 (own), at 甲镇 (parent: a topic concerning both its villages), at 甲二村
(a sibling village) and at 乙一村 (another township). A submission always names a village, so the
parent column of the submission actions is ``NA``.
"""

import pytest
from django.urls import reverse

from shangliang.orgs import services as org_services
from shangliang.orgs.states import PlatformKind, Role, UnitKind
from shangliang.orgs.tests.factories import grant, make_platform, make_user
from shangliang.topics import permissions
from shangliang.topics.models import Submission, Topic
from shangliang.topics.states import SubmissionStatus, TopicStatus
from shangliang.topics.tests.builders import accepted, pending, submit

pytestmark = pytest.mark.django_db

SCOPES = ("own", "parent", "sibling", "other")
Y, N, NA = True, False, None

# Who holds which role where: (role, region key | "platform" | "unit" | None).
ACTORS = {
    "village_convener": (Role.CONVENER, "a1"),
    "village_approver": (Role.APPROVER, "a1"),
    "township_station_head": (Role.STATION_HEAD, "a"),
    "township_approver": (Role.APPROVER, "a"),
    "township_administrator": (Role.ADMINISTRATOR, "a"),
    "township_supervisor": (Role.SUPERVISOR, "a"),
    "township_evaluator": (Role.EVALUATOR, "a"),
    "township_legal_reviewer": (Role.LEGAL_REVIEWER, "a"),
    "district_committee_staff": (Role.COMMITTEE_STAFF, "district"),
    "member": (Role.MEMBER, "platform"),
    "unit_liaison": (Role.UNIT_LIAISON, "unit"),
    "resident": (None, None),
}

# actor: {action: (own, parent, sibling, other)}
MATRIX = {
    "village_convener": {
        "view_submission": (Y, NA, N, N),
        "screen_submission": (Y, NA, N, N),
        "view_topic": (Y, Y, N, N),
        "edit_topic": (Y, N, N, N),
        "decide_topic": (N, N, N, N),
    },
    "village_approver": {
        "view_submission": (Y, NA, N, N),
        "screen_submission": (N, NA, N, N),
        "view_topic": (Y, Y, N, N),
        "edit_topic": (N, N, N, N),
        "decide_topic": (Y, N, N, N),
    },
    "township_station_head": {
        "view_submission": (Y, NA, Y, N),
        "screen_submission": (Y, NA, Y, N),
        "view_topic": (Y, Y, Y, N),
        "edit_topic": (Y, Y, Y, N),
        "decide_topic": (N, N, N, N),
    },
    "township_approver": {
        "view_submission": (Y, NA, Y, N),
        "screen_submission": (N, NA, N, N),
        "view_topic": (Y, Y, Y, N),
        "edit_topic": (N, N, N, N),
        "decide_topic": (N, Y, N, N),
    },
    "township_administrator": {
        "view_submission": (Y, NA, Y, N),
        "screen_submission": (N, NA, N, N),
        "view_topic": (Y, Y, Y, N),
        "edit_topic": (N, N, N, N),
        "decide_topic": (N, N, N, N),
    },
    "township_supervisor": {
        "view_submission": (Y, NA, Y, N),
        "screen_submission": (N, NA, N, N),
        "view_topic": (Y, Y, Y, N),
        "edit_topic": (N, N, N, N),
        "decide_topic": (N, N, N, N),
    },
    "township_evaluator": {
        "view_submission": (Y, NA, Y, N),
        "screen_submission": (N, NA, N, N),
        "view_topic": (Y, Y, Y, N),
        "edit_topic": (N, N, N, N),
        "decide_topic": (N, N, N, N),
    },
    # The township government's legal review reads consultation results, not the topic stage.
    "township_legal_reviewer": {
        "view_submission": (N, NA, N, N),
        "screen_submission": (N, NA, N, N),
        "view_topic": (N, N, N, N),
        "edit_topic": (N, N, N, N),
        "decide_topic": (N, N, N, N),
    },
    "district_committee_staff": {
        "view_submission": (Y, NA, Y, Y),
        "screen_submission": (Y, NA, Y, Y),
        "view_topic": (Y, Y, Y, Y),
        "edit_topic": (Y, Y, Y, Y),
        # The CPPCC committee decides only topics of sector rooms and member studios.
        "decide_topic": (N, N, N, N),
    },
    "member": {
        "view_submission": (N, NA, N, N),
        "screen_submission": (N, NA, N, N),
        "view_topic": (N, N, N, N),
        "edit_topic": (N, N, N, N),
        "decide_topic": (N, N, N, N),
    },
    "unit_liaison": {
        "view_submission": (N, NA, N, N),
        "screen_submission": (N, NA, N, N),
        "view_topic": (N, N, N, N),
        "edit_topic": (N, N, N, N),
        "decide_topic": (N, N, N, N),
    },
    "resident": {
        "view_submission": (N, NA, N, N),
        "screen_submission": (N, NA, N, N),
        "view_topic": (N, N, N, N),
        "edit_topic": (N, N, N, N),
        "decide_topic": (N, N, N, N),
    },
}

# Actions that do not depend on a record: who may record a staff submission, who may assign a topic.
UNSCOPED = {
    "record_submission": {"village_convener", "township_station_head", "district_committee_staff"},
    "assign_topic": {"village_approver", "township_approver", "township_administrator"},
}

PREDICATES = {
    "view_submission": (
        lambda user, s: permissions.submissions_visible_to(user).filter(pk=s.pk).exists(),
        "submission",
    ),
    # screen, merge, reply to and draft a topic from a submission
    "screen_submission": (permissions.can_screen_submission, "submission"),
    "view_topic": (lambda user, t: permissions.topics_visible_to(user).filter(pk=t.pk).exists(), "topic"),
    # edit, verify and submit a topic for approval
    "edit_topic": (permissions.can_edit_topic, "topic"),
    # approve, return or reject a pending topic
    "decide_topic": (permissions.can_approve_topic, "topic"),
}


@pytest.fixture
def world(district):
    a1, a2 = district["a1"], district["a2"]
    targets = {
        "own": {"submission": submit(a1, "甲一村路灯不亮"), "topic": pending(a1, "甲一村集镇停车")},
        "parent": {"submission": None, "topic": pending(a1, "甲镇两村共用水渠", regions=[a1, a2])},
        "sibling": {"submission": submit(a2, "甲二村垃圾清运"), "topic": pending(a2, "甲二村集镇停车")},
        "other": {
            "submission": submit(district["b1"], "乙一村道路破损"),
            "topic": pending(district["b1"], "乙一村停车"),
        },
    }
    assert [targets[s]["topic"].convening_region for s in SCOPES] == [a1, district["a"], a2, district["b1"]]
    platform = make_platform(a1)
    unit = org_services.unit_create(actor=None, name="甲一村村民委员会", kind=UnitKind.VILLAGE_COMMITTEE, region=a1)
    return {**district, "targets": targets, "platform": platform, "unit": unit}


def actor_for(name, world):
    role, where = ACTORS[name]
    user = make_user(name)
    if role is None:
        return user
    if where == "platform":
        return grant(user, role, platform=world["platform"])
    if where == "unit":
        return grant(user, role, unit=world["unit"])
    return grant(user, role, region=world[where])


def test_the_matrix_names_every_actor_and_action():
    assert set(MATRIX) == set(ACTORS)
    assert all(set(actions) == set(PREDICATES) for actions in MATRIX.values())
    assert {role for role, _where in ACTORS.values() if role} | {Role.RESIDENT} == set(Role.values)


@pytest.mark.parametrize("name", list(MATRIX))
def test_permission_matrix(world, name):
    user = actor_for(name, world)
    wrong = {}
    for action, (predicate, kind) in PREDICATES.items():
        for index, scope in enumerate(SCOPES):
            target = world["targets"][scope][kind]
            expected = MATRIX[name][action][index]
            if target is None:
                assert expected is NA, (action, scope)
                continue
            got = bool(predicate(user, target))
            if got is not expected:
                wrong[(action, scope)] = got
    for action, allowed in UNSCOPED.items():
        got = bool(getattr(permissions, f"can_{action}")(user))
        if got is not (name in allowed):
            wrong[(action, "any")] = got
    assert wrong == {}


def test_the_cppcc_committee_decides_the_topics_of_its_rooms_and_the_village_approver_does_not(world):
    sector_room = make_platform(world["a1"], name="经济界别协商议事室", kind=PlatformKind.SECTOR_ROOM)
    topic = pending(world["a1"], "界别协商选题", platform=sector_room)
    assert permissions.is_cppcc_topic(topic)
    assert permissions.can_approve_topic(actor_for("district_committee_staff", world), topic)
    assert not permissions.can_approve_topic(actor_for("village_approver", world), topic)
    assert not permissions.can_approve_topic(actor_for("township_approver", world), topic)


def test_a_superuser_may_do_everything_everywhere(world):
    root = make_user("root", is_superuser=True)
    for action, (predicate, kind) in PREDICATES.items():
        for scope in SCOPES:
            target = world["targets"][scope][kind]
            assert target is None or predicate(root, target), (action, scope)


# --- through HTTP: the sibling village's records answer 404 and stay as they were -----------


def _post(client, user, name, pk, data=None):
    client.force_login(user)
    return client.post(reverse(f"topics:{name}", args=[pk]), data or {})


def test_a_village_convener_gets_404_on_every_action_of_the_sibling_village_and_nothing_changes(client, world):
    convener = actor_for("village_convener", world)
    submission = world["targets"]["sibling"]["submission"]
    to_draft = accepted(world["a2"], "甲二村已受理的诉求")
    topic = Topic.objects.get(pk=world["targets"]["sibling"]["topic"].pk)
    client.force_login(convener)
    assert client.get(reverse("topics:submission_detail", args=[submission.pk])).status_code == 404
    assert client.get(reverse("topics:topic_detail", args=[topic.pk])).status_code == 404
    for name, pk, data in [
        ("submission_screen", submission.pk, {"eligible": "1"}),
        ("submission_reply", submission.pk, {"text": "已收到"}),
        ("topic_draft", to_draft.pk, None),
        ("topic_submit", topic.pk, None),
        ("topic_decide", topic.pk, {"decision": "approve"}),
    ]:
        assert _post(client, convener, name, pk, data).status_code == 404, name
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.SUBMITTED
    assert Submission.objects.get(pk=to_draft.pk).status == SubmissionStatus.ACCEPTED
    assert Topic.objects.get(pk=topic.pk).status == TopicStatus.PENDING
    assert not submission.replies.exists()


def test_the_same_requests_succeed_for_the_convener_of_that_village(client, world):
    """The refusal above is about scope: the sibling village's own convener gets through."""
    convener = grant(make_user("sibling_convener"), Role.CONVENER, region=world["a2"])
    submission = world["targets"]["sibling"]["submission"]
    to_draft = accepted(world["a2"], "甲二村已受理的诉求")
    assert _post(client, convener, "submission_screen", submission.pk, {"eligible": "1"}).status_code == 302
    assert _post(client, convener, "topic_draft", to_draft.pk).status_code == 302
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.ACCEPTED
    assert Submission.objects.get(pk=to_draft.pk).status == SubmissionStatus.DRAFTED


def test_approvers_of_another_level_get_404_on_decide_and_the_topic_stays_pending(client, world):
    parent_topic = world["targets"]["parent"]["topic"]
    own_topic = world["targets"]["own"]["topic"]
    village, township = actor_for("village_approver", world), actor_for("township_approver", world)
    assert _post(client, village, "topic_decide", parent_topic.pk, {"decision": "approve"}).status_code == 404
    assert _post(client, township, "topic_decide", own_topic.pk, {"decision": "approve"}).status_code == 404
    assert Topic.objects.get(pk=parent_topic.pk).status == TopicStatus.PENDING
    assert Topic.objects.get(pk=own_topic.pk).status == TopicStatus.PENDING
    assert _post(client, township, "topic_decide", parent_topic.pk, {"decision": "approve"}).status_code == 302
    assert Topic.objects.get(pk=parent_topic.pk).status == TopicStatus.APPROVED


def test_a_resident_is_refused_the_staff_pages_with_403(client, world):
    resident = actor_for("resident", world)
    submission = world["targets"]["own"]["submission"]
    client.force_login(resident)
    assert client.get(reverse("topics:submission_detail", args=[submission.pk])).status_code == 403
    assert _post(client, resident, "submission_screen", submission.pk, {"eligible": "1"}).status_code == 403
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.SUBMITTED
