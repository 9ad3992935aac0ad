"""The reminder task on a real Celery worker and a real Redis, against the test database.

Runs only with ``SHANGLIANG_TEST_REDIS_URL`` (``scripts/with-test-redis``) on PostgreSQL
(``scripts/with-test-postgres``): the worker is another process and must open the same database,
and SQLite's test database lives in the memory of this process. The Redis database is flushed, so
point the variable at a throwaway server only.
"""

import datetime
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection
from django.db.models import F
from django.utils import timezone

from shangliang.consultations.defaults import ensure_session_formats
from shangliang.consultations.models import SessionFormat
from shangliang.core.dispatch import deliveries_run
from shangliang.core.models import Delivery, DeliveryStatus, Notification
from shangliang.core.senders import Result
from shangliang.orgs.tests.factories import make_user
from shangliang.outcomes.models import Reminder
from shangliang.outcomes.states import ReminderKind
from shangliang.outcomes.tests.builders import assigned, concluded, liaison_of, make_unit
from shangliang.topics.defaults import ensure_defaults
from shangliang.topics.models import Category, ExclusionRule

REDIS_URL = os.environ.get("SHANGLIANG_TEST_REDIS_URL", "")
BASE_DIR = Path(__file__).resolve().parents[3]
TASK = "shangliang.outcomes.tasks.send_due_reminders"
DELIVERIES_TASK = "shangliang.core.tasks.send_due_deliveries"

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not REDIS_URL, reason="needs SHANGLIANG_TEST_REDIS_URL (run under scripts/with-test-redis)"),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="SQLite's test database lives in this process's memory; the worker needs PostgreSQL "
        "(run under scripts/with-test-postgres)",
    ),
    pytest.mark.django_db(transaction=True),
]


def stall_once(path: str | None) -> None:
    """The first call anywhere creates ``path`` with this process's id and hangs, so the test can kill
    this process right there; later calls (and calls without a path) return at once."""
    if not path:
        return
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    time.sleep(300)


class FileSender:
    """Runs in the worker: appends each message as a JSON line to $SHANGLIANG_TEST_OUTBOX, as a
    gateway that takes it would.

    $SHANGLIANG_TEST_STALL: the first message hangs before it is sent (the gateway never got it).
    $SHANGLIANG_TEST_STALL_AFTER: the first message hangs after it is sent (the gateway took it, and
    the process dies before its status is written).
    """

    def __init__(self, channel):
        self.channel = channel

    def send(self, message):
        stall_once(os.environ.get("SHANGLIANG_TEST_STALL"))
        line = json.dumps({"pid": os.getpid(), "to": message.to, "title": message.title}, ensure_ascii=False)
        with open(os.environ["SHANGLIANG_TEST_OUTBOX"], "a", encoding="utf-8") as outbox:
            outbox.write(line + "\n")
        stall_once(os.environ.get("SHANGLIANG_TEST_STALL_AFTER"))
        # Slow enough that two runs started together are both inside the loop at once.
        time.sleep(0.05)
        return Result(True, "file")


def worker_database_url() -> str:
    """The URL of the database this test process uses (``test_<name>``), for the worker."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}{port}/{quote(db['NAME'], safe='')}"


class Worker:
    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.outbox = tmp_path / "outbox.jsonl"
        self.processes: list[subprocess.Popen] = []

    def start(self, **extra_env) -> subprocess.Popen:
        log = self.tmp_path / f"worker-{len(self.processes)}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "shangliang.test_settings",
            "SHANGLIANG_DATABASE_URL": worker_database_url(),
            "SHANGLIANG_DB_CONN_MAX_AGE": "0",
            "SHANGLIANG_REDIS_URL": REDIS_URL,
            "SHANGLIANG_SCHEDULER": "off",
            "SHANGLIANG_SMS_SENDER": f"{__name__}.FileSender",
            "SHANGLIANG_TEST_OUTBOX": str(self.outbox),
            **extra_env,
        }
        command = [
            *(sys.executable, "-m", "celery", "-A", "shangliang", "worker"),
            *("--pool", "prefork", "--concurrency", "2", "--loglevel", "INFO"),
            *("--without-gossip", "--without-mingle", "--hostname", f"test-{uuid.uuid4().hex[:8]}@%h"),
        ]
        # Its own session, so the finalizer can stop the worker together with its pool processes.
        with log.open("wb") as output:
            process = subprocess.Popen(
                command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        process.log = log
        self.processes.append(process)
        self._wait_ready(process)
        return process

    def _wait_ready(self, process, timeout=60.0):
        limit = time.monotonic() + timeout
        while time.monotonic() < limit:
            if process.poll() is not None:
                pytest.fail(f"the worker exited with {process.returncode}:\n{process.log.read_text()}")
            if " ready." in process.log.read_text(errors="replace"):
                return
            time.sleep(0.2)
        pytest.fail(f"the worker was not ready within {timeout:.0f} s:\n{process.log.read_text()}")

    def sent(self) -> list[dict]:
        if not self.outbox.exists():
            return []
        return [json.loads(line) for line in self.outbox.read_text(encoding="utf-8").splitlines()]

    def logs(self) -> str:
        return "\n".join(p.log.read_text(errors="replace") for p in self.processes)

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@pytest.fixture
def worker(transactional_db, tmp_path, request):
    redis.Redis.from_url(REDIS_URL).flushdb()
    # transactional tests before this one flushed the rows that migrations add.
    ensure_defaults(Category, ExclusionRule)
    ensure_session_formats(SessionFormat)
    workers = Worker(tmp_path)
    request.addfinalizer(workers.stop)
    return workers


@pytest.fixture
def client_app():
    """A client of the broker, as beat or the web process would be; the test process's own app
    keeps the settings it was loaded with."""
    app = Celery("shangliang-test-client", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    app.conf.task_serializer = "json"
    yield app
    app.close()


@pytest.fixture
def due(district):
    """Three open items of one unit: 8 days late, 3 days late and due tomorrow (six steps in all)."""
    today = timezone.localdate()
    consultation = concluded(district, suggestions=["规划电动车停放点", "安排赶集日值守", "增设非机动车道"])
    head = make_user("danweifuzeren", full_name="姜局长", mobile="13900000001")
    unit = make_unit(district["district"], head=head)
    liaisons = [liaison_of(unit, f"lianluoyuan{i}", mobile=f"1390000001{i}") for i in range(2)]
    supervisor = make_user("duban", full_name="督办员", mobile="13900000003")

    def item(order, offset):
        deadline = today + datetime.timedelta(days=offset)
        return assigned(
            consultation, unit=unit, order=order, deadline=deadline, today=min(deadline, today), supervisor=supervisor
        )

    late, less_late, soon = item(0, -8), item(1, -3), item(2, 1)
    return SimpleNamespace(
        people=[*liaisons, supervisor, head],
        expected={
            (late.pk, ReminderKind.OVERDUE),
            (late.pk, ReminderKind.HEAD_NOTICE),
            (late.pk, ReminderKind.DISTRICT_BOARD),
            (less_late.pk, ReminderKind.OVERDUE),
            (less_late.pk, ReminderKind.HEAD_NOTICE),
            (soon.pk, ReminderKind.DUE_SOON),
        },
        # liaisons (2) at every step, the supervisor once overdue, the head from the head notice on
        messages=3 + 4 + 4 + 3 + 4 + 2,
    )


def reminder_notes(people) -> list[tuple[int, str]]:
    """The reminders in ``people``'s inboxes (the message telling liaisons of the 交办 itself left out)."""
    notes = Notification.objects.filter(user__in=people).exclude(title__startswith="【新交办】")
    return list(notes.values_list("user_id", "title"))


def test_two_runs_enqueued_together_send_each_step_once(worker, client_app, due):
    worker.start()
    task = client_app.signature(TASK)
    first, second = task.delay(), task.delay()
    counts = [first.get(timeout=120), second.get(timeout=120)]
    assert sum(counts) == len(due.expected), worker.logs()
    rows = list(Reminder.objects.values_list("assignment_id", "kind"))
    assert len(rows) == len(due.expected) and set(rows) == due.expected
    notes = reminder_notes(due.people)
    assert len(notes) == len(set(notes)) == due.messages
    texts = [(m["to"], m["title"]) for m in worker.sent()]
    assert len(texts) == len(set(texts)) == due.messages
    assert Reminder.objects.get(assignment_id=min(pk for pk, _ in due.expected), kind="district_board").recipients == 4


def wait_for_stall(stall: Path, worker) -> int:
    limit = time.monotonic() + 60
    while not stall.exists() or not stall.read_text():
        assert time.monotonic() < limit, worker.logs()
        time.sleep(0.1)
    return int(stall.read_text())


def test_a_run_whose_worker_process_dies_mid_send_is_redelivered_and_sends_nothing_twice(
    worker, client_app, due, tmp_path
):
    stall = tmp_path / "stalled.pid"
    worker.start(SHANGLIANG_TEST_STALL=str(stall))
    result = client_app.signature(TASK).delay()
    pid = wait_for_stall(stall, worker)
    # Mid-send: the first step is committed with its inbox messages; its texts wait in the outbox,
    # the first one claimed (sending) before the gateway was called.
    assert Reminder.objects.count() == 1
    assert Delivery.objects.filter(status=DeliveryStatus.SENDING).count() == 1
    os.kill(pid, signal.SIGKILL)
    # The redelivered run sends the steps the dead one had not reached.
    assert result.get(timeout=120) == len(due.expected) - 1, worker.logs()
    assert "WorkerLostError" in worker.logs() or "exited prematurely" in worker.logs()
    assert set(Reminder.objects.values_list("assignment_id", "kind")) == due.expected
    assert Reminder.objects.count() == len(due.expected)
    notes = reminder_notes(due.people)
    assert len(notes) == len(set(notes)) == due.messages
    # The first step's other texts lost their dispatch with the process: the periodic delivery run
    # sends them once they have waited a minute.
    Delivery.objects.filter(status=DeliveryStatus.QUEUED).update(
        created_at=F("created_at") - datetime.timedelta(minutes=2)
    )
    client_app.signature(DELIVERIES_TASK).delay().get(timeout=120)
    assert not Delivery.objects.filter(status=DeliveryStatus.QUEUED).exists(), worker.logs()
    # The text cut off mid-send may have gone out: it is marked 结果不明, never sent again.
    deliveries_run(now=timezone.now() + datetime.timedelta(minutes=settings.SHANGLIANG_DELIVERY_STALE_MINUTES + 1))
    assert Delivery.objects.filter(status=DeliveryStatus.UNKNOWN).count() == 1
    texts = [(m["to"], m["title"]) for m in worker.sent()]
    assert len(texts) == len(set(texts)) == due.messages - 1


def test_a_worker_killed_after_the_gateway_took_a_text_sends_each_text_once(worker, client_app, due, tmp_path):
    stall = tmp_path / "stalled.pid"
    # Texts go through their own task (send_deliveries), as in production with a worker.
    worker.start(SHANGLIANG_TEST_STALL_AFTER=str(stall), SHANGLIANG_SCHEDULER="celery", SHANGLIANG_TASKS_EAGER="0")
    result = client_app.signature(TASK).delay()
    pid = wait_for_stall(stall, worker)
    # The gateway has the stalled process's text; its row is still claimed (sending) when the process
    # dies. (The other pool process goes on sending the other steps' texts meanwhile.)
    (taken,) = [m for m in worker.sent() if m["pid"] == pid]
    assert Delivery.objects.filter(status=DeliveryStatus.SENDING, recipient=taken["to"], title=taken["title"]).exists()
    os.kill(pid, signal.SIGKILL)
    assert result.get(timeout=120) == len(due.expected), worker.logs()
    # The redelivered task sends the other texts of its step; the claimed one is never sent again.
    limit = time.monotonic() + 120
    while len(worker.sent()) < due.messages or Delivery.objects.filter(status=DeliveryStatus.QUEUED).exists():
        assert time.monotonic() < limit, worker.logs()
        time.sleep(0.2)
    time.sleep(1)  # long enough for a text sent twice to show
    assert "WorkerLostError" in worker.logs() or "exited prematurely" in worker.logs()
    deliveries_run(now=timezone.now() + datetime.timedelta(minutes=settings.SHANGLIANG_DELIVERY_STALE_MINUTES + 1))
    cut_off = Delivery.objects.get(status=DeliveryStatus.UNKNOWN)
    assert (cut_off.recipient, cut_off.title) == (taken["to"], taken["title"])
    texts = [(m["to"], m["title"]) for m in worker.sent()]
    assert len(texts) == len(set(texts)) == due.messages
    notes = reminder_notes(due.people)
    assert len(notes) == len(set(notes)) == due.messages
