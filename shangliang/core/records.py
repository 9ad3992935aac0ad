"""Saving an official record: validated, and its history row names who changed it and why.

Why is a reason code registered in an app's ``AUDIT_REASONS`` (``core.audit``), never a translated
sentence; what the person typed (the reason for a return, a cancellation) is the row's note, kept whole.
"""

from shangliang.core.audit import is_known


def date_history(obj, now) -> None:
    """Date the next history row of ``obj`` at ``now`` (a replayed past event), or at the clock when None."""
    if now is None:
        obj.__dict__.pop("_history_date", None)
    else:
        obj._history_date = now


def stamp_history(obj, *, actor, reason: str, note: str = "", now=None) -> None:
    """Say who, why and when for the next history row of ``obj``; every write to an official record does.

    ``reason`` is a registered code (``topic.approved``) or "" for none; ``note`` is the person's own words.
    Raises ValueError for an unknown code, so a mistyped one fails in the tests, not in the history.
    """
    if reason and not is_known(reason):
        raise ValueError(f"unknown audit reason {reason!r}: declare it in the app's states.AUDIT_REASONS")
    obj._history_user = actor
    date_history(obj, now)
    obj._change_reason = reason or None
    obj._history_note = note


def save_record(obj, *, actor, reason: str = "", note: str = "", update_fields=None, now=None):
    """Validate (fields and database constraints) and save; the history row gets ``actor``, ``reason`` and ``note``.

    ``reason`` is a registered code, ``note`` the person's free text (kept whole). ``now`` dates the
    history row of a past event being replayed (seeding, imports); default the clock. Raises ValueError
    for an unknown reason code, ValidationError for an invalid record.
    """
    stamp_history(obj, actor=actor, reason=reason, note=note, now=now)
    obj.full_clean()
    obj.save(update_fields=update_fields)
    return obj
