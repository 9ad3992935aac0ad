"""Reminders of a written reply owed (书面答复) and of results not published in time (公开提醒).

A report sent to a unit: its liaisons are told at once; before the due date they are reminded; the
day after it they and the unit's head; later the head and the supervision board are told. A report to
a free-text recipient reminds its sender instead. Each step once per due date, nobody of another
township or unit, and nothing once the reply is in.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.core.models import Channel, Delivery, Notification, OnceStep
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import services
from shangliang.outcomes.models import Assignment, OutcomeReport
from shangliang.outcomes.reminders import outcome_reminders_run
from shangliang.outcomes.states import ReportKind
from shangliang.outcomes.tests.builders import assigned, concluded, liaison_of, make_unit

pytestmark = pytest.mark.django_db

SENT_ON = datetime.date(2026, 6, 1)
DUE = SENT_ON + datetime.timedelta(days=10)


def day(offset: int) -> datetime.date:
    return DUE + datetime.timedelta(days=offset)


@pytest.fixture(autouse=True)
def deadlines(settings):
    settings.SHANGLIANG_REPLY_DAYS = 10
    # The reminder steps around a due date, in calendar days; working days are test_reply_working_days.py's.
    settings.SHANGLIANG_DEADLINE_COUNTING = {**settings.SHANGLIANG_DEADLINE_COUNTING, "reply": "calendar"}
    settings.SHANGLIANG_REPLY_REMIND_BEFORE_DAYS = 3
    settings.SHANGLIANG_REPLY_ESCALATE_DAYS = 5
    settings.SHANGLIANG_PUBLISH_DAYS = 7


@pytest.fixture
def world(district):
    """Village A1's concluded consultation; township A's government with a head and two liaisons; a
    supervisor of township A and one of township B; another unit's liaison."""
    convener = grant(
        make_user("zhaoji", full_name="李召集", mobile="13940000001"), Role.CONVENER, region=district["a1"]
    )
    head = make_user("zhenzhang", full_name="王镇长", mobile="13940000002")
    unit = make_unit(district["a"], "甲镇人民政府", head=head)
    other_unit = make_unit(district["b"], "乙镇人民政府")
    return SimpleNamespace(
        consultation=concluded(district, convener=convener),
        convener=convener,
        unit=unit,
        head=head,
        texting=liaison_of(unit, "lianluo", mobile="13940000003"),
        app_only=liaison_of(unit, "lianluo2"),
        supervisor=grant(make_user("duban", mobile="13940000004"), Role.SUPERVISOR, region=district["a"]),
        other_supervisor=grant(make_user("yiduban", mobile="13940000005"), Role.SUPERVISOR, region=district["b"]),
        other_liaison=liaison_of(other_unit, "yilianluo", mobile="13940000006"),
    )


def send(django_capture_on_commit_callbacks, world, *, unit=None, recipient="甲镇人民政府", entrusted=True):
    report = services.report_draft(
        actor=world.convener,
        consultation=world.consultation,
        kind=ReportKind.CONSULTATION_REPORT,
        recipient=recipient,
        recipient_unit=unit,
        is_entrusted=entrusted,
        title="关于集镇停车的协商报告",
    )
    sent_at = timezone.make_aware(datetime.datetime.combine(SENT_ON, datetime.time(10)))
    with django_capture_on_commit_callbacks(execute=True):
        return services.report_send(actor=world.convener, report=report, now=sent_at)


def run(django_capture_on_commit_callbacks, on: datetime.date) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return outcome_reminders_run(today=on)


def titles(user, prefix="【") -> list[str]:
    qs = Notification.objects.filter(user=user, title__startswith=prefix).exclude(title__startswith="【报送】")
    return list(qs.order_by("pk").values_list("title", flat=True))


def texts(mobile: str, reason_start: str = "report.reply.") -> list[str]:
    qs = Delivery.objects.filter(channel=Channel.SMS, recipient=mobile, reason__startswith=reason_start)
    return [reason.split(":")[0].split(".")[-1] for reason in qs.order_by("pk").values_list("reason", flat=True)]


# --- the report reaches its unit at once ------------------------------------------------------


def test_the_units_liaisons_are_told_at_once_when_a_report_is_sent_to_it(world, django_capture_on_commit_callbacks):
    report = send(django_capture_on_commit_callbacks, world, unit=world.unit)
    assert report.reply_due_on == DUE
    for liaison in (world.texting, world.app_only):
        message = Notification.objects.get(user=liaison, title__startswith="【报送】")
        assert message.title == "【报送】“关于集镇停车的协商报告”已报送本单位，请于2026-06-11前书面答复"
        assert message.url == reverse("outcomes:unit_report", args=[report.pk])
    assert texts("13940000003", "report.sent:") == ["sent"]
    # Nobody else: the head (the unit has liaisons), another unit, the supervisors.
    for user in (world.head, world.other_liaison, world.supervisor, world.other_supervisor):
        assert not Notification.objects.filter(user=user).exists()


def test_a_unit_without_liaisons_is_told_through_its_head(district, world, django_capture_on_commit_callbacks):
    head = make_user("juzhang", mobile="13940000009")
    unit = make_unit(district["district"], "区住建局", head=head)
    report = send(django_capture_on_commit_callbacks, world, unit=unit, recipient="区住建局")
    assert Notification.objects.get(user=head).url == reverse("outcomes:unit_report", args=[report.pk])
    assert texts("13940000009", "report.sent:") == ["sent"]


def test_a_report_to_a_free_text_recipient_tells_no_unit(world, django_capture_on_commit_callbacks):
    send(django_capture_on_commit_callbacks, world, recipient="镇党委")
    assert not Notification.objects.filter(title__startswith="【报送】").exists()


# --- reminders before and after the due date ------------------------------------------------------


def test_each_step_goes_out_once_on_its_day_to_the_right_people(world, django_capture_on_commit_callbacks):
    report = send(django_capture_on_commit_callbacks, world, unit=world.unit)
    fired = []
    for offset in range(-6, 9):
        before = set(OnceStep.objects.values_list("key", flat=True))
        sent = run(django_capture_on_commit_callbacks, day(offset))
        assert run(django_capture_on_commit_callbacks, day(offset)) == 0  # a second run the same day
        new = set(OnceStep.objects.values_list("key", flat=True)) - before
        assert sent == len(new)
        fired += [(offset, key.split(":")[0]) for key in new]
    assert fired == [(-3, "report.reply.due_soon"), (1, "report.reply.overdue"), (5, "report.reply.escalated")]
    assert all(key.endswith(f":{report.pk}:2026-06-11") for key in OnceStep.objects.values_list("key", flat=True))

    assert titles(world.texting) == [
        "【答复提醒】“关于集镇停车的协商报告”应于2026-06-11前书面答复",
        "【逾期提醒】“关于集镇停车的协商报告”已超过书面答复期限2026-06-11",
    ]
    assert titles(world.app_only) == titles(world.texting)
    assert texts("13940000003") == ["due_soon", "overdue"]
    assert titles(world.head) == [
        "【逾期提醒】“关于集镇停车的协商报告”已超过书面答复期限2026-06-11",
        "【督办通知】甲镇人民政府对“关于集镇停车的协商报告”的书面答复已逾期",
    ]
    assert texts("13940000002") == ["overdue", "escalated"]
    assert titles(world.supervisor) == ["【督办通知】甲镇人民政府对“关于集镇停车的协商报告”的书面答复已逾期"]
    assert texts("13940000004") == ["escalated"]
    # The unit's people open the unit's page, the board the staff page.
    unit_page = reverse("outcomes:unit_report", args=[report.pk])
    assert set(Notification.objects.filter(user__in=[world.texting, world.head]).values_list("url", flat=True)) == {
        unit_page
    }
    assert Notification.objects.get(user=world.supervisor).url == reverse("outcomes:report", args=[report.pk])
    # Another township's supervisor and another unit hear nothing.
    for user in (world.other_supervisor, world.other_liaison):
        assert not Notification.objects.filter(user=user).exists()
    assert not Delivery.objects.filter(recipient__in=["13940000005", "13940000006"]).exists()


def test_a_late_run_skips_the_reminder_before_the_due_date(world, django_capture_on_commit_callbacks):
    send(django_capture_on_commit_callbacks, world, unit=world.unit)
    assert run(django_capture_on_commit_callbacks, day(6)) == 2
    assert [key.split(":")[0] for key in OnceStep.objects.order_by("pk").values_list("key", flat=True)] == [
        "report.reply.overdue",
        "report.reply.escalated",
    ]


def test_a_new_due_date_starts_the_steps_again(world, django_capture_on_commit_callbacks):
    report = send(django_capture_on_commit_callbacks, world, unit=world.unit)
    assert run(django_capture_on_commit_callbacks, day(-2)) == 1
    OutcomeReport.objects.filter(pk=report.pk).update(reply_due_on=day(10))
    assert run(django_capture_on_commit_callbacks, day(-2)) == 0
    assert run(django_capture_on_commit_callbacks, day(8)) == 1
    assert run(django_capture_on_commit_callbacks, day(9)) == 0
    assert texts("13940000003") == ["due_soon", "due_soon"]
    assert sorted(key.rsplit(":", 1)[1] for key in OnceStep.objects.values_list("key", flat=True)) == [
        "2026-06-11",
        "2026-06-21",
    ]


def test_a_replied_report_is_not_reminded(world, django_capture_on_commit_callbacks):
    report = send(django_capture_on_commit_callbacks, world, unit=world.unit)
    services.report_reply(actor=world.texting, report=report, text="已安排专项资金。")
    assert run(django_capture_on_commit_callbacks, day(1)) == 0
    assert run(django_capture_on_commit_callbacks, day(6)) == 0
    assert not OnceStep.objects.exists()


def test_a_report_without_a_due_date_is_not_reminded(world, django_capture_on_commit_callbacks):
    send(django_capture_on_commit_callbacks, world, unit=world.unit, entrusted=False)
    assert run(django_capture_on_commit_callbacks, day(6)) == 0


def test_a_free_text_recipient_reminds_the_organiser_who_sent_it(world, django_capture_on_commit_callbacks):
    report = send(django_capture_on_commit_callbacks, world, recipient="镇党委")
    for offset in (-3, 1, 5):
        assert run(django_capture_on_commit_callbacks, day(offset)) == 1
    assert titles(world.convener) == [
        "【答复提醒】“关于集镇停车的协商报告”应于2026-06-11前书面答复",
        "【逾期提醒】“关于集镇停车的协商报告”已超过书面答复期限2026-06-11",
        "【督办通知】镇党委对“关于集镇停车的协商报告”的书面答复已逾期",
    ]
    assert set(Notification.objects.filter(user=world.convener).values_list("url", flat=True)) == {
        reverse("outcomes:report", args=[report.pk])
    }
    assert titles(world.supervisor) == ["【督办通知】镇党委对“关于集镇停车的协商报告”的书面答复已逾期"]
    for user in (world.texting, world.head, world.other_supervisor):
        assert not Notification.objects.filter(user=user).exists()


# --- results not published in time ------------------------------------------------------------


def test_the_convener_is_reminded_once_of_results_not_published_in_time(world, django_capture_on_commit_callbacks):
    item = assigned(world.consultation, unit=world.unit, order=0, supervisor=world.supervisor)
    other = assigned(world.consultation, unit=world.unit, order=1, supervisor=world.supervisor)
    services.assignment_accept(actor=world.texting, assignment=item)
    services.progress_add(actor=world.texting, assignment=item, unit=world.unit, progress="已选址")
    services.assignment_complete(actor=world.texting, assignment=item, result="划定停放点60个")
    services.assignment_check(item, actor=world.supervisor)
    services.assignment_accept(actor=world.texting, assignment=other)
    services.assignment_defer(actor=world.texting, assignment=other, reason="资金明年到位")
    finished = timezone.make_aware(datetime.datetime.combine(SENT_ON, datetime.time(9)))
    Assignment.objects.filter(pk=item.pk).update(done_at=finished, checked_at=finished)
    Assignment.objects.filter(pk=other.pk).update(deferred_at=finished)
    due = SENT_ON + datetime.timedelta(days=7)
    assert run(django_capture_on_commit_callbacks, due) == 0
    assert run(django_capture_on_commit_callbacks, due + datetime.timedelta(days=1)) == 1
    assert run(django_capture_on_commit_callbacks, due + datetime.timedelta(days=2)) == 0
    message = Notification.objects.get(user=world.convener, title__startswith="【公开提醒】")
    assert message.title == "【公开提醒】“集镇电动车乱停放”的落实结果应于2026-06-08前公开，尚未公开"
    assert message.url == reverse("outcomes:consultation", args=[world.consultation.pk]) + "#publication"
    assert texts("13940000001", "publication.overdue:") == ["overdue"]
    assert list(OnceStep.objects.values_list("key", flat=True)) == [
        f"publication.overdue:{world.consultation.pk}:2026-06-08"
    ]
    for user in (world.supervisor, world.other_supervisor, world.head):
        assert not Notification.objects.filter(user=user, title__startswith="【公开提醒】").exists()
