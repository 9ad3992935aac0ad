"""Celery tasks of the core (SHANGLIANG_SCHEDULER=celery; beat enqueues them)."""

from celery import shared_task

from shangliang.core.dispatch import deliveries_run, deliveries_send
from shangliang.core.jobs import stale_uploads_discard


@shared_task
def discard_stale_uploads() -> int:
    """Delete the files of import jobs that died with their process; safe to run at any time."""
    return stale_uploads_discard()


@shared_task
def send_deliveries(ids: list[int]) -> int:
    """Send the messages a committed step queued (``core.dispatch``); returns how many were accepted.

    Safe to redeliver after a lost worker: each row is claimed before it is sent, so a message the
    lost process was sending is never sent again and the others go once.
    """
    return deliveries_send(ids)


@shared_task
def send_due_deliveries() -> int:
    """Send queued messages that are due (retries, lost dispatches) and mark stuck ones 结果不明."""
    return deliveries_run()
