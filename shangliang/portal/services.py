"""Writes of the portal: a user reading the messages of their own inbox."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from shangliang.core.models import Notification


@transaction.atomic
def notification_open(*, actor, pk, now=None) -> Notification:
    """Mark one of ``actor``'s messages read (once: the first reading time stays).

    Raises Http404 for a message that is not the actor's, so another user's id reveals nothing.
    """
    notification = get_object_or_404(Notification.objects.select_for_update(), pk=pk, user=actor)
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_all(*, actor, now=None) -> int:
    """Mark every unread message of ``actor`` read; returns how many were unread."""
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=now or timezone.now())
