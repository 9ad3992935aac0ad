"""Celery tasks of the evaluation stage (SHANGLIANG_SCHEDULER=celery; beat enqueues them)."""

from celery import shared_task

from shangliang.evaluation.reminders import follow_up_reminders_run


@shared_task
def send_follow_up_reminders() -> int:
    """Remind conveners of follow-ups due soon or overdue; once-only rows make reruns harmless."""
    return follow_up_reminders_run()
