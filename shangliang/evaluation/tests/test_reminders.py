"""Follow-ups are tracked like assignments: reminded before the deadline, escalated after it, once each."""

import datetime

import pytest
from django.core.management import call_command

from shangliang.core.models import Notification
from shangliang.evaluation.models import FollowUp, FollowUpReminder
from shangliang.evaluation.reminders import follow_up_reminders_run
from shangliang.evaluation.states import FollowUpStatus
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes.tests.builders import concluded

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2026, 5, 20)


@pytest.fixture
def follow_up(district):
    consultation = concluded(district)
    return FollowUp.objects.create(
        consultation=consultation, unsatisfied_share=0.4, ratings_counted=10, deadline=DEADLINE
    )


@pytest.fixture
def supervisors(district):
    covering = make_user("sup_district", mobile="13900000001")
    grant(covering, Role.SUPERVISOR, region=district["district"])
    elsewhere = make_user("sup_b", mobile="13900000002")
    grant(elsewhere, Role.SUPERVISOR, region=district["b"])
    return covering, elsewhere


def titles(user):
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_nothing_before_the_reminder_window(follow_up):
    assert follow_up_reminders_run(today=DEADLINE - datetime.timedelta(days=4)) == 0
    assert not FollowUpReminder.objects.exists()


def test_the_convener_is_reminded_once_before_the_deadline(follow_up, supervisors):
    day = DEADLINE - datetime.timedelta(days=2)
    assert follow_up_reminders_run(today=day) == 1
    assert follow_up_reminders_run(today=day) == 0
    assert follow_up_reminders_run(today=DEADLINE) == 0
    convener = follow_up.consultation.convener
    assert [t for t in titles(convener) if t.startswith("【回访提醒】")] == [
        f"【回访提醒】“{follow_up.consultation.topic.title}”的回访重办将于2026-05-20到期"
    ]
    assert titles(supervisors[0]) == []


def test_overdue_goes_to_the_convener_and_the_supervisors_covering_the_region(follow_up, supervisors):
    covering, elsewhere = supervisors
    assert follow_up_reminders_run(today=DEADLINE + datetime.timedelta(days=1)) == 1
    assert follow_up_reminders_run(today=DEADLINE + datetime.timedelta(days=5)) == 0
    assert any(t.startswith("【回访逾期】") for t in titles(follow_up.consultation.convener))
    assert any(t.startswith("【回访逾期】") for t in titles(covering))
    assert titles(elsewhere) == []  # township B's supervisor does not cover township A
    assert FollowUpReminder.objects.get().recipients == 2


def test_a_closed_follow_up_is_not_reminded(follow_up):
    FollowUp.objects.filter(pk=follow_up.pk).update(status=FollowUpStatus.DONE)
    assert follow_up_reminders_run(today=DEADLINE + datetime.timedelta(days=1)) == 0


def test_the_cron_command_sends_the_due_steps(follow_up, capsys):
    call_command("run_follow_up_reminders", "--date", "2026-05-21")
    assert "已发送回访重办提醒 1 项" in capsys.readouterr().out
