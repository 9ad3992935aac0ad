"""The demo's members face to face with residents: reception hours and bookings, a matter sent through the
member's page, a problem the member logged and the station accepted, a pending request to join a station;
nothing stamped today; and the pages that show them."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from shangliang.orgs.models import Appointment, JoinRequest, Member, ReceptionSlot
from shangliang.orgs.states import AppointmentStatus, JoinRequestStatus
from shangliang.points import selectors
from shangliang.points.states import PointKind
from shangliang.topics.models import Submission
from shangliang.topics.states import Source, SubmissionStatus

pytestmark = pytest.mark.django_db


def user(username):
    return get_user_model().objects.get(username=username)


def test_the_demo_members_meet_residents(seeded):
    member = Member.objects.get(user=user("member"))
    today = timezone.localdate()
    slots = ReceptionSlot.objects.all()
    assert slots.filter(member=member).count() >= 2 and slots.filter(member__isnull=True).exists()
    appointments = Appointment.objects.all()
    assert appointments.filter(status=AppointmentStatus.ATTENDED).exclude(outcome_note="").exists()
    assert appointments.filter(status=AppointmentStatus.MISSED).exists()
    assert appointments.filter(status=AppointmentStatus.BOOKED).count() >= 3
    relayed = Submission.objects.filter(via_member=member)
    assert relayed.filter(source=Source.RESIDENT, status=SubmissionStatus.SUBMITTED).exists()
    logged = relayed.get(source=Source.OFFLINE)
    assert logged.recorded_by == member.user and logged.status == SubmissionStatus.ACCEPTED
    assert JoinRequest.objects.filter(status=JoinRequestStatus.PENDING).exists()
    # Nothing stamped today.
    for model, stamps in (
        (ReceptionSlot, ["created_at", "updated_at"]),
        (Appointment, ["booked_at", "attended_at", "missed_at"]),
        (JoinRequest, ["requested_at"]),
    ):
        for stamp in stamps:
            assert not model.objects.filter(**{f"{stamp}__date__gte": today}).exists(), (model, stamp)
    assert not relayed.filter(created_at__date__gte=today).exists()
    # The logged problem earns the member points this year (or last, early in January).
    year = timezone.localtime(logged.accepted_at).year
    assert any(line.kind == PointKind.PROBLEM_LOGGED for line in selectors.ledger(member, year).lines)


def test_the_demo_pages(seeded):
    member = Member.objects.get(user=user("member"))
    client = Client()
    page = client.get(f"/m/{member.code}/").content.decode()
    assert "委员接待日" in page and "向委员反映" in page
    platform = member.assignments.filter(ended_on__isnull=True).first().platform
    station = client.get(f"/s/{platform.pk}/").content.decode()
    assert member.name in station and "预约" in station
    client.force_login(user("station"))
    home = client.get("/").content.decode()
    assert "群众预约待接待" in home and "待审核的委员下沉申请" in home
    client.force_login(user("member"))
    home = client.get("/").content.decode()
    assert "群众向我反映的事项" in home and "公交站台没有遮雨棚" in home
