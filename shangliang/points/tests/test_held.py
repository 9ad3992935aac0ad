"""Attending earns points at a session held, by the one definition the dashboard and the assessment
use: a sign-in before the session opens counts only once it opens, for the day it opened."""

import pytest
from django.utils import timezone

from shangliang.consultations import services as consultation_services
from shangliang.consultations.tests.builders import researched, with_people
from shangliang.points.selectors import counts, occurrences
from shangliang.points.states import PointKind
from shangliang.points.tests.builders import invite, planned_on
from shangliang.topics.tests.builders import approved

pytestmark = pytest.mark.django_db


def test_a_sign_in_before_the_session_opens_earns_attendance_only_once_it_opens(district, people):
    wang = people["wang"]
    consultation = planned_on(district, approved(district["a1"], "集镇停车难"))
    with_people(consultation, residents=3, others=0)
    participant = invite(consultation, wang)
    consultation = consultation_services.notice_send(
        actor=consultation.convener, consultation=consultation, acknowledge_warnings=True
    )
    consultation_services.sign_in(participant=participant, actor=consultation.convener)
    year = timezone.localtime(consultation.starts_at).year
    assert counts(PointKind.SESSION_ATTENDED, year, [wang.pk]) == {}
    assert occurrences(PointKind.SESSION_ATTENDED, wang, year) == []

    opened = consultation_services.session_open(
        actor=consultation.convener, consultation=researched(consultation), now=consultation.starts_at
    )
    assert counts(PointKind.SESSION_ATTENDED, year, [wang.pk]) == {wang.pk: 1}
    [attended] = occurrences(PointKind.SESSION_ATTENDED, wang, year)
    assert attended.on == timezone.localtime(opened.in_session_at).date()
