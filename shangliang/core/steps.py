"""Once-only steps: a reminder or escalation that must reach people exactly once.

The caller's unique row (one per item, step and deadline) is inserted in the same transaction as
the in-app messages, so a second or concurrent run stops at the constraint and a run that dies
before committing leaves nothing (the next run sends the step). A text message the gateway refuses
is logged and not retried, so one bad number never makes the others receive the step again.
"""

import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction

from shangliang.core.models import Notification
from shangliang.core.senders import Message, sender_for


def send_once(
    record: Callable[[], object], users: list, *, title: str, body: str, url: str, logger: logging.Logger, what: str
) -> bool:
    """Insert the step's row with ``record()`` and tell ``users`` (inbox, and SMS to those with a mobile).

    Returns False when the row already exists (the step was sent by this or another run).
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                record()
        except IntegrityError:
            return False
        for user in users:
            Notification.objects.create(user=user, title=title, body=body, url=url)
        for user in users:
            if not user.mobile:
                continue
            try:
                sender_for("sms").send(Message(channel="sms", to=user.mobile, title=title, body=body, url=url))
            except Exception:  # the gateway refused one number; the step and the others stand
                logger.exception("%s: text to user %s failed", what, user.pk)
    return True
