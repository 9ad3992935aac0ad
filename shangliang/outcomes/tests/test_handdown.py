"""镇村联动, downward: a township's outcome hands items down to a village's committee, worked by the village."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.core.errors import DomainError
from shangliang.core.models import Notification
from shangliang.orgs.states import Role, UnitKind
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import handdown, reminders, services
from shangliang.outcomes.models import Assignment, ProgressUpdate
from shangliang.outcomes.states import AssignmentStatus, ReminderKind
from shangliang.outcomes.tests.builders import assigned, concluded, make_unit

pytestmark = pytest.mark.django_db

ITEM = "规划两村共用排水渠清淤"


@pytest.fixture
def people(district):
    return {
        "convener": grant(make_user("convener_a1", full_name="李召集"), Role.CONVENER, region=district["a1"]),
        "other_convener": grant(make_user("convener_a2"), Role.CONVENER, region=district["a2"]),
        "far_convener": grant(make_user("convener_b1"), Role.CONVENER, region=district["b1"]),
        "approver": grant(make_user("approver_a"), Role.APPROVER, region=district["a"]),
        "supervisor": grant(make_user("supervisor_a", full_name="赵督办"), Role.SUPERVISOR, region=district["a"]),
    }


@pytest.fixture
def committees(district):
    return {
        key: make_unit(district[key], f"{district[key].name}村民委员会", kind=UnitKind.VILLAGE_COMMITTEE)
        for key in ("a1", "a2", "b1")
    }


@pytest.fixture
def township_consultation(district):
    """A consultation convened by 甲镇 (its topic concerns both of its villages)."""
    consultation = concluded(
        district,
        title="两村排水渠",
        suggestions=(ITEM, "建立排水渠巡查制度"),
        regions=[
            district["a1"],
            district["a2"],
        ],
    )
    assert consultation.topic.convening_region == district["a"]
    return consultation


@pytest.fixture
def item(township_consultation, people, committees):
    """The first item handed down to 甲一村's committee."""
    return handdown.items_hand_down(
        actor=people["approver"],
        suggestions=[township_consultation.suggestions.get(text=ITEM)],
        village_unit=committees["a1"],
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        responsible_person="村主任",
        supervisor=people["supervisor"],
    )[0]


def login(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def url(name, *args):
    return reverse(f"outcomes:{name}", args=args)


def fresh(obj):
    obj.refresh_from_db()
    return obj


# --- the service ------------------------------------------------------------------------------


def test_a_township_item_is_handed_down_to_a_village_committee(item, people, committees):
    assert item.lead_unit == committees["a1"]
    assert item.status == AssignmentStatus.ASSIGNED
    assert item.assigned_by == people["approver"]
    # The village's convener is told, not the other villages'.
    told = Notification.objects.filter(user=people["convener"])
    assert told.count() == 1 and "甲镇下达" in told.get().title
    assert not Notification.objects.filter(user__in=[people["other_convener"], people["far_convener"]]).exists()


def test_the_village_convener_is_reminded_as_the_deadline_nears(item, people):
    assert people["convener"] in reminders.recipients_for(item, ReminderKind.DUE_SOON)
    assert people["other_convener"] not in reminders.recipients_for(item, ReminderKind.DUE_SOON)


def test_only_committees_of_the_townships_own_villages_may_take_its_items(township_consultation, people, committees):
    suggestion = township_consultation.suggestions.get(text=ITEM)
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    with pytest.raises(DomainError, match="只能下达给甲镇所辖村（社区）的村（居）委会") as refused:
        services.assignment_create(
            actor=people["approver"],
            suggestion=suggestion,
            lead_unit=committees["b1"],
            deadline=deadline,
            responsible_person="村主任",
            supervisor=people["supervisor"],
        )
    assert refused.value.field == "lead_unit"
    department = make_unit(township_consultation.topic.convening_region, "甲镇农业农村办")
    with pytest.raises(DomainError, match="请选择村（居）委会"):
        handdown.items_hand_down(
            actor=people["approver"],
            suggestions=[suggestion],
            village_unit=department,
            deadline=deadline,
            responsible_person="主任",
            supervisor=people["supervisor"],
        )
    assert not Assignment.objects.exists()


def test_a_villages_own_consultation_is_not_handed_down(district, people, committees):
    village = concluded(district, title="村内停车")
    with pytest.raises(DomainError, match="只有乡镇（街道）或区（县）的协商成果"):
        handdown.items_hand_down(
            actor=people["approver"],
            suggestions=[village.suggestions.first()],
            village_unit=committees["a1"],
            deadline=timezone.localdate() + datetime.timedelta(days=30),
            responsible_person="村主任",
            supervisor=people["supervisor"],
        )


# --- the assigner's form ----------------------------------------------------------------------


def test_the_assign_form_offers_the_townships_village_committees(client, township_consultation, people, committees):
    suggestion = township_consultation.suggestions.get(text=ITEM)
    assign_url = url("assign", township_consultation.pk, suggestion.pk)
    client = login(client, people["approver"])
    page = client.get(assign_url)
    offered = set(page.context["form"].fields["lead_unit"].queryset)
    assert {committees["a1"], committees["a2"]} <= offered
    data = {
        "lead_unit": committees["a1"].pk,
        "responsible_person": "村主任",
        "deadline": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        "supervisor": people["supervisor"].pk,
    }
    refused = client.post(assign_url, {**data, "lead_unit": committees["b1"].pk})
    assert refused.status_code == 400 and "只能下达给甲镇所辖村（社区）的村（居）委会" in text(refused)
    assert client.post(assign_url, data).status_code == 302
    assert Assignment.objects.get().lead_unit == committees["a1"]


# --- the village's side -----------------------------------------------------------------------


def test_the_village_convener_sees_accepts_and_reports_progress(client, item, people, committees):
    client = login(client, people["convener"])
    home = text(client.get(reverse("portal:home")))
    assert "乡镇（街道）下达的事项" in home
    assert url("assignment", item.pk) in home
    desk = client.get(url("handdown"))
    assert desk.status_code == 200 and ITEM in text(desk)

    page = client.get(url("assignment", item.pk))
    assert page.status_code == 200 and ITEM in text(page)
    assert client.post(url("assignment_accept", item.pk), {"version": item.version}).status_code == 302
    item = fresh(item)
    assert item.status == AssignmentStatus.ACCEPTED
    response = client.post(url("progress_add", item.pk), {"progress": "已组织两村清淤", "version": item.version})
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert (update.unit, update.created_by) == (committees["a1"], people["convener"])
    assert "已组织两村清淤" in text(client.get(url("assignment", item.pk)))
    # Still on the list until it is finished; the township's supervisor checks it, not the village.
    item = fresh(item)
    response = client.post(url("assignment_complete", item.pk), {"result": "排水渠已清淤", "version": item.version})
    assert response.status_code == 302
    assert fresh(item).status == AssignmentStatus.FINISHED
    assert client.post(url("assignment_check", item.pk), {}).status_code == 404


def test_the_village_convener_may_ask_for_more_time(client, item, people):
    client = login(client, people["convener"])
    client.post(url("assignment_accept", item.pk), {"version": item.version})
    requested = (item.deadline + datetime.timedelta(days=15)).isoformat()
    response = client.post(url("extension_request", item.pk), {"requested_deadline": requested, "reason": "雨季"})
    assert response.status_code == 302
    assert fresh(item).extensions.get().requested_by == people["convener"]


def test_another_villages_convener_is_refused(client, item, people, committees):
    for who in ("other_convener", "far_convener"):
        client = login(client, people[who])
        assert client.get(url("assignment", item.pk)).status_code == 404, who
        assert client.post(url("assignment_accept", item.pk), {"version": item.version}).status_code == 404, who
        assert "乡镇（街道）下达的事项" not in text(client.get(reverse("portal:home"))), who
        assert ITEM not in text(client.get(url("handdown"))), who
    assert fresh(item).status == AssignmentStatus.ASSIGNED


def test_the_hand_down_list_is_for_conveners(client, item, people):
    assert login(client, people["supervisor"]).get(url("handdown")).status_code == 403


def test_on_a_villages_own_consultation_the_convener_does_not_act_for_the_committee(
    client, district, people, committees
):
    """The convener organises the village's consultation and checks its items; the committee's liaison works
    them, so nobody checks their own work."""
    village = concluded(district, title="村内停车", convener=people["convener"])
    own = assigned(village, unit=committees["a1"], actor=people["approver"], supervisor=people["supervisor"])
    client = login(client, people["convener"])
    assert client.get(url("assignment", own.pk)).status_code == 200
    assert client.post(url("assignment_accept", own.pk), {"version": own.version}).status_code == 404
    assert "乡镇（街道）下达的事项" not in text(client.get(reverse("portal:home")))
    assert fresh(own).status == AssignmentStatus.ASSIGNED
