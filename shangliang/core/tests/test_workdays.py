"""Issue 17, point 7: the official working-day calendar (工作日, 调休) with local days set in the admin.

Expected dates are worked out by hand from the State Council's notices: 2025 National Day and Mid-Autumn
(10-01 to 10-08 off; Sunday 9-28 and Saturday 10-11 working), 2026 Spring Festival (2-15 to 2-23 off;
Saturday 2-14 and Saturday 2-28 working), 2026 National Day (10-01 to 10-07 off; Saturday 10-10 working).
The flow through a report sent is in ``outcomes/tests/test_reply_working_days.py``.
"""

import datetime
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from shangliang import settings as project_settings
from shangliang.core import workdays
from shangliang.core.models import WorkdayOverride
from shangliang.core.workdays import (
    add_working_days,
    deadline_at,
    deadline_on,
    due_date,
    is_working_day,
    period_label,
    working_days_between,
)

D = datetime.date


@pytest.fixture(autouse=True)
def fresh_calendar(monkeypatch):
    """Each test reads the local days afresh and may be warned again of an unknown year."""
    workdays.forget_overrides()
    monkeypatch.setattr(workdays, "_warned_years", set())
    yield
    workdays.forget_overrides()


# --- the official table ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "is_working"),
    [
        (D(2025, 9, 26), True),  # Friday
        (D(2025, 9, 27), False),  # Saturday
        (D(2025, 9, 28), True),  # Sunday made a working day (调休)
        (D(2025, 10, 1), False),  # National Day
        (D(2025, 10, 6), False),  # Monday, Mid-Autumn Festival
        (D(2025, 10, 8), False),  # Wednesday, last day off
        (D(2025, 10, 9), True),
        (D(2025, 10, 11), True),  # Saturday made a working day (调休)
        (D(2025, 10, 12), False),  # Sunday
        (D(2026, 2, 14), True),  # Saturday before the Spring Festival, working
        (D(2026, 2, 16), False),  # Monday, Spring Festival
        (D(2026, 2, 23), False),  # Monday, last day off
        (D(2026, 2, 28), True),  # Saturday after it, working
        (D(2026, 10, 10), True),  # Saturday after National Day 2026, working
    ],
)
def test_is_working_day_follows_the_holiday_table_with_its_adjusted_days(day, is_working):
    assert is_working_day(day) is is_working


@pytest.mark.django_db
def test_a_ten_working_day_reply_asked_on_2025_09_26_is_due_after_the_national_day_week():
    # Day 1 is the day after receipt: 9-28 (Sun, 调休) 1, 9-29 2, 9-30 3, [10-01..10-08 off], 10-09 4, 10-10 5,
    # 10-11 (Sat, 调休) 6, [10-12 Sun], 10-13 7, 10-14 8, 10-15 9, 10-16 10.
    assert add_working_days(D(2025, 9, 26), 10) == D(2025, 10, 16)
    assert due_date(D(2025, 9, 26), 10, "working") == D(2025, 10, 16)
    assert due_date(D(2025, 9, 26), 10, "calendar") == D(2025, 10, 6)
    assert working_days_between(D(2025, 9, 26), D(2025, 10, 16)) == 10
    assert working_days_between(D(2025, 9, 26), D(2025, 10, 15)) == 9


@pytest.mark.django_db
def test_the_spring_festival_2026_is_skipped_and_its_saturdays_count():
    # 2-13 1, 2-14 (Sat, 调休) 2, [2-15..2-23 off], 2-24 3, 2-25 4, 2-26 5.
    assert add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 26)
    # … 2-27 6, 2-28 (Sat, 调休) 7, [3-01 Sun], 3-02 8, 3-03 9, 3-04 10.
    assert add_working_days(D(2026, 2, 12), 10) == D(2026, 3, 4)
    # Asked during the holiday: the first working day after it is day 1.
    assert add_working_days(D(2026, 2, 16), 1) == D(2026, 2, 24)
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2  # 2-14 and 2-24


@pytest.mark.django_db
def test_national_day_2026_and_its_saturday():
    # 9-30 asked: [10-01..10-07 off], 10-08 1, 10-09 2, 10-10 (Sat, 调休) 3, [10-11 Sun], 10-12 4.
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert add_working_days(D(2026, 9, 30), 4) == D(2026, 10, 12)


@pytest.mark.django_db
def test_the_start_day_never_counts_whether_it_is_a_working_day_or_not():
    assert add_working_days(D(2025, 9, 27), 1) == D(2025, 9, 28)  # asked on a Saturday: the 调休 Sunday is day 1
    assert add_working_days(D(2025, 9, 26), 0) == D(2025, 9, 26)
    assert due_date(D(2025, 9, 26), 0, "calendar") == D(2025, 9, 26)


@pytest.mark.django_db
def test_going_back_is_the_inverse_and_between_counts_backwards_negative():
    assert add_working_days(D(2025, 10, 9), -3) == D(2025, 9, 28)  # 9-30, 9-29, 9-28
    assert working_days_between(D(2025, 10, 16), D(2025, 9, 26)) == -10
    start = D(2025, 9, 1)
    for n in range(0, 40):
        end = add_working_days(start, n)
        assert working_days_between(start, end) == n
        assert add_working_days(end, -n) <= start or n == 0


@pytest.mark.django_db
def test_an_unknown_counting_is_refused():
    with pytest.raises(ValueError):
        due_date(D(2025, 9, 26), 10, "lunar")


# --- local days (the admin's overrides) ----------------------------------------------------------


@pytest.mark.django_db
def test_a_local_day_off_moves_the_due_date_and_takes_precedence_over_the_table():
    WorkdayOverride.objects.create(day=D(2025, 10, 9), is_working=False, note="地方放假")
    assert is_working_day(D(2025, 10, 9)) is False
    assert add_working_days(D(2025, 9, 26), 10) == D(2025, 10, 17)


@pytest.mark.django_db
def test_a_weekend_day_made_working_locally_counts():
    WorkdayOverride.objects.create(day=D(2025, 10, 12), is_working=True, note="本地调休")
    assert is_working_day(D(2025, 10, 12)) is True
    assert add_working_days(D(2025, 9, 26), 10) == D(2025, 10, 15)


@pytest.mark.django_db
def test_a_changed_or_deleted_local_day_is_seen_at_once():
    override = WorkdayOverride.objects.create(day=D(2025, 10, 9), is_working=False)
    assert add_working_days(D(2025, 9, 26), 10) == D(2025, 10, 17)
    override.is_working = True
    override.save()
    assert add_working_days(D(2025, 9, 26), 10) == D(2025, 10, 16)
    override.delete()
    assert is_working_day(D(2025, 10, 9)) is True
    # Created, changed, deleted: the day's history stays on record.
    assert list(WorkdayOverride.history.filter(day=D(2025, 10, 9)).values_list("history_type", flat=True)) == [
        "-",
        "~",
        "+",
    ]


@pytest.mark.django_db
def test_a_deadline_reads_the_local_days_once_not_once_per_day(django_assert_num_queries):
    WorkdayOverride.objects.create(day=D(2025, 10, 9), is_working=False)
    workdays.forget_overrides()
    with django_assert_num_queries(1):
        assert add_working_days(D(2025, 9, 26), 30) > D(2025, 11, 1)
        assert working_days_between(D(2025, 1, 1), D(2025, 12, 31)) > 240
    with django_assert_num_queries(0):
        add_working_days(D(2025, 9, 26), 10)


# --- a year the package does not cover ----------------------------------------------------------


@pytest.mark.django_db
def test_a_year_outside_the_table_counts_monday_to_friday_and_warns_once(caplog):
    caplog.set_level(logging.WARNING, logger="shangliang.core.workdays")
    friday = D(2030, 1, 4)
    assert is_working_day(friday) is True
    assert is_working_day(D(2030, 1, 5)) is False  # Saturday
    assert add_working_days(friday, 1) == D(2030, 1, 7)
    assert add_working_days(friday, 10) == D(2030, 1, 18)
    warnings = [r for r in caplog.records if r.name == "shangliang.core.workdays"]
    assert len(warnings) == 1 and "2030" in warnings[0].getMessage()
    assert add_working_days(D(2003, 12, 31), 1) == D(2004, 1, 2)  # 2003 unknown, 2004-01-01 a holiday


@pytest.mark.django_db
def test_local_days_apply_in_a_year_outside_the_table():
    WorkdayOverride.objects.create(day=D(2030, 1, 5), is_working=True, note="2030年调休（国务院通知）")
    WorkdayOverride.objects.create(day=D(2030, 1, 7), is_working=False)
    assert add_working_days(D(2030, 1, 4), 2) == D(2030, 1, 8)


# --- deadlines by key (SHANGLIANG_DEADLINE_COUNTING) ---------------------------------------------


@pytest.mark.django_db
def test_each_deadline_counts_as_its_setting_says(settings):
    settings.SHANGLIANG_DEADLINE_COUNTING = {**settings.SHANGLIANG_DEADLINE_COUNTING, "return": "working"}
    assert deadline_on("return", D(2025, 9, 26), 10) == D(2025, 10, 16)
    assert period_label("return", 5) == "5个工作日"
    settings.SHANGLIANG_DEADLINE_COUNTING = {**settings.SHANGLIANG_DEADLINE_COUNTING, "return": "calendar"}
    assert deadline_on("return", D(2025, 9, 26), 10) == D(2025, 10, 6)
    assert period_label("return", 5) == "5天"


@pytest.mark.django_db
def test_a_deadline_moment_keeps_the_time_of_day_and_goes_back_for_overdue_checks(settings):
    assigned = timezone.make_aware(datetime.datetime(2025, 9, 26, 15, 30))
    settings.SHANGLIANG_DEADLINE_COUNTING = {**settings.SHANGLIANG_DEADLINE_COUNTING, "return": "calendar"}
    assert deadline_at("return", assigned, 5) == assigned + datetime.timedelta(days=5)
    settings.SHANGLIANG_DEADLINE_COUNTING = {**settings.SHANGLIANG_DEADLINE_COUNTING, "return": "working"}
    until = timezone.localtime(deadline_at("return", assigned, 5))
    assert (until.date(), until.time()) == (D(2025, 10, 10), datetime.time(15, 30))  # 9-28, 9-29, 9-30, 10-09, 10-10
    # Handed on or after the 3rd working day before 10-09 (9-28): not yet due on 10-09.
    settings.SHANGLIANG_DEADLINE_COUNTING = {**settings.SHANGLIANG_DEADLINE_COUNTING, "handoff_answer": "working"}
    midnight = timezone.make_aware(datetime.datetime(2025, 10, 9))
    assert deadline_at("handoff_answer", midnight, -3) == timezone.make_aware(datetime.datetime(2025, 9, 28))


def test_the_written_reply_counts_working_days_and_the_others_calendar_days_by_default():
    assert project_settings.SHANGLIANG_DEADLINE_COUNTING == {
        "assignment": "calendar",
        "reply": "working",
        "return": "calendar",
        "publication": "calendar",
        "follow_up": "calendar",
        "dissent_explain": "calendar",
        "plan": "calendar",
        "handoff_answer": "calendar",
    }


def test_the_environment_sets_the_counting_and_a_typo_stops_the_start_up(monkeypatch):
    monkeypatch.setenv("SHANGLIANG_DEADLINE_COUNTING", "return=working, follow_up = working")
    counting = project_settings._deadline_counting()
    assert counting["return"] == counting["follow_up"] == counting["reply"] == "working"
    assert counting["publication"] == "calendar"
    for wrong in ("retrun=working", "return=workdays", "return"):
        monkeypatch.setenv("SHANGLIANG_DEADLINE_COUNTING", wrong)
        with pytest.raises(ImproperlyConfigured):
            project_settings._deadline_counting()


# --- the admin page -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_an_administrator_sets_local_days_in_the_admin(client):
    users = get_user_model().objects
    url = reverse("admin:core_workdayoverride_changelist")
    client.force_login(users.create(username="clerk", is_staff=True))  # staff without the permission
    assert client.get(url).status_code == 403
    client.force_login(users.create(username="resident"))
    assert client.get(url).status_code == 302  # to the admin's login
    root = users.create(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert add_working_days(D(2025, 9, 26), 10) == D(2025, 10, 16)
    response = client.post(
        reverse("admin:core_workdayoverride_add"), {"day": "2025-10-09", "is_working": "", "note": "地方放假"}
    )
    assert response.status_code == 302
    assert add_working_days(D(2025, 9, 26), 10) == D(2025, 10, 17)
    page = client.get(url).content.decode()
    assert "2025" in page and "地方放假" in page and "周四" in page
    override = WorkdayOverride.objects.get()
    assert override.history.get().history_user == root


@pytest.mark.django_db
def test_the_admin_refuses_a_day_twice_and_a_day_out_of_range(client):
    client.force_login(get_user_model().objects.create(username="root", is_staff=True, is_superuser=True))
    WorkdayOverride.objects.create(day=D(2025, 10, 9), is_working=False)
    add = reverse("admin:core_workdayoverride_add")
    twice = client.post(add, {"day": "2025-10-09", "is_working": "on", "note": ""})
    assert twice.status_code == 200 and WorkdayOverride.objects.count() == 1
    far = client.post(add, {"day": "1900-01-01", "is_working": "on", "note": ""})
    assert far.status_code == 200 and "日期须在" in far.content.decode()
    assert WorkdayOverride.objects.count() == 1
