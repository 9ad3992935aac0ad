"""The database rules that models of every stage declare the same way (the database guards what it can)."""

from django.db import models
from django.db.models import Q


def valid_choices(prefix: str, **fields: type[models.Choices]) -> list[models.CheckConstraint]:
    """For each field, a check that its value is one of its choices, named ``<prefix>_<field>_valid``."""
    return [
        models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=f"{prefix}_{field}_valid")
        for field, choices in fields.items()
    ]


def once_per_deadline(item: str, kinds: type[models.Choices], prefix: str) -> list[models.BaseConstraint]:
    """A reminder step (``core.models.ReminderStep``) is sent once per ``item``, step and deadline; the
    step is one of ``kinds``."""
    return [
        models.UniqueConstraint(fields=[item, "kind", "deadline"], name=f"{prefix}_reminder_once"),
        *valid_choices(f"{prefix}_reminder", kind=kinds),
    ]
