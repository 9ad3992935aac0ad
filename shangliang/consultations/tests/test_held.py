"""The one definition of a consultation held: from the moment its session opens, unless cancelled or
archived, counted in the year (local time) its session opened."""

import datetime

import pytest
from django.utils import timezone

from shangliang.consultations import services
from shangliang.consultations.models import Consultation
from shangliang.consultations.selectors import held_in, held_q
from shangliang.consultations.tests.builders import in_session, notified, planned, researched

pytestmark = pytest.mark.django_db


def _held() -> set[int]:
    return set(Consultation.objects.filter(held_q()).values_list("pk", flat=True))


def test_a_consultation_is_held_from_the_moment_its_session_opens(district):
    waiting = researched(notified(district, title="已通知的议题"))
    assert waiting.pk not in _held()
    opened = services.session_open(actor=waiting.convener, consultation=waiting, now=waiting.starts_at)
    assert opened.in_session_at is not None and opened.pk in _held()
    closed = services.session_close(actor=opened.convener, consultation=opened)
    assert closed.pk in _held()


def test_planned_cancelled_and_archived_consultations_are_not_held(district):
    planned(district, title="规划中的议题")
    cancelled = notified(district, title="取消的议题")
    services.consultation_cancel(actor=cancelled.convener, consultation=cancelled, reason="场地不可用")
    archived = in_session(district, title="归档的议题")
    kept = in_session(district, title="协商中的议题")
    assert _held() == {archived.pk, kept.pk}
    Consultation.objects.filter(pk=archived.pk).update(is_archived=True)
    assert _held() == {kept.pk}


def test_the_year_is_the_one_the_session_opened_in_local_time(district):
    late, early = in_session(district, title="年末的议题"), in_session(district, title="年初的议题")
    # 23:30 on New Year's Eve in Beijing is 15:30 UTC the same day; 00:30 on New Year's Day is 16:30 UTC
    # on New Year's Eve: a UTC year would put both in 2024.
    local = timezone.get_current_timezone()
    Consultation.objects.filter(pk=late.pk).update(in_session_at=datetime.datetime(2024, 12, 31, 23, 30, tzinfo=local))
    Consultation.objects.filter(pk=early.pk).update(in_session_at=datetime.datetime(2025, 1, 1, 0, 30, tzinfo=local))
    assert set(held_in(2024).values_list("pk", flat=True)) == {late.pk}
    assert set(held_in(2025).values_list("pk", flat=True)) == {early.pk}


def test_held_in_a_region_keeps_the_platforms_in_it_or_below(district):
    here = in_session({"a1": district["a1"]}, title="甲一村的议题")
    in_session({"a1": district["b1"]}, title="乙一村的议题")
    year = timezone.localtime(here.in_session_at).year
    assert set(held_in(year, region=district["a"]).values_list("pk", flat=True)) == {here.pk}
