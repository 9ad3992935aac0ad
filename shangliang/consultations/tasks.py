"""Celery tasks of the consultation stage (SHANGLIANG_SCHEDULER=celery; beat enqueues them)."""

from celery import shared_task

from shangliang.consultations.reminders import consultation_reminders_run


@shared_task
def send_consultation_reminders() -> int:
    """Remind participants before their session, conveners of topics to plan and dissents to explain.

    Safe to run twice or concurrently, and to redeliver after a lost worker: each step is a unique
    row written in the transaction that sends it.
    """
    return consultation_reminders_run()
