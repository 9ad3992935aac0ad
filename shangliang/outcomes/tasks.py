"""Celery tasks of the outcomes stage (SHANGLIANG_SCHEDULER=celery; beat enqueues them)."""

from celery import shared_task

from shangliang.outcomes.reminders import outcome_reminders_run, reminders_run


@shared_task
def send_due_reminders() -> int:
    """Send the reminder and escalation steps due today; returns how many went out.

    Safe to run twice or concurrently, and to redeliver after a lost worker: each step is a unique
    row written in the transaction that sends it.
    """
    return reminders_run()


@shared_task
def send_outcome_reminders() -> int:
    """Remind units owing a written reply (and escalate), and conveners of results not yet published.

    Once-only rows (``core.models.OnceStep``) make reruns and redelivered tasks harmless.
    """
    return outcome_reminders_run()
