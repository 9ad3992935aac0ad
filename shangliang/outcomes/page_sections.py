"""Sections that apps above outcomes add to its pages: the public result of a consultation, an item's page.

outcomes may not import the apps above it (``funds`` shows the spending on a result and the fund requests
of an item). Such an app registers a function in its ``AppConfig.ready``, the way apps register with
``core.media``; the page calls every registered function and includes each section's template with its
context. A function returns None when it has nothing to show.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Section:
    """A template included on the page, with its own context (the page's context is not passed on)."""

    template: str
    context: dict = field(default_factory=dict)


PublicSection = Callable[..., Section | None]  # (consultation) -> Section | None
AssignmentSection = Callable[..., Section | None]  # (user, assignment) -> Section | None

_public: list[PublicSection] = []
_assignment: list[AssignmentSection] = []


def register_public_section(builder: PublicSection) -> None:
    """``builder(consultation)``: a section of the public result page (no person, no phone number)."""
    if builder not in _public:
        _public.append(builder)


def register_assignment_section(builder: AssignmentSection) -> None:
    """``builder(user, assignment)``: a section of the item's staff page."""
    if builder not in _assignment:
        _assignment.append(builder)


def public_sections(consultation) -> list[Section]:
    return [s for s in (builder(consultation) for builder in _public) if s is not None]


def assignment_sections(user, assignment) -> list[Section]:
    return [s for s in (builder(user, assignment) for builder in _assignment) if s is not None]
