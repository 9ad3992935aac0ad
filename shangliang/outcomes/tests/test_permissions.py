"""Who may do what with outcomes: roles × actions × own/other scope, as predicates and through HTTP.

One consultation of village A1 with one item: lead unit A, co-unit C, followed by a CPPCC committee
and a named supervisor who holds their role in township B. "Other" roles sit in township B or in
unit B, which has nothing to do with the item.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.orgs.states import Role, UnitKind
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import permissions, services
from shangliang.outcomes.models import Assignment, ExtensionRequest, OutcomeReport, ProgressUpdate
from shangliang.outcomes.states import AssignmentStatus, ExtensionStatus, ReportKind, ReportStatus
from shangliang.outcomes.tests.builders import assigned, concluded, liaison_of, make_unit

pytestmark = pytest.mark.django_db

ACTIONS = ["view", "lead", "progress", "supervise", "assign", "report", "reply", "board", "desk"]

# role: the actions it may take on the item, its consultation and the lists (everything else is refused).
MATRIX = {
    "lead_liaison": {"view", "lead", "progress", "desk"},
    "co_liaison": {"view", "progress", "desk"},
    "other_liaison": {"desk"},
    "named_supervisor": {"view", "supervise", "board"},
    "supervisor_a": {"view", "supervise", "board"},
    "supervisor_b": {"board"},
    "committee_staff": {"view", "supervise", "board"},
    "approver_a": {"view", "supervise", "assign", "reply", "board"},
    "approver_b": {"board"},
    "convener_a1": {"view", "report", "reply", "board"},
    "convener_b1": {"board"},
    "root": set(ACTIONS),
}


@pytest.fixture
def world(district):
    d = district["district"]
    unit_a = make_unit(d, "区住房和城乡建设局")
    unit_b = make_unit(d, "区交通运输局")
    unit_c = make_unit(district["a"], "甲镇人民政府", kind=UnitKind.TOWNSHIP_GOVERNMENT)
    committee = make_unit(d, "区政协经济委", kind=UnitKind.CPPCC_COMMITTEE)
    users = {
        "lead_liaison": liaison_of(unit_a, "lead_liaison"),
        "co_liaison": liaison_of(unit_c, "co_liaison"),
        "other_liaison": liaison_of(unit_b, "other_liaison"),
        "named_supervisor": grant(make_user("named_supervisor"), Role.SUPERVISOR, region=district["b"]),
        "supervisor_a": grant(make_user("supervisor_a"), Role.SUPERVISOR, region=district["a"]),
        "supervisor_b": grant(make_user("supervisor_b"), Role.SUPERVISOR, region=district["b"]),
        "committee_staff": grant(make_user("committee_staff"), Role.COMMITTEE_STAFF, unit=committee),
        "approver_a": grant(make_user("approver_a"), Role.APPROVER, region=district["a"]),
        "approver_b": grant(make_user("approver_b"), Role.APPROVER, region=district["b"]),
        "convener_a1": grant(make_user("convener_a1"), Role.CONVENER, region=district["a1"]),
        "convener_b1": grant(make_user("convener_b1"), Role.CONVENER, region=district["b1"]),
        "root": make_user("root", is_superuser=True),
    }
    consultation = concluded(district, convener=users["convener_a1"])
    item = assigned(
        consultation,
        unit=unit_a,
        co_units=[unit_c],
        cppcc_committee=committee,
        supervisor=users["named_supervisor"],
        actor=users["approver_a"],
    )
    report = services.report_draft(
        actor=users["convener_a1"],
        consultation=consultation,
        kind=ReportKind.CONSULTATION_REPORT,
        recipient="镇政府",
        is_entrusted=True,
    )
    return {"users": users, "consultation": consultation, "item": item, "report": report}


def allowed(user, action, world) -> bool:
    item, consultation, report = world["item"], world["consultation"], world["report"]
    checks = {
        "view": lambda: permissions.assignments_visible_to(user).filter(pk=item.pk).exists(),
        "lead": lambda: permissions.is_lead_liaison(user, item),
        "progress": lambda: permissions.can_post_progress(user, item),
        "supervise": lambda: permissions.can_supervise(user, item),
        "assign": lambda: permissions.can_assign(user, consultation),
        "report": lambda: permissions.can_report(user, consultation),
        "reply": lambda: permissions.can_record_reply(user, report),
        "board": lambda: permissions.can_use_board(user),
        "desk": lambda: permissions.can_use_unit_desk(user),
    }
    return checks[action]()


def test_predicates_follow_the_matrix(world):
    wrong = [
        (role, action, allowed(user, action, world))
        for role, user in world["users"].items()
        for action in ACTIONS
        if allowed(user, action, world) != (action in MATRIX[role])
    ]
    assert wrong == []


def _status(client, user, address, method="get", data=None) -> int:
    client.force_login(user)
    return getattr(client, method)(address, data or {}).status_code


def test_pages_answer_200_or_404_and_lists_200_or_403_by_the_matrix(client, world):
    item, consultation, report = world["item"], world["consultation"], world["report"]
    wrong = []
    for role, user in world["users"].items():
        may = MATRIX[role]
        # The consultation's page opens for its readers and for whoever sees one of its items.
        reader = role in {"supervisor_a", "approver_a", "convener_a1", "root"}
        expected = {
            reverse("outcomes:assignment", args=[item.pk]): 200 if "view" in may else 404,
            reverse("outcomes:consultation", args=[consultation.pk]): 200 if "view" in may or reader else 404,
            reverse("outcomes:report", args=[report.pk]): 200 if reader else 404,
            reverse("outcomes:report_new", args=[consultation.pk]): 200 if "report" in may else 404,
            reverse("outcomes:board"): 200 if "board" in may else 403,
            reverse("outcomes:overdue_board"): 200 if "board" in may else 403,
            reverse("outcomes:unit_desk"): 200 if "desk" in may else 403,
            reverse("outcomes:reports"): 200,
        }
        for address, status in expected.items():
            got = _status(client, user, address)
            if got != status:
                wrong.append((role, address, got))
    assert wrong == []


def _refused_everywhere_but(client, world, action, address, data):
    """POST as every role lacking ``action``: each gets 404 (the object is hidden or not theirs to change)."""
    return [
        (role, code)
        for role, user in world["users"].items()
        if action not in MATRIX[role] and (code := _status(client, user, address, "post", data)) != 404
    ]


def test_unit_actions_are_refused_to_everyone_else_and_change_nothing(client, world):
    users, item = world["users"], fresh(world["item"])
    accept = reverse("outcomes:assignment_accept", args=[item.pk])
    assert _refused_everywhere_but(client, world, "lead", accept, {"version": item.version}) == []
    assert fresh(item).status == AssignmentStatus.ASSIGNED
    assert _status(client, users["lead_liaison"], accept, "post", {"version": item.version}) == 302
    item = fresh(item)
    progress = reverse("outcomes:progress_add", args=[item.pk])
    data = {"progress": "进展", "version": item.version}
    assert _refused_everywhere_but(client, world, "progress", progress, data) == []
    assert not ProgressUpdate.objects.exists() and fresh(item).version == data["version"]
    assert _status(client, users["co_liaison"], progress, "post", data) == 302
    for name, extra in (
        ("assignment_complete", {"result": "建成"}),
        ("assignment_defer", {"reason": "缓"}),
        ("assignment_return", {"reason": "退"}),
    ):
        address = reverse(f"outcomes:{name}", args=[item.pk])
        assert _refused_everywhere_but(client, world, "lead", address, {"version": fresh(item).version, **extra}) == []
        # A co-unit reports progress but does not finish, defer or return the lead unit's item.
        assert _status(client, users["co_liaison"], address, "post", {"version": fresh(item).version, **extra}) == 404
    assert fresh(item).status == AssignmentStatus.ACCEPTED


def test_extension_decisions_belong_to_supervisors_only(client, world):
    users, item = world["users"], world["item"]
    later = (item.deadline + datetime.timedelta(days=20)).isoformat()
    ask = reverse("outcomes:extension_request", args=[item.pk])
    assert _refused_everywhere_but(client, world, "lead", ask, {"requested_deadline": later, "reason": "雨季"}) == []
    assert not ExtensionRequest.objects.exists()
    _status(client, users["lead_liaison"], ask, "post", {"requested_deadline": later, "reason": "雨季"})
    extension = ExtensionRequest.objects.get()
    decide = reverse("outcomes:extension_decide", args=[extension.pk])
    assert _refused_everywhere_but(client, world, "supervise", decide, {"decision": "approve"}) == []
    assert fresh(extension).status == ExtensionStatus.PENDING and fresh(item).deadline == item.deadline
    assert _status(client, users["committee_staff"], decide, "post", {"decision": "approve"}) == 302
    assert fresh(extension).status == ExtensionStatus.APPROVED


def test_assigning_sending_and_recording_replies_by_the_matrix(client, world):
    users, consultation, report = world["users"], world["consultation"], world["report"]
    suggestion = consultation.suggestions.all()[1]
    assign = reverse("outcomes:assign", args=[consultation.pk, suggestion.pk])
    data = {
        "lead_unit": world["item"].lead_unit_id,
        "responsible_person": "张主任",
        "deadline": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "supervisor": users["supervisor_a"].pk,
    }
    assert _refused_everywhere_but(client, world, "assign", assign, data) == []
    assert Assignment.objects.count() == 1
    assert _status(client, users["approver_a"], assign, "post", data) == 302
    assert Assignment.objects.count() == 2
    send = reverse("outcomes:report_send", args=[report.pk])
    assert _refused_everywhere_but(client, world, "report", send, {}) == []
    assert fresh(report).status == ReportStatus.DRAFT
    assert _status(client, users["convener_a1"], send, "post") == 302
    reply = reverse("outcomes:report_reply", args=[report.pk])
    assert _refused_everywhere_but(client, world, "reply", reply, {"text": "已答复"}) == []
    assert fresh(report).status == ReportStatus.SENT
    assert _status(client, users["approver_a"], reply, "post", {"text": "已答复"}) == 302
    assert fresh(report).status == ReportStatus.REPLIED
    assert OutcomeReport.objects.count() == 1


def test_a_right_holder_is_still_refused_by_the_state_with_a_message(client, world):
    users, item = world["users"], world["item"]
    client.force_login(users["lead_liaison"])
    response = client.post(reverse("outcomes:progress_add", args=[item.pk]), {"progress": "x", "version": 1})
    assert response.status_code == 400 and "签收后才能填报进展" in response.content.decode()
    response = client.post(reverse("outcomes:assignment_resume", args=[item.pk]), {"version": 1})
    assert response.status_code == 400 and "只有暂缓办理的事项可以恢复办理" in response.content.decode()
    assert fresh(item).status == AssignmentStatus.ASSIGNED and not ProgressUpdate.objects.exists()


def fresh(obj):
    obj.refresh_from_db()
    return obj
