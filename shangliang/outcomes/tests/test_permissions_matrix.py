"""The outcomes permission matrix: each role × each action × (own, parent, sibling, other scope).

Village roles are held at 甲一村, township roles at 甲镇, the CPPCC office staff at the district. For
each scope there is a concluded consultation with one item handed to a unit of that place (甲一村,
甲镇, 甲二村, 乙一村 in turn) and a draft entrusted report. The unit liaison works for 甲一村's
village committee, the lead unit of the own item; the co-unit liaison for the district's housing
bureau, a co-unit of the own item only; the named supervisor is named on the own item only and
holds their role at a unit, so no region widens what they see. The member sits on the own room.

Actions: ``view`` an item, ``assign`` suggestions (交办), ``report`` (write, send and publish),
``reply`` (record the written reply), ``lead`` (accept, return, complete, defer, resume, ask for an
extension), ``progress`` (report progress), ``decide_extension``.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.orgs.states import Role, UnitKind
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import permissions, services
from shangliang.outcomes.models import Assignment, ExtensionRequest, Publication
from shangliang.outcomes.states import AssignmentStatus, ExtensionStatus, ReportKind
from shangliang.outcomes.tests.builders import assigned, concluded, liaison_of, make_unit

pytestmark = pytest.mark.django_db

SCOPES = ("own", "parent", "sibling", "other")
Y, N = True, False
ACTIONS = ("view", "assign", "report", "reply", "lead", "progress", "decide_extension")

# Who holds which role where: (role, region key | "platform" | a unit key | None).
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
    "unit_liaison": (Role.UNIT_LIAISON, "lead_unit"),
    "co_unit_liaison": (Role.UNIT_LIAISON, "co_unit"),
    "named_supervisor": (Role.SUPERVISOR, "inspection_office"),
    "resident": (None, None),
}


def row(**by_action):
    """An actor's row: ``by_action`` gives (own, parent, sibling, other); unnamed actions are refused."""
    return {action: by_action.get(action, (N, N, N, N)) for action in ACTIONS}


OWN_ONLY = (Y, N, N, N)
TOWNSHIP = (Y, Y, Y, N)
EVERYWHERE = (Y, Y, Y, Y)

# actor: {action: (own, parent, sibling, other)}
MATRIX = {
    "village_convener": row(view=OWN_ONLY, report=OWN_ONLY, reply=OWN_ONLY),
    "village_approver": row(view=OWN_ONLY, assign=OWN_ONLY, reply=OWN_ONLY, decide_extension=OWN_ONLY),
    "township_station_head": row(view=TOWNSHIP, report=TOWNSHIP, reply=TOWNSHIP),
    "township_approver": row(view=TOWNSHIP, assign=TOWNSHIP, reply=TOWNSHIP, decide_extension=TOWNSHIP),
    "township_administrator": row(view=TOWNSHIP, assign=TOWNSHIP, reply=TOWNSHIP, decide_extension=TOWNSHIP),
    "township_supervisor": row(view=TOWNSHIP, decide_extension=TOWNSHIP),
    "township_evaluator": row(view=TOWNSHIP),
    # The township government's legal reviewer works on the resolution (consultations/legal.py), not the items.
    "township_legal_reviewer": row(),
    "district_committee_staff": row(view=EVERYWHERE, report=EVERYWHERE, reply=EVERYWHERE, decide_extension=EVERYWHERE),
    "member": row(),
    "unit_liaison": row(view=OWN_ONLY, lead=OWN_ONLY, progress=OWN_ONLY),
    # A co-unit reports progress but does not accept, finish, defer or return the lead unit's item.
    "co_unit_liaison": row(view=OWN_ONLY, progress=OWN_ONLY),
    "named_supervisor": row(view=OWN_ONLY, decide_extension=OWN_ONLY),
    "resident": row(),
}

# Pages that do not depend on a record: the supervision boards and the unit's desk.
UNSCOPED = {
    "use_board": set(MATRIX) - {"member", "unit_liaison", "co_unit_liaison", "resident", "township_legal_reviewer"},
    "use_unit_desk": {"unit_liaison", "co_unit_liaison"},
}

PREDICATES = {
    "view": lambda user, t: permissions.assignments_visible_to(user).filter(pk=t["item"].pk).exists(),
    "assign": lambda user, t: permissions.can_assign(user, t["consultation"]),
    "report": lambda user, t: permissions.can_report(user, t["consultation"]),
    "reply": lambda user, t: permissions.can_record_reply(user, t["report"]),
    "lead": lambda user, t: permissions.is_lead_liaison(user, t["item"]),
    "progress": lambda user, t: permissions.can_post_progress(user, t["item"]),
    "decide_extension": lambda user, t: permissions.can_supervise(user, t["item"]),
}


@pytest.fixture
def world(district):
    a1, a2, b1 = district["a1"], district["a2"], district["b1"]
    units = {
        "lead_unit": make_unit(a1, "甲一村村民委员会", kind=UnitKind.VILLAGE_COMMITTEE),
        "co_unit": make_unit(district["district"], "区住房和城乡建设局"),
        "inspection_office": make_unit(district["district"], "区政府督查室"),
    }
    named_supervisor = grant(make_user("named_supervisor"), Role.SUPERVISOR, unit=units["inspection_office"])
    places = {
        "own": (a1, {}, units["lead_unit"]),
        "parent": (
            a1,
            {"regions": [a1, a2]},
            make_unit(district["a"], "甲镇人民政府", kind=UnitKind.TOWNSHIP_GOVERNMENT),
        ),
        "sibling": (a2, {}, make_unit(a2, "甲二村村民委员会", kind=UnitKind.VILLAGE_COMMITTEE)),
        "other": (b1, {}, make_unit(b1, "乙一村村民委员会", kind=UnitKind.VILLAGE_COMMITTEE)),
    }
    targets = {}
    for scope, (region, extra, unit) in places.items():
        # The builder holds its consultation at ``district["a1"]``; hand it the region wanted there.
        consultation = concluded({"a1": region}, title=f"{region.name}{scope}事项", **extra)
        own = scope == "own"
        item = assigned(
            consultation,
            unit=unit,
            co_units=[units["co_unit"]] if own else [],
            supervisor=named_supervisor if own else None,
        )
        report = services.report_draft(
            actor=consultation.convener,
            consultation=consultation,
            kind=ReportKind.CONSULTATION_REPORT,
            recipient="镇政府",
            is_entrusted=True,
        )
        targets[scope] = {"consultation": consultation, "item": item, "report": report, "unit": unit}
    regions = [a1, district["a"], a2, b1]
    assert [targets[s]["consultation"].topic.convening_region for s in SCOPES] == regions
    return {
        **district,
        **units,
        "targets": targets,
        "named_supervisor": named_supervisor,
        "platform": targets["own"]["consultation"].platform,
    }


def actor_for(name, world):
    if name == "named_supervisor":
        return world["named_supervisor"]
    role, where = ACTORS[name]
    user = make_user(name)
    if role is None:
        return user
    if where == "platform":
        return grant(user, role, platform=world["platform"])
    if where in {"lead_unit", "co_unit", "inspection_office"}:
        return grant(user, role, unit=world[where])
    return grant(user, role, region=world[where])


def test_the_matrix_names_every_actor_and_action():
    assert set(MATRIX) == set(ACTORS)
    assert all(tuple(actions) == ACTIONS for actions in MATRIX.values())
    assert set(PREDICATES) == set(ACTIONS)
    assert {role for role, _where in ACTORS.values() if role} | {Role.RESIDENT} == set(Role.values)


@pytest.mark.parametrize("name", list(MATRIX))
def test_permission_matrix(world, name):
    user = actor_for(name, world)
    wrong = {}
    for action, predicate in PREDICATES.items():
        for index, scope in enumerate(SCOPES):
            got = bool(predicate(user, world["targets"][scope]))
            if got is not MATRIX[name][action][index]:
                wrong[(action, scope)] = got
    for action, allowed in UNSCOPED.items():
        got = bool(getattr(permissions, f"can_{action}")(user))
        if got is not (name in allowed):
            wrong[(action, "any")] = got
    assert wrong == {}


def test_a_superuser_may_do_everything_everywhere(world):
    root = make_user("root", is_superuser=True)
    for action, predicate in PREDICATES.items():
        for scope in SCOPES:
            assert predicate(root, world["targets"][scope]), (action, scope)


# --- through HTTP: the sibling village's records answer 404 and stay as they were -----------


def _fresh(obj):
    obj.refresh_from_db()
    return obj


def test_a_village_convener_gets_404_on_the_outcomes_of_the_sibling_village(client, world):
    client.force_login(actor_for("village_convener", world))
    sibling = world["targets"]["sibling"]
    consultation, report = sibling["consultation"], sibling["report"]
    assert client.get(reverse("outcomes:consultation", args=[consultation.pk])).status_code == 404
    assert client.get(reverse("outcomes:report_new", args=[consultation.pk])).status_code == 404
    assert client.get(reverse("outcomes:report", args=[report.pk])).status_code == 404
    assert client.post(reverse("outcomes:report_send", args=[report.pk])).status_code == 404
    response = client.post(
        reverse("outcomes:publish", args=[consultation.pk]), {"summary": "已落实", "channels": ["board"]}
    )
    assert response.status_code == 404
    assert _fresh(report).status == "draft"
    assert not Publication.objects.filter(consultation=consultation).exists()
    own = world["targets"]["own"]["report"]
    assert client.post(reverse("outcomes:report_send", args=[own.pk])).status_code == 302
    assert _fresh(own).status == "sent"


def test_a_village_approver_gets_404_assigning_a_suggestion_of_the_sibling_village(client, world):
    client.force_login(actor_for("village_approver", world))
    consultation = world["targets"]["sibling"]["consultation"]
    suggestion = consultation.suggestions.all()[1]
    data = {
        "lead_unit": world["targets"]["sibling"]["unit"].pk,
        "responsible_person": "张主任",
        "deadline": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "supervisor": world["named_supervisor"].pk,
    }
    assert client.post(reverse("outcomes:assign", args=[consultation.pk, suggestion.pk]), data).status_code == 404
    assert not Assignment.objects.filter(suggestion=suggestion).exists()


def test_a_unit_liaison_gets_404_on_the_item_of_another_unit_and_may_accept_their_own(client, world):
    client.force_login(actor_for("unit_liaison", world))
    other_item = world["targets"]["sibling"]["item"]
    assert client.get(reverse("outcomes:assignment", args=[other_item.pk])).status_code == 404
    for name, extra in [
        ("assignment_accept", {}),
        ("progress_add", {"progress": "进展"}),
        ("assignment_return", {"reason": "不属于本单位"}),
    ]:
        address = reverse(f"outcomes:{name}", args=[other_item.pk])
        assert client.post(address, {"version": other_item.version, **extra}).status_code == 404, name
    assert _fresh(other_item).status == AssignmentStatus.ASSIGNED
    assert not other_item.updates.exists()
    own_item = world["targets"]["own"]["item"]
    address = reverse("outcomes:assignment_accept", args=[own_item.pk])
    assert client.post(address, {"version": own_item.version}).status_code == 302
    assert _fresh(own_item).status == AssignmentStatus.ACCEPTED


def test_a_township_supervisor_gets_404_deciding_an_extension_of_another_township(client, world):
    other = world["targets"]["other"]
    extension = services.extension_request(
        actor=liaison_of(other["unit"], "other_liaison"),
        assignment=other["item"],
        requested_deadline=other["item"].deadline + datetime.timedelta(days=20),
        reason="雨季施工困难",
    )
    client.force_login(actor_for("township_supervisor", world))
    address = reverse("outcomes:extension_decide", args=[extension.pk])
    assert client.post(address, {"decision": "approve"}).status_code == 404
    assert _fresh(extension).status == ExtensionStatus.PENDING
    client.force_login(actor_for("district_committee_staff", world))
    assert client.post(address, {"decision": "approve"}).status_code == 302
    assert ExtensionRequest.objects.get(pk=extension.pk).status == ExtensionStatus.APPROVED
