"""Issue 17, point 7: the hand-offs' answer period counts calendar or working days as the deployment says."""

import datetime

import pytest
from django.utils import timezone

from shangliang.core.workdays import add_working_days, forget_overrides
from shangliang.handoffs.selectors import overdue_before

pytestmark = pytest.mark.django_db

AFTER_NATIONAL_DAY = datetime.date(2025, 10, 9)


@pytest.fixture(autouse=True)
def answer_days(settings):
    forget_overrides()
    settings.SHANGLIANG_HANDOFF_ANSWER_DAYS = 3


def midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def test_in_calendar_days_a_hand_off_is_overdue_three_days_after_the_day_handed():
    assert overdue_before(AFTER_NATIONAL_DAY) == midnight(datetime.date(2025, 10, 6))


def test_in_working_days_the_holiday_week_does_not_count(settings):
    settings.SHANGLIANG_DEADLINE_COUNTING = {**settings.SHANGLIANG_DEADLINE_COUNTING, "handoff_answer": "working"}
    # Handed on 9-28 (Sunday, 调休): due 9-29, 9-30, 10-09, so not yet overdue on 10-09; handed 9-27: due 9-30.
    assert overdue_before(AFTER_NATIONAL_DAY) == midnight(datetime.date(2025, 9, 28))
    assert add_working_days(datetime.date(2025, 9, 28), 3) == AFTER_NATIONAL_DAY
    assert add_working_days(datetime.date(2025, 9, 27), 3) < AFTER_NATIONAL_DAY
