"""Saving an official record: validated, and its history row names who changed it and why."""


def save_record(obj, *, actor, reason: str = "", update_fields=None):
    """Validate (fields and database constraints) and save; the history row gets ``actor`` and ``reason``."""
    obj.full_clean()
    obj._history_user = actor
    if reason:
        obj._change_reason = reason
    obj.save(update_fields=update_fields)
    return obj
