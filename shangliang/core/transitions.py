"""The one helper that moves a record from one status to another.

Each stage declares its moves as data: ``{from_status: {to_status, ...}}``. The helper checks
the move, stamps ``<to_status>_at`` when the model has such a field, saves only what changed
and records who moved it in the record's history.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core.errors import TransitionNotAllowed
from shangliang.core.records import stamp_history


def ensure_move(obj: models.Model, *, to: str, moves: dict, field: str = "status") -> None:
    """Raise TransitionNotAllowed unless the table allows the move; call before changing other fields."""
    current = getattr(obj, field)
    if to not in moves.get(current, ()):
        labels = dict(obj._meta.get_field(field).choices)
        raise TransitionNotAllowed(
            _("当前状态“%(current)s”不能变为“%(target)s”。")
            % {"current": labels.get(current, current), "target": labels.get(to, to)}
        )


def transition(
    obj: models.Model,
    *,
    to: str,
    moves: dict,
    actor,
    reason: str,
    note: str = "",
    field: str = "status",
    changes: dict | None = None,
    now=None,
):
    """Apply a move and the fields that belong with it (``changes``) in one save and one history row.

    ``reason`` is the registered code of the move (``topic.approved``; required, so every move says what
    it was), ``note`` the person's own words (a return's reason). Raises ValueError for an unknown code.

    ``now`` is the moment of the move (default the clock): it stamps ``<to>_at`` and dates the history row,
    so a past event being replayed (seeding, imports) reads as it happened.
    """
    ensure_move(obj, to=to, moves=moves, field=field)
    stamp_history(obj, actor=actor, reason=reason, note=note, now=now)
    setattr(obj, field, to)
    update_fields = [field]
    for name, value in (changes or {}).items():
        setattr(obj, name, value)
        update_fields.append(name)
    stamp = f"{to}_at"
    if stamp not in (changes or {}) and any(f.name == stamp for f in obj._meta.concrete_fields):
        setattr(obj, stamp, now or timezone.now())
        update_fields.append(stamp)
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        update_fields.append("updated_at")
    obj.save(update_fields=update_fields)
    return obj
