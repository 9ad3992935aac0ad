"""What an official record's history says: a stable reason code, and the person's own words apart.

A history row stores the code of what happened (``topic.approved``, ``assignment.returned``) in
django-simple-history's reason column, never a translated sentence, so the record reads the same
whoever acted and in whatever language; the page translates the code when it shows the row. What
the person typed (the reason for a return, a cancellation, a correction) goes whole into the row's
own ``history_note`` column.

Each app declares its codes in ``<app>/states.py`` as ``AUDIT_REASONS = {code: label}``; the code
starts with the app's label's noun (``topic.``, ``assignment.``) and is looked up lazily, so core
imports no app.
"""

from functools import cache
from importlib import import_module

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

NOTE_LENGTH = 5000


class HistoryNote(models.Model):
    """Base of every historical model: the person's own words beside the reason code."""

    history_note = models.TextField(_("说明"), max_length=NOTE_LENGTH, blank=True, default="")

    class Meta:
        abstract = True

    @property
    def reason_display(self) -> str:
        label = reason_label(self.history_change_reason or "")
        if self.history_note:
            return f"{label}：{self.history_note}" if label else self.history_note
        return label


def history_records(**options) -> HistoricalRecords:
    """``HistoricalRecords`` with the note column; every official model's ``history`` uses this."""
    return HistoricalRecords(bases=[HistoryNote], **options)


@cache
def _registry() -> dict:
    reasons = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("shangliang."):
            continue
        try:
            module = import_module(f"{config.name}.states")
        except ModuleNotFoundError:
            continue
        reasons.update(getattr(module, "AUDIT_REASONS", {}))
    return reasons


def is_known(code: str) -> bool:
    return code in _registry()


def reason_label(code: str) -> str:
    """The translated label of a reason code; text written before codes existed is shown as it is."""
    label = _registry().get(code)
    return str(label) if label is not None else code


def attach_note(sender, instance, history_instance, **kwargs):
    """Copy the note a service set on the record (``_history_note``) into its new history row."""
    history_instance.history_note = getattr(instance, "_history_note", "") or ""
