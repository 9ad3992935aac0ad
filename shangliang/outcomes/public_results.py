"""What residents see of a consultation's results, on the public pages and the results poster.

No person, no phone number: only the suggestions, their status, the public body in charge and the results.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from shangliang.consultations import dissents, safeguards
from shangliang.consultations.models import Consultation
from shangliang.core.documents.formats import local_date
from shangliang.outcomes import decisions, permissions, selectors
from shangliang.outcomes.models import Publication
from shangliang.outcomes.states import AssignmentStatus

NOT_ASSIGNED = "not_assigned"
# Items the decision or the assembly's vote did not take up: shown with the reason (decisions.py).
NOT_TAKEN = (decisions.ItemState.NOT_ADOPTED, decisions.ItemState.DEFERRED, decisions.ItemState.DROPPED)
# Statuses with nothing more to come: done, deferred by the unit with a reason, or not taken up with one.
CLOSED_STATUSES = frozenset({AssignmentStatus.DONE, AssignmentStatus.DEFERRED, *NOT_TAKEN})


@dataclass
class PublicItem:
    """One suggestion as residents see it: no person, no phone number, only the public body in charge."""

    number: int
    text: str
    status: str
    status_label: str
    unit: str = ""
    deadline: datetime.date | None = None
    result: str = ""
    deferral_reason: str = ""
    done_on: datetime.date | None = None
    # The evidence photo, when the unit made it public and the check accepted the item (served by core.media).
    evidence_url: str = ""
    # Why it was not adopted, deferred or dropped by the vote (``NOT_TAKEN``).
    decision_reason: str = ""
    # ``safeguards.suggestion_marks``: (tone, words) of what happened to it beyond the session.
    marks: list = field(default_factory=list)

    @property
    def is_done(self) -> bool:
        return self.status == AssignmentStatus.DONE

    @property
    def is_deferred(self) -> bool:
        return self.status == AssignmentStatus.DEFERRED

    @property
    def is_not_taken(self) -> bool:
        return self.status in NOT_TAKEN


def public_items(consultation: Consultation) -> list[PublicItem]:
    """From ``selectors.board_consultations``' prefetch: costs no query."""
    items = []
    for number, suggestion in enumerate(consultation.suggestions.all(), start=1):
        live = [a for a in suggestion.assignments.all() if a.status != AssignmentStatus.RETURNED]
        if not live:
            state = decisions.item_state(suggestion, False)
            if state in NOT_TAKEN:
                label, reason = decisions.STATE_LABELS[state], decisions.state_reason(suggestion)
                items.append(PublicItem(number, suggestion.text, state, str(label), decision_reason=reason))
            else:
                items.append(PublicItem(number, suggestion.text, NOT_ASSIGNED, _("待交办")))
            continue
        assignment = live[0]
        items.append(
            PublicItem(
                number,
                suggestion.text,
                assignment.status,
                assignment.get_status_display(),
                unit=assignment.lead_unit.name,
                deadline=assignment.deadline,
                result=assignment.result if assignment.status == AssignmentStatus.DONE else "",
                deferral_reason=assignment.deferral_reason if assignment.status == AssignmentStatus.DEFERRED else "",
                done_on=local_date(assignment.done_at),
                evidence_url=assignment.evidence.url if permissions.is_public_evidence(assignment) else "",
            )
        )
    # What happened to each item beyond the session (contested, voted, corrected by the township): the shared marks.
    for item, suggestion in zip(items, consultation.suggestions.all(), strict=True):
        item.marks = safeguards.suggestion_marks(suggestion, decision=False)
    return items


# The order counts are shown in: finished first, as residents look for what got done.
COUNT_ORDER = [
    AssignmentStatus.DONE,
    AssignmentStatus.FINISHED,
    AssignmentStatus.ACCEPTED,
    AssignmentStatus.ASSIGNED,
    AssignmentStatus.DEFERRED,
    NOT_ASSIGNED,
    *NOT_TAKEN,
]


def status_counts(items: list[PublicItem]) -> list[tuple[str, str, int]]:
    """(status, label, count) for each status that occurs, in ``COUNT_ORDER``."""
    labels, counts = {}, {}
    for item in items:
        labels[item.status] = item.status_label
        counts[item.status] = counts.get(item.status, 0) + 1
    return [(status, labels[status], counts[status]) for status in COUNT_ORDER if status in counts]


def dissent_line(consultation: Consultation) -> str:
    """How many dissents were recorded and that each was answered, without names (one query)."""
    return dissents.dissent_summary(consultation)


def publication_of(consultation: Consultation) -> Publication | None:
    return consultation.publication if selectors.has_publication(consultation) else None
