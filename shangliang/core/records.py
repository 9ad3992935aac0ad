"""Saving an official record: validated, and its history row names who changed it and why."""

# The history's reason column (django-simple-history) holds 100 characters; a longer reason typed
# by a user stays whole on the record itself and is shortened only in the history line.
CHANGE_REASON_LENGTH = 100


def change_reason(reason: str) -> str:
    reason = str(reason)
    return reason if len(reason) <= CHANGE_REASON_LENGTH else reason[: CHANGE_REASON_LENGTH - 1] + "…"


def save_record(obj, *, actor, reason: str = "", update_fields=None):
    """Validate (fields and database constraints) and save; the history row gets ``actor`` and ``reason``."""
    obj.full_clean()
    obj._history_user = actor
    if reason:
        obj._change_reason = change_reason(reason)
    obj.save(update_fields=update_fields)
    return obj
