"""Reminders and escalation (督办提醒): which step goes out on which day, to whom, and only once."""

import datetime
import logging
import threading
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from shangliang.celery import app as celery_app
from shangliang.core import scheduler
from shangliang.core.models import Delivery, DeliveryStatus, Notification
from shangliang.core.senders import Result
from shangliang.orgs import services as org_services
from shangliang.orgs.models import ScopedRole
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import make_user
from shangliang.outcomes import services
from shangliang.outcomes.models import Reminder
from shangliang.outcomes.reminders import reminders_run
from shangliang.outcomes.states import ReminderKind
from shangliang.outcomes.tasks import send_due_reminders
from shangliang.outcomes.tests.builders import assigned, concluded, liaison_of, make_unit

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2026, 6, 1)
HANDED_OUT = DEADLINE - datetime.timedelta(days=30)


def day(offset: int) -> datetime.date:
    return DEADLINE + datetime.timedelta(days=offset)


class RecordingSender:
    """Keeps what it sends; numbers in ``failing`` raise, as an SMS gateway that is down would."""

    sent: list = []
    failing: set = set()

    def __init__(self, channel):
        self.channel = channel

    def send(self, message):
        if message.to in type(self).failing:
            raise ConnectionError("短信网关无响应")
        type(self).sent.append(message)
        return Result(True, "recorded")


@pytest.fixture
def outbox(settings):
    path = f"{__name__}.RecordingSender"
    settings.SHANGLIANG_SENDERS = {"sms": path, "wechat": path}
    RecordingSender.sent, RecordingSender.failing = [], set()
    return RecordingSender


@pytest.fixture
def item(district, outbox):
    """One open assignment due on DEADLINE; its unit has a head and two liaisons, one without a mobile."""
    consultation = concluded(
        district, suggestions=["规划电动车停放点", "安排赶集日值守", "增设非机动车道", "清理僵尸车"]
    )
    head = make_user("jiangjuzhang", full_name="姜局长", mobile="13900000001")
    unit = make_unit(district["district"], head=head)
    texting = liaison_of(unit, "lianluoyuan", mobile="13900000002")
    app_only = liaison_of(unit, "lianluoyuan2")
    supervisor = make_user("duban", full_name="督办员", mobile="13900000003")
    assignment = assigned(consultation, unit=unit, deadline=DEADLINE, today=HANDED_OUT, supervisor=supervisor)
    return SimpleNamespace(
        consultation=consultation,
        unit=unit,
        head=head,
        texting=texting,
        app_only=app_only,
        supervisor=supervisor,
        assignment=assignment,
    )


def steps(assignment) -> list[tuple[str, datetime.date]]:
    return list(Reminder.objects.filter(assignment=assignment).order_by("pk").values_list("kind", "deadline"))


def titles(user) -> list[str]:
    """The reminders ``user`` received (the message telling liaisons of the 交办 itself left out)."""
    messages = Notification.objects.filter(user=user).exclude(title__startswith="【新交办】")
    return list(messages.order_by("pk").values_list("title", flat=True))


def texts_to(outbox, user) -> int:
    """Reminder texts to ``user`` (the text telling liaisons of the 交办 itself left out)."""
    return sum(1 for message in outbox.sent if message.to == user.mobile and not message.title.startswith("【新交办】"))


# --- which step, which day -----------------------------------------------------------------


def test_each_step_goes_out_once_on_its_day(item):
    fired = []
    for offset in range(-8, 12):
        before = {kind for kind, _deadline in steps(item.assignment)}
        sent = reminders_run(today=day(offset))
        new = {kind for kind, _deadline in steps(item.assignment)} - before
        assert sent == len(new)
        fired += [(offset, kind) for kind in new]
    assert fired == [
        (-3, ReminderKind.DUE_SOON),
        (1, ReminderKind.OVERDUE),
        (3, ReminderKind.HEAD_NOTICE),
        (7, ReminderKind.DISTRICT_BOARD),
    ]
    assert {deadline for _kind, deadline in steps(item.assignment)} == {DEADLINE}


def test_the_circle_widens_from_liaisons_to_supervisor_to_unit_head(item, outbox, django_capture_on_commit_callbacks):
    for offset in (-3, 1, 3, 7):
        # Texts go out after each step's commit.
        with django_capture_on_commit_callbacks(execute=True):
            reminders_run(today=day(offset))
    prefixes = [title.split("】")[0] + "】" for title in titles(item.texting)]
    assert prefixes == ["【督办提醒】", "【逾期提醒】", "【督办通知】", "【逾期通报】"]
    assert titles(item.app_only) == titles(item.texting)
    assert [t.split("】")[0] + "】" for t in titles(item.supervisor)] == prefixes[1:]
    assert [t.split("】")[0] + "】" for t in titles(item.head)] == prefixes[2:]
    assert "姜局长" not in "".join(titles(item.head))  # the notice names the unit, not the person
    assert item.unit.name in titles(item.head)[0]
    recipients = dict(Reminder.objects.filter(assignment=item.assignment).values_list("kind", "recipients"))
    assert recipients == {
        ReminderKind.DUE_SOON: 2,
        ReminderKind.OVERDUE: 3,
        ReminderKind.HEAD_NOTICE: 4,
        ReminderKind.DISTRICT_BOARD: 4,
    }
    # SMS goes to everyone with a mobile, once per step; the liaison without one is told in the app only.
    assert (texts_to(outbox, item.texting), texts_to(outbox, item.supervisor), texts_to(outbox, item.head)) == (
        4,
        3,
        2,
    )
    assert len([m for m in outbox.sent if not m.title.startswith("【新交办】")]) == 9


def test_liaisons_of_the_lead_unit_get_an_in_app_notification(item, district):
    elsewhere = liaison_of(make_unit(district["district"], name="区交通运输局"), "qita")
    former = liaison_of(item.unit, "lizhi")
    org_services.role_revoke(
        actor=None, scoped_role=ScopedRole.objects.get(user=former, unit=item.unit, role=Role.UNIT_LIAISON)
    )
    assert reminders_run(today=day(-3)) == 1
    url = reverse("outcomes:assignment", args=[item.assignment.pk])
    for liaison in (item.texting, item.app_only):
        note = Notification.objects.exclude(title__startswith="【新交办】").get(user=liaison)
        assert note.title == f"【督办提醒】“规划电动车停放点”将于{DEADLINE.isoformat()}到期"
        assert note.url == url and item.unit.name in note.body and note.read_at is None
    assert not Notification.objects.filter(user__in=[elsewhere, former, item.supervisor, item.head]).exists()


# --- once only -----------------------------------------------------------------------------


def test_a_second_run_on_the_same_day_sends_nothing(item, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_run(today=day(7)) == 3  # overdue, head notice and district board at once
    rows, notes, texts = Reminder.objects.count(), Notification.objects.count(), len(outbox.sent)
    assert texts > 0
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_run(today=day(7)) == 0
        assert reminders_run(today=day(8)) == 0
    assert (Reminder.objects.count(), Notification.objects.count(), len(outbox.sent)) == (rows, notes, texts)


def test_a_failed_sms_is_logged_and_does_not_hold_up_the_step_or_the_others(
    item, outbox, district, caplog, django_capture_on_commit_callbacks
):
    other_unit = make_unit(district["district"], name="区城管局")
    other_liaison = liaison_of(other_unit, "chengguan", mobile="13900000004")
    other = assigned(item.consultation, unit=other_unit, order=1, deadline=DEADLINE, today=HANDED_OUT)
    outbox.failing.add(item.texting.mobile)
    with (
        caplog.at_level(logging.ERROR, logger="shangliang.core.dispatch"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert reminders_run(today=day(-3)) == 2
    refused = Delivery.objects.get(channel="sms", recipient=item.texting.mobile, reason__startswith="reminder.")
    assert f"sms for {refused.reason} (row {refused.pk}) cut off" in caplog.text
    # The gateway never answered: it may have sent the text (结果不明), so it is never sent again.
    assert refused.status == DeliveryStatus.UNKNOWN and "短信网关无响应" in refused.detail
    # The step stands: recorded once, in-app messages delivered, only the refused text is missing.
    assert steps(item.assignment) == [(ReminderKind.DUE_SOON, DEADLINE)]
    assert len(titles(item.texting)) == len(titles(item.app_only)) == 1
    assert texts_to(outbox, item.texting) == 0
    assert steps(other) == [(ReminderKind.DUE_SOON, DEADLINE)]
    assert titles(other_liaison) and texts_to(outbox, other_liaison) == 1

    # The next run does not send the step again to anyone.
    outbox.failing.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_run(today=day(-2)) == 0
    assert texts_to(outbox, other_liaison) == 1 and len(titles(item.app_only)) == 1


def test_a_unit_without_a_liaison_gets_its_reminder_once_one_is_named(district, outbox):
    unit = make_unit(district["district"], name="区水利局")
    consultation = concluded(district, title="河道清淤")
    assignment = assigned(consultation, unit=unit, deadline=DEADLINE, today=HANDED_OUT)
    assert reminders_run(today=day(-3)) == 0
    assert steps(assignment) == []
    liaison = liaison_of(unit, "shuili")
    assert reminders_run(today=day(-2)) == 1
    assert steps(assignment) == [(ReminderKind.DUE_SOON, DEADLINE)] and len(titles(liaison)) == 1


# --- deadline moved, item closed -----------------------------------------------------------


def test_an_approved_extension_starts_the_steps_again_for_the_new_deadline(item):
    reminders_run(today=day(-3))
    reminders_run(today=day(1))
    new_deadline = day(20)
    request = services.extension_request(
        actor=item.texting, assignment=item.assignment, requested_deadline=new_deadline, reason="雨季无法施工"
    )
    services.extension_decide(actor=item.supervisor, extension=request, approve=True, note="同意")
    # The old deadline's later steps no longer fire; the new one's steps wait for their days.
    for offset in range(2, 17):
        assert reminders_run(today=day(offset)) == 0, offset
    assert reminders_run(today=day(17)) == 1
    assert reminders_run(today=day(21)) == 1
    assert steps(item.assignment) == [
        (ReminderKind.DUE_SOON, DEADLINE),
        (ReminderKind.OVERDUE, DEADLINE),
        (ReminderKind.DUE_SOON, new_deadline),
        (ReminderKind.OVERDUE, new_deadline),
    ]
    assert "2026-06-21" in titles(item.texting)[2]


def test_a_refused_extension_lets_escalation_go_on(item):
    reminders_run(today=day(1))
    request = services.extension_request(
        actor=item.texting, assignment=item.assignment, requested_deadline=day(20), reason="人手不足"
    )
    services.extension_decide(actor=item.supervisor, extension=request, approve=False, note="理由不充分")
    assert reminders_run(today=day(3)) == 1
    assert steps(item.assignment)[-1] == (ReminderKind.HEAD_NOTICE, DEADLINE)


def test_done_deferred_and_returned_items_get_nothing(item, district):
    consultation, unit, liaison = item.consultation, item.unit, item.texting

    def handed(order):
        return assigned(consultation, unit=unit, order=order, deadline=DEADLINE, today=HANDED_OUT)

    done, deferred, returned = handed(1), handed(2), handed(3)
    for assignment in (done, deferred):
        services.assignment_accept(actor=liaison, assignment=assignment)
    services.progress_add(actor=liaison, assignment=done, unit=unit, progress="已划线")
    services.assignment_complete(actor=liaison, assignment=done, result="停放点已建成")
    services.assignment_defer(actor=liaison, assignment=deferred, reason="道路改造后再实施")
    services.assignment_return(actor=liaison, assignment=returned, reason="不属于本单位职责")
    # The open item of the same unit and deadline still gets its three steps.
    assert reminders_run(today=day(7)) == 3
    assert Reminder.objects.exclude(assignment=item.assignment).count() == 0
    assert len(steps(item.assignment)) == 3


def test_an_accepted_item_is_still_reminded(item):
    services.assignment_accept(actor=item.texting, assignment=item.assignment)
    assert reminders_run(today=day(-1)) == 1


# --- entry points: command, task, schedule -------------------------------------------------


def test_run_reminders_command_sends_the_steps_of_the_given_day(item):
    out = StringIO()
    call_command("run_reminders", "--date", day(1).isoformat(), stdout=out)
    assert out.getvalue().strip() == "已发送督办提醒 1 项。"
    assert steps(item.assignment) == [(ReminderKind.OVERDUE, DEADLINE)]
    out = StringIO()
    call_command("run_reminders", "--date", day(1).isoformat(), stdout=out)
    assert out.getvalue().strip() == "已发送督办提醒 0 项。"
    with pytest.raises(CommandError):
        call_command("run_reminders", "--date", "2026-13-01")


def test_run_reminders_command_uses_today_by_default(district, outbox):
    consultation = concluded(district)
    unit = make_unit(district["district"])
    liaison_of(unit)
    assignment = assigned(consultation, unit=unit, days=2)
    out = StringIO()
    call_command("run_reminders", stdout=out)
    assert "1 项" in out.getvalue()
    assert steps(assignment) == [(ReminderKind.DUE_SOON, assignment.deadline)]


def test_celery_task_runs_the_reminders_of_today(district, outbox):
    consultation = concluded(district)
    unit = make_unit(district["district"])
    liaison_of(unit)
    assignment = assigned(consultation, unit=unit, days=1)
    assert send_due_reminders.apply().get() == 1
    assert send_due_reminders.apply().get() == 0
    assert [kind for kind, _deadline in steps(assignment)] == [ReminderKind.DUE_SOON]


def test_beat_schedule_names_a_registered_task_and_late_acknowledgement(settings):
    celery_app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["send-due-reminders"]
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"] == datetime.timedelta(minutes=settings.SHANGLIANG_REMINDER_INTERVAL_MINUTES)
    assert celery_app.conf.task_acks_late and celery_app.conf.task_reject_on_worker_lost
    assert ("shangliang.outcomes.reminders.reminders_run", 60) in settings.SHANGLIANG_PERIODIC_JOBS


# --- the in-process scheduler --------------------------------------------------------------

calls: list[str] = []


def tick():
    calls.append("tick")


def explode():
    calls.append("explode")
    raise RuntimeError("job failed")


def test_scheduler_logs_a_failing_job_and_keeps_running_the_others(caplog):
    calls.clear()
    stop = threading.Event()
    jobs = [(f"{__name__}.explode", 0), (f"{__name__}.tick", 0)]
    with caplog.at_level(logging.ERROR, logger="shangliang.core.scheduler"):
        thread = scheduler.scheduler_start(jobs=jobs, tick=0.01, stop=stop)
        assert thread is not None and thread.daemon
        # A second start in the same process is refused while the first thread runs.
        assert scheduler.scheduler_start(jobs=jobs, tick=0.01) is None
        deadline = timezone.now() + datetime.timedelta(seconds=10)
        while calls.count("tick") < 3 and timezone.now() < deadline:
            threading.Event().wait(0.01)
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()
    assert calls.count("tick") >= 3 and calls.count("explode") >= 3
    assert f"periodic job {__name__}.explode failed" in caplog.text
