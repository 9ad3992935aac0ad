"""The consultation permission matrix: each role × each action × (own, parent, sibling, other scope).

Village roles are held at 甲一村, township roles at 甲镇, the CPPCC office staff at the district; the
member sits on the room of the own consultation and the liaison on 甲一村's village committee. For
each scope there is an approved topic waiting for a plan and a notified consultation, convened at
甲一村 (own), at 甲镇 (parent: a topic concerning both its villages), at 甲二村 (a sibling village)
and at 乙一村 (another township). Running a consultation (participants, research, notice, opening
and closing the session, minutes, the resolution, cancelling) is one permission: ``run``.
"""

import pytest
from django.urls import reverse

from shangliang.consultations import permissions
from shangliang.consultations.models import Consultation
from shangliang.consultations.states import ConsultationStatus
from shangliang.consultations.tests.builders import notified, researched, starting_soon
from shangliang.orgs import services as org_services
from shangliang.orgs.states import Role, UnitKind
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.topics.tests.builders import approved

pytestmark = pytest.mark.django_db

SCOPES = ("own", "parent", "sibling", "other")
Y, N = True, False

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

NOTHING = {"plan": (N, N, N, N), "view": (N, N, N, N), "run": (N, N, N, N), "review": (N, N, N, N)}
# A reader of the region sees its consultations but does not run them.
TOWNSHIP_READER = {"plan": (N, N, N, N), "view": (Y, Y, Y, N), "run": (N, N, N, N), "review": (N, N, N, N)}

# actor: {action: (own, parent, sibling, other)}
MATRIX = {
    # A village sees only consultations convened at the village; the township's consultation on a
    # topic concerning the village is the township's.
    "village_convener": {"plan": (Y, N, N, N), "view": (Y, N, N, N), "run": (Y, N, N, N), "review": (N, N, N, N)},
    "village_approver": {"plan": (N, N, N, N), "view": (Y, N, N, N), "run": (N, N, N, N), "review": (N, N, N, N)},
    "township_station_head": {
        "plan": (Y, Y, Y, N),
        "view": (Y, Y, Y, N),
        "run": (Y, Y, Y, N),
        "review": (N, N, N, N),
    },
    "township_approver": TOWNSHIP_READER,
    "township_administrator": TOWNSHIP_READER,
    "township_supervisor": TOWNSHIP_READER,
    "township_evaluator": TOWNSHIP_READER,
    # The township government's legal review (consultations/legal.py) covers the township's consultations; the
    # service takes only the village ones. The reviewer neither reads nor runs the consultation pages.
    "township_legal_reviewer": {**NOTHING, "review": (Y, Y, Y, N)},
    "district_committee_staff": {
        "plan": (Y, Y, Y, Y),
        "view": (Y, Y, Y, Y),
        "run": (Y, Y, Y, Y),
        "review": (N, N, N, N),
    },
    "member": NOTHING,
    "unit_liaison": NOTHING,
    "resident": NOTHING,
}

PREDICATES = {
    "plan": (permissions.can_plan_consultation, "topic"),
    "view": (lambda user, c: permissions.consultations_visible_to(user).filter(pk=c.pk).exists(), "consultation"),
    "run": (permissions.can_run_consultation, "consultation"),
    "review": (permissions.can_review_legality, "consultation"),
}


def _notified_at(region, title, **kwargs):
    # The builder plans at ``district["a1"]``; hand it the region wanted under that key.
    return notified({"a1": region}, title=title, **kwargs)


@pytest.fixture
def world(district):
    a1, a2, b1 = district["a1"], district["a2"], district["b1"]
    targets = {
        "own": {"topic": approved(a1, "甲一村路灯"), "consultation": _notified_at(a1, "甲一村停车")},
        "parent": {
            "topic": approved(a1, "甲镇两村水渠", regions=[a1, a2]),
            "consultation": _notified_at(a1, "甲镇两村道路", regions=[a1, a2]),
        },
        "sibling": {"topic": approved(a2, "甲二村路灯"), "consultation": _notified_at(a2, "甲二村停车")},
        "other": {"topic": approved(b1, "乙一村路灯"), "consultation": _notified_at(b1, "乙一村停车")},
    }
    regions = [a1, district["a"], a2, b1]
    assert [targets[s]["topic"].convening_region for s in SCOPES] == regions
    assert [targets[s]["consultation"].topic.convening_region for s in SCOPES] == regions
    unit = org_services.unit_create(actor=None, name="甲一村村民委员会", kind=UnitKind.VILLAGE_COMMITTEE, region=a1)
    return {**district, "targets": targets, "platform": targets["own"]["consultation"].platform, "unit": unit}


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
            got = bool(predicate(user, world["targets"][scope][kind]))
            if got is not MATRIX[name][action][index]:
                wrong[(action, scope)] = got
    assert wrong == {}


@pytest.mark.parametrize("name", list(MATRIX))
def test_the_plannable_topics_query_agrees_with_the_plan_predicate(world, name):
    user = actor_for(name, world)
    plannable = set(permissions.topics_plannable_by(user).values_list("pk", flat=True))
    for index, scope in enumerate(SCOPES):
        assert (world["targets"][scope]["topic"].pk in plannable) is MATRIX[name]["plan"][index], scope


def test_a_superuser_may_do_everything_everywhere(world):
    root = make_user("root", is_superuser=True)
    for action, (predicate, kind) in PREDICATES.items():
        for scope in SCOPES:
            assert predicate(root, world["targets"][scope][kind]), (action, scope)


def test_a_topic_that_is_not_approved_cannot_be_planned_by_anyone(world):
    topic = world["targets"]["own"]["topic"]
    topic.status = "pending"
    for user in [actor_for("village_convener", world), make_user("root", is_superuser=True)]:
        assert not permissions.can_plan_consultation(user, topic)


# --- through HTTP ---------------------------------------------------------------------------

RUNNING = [
    ("participant_add", {"category": "resident", "name": "王五"}),
    ("research_add", {"researchers": "林站长", "place": "村口", "findings": "属实"}),
    ("notice", {}),
    ("session_open", {}),
    ("session_close", {}),
    ("minutes", {"action": "confirm"}),
    ("resolution", {"action": "agree"}),
    ("cancel", {"reason": "天气原因"}),
]


def _unchanged(consultation) -> bool:
    fresh = Consultation.objects.get(pk=consultation.pk)
    return fresh.status == ConsultationStatus.NOTIFIED and fresh.history.count() == consultation.history.count()


def test_a_village_convener_gets_404_on_every_page_and_action_of_the_sibling_village(client, world):
    client.force_login(actor_for("village_convener", world))
    consultation = world["targets"]["sibling"]["consultation"]
    for name in ("detail", "participants", "notice", "session", "minutes", "resolution"):
        assert client.get(reverse(f"consultations:{name}", args=[consultation.pk])).status_code == 404, name
    for name, data in RUNNING:
        assert client.post(reverse(f"consultations:{name}", args=[consultation.pk]), data).status_code == 404, name
    assert _unchanged(consultation)
    assert not consultation.participants.filter(name="王五").exists()
    topic = world["targets"]["sibling"]["topic"]
    assert client.get(reverse("consultations:plan", args=[topic.pk])).status_code == 404
    assert not topic.consultations.exists()


def test_a_township_reader_sees_the_consultation_but_running_it_answers_404(client, world):
    client.force_login(actor_for("township_approver", world))
    consultation = world["targets"]["own"]["consultation"]
    assert client.get(reverse("consultations:detail", args=[consultation.pk])).status_code == 200
    for name, data in RUNNING:
        assert client.post(reverse(f"consultations:{name}", args=[consultation.pk]), data).status_code == 404, name
    assert _unchanged(consultation)


def test_the_township_station_head_runs_the_sibling_villages_consultation(client, world):
    """The refusals above are about scope: an organiser covering the village gets through."""
    client.force_login(actor_for("township_station_head", world))
    consultation = starting_soon(researched(world["targets"]["sibling"]["consultation"]))
    response = client.post(reverse("consultations:session_open", args=[consultation.pk]))
    assert response.status_code == 302
    assert Consultation.objects.get(pk=consultation.pk).status == ConsultationStatus.IN_SESSION


def test_a_resident_is_refused_the_staff_pages_with_403(client, world):
    client.force_login(actor_for("resident", world))
    consultation = world["targets"]["own"]["consultation"]
    assert client.get(reverse("consultations:detail", args=[consultation.pk])).status_code == 403
    assert client.post(reverse("consultations:session_open", args=[consultation.pk])).status_code == 403
    assert _unchanged(consultation)
