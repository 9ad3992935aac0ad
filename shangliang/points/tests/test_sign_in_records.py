"""Attendance points count sign-in records only: a time and the way it was recorded (staff at the desk,
the own link, the bound account, an SMS code at the door)."""

import pytest
from django.utils import timezone

from shangliang.consultations.models import Participant
from shangliang.consultations.states import SignInVia
from shangliang.points.selectors import counts
from shangliang.points.states import PointKind
from shangliang.points.tests.builders import in_session_on
from shangliang.topics.tests.builders import approved

pytestmark = pytest.mark.django_db


def test_a_sign_in_time_without_a_record_of_how_earns_no_attendance(district, people):
    wang, zhao = people["wang"], people["zhao"]
    consultation = in_session_on(district, approved(district["a1"], "集镇停车难"), attend=[wang], absent=[zhao])
    # A time written around the services (an old import, a hand edit) is not a sign-in record.
    Participant.objects.filter(consultation=consultation, member=zhao).update(signed_in_at=timezone.now())
    year = timezone.localtime(consultation.in_session_at).year
    assert Participant.objects.get(consultation=consultation, member=wang).signed_in_via == SignInVia.STAFF
    assert counts(PointKind.SESSION_ATTENDED, year, [wang.pk, zhao.pk]) == {wang.pk: 1}
