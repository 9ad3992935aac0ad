"""Run periodic jobs in a thread of the web process (SHANGLIANG_SCHEDULER=inprocess).

A district on one server needs no queue for an hourly reminder run. Jobs are dotted paths with an
interval in minutes (``SHANGLIANG_PERIODIC_JOBS``), since core may not import the stages. Each
gunicorn worker process starts its own thread; the jobs are once-only by their own rows, so the
extra runs send nothing twice. Larger deployments use Celery beat instead (see ``shangliang.celery``).
"""

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_thread: threading.Thread | None = None


def run_job(path: str) -> None:
    """Run one job; a failure is logged and never reaches the caller, so the loop goes on."""
    # A connection left from the previous run may have been closed by the server meanwhile.
    close_old_connections()
    try:
        result = import_string(path)()
        logger.info("periodic job %s: %s", path, result)
    except Exception:
        logger.exception("periodic job %s failed", path)
    finally:
        close_old_connections()


def _loop(jobs: list[tuple[str, float]], stop: threading.Event, tick: float) -> None:
    next_run = {path: time.monotonic() for path, _minutes in jobs}
    while not stop.is_set():
        for path, minutes in jobs:
            if time.monotonic() >= next_run[path]:
                run_job(path)
                next_run[path] = time.monotonic() + minutes * 60
        stop.wait(tick)


def scheduler_start(*, jobs=None, tick: float = 30.0, stop: threading.Event | None = None) -> threading.Thread | None:
    """Start the jobs' thread once per process; returns it, or None when it was already running.

    Each job runs at start and then every ``minutes`` after the previous run ended.
    """
    global _thread
    jobs = list(settings.SHANGLIANG_PERIODIC_JOBS if jobs is None else jobs)
    with _lock:
        if _thread is not None and _thread.is_alive():
            return None
        _thread = threading.Thread(
            target=_loop, args=(jobs, stop or threading.Event(), tick), name="shangliang-scheduler", daemon=True
        )
        _thread.start()
    return _thread
