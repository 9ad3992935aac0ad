"""Celery tasks of the core (SHANGLIANG_SCHEDULER=celery; beat enqueues them)."""

from celery import shared_task

from shangliang.core.jobs import stale_uploads_discard


@shared_task
def discard_stale_uploads() -> int:
    """Delete the files of import jobs that died with their process; safe to run at any time."""
    return stale_uploads_discard()
