"""Matters handed to another channel (制度衔接: 党委、人大、政府、政协提案、人民团体、社会组织、12345热线).

A submission, a topic or a consultation's suggestion may be handed to another channel, which then
settles it: the submission leaves the screening queue, the topic is no longer offered for planning,
the suggestion is not waited on for a decision or an assignment. The hand-offs are recorded by a
later app (``handoffs``), which these apps may not import; it registers here when it loads
(``register``), the way evaluation registers with ``topics.tracking``. Without a registration nothing
counts as handed off.

``kind`` is "submission", "topic" or "suggestion".
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import CharField, Expression, Q, QuerySet, Value

KINDS = ("submission", "topic", "suggestion")


@dataclass(frozen=True)
class HandedOff:
    """What a page may say of a live hand-off: the channel, to whom (a body, never a person), when, the answer."""

    channel: str  # the channel in words: 政协提案, 12345热线 …
    to: str
    at: datetime
    reason: str = ""
    answer: str = ""
    answered_at: datetime | None = None
    pk: int | None = None  # the hand-off's own record, for staff pages' links


@dataclass(frozen=True)
class Registration:
    # kind → a queryset of the pks (``values``) of the records with a live hand-off (not withdrawn)
    ids: Callable[[str], QuerySet]
    # kind, pks → {pk: HandedOff} of the live hand-off of each of those records (one query)
    lookup: Callable[[str, Iterable[int]], dict[int, HandedOff]]
    # kind, outer field → an expression giving the channel in words of the record's live hand-off, or null
    label: Callable[[str, str], Expression]
    # kind, outer field → annotations ({"handoff_pk": …, "handoff_channel": …}) carrying a ``HandedOff``'s fields
    annotations: Callable[[str, str], dict[str, Expression]]


_registration: Registration | None = None


def register(registration: Registration) -> None:
    global _registration
    _registration = registration


def handed_off_q(kind: str, prefix: str = "") -> Q:
    """Records of ``kind`` with a live hand-off; ``prefix`` reaches them from another model ("suggestions__")."""
    if _registration is None:
        return Q(**{f"{prefix}pk__in": []})
    return Q(**{f"{prefix}pk__in": _registration.ids(kind)})


def handed_off(kind: str, pks: Iterable[int]) -> dict[int, HandedOff]:
    """The live hand-off of each of these records that has one (one query; none when ``pks`` is empty)."""
    pks = [pk for pk in pks if pk]
    if _registration is None or not pks:
        return {}
    return _registration.lookup(kind, pks)


def handed_off_annotations(kind: str, outer: str = "pk", prefix: str = "") -> dict[str, Expression]:
    """Annotations that bring the live hand-off of the record at ``outer`` along in the same query (read by
    ``handed_off_from`` with the same ``prefix``)."""
    if _registration is None:
        return {}
    return {f"{prefix}{name}": value for name, value in _registration.annotations(kind, outer).items()}


def handed_off_from(record, prefix: str = "") -> HandedOff | None:
    """The live hand-off carried by ``handed_off_annotations`` on ``record`` (None when it has none)."""
    if getattr(record, f"{prefix}handoff_pk", None) is None:
        return None
    value = lambda name: getattr(record, f"{prefix}handoff_{name}")  # noqa: E731
    return HandedOff(
        channel=value("channel"),
        to=value("to"),
        at=value("at"),
        reason=value("reason"),
        answer=value("answer") or "",
        answered_at=value("answered_at"),
        pk=value("pk"),
    )


def is_annotated(record, prefix: str = "") -> bool:
    return hasattr(record, f"{prefix}handoff_pk")


def handed_off_label(kind: str, outer: str = "pk") -> Expression:
    """An annotation: the channel in words of the live hand-off of the record at ``outer``, or null."""
    if _registration is None:
        return Value(None, output_field=CharField())
    return _registration.label(kind, outer)
