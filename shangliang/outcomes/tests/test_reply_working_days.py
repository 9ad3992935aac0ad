"""Issue 17, point 7: the outcome stage's deadlines count calendar or working days as the deployment says.

The written reply (10日内书面答复) counts working days by default; the calendar itself is tested in
``core/tests/test_workdays.py``.
"""

import datetime

import pytest
from django.utils import timezone

from shangliang.core.models import WorkdayOverride
from shangliang.core.workdays import forget_overrides
from shangliang.outcomes import selectors, services
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.states import ReportKind
from shangliang.outcomes.tests.builders import concluded

pytestmark = pytest.mark.django_db

FRIDAY_BEFORE_NATIONAL_DAY = timezone.make_aware(datetime.datetime(2025, 9, 26, 10, 0))


@pytest.fixture(autouse=True)
def fresh_calendar():
    forget_overrides()
    yield
    forget_overrides()


def counting(settings, **modes):
    settings.SHANGLIANG_DEADLINE_COUNTING = {**settings.SHANGLIANG_DEADLINE_COUNTING, **modes}


def sent_report(district, now=FRIDAY_BEFORE_NATIONAL_DAY):
    consultation = concluded(district)
    report = services.report_draft(
        actor=consultation.convener,
        consultation=consultation,
        kind=ReportKind.CONSULTATION_REPORT,
        recipient="镇政府",
        is_entrusted=True,
    )
    report = services.report_send(actor=consultation.convener, report=report, now=now)
    report.refresh_from_db()
    return report


def test_a_report_sent_before_national_day_is_due_a_reply_after_the_holiday_week(district, settings):
    settings.SHANGLIANG_REPLY_DAYS = 10
    assert settings.SHANGLIANG_DEADLINE_COUNTING["reply"] == "working"  # the default
    report = sent_report(district)
    # 9-28 (Sun, 调休) … 9-30, [10-01..10-08 off], 10-09, 10-10, 10-11 (Sat, 调休), 10-13 … 10-16: ten working days.
    assert report.reply_due_on == datetime.date(2025, 10, 16)
    assert selectors.is_reply_late(report, today=datetime.date(2025, 10, 16)) is False
    assert selectors.is_reply_late(report, today=datetime.date(2025, 10, 17)) is True


def test_counted_in_calendar_days_the_same_report_is_due_on_the_monday_of_the_holiday(district, settings):
    settings.SHANGLIANG_REPLY_DAYS = 10
    counting(settings, reply="calendar")
    report = sent_report(district)
    assert report.reply_due_on == datetime.date(2025, 10, 6)
    assert selectors.is_reply_late(report, today=datetime.date(2025, 10, 7)) is True


def test_a_local_day_off_set_in_the_admin_moves_the_reply_due_date(district, settings):
    settings.SHANGLIANG_REPLY_DAYS = 10
    WorkdayOverride.objects.create(day=datetime.date(2025, 10, 13), is_working=False, note="本区放假")
    assert sent_report(district).reply_due_on == datetime.date(2025, 10, 17)


def test_the_return_window_counts_working_days_when_set(settings):
    settings.SHANGLIANG_RETURN_DAYS = 5
    item = Assignment(assigned_at=FRIDAY_BEFORE_NATIONAL_DAY)
    calendar_end = FRIDAY_BEFORE_NATIONAL_DAY + datetime.timedelta(days=5)
    assert services.return_until(item) == calendar_end  # calendar days by default
    refusal = services.assignment_return_refusal(item, calendar_end + datetime.timedelta(minutes=1))
    assert refusal is not None and "交办超过5天" in refusal.message
    counting(settings, **{"return": "working"})
    # 9-28, 9-29, 9-30, 10-09, 10-10: the same time of day on the fifth working day.
    assert services.return_until(item) == timezone.make_aware(datetime.datetime(2025, 10, 10, 10, 0))
    assert services.assignment_return_refusal(item, calendar_end + datetime.timedelta(minutes=1)) is None
    refusal = services.assignment_return_refusal(item, timezone.make_aware(datetime.datetime(2025, 10, 10, 10, 1)))
    assert refusal is not None and "交办超过5个工作日" in refusal.message


def test_the_publication_due_date_counts_as_set(settings):
    settings.SHANGLIANG_PUBLISH_DAYS = 7
    finished = timezone.make_aware(datetime.datetime(2026, 2, 12, 16, 0))
    assert selectors._publication_due(finished) == datetime.date(2026, 2, 19)
    counting(settings, publication="working")
    # 2-13, 2-14 (Sat, 调休), [2-15..2-23 Spring Festival], 2-24 … 2-27, 2-28 (Sat, 调休).
    assert selectors._publication_due(finished) == datetime.date(2026, 2, 28)
