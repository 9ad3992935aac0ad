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


def save_record(obj, *, actor, reason: str = "", note: str = "", update_fields=None, now=None, m2m=None):
    """Validate (fields and database constraints) and save; the history row gets ``actor``, ``reason`` and ``note``.

    ``reason`` is a registered code, ``note`` the person's free text (kept whole). ``now`` dates the
    history row of a past event being replayed (seeding, imports); default the clock. ``m2m`` sets
    many-to-many values as part of the same change (``{"regions": [...]}``): one history row records
    the save and the values together (``set_many``). Raises ValueError for an unknown reason code,
    ValidationError for an invalid record.
    """
    stamp_history(obj, actor=actor, reason=reason, note=note, now=now)
    obj.full_clean()
    m2m = {name: list(items) for name, items in (m2m or {}).items()}
    is_new = obj._state.adding
    obj.save(update_fields=update_fields)
    if m2m and not (is_new and not any(m2m.values())):  # a new record has no values to clear
        set_many(obj, m2m)
    return obj


def _history_manager(obj):
    name = getattr(obj._meta, "simple_history_manager_attribute", None)
    return getattr(obj, name) if name else None


def set_many(obj, values: dict) -> None:
    """Set many-to-many ``values`` of a record just saved, in the history row that save wrote.

    django-simple-history writes one more row for each change of a tracked many-to-many field
    (django-simple-history#1313), so drafting a topic or handing out an item with co-units showed the
    action twice. The rows those changes write are folded into the save's own row: it keeps its type,
    date, actor and reason and takes the values as set; the extra rows go. Call it inside the
    transaction of the save, right after it.
    """
    history = _history_manager(obj)
    saved = history.order_by("-history_id").first() if history is not None else None
    for name, items in values.items():
        getattr(obj, name).set(items)
    if saved is None:
        return
    extra = history.filter(history_id__gt=saved.history_id)
    last = extra.order_by("-history_id").first()
    if last is None:
        return
    historical = type(saved)
    for field in historical._history_m2m_fields:
        rows = vars(historical)[field.name].model.objects
        rows.filter(history=saved).delete()
        rows.filter(history=last).update(history=saved)
        rows.filter(history__in=extra).delete()
    extra.delete()
