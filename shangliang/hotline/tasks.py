"""Celery tasks of the hotline (SHANGLIANG_SCHEDULER=celery; beat enqueues them)."""

from celery import shared_task

from shangliang.hotline.issues import prune_all


@shared_task
def prune_grouping() -> int:
    """Drop long-unrepeated single records from the grouping states; returns how many groups went."""
    return prune_all()
