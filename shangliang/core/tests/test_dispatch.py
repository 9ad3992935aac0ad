"""The outbox: texts claimed before the gateway is called, passing refusals retried with backoff,
refusals and cut-off sends never sent again, lost dispatches picked up by the periodic run."""

import socket
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone

from shangliang.core import sms
from shangliang.core.dispatch import SEND_TASK, deliveries_dispatch, deliveries_run, deliveries_send
from shangliang.core.models import Delivery, DeliveryStatus
from shangliang.core.notify import Kind, notify
from shangliang.core.tasks import send_deliveries, send_due_deliveries
from shangliang.core.tests.fakes.sms_servers import KILLED_AFTER_SENDING, FakeAliyunSms, Killed, use_aliyun

pytestmark = pytest.mark.django_db

MOBILE = "13900000001"


@pytest.fixture
def aliyun(settings):
    with FakeAliyunSms(templates={"SMS_100001": ["code", "minutes"]}) as fake:
        use_aliyun(settings, fake, {Kind.CODE: ("SMS_100001", "code=code\nminutes=minutes")})
        yield fake


def queue_code(reason="code:1", mobile=MOBILE) -> None:
    notify(
        kind=Kind.CODE,
        reason=reason,
        recipients=[mobile],
        title="验证码",
        body="您的验证码为******。",
        params={"code": "654321", "minutes": "5"},
    )


def send_code(capture, reason="code:1", mobile=MOBILE) -> Delivery:
    with capture(execute=True):
        queue_code(reason, mobile)
    return Delivery.objects.get(reason=reason)


def test_a_throttled_text_is_sent_again_after_a_minute_and_then_exactly_once(
    aliyun, django_capture_on_commit_callbacks
):
    aliyun.throttle_next()
    row = send_code(django_capture_on_commit_callbacks)
    assert (row.status, row.attempts) == (DeliveryStatus.QUEUED, 1)
    assert row.detail.startswith("isv.BUSINESS_LIMIT_CONTROL") and aliyun.received == []
    first_try = row.next_attempt_at - timedelta(minutes=1)
    # Not due yet: nothing goes.
    assert deliveries_run(now=first_try + timedelta(seconds=30)) == 0 and aliyun.received == []
    assert deliveries_run(now=first_try + timedelta(seconds=61)) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.params) == (DeliveryStatus.SENT, 2, {})
    for minutes in (5, 60, 600):
        assert deliveries_run(now=first_try + timedelta(minutes=minutes)) == 0
    assert len(aliyun.received) == 1 and aliyun.last_code_for(MOBILE) == "654321"


def test_the_backoff_doubles_and_gives_up_after_the_last_attempt(aliyun, settings, django_capture_on_commit_callbacks):
    settings.SHANGLIANG_DELIVERY_MAX_ATTEMPTS = 3
    aliyun.throttle_number(MOBILE)
    row = send_code(django_capture_on_commit_callbacks)
    start = row.next_attempt_at - timedelta(minutes=1)
    deliveries_run(now=start + timedelta(minutes=1))
    row.refresh_from_db()
    assert row.attempts == 2 and row.next_attempt_at == start + timedelta(minutes=1 + 2)
    deliveries_run(now=start + timedelta(minutes=3))
    row.refresh_from_db()
    assert (row.status, row.attempts, row.params) == (DeliveryStatus.FAILED, 3, {})
    assert "已尝试3次" in row.detail and row.next_attempt_at is None
    deliveries_run(now=start + timedelta(hours=1))
    assert len(aliyun.refused) == 3 and aliyun.received == []


def test_a_refused_text_is_never_sent_again(aliyun, django_capture_on_commit_callbacks):
    aliyun.fail_number(MOBILE, "isv.OUT_OF_SERVICE", "业务停机")
    row = send_code(django_capture_on_commit_callbacks)
    assert (row.status, row.detail, row.params) == (DeliveryStatus.FAILED, "isv.OUT_OF_SERVICE: 业务停机", {})
    aliyun.release_number(MOBILE)
    assert deliveries_run(now=timezone.now() + timedelta(hours=1)) == 0
    assert len(aliyun.refused) == 1 and aliyun.received == []


def test_a_text_cut_off_after_the_gateway_accepted_it_is_never_sent_again_and_becomes_unknown(
    aliyun, settings, django_capture_on_commit_callbacks
):
    settings.SHANGLIANG_SENDERS = {**settings.SHANGLIANG_SENDERS, "sms": KILLED_AFTER_SENDING}
    with pytest.raises(Killed), django_capture_on_commit_callbacks(execute=True):
        queue_code()
    row = Delivery.objects.get(reason="code:1")
    # The claim was written before the gateway was called: the row stays claimed.
    assert (row.status, row.attempts) == (DeliveryStatus.SENDING, 1) and len(aliyun.received) == 1
    settings.SHANGLIANG_SENDERS = {**settings.SHANGLIANG_SENDERS, "sms": "shangliang.core.sms.AliyunSender"}
    claimed_at = row.sent_at
    assert deliveries_run(now=claimed_at + timedelta(minutes=5)) == 0
    assert deliveries_send([row.pk]) == 0
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENDING
    deliveries_run(now=claimed_at + timedelta(minutes=settings.SHANGLIANG_DELIVERY_STALE_MINUTES, seconds=1))
    row.refresh_from_db()
    assert (row.status, row.params) == (DeliveryStatus.UNKNOWN, {}) and "结果不明" in row.detail
    deliveries_run(now=claimed_at + timedelta(hours=2))
    assert len(aliyun.received) == 1


def closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def test_a_gateway_that_cannot_be_reached_is_tried_again_and_sends_once(
    aliyun, settings, django_capture_on_commit_callbacks
):
    reachable = settings.SHANGLIANG_ALIYUN_SMS
    settings.SHANGLIANG_ALIYUN_SMS = {**reachable, "endpoint": f"http://127.0.0.1:{closed_port()}"}
    row = send_code(django_capture_on_commit_callbacks)
    assert (row.status, row.attempts) == (DeliveryStatus.QUEUED, 1) and "Connect" in row.detail
    settings.SHANGLIANG_ALIYUN_SMS = reachable
    assert deliveries_run(now=row.next_attempt_at) == 1
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and len(aliyun.received) == 1


def test_a_gateway_that_times_out_leaves_the_text_unknown_and_never_sends_it_again(
    aliyun, settings, monkeypatch, django_capture_on_commit_callbacks
):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # takes the connection, never answers
    reachable = settings.SHANGLIANG_ALIYUN_SMS
    settings.SHANGLIANG_ALIYUN_SMS = {**reachable, "endpoint": f"http://127.0.0.1:{silent.getsockname()[1]}"}
    monkeypatch.setattr(sms, "READ_TIMEOUT", 1)
    try:
        row = send_code(django_capture_on_commit_callbacks)
    finally:
        silent.close()
    assert row.status == DeliveryStatus.UNKNOWN and row.params == {} and "结果不明" in row.detail
    settings.SHANGLIANG_ALIYUN_SMS = reachable
    deliveries_run(now=timezone.now() + timedelta(hours=1))
    assert aliyun.received == []


def test_texts_whose_dispatch_was_lost_are_sent_by_the_periodic_run(aliyun, django_capture_on_commit_callbacks):
    # The step committed but its process died before the after-commit dispatch ran.
    with django_capture_on_commit_callbacks(execute=False):
        queue_code()
    row = Delivery.objects.get(reason="code:1")
    assert row.status == DeliveryStatus.QUEUED and row.attempts == 0
    # A dispatch may still be on its way right after the commit: the run leaves fresh rows alone.
    assert deliveries_run(now=row.created_at + timedelta(seconds=30)) == 0
    assert deliveries_run(now=row.created_at + timedelta(minutes=2)) == 1
    assert deliveries_run(now=row.created_at + timedelta(minutes=4)) == 0
    assert len(aliyun.received) == 1


def test_a_row_is_claimed_once_however_many_runs_send_it(aliyun, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        queue_code()
    row = Delivery.objects.get(reason="code:1")
    assert deliveries_send([row.pk]) == 1
    assert deliveries_send([row.pk]) == 0 and send_deliveries([row.pk]) == 0
    assert len(aliyun.received) == 1


@pytest.mark.django_db(transaction=True)
def test_with_a_celery_worker_the_commit_enqueues_the_rows_instead_of_sending(aliyun, settings):
    settings.SHANGLIANG_SCHEDULER = "celery"
    settings.SHANGLIANG_TASKS_EAGER = False
    with mock.patch("shangliang.core.dispatch.current_app") as app:
        with transaction.atomic():
            queue_code()
            assert not app.send_task.called
        row = Delivery.objects.get(reason="code:1")
        app.send_task.assert_called_once_with(SEND_TASK, args=[[row.pk]])
        assert row.status == DeliveryStatus.QUEUED and aliyun.received == []
        # A broker that is down loses nothing: the rows wait for the periodic run.
        app.send_task.side_effect = ConnectionError("broker down")
        deliveries_dispatch([row.pk])
    assert send_deliveries([row.pk]) == 1 and len(aliyun.received) == 1


@pytest.mark.django_db(transaction=True)
def test_without_a_worker_a_thread_sends_the_rows_and_the_commit_does_not_wait(aliyun, settings):
    settings.SHANGLIANG_SCHEDULER = "inprocess"
    settings.SHANGLIANG_TASKS_EAGER = False
    started = []
    with mock.patch("shangliang.core.dispatch.threading.Thread") as thread:
        thread.side_effect = lambda target, args, daemon: started.append((target, args, daemon)) or mock.Mock()
        with transaction.atomic():
            queue_code()
        row = Delivery.objects.get(reason="code:1")
    # Nothing went out during the commit; the thread was handed the row.
    assert row.status == DeliveryStatus.QUEUED and aliyun.received == []
    [(target, args, daemon)] = started
    assert args == ([row.pk],) and daemon
    target(*args)  # the thread's work, run here
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and len(aliyun.received) == 1


def test_the_periodic_delivery_run_is_scheduled_every_minute():
    assert ("shangliang.core.dispatch.deliveries_run", 1) in django_settings.SHANGLIANG_PERIODIC_JOBS
    beat = django_settings.CELERY_BEAT_SCHEDULE["send-due-deliveries"]
    assert beat["task"] == send_due_deliveries.name == "shangliang.core.tasks.send_due_deliveries"
    assert beat["schedule"] == timedelta(minutes=1)
    assert send_deliveries.name == SEND_TASK
