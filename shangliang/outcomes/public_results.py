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
from shangliang.topics import elsewhere

NOT_ASSIGNED = "not_assigned"
# Items the decision or the assembly's vote did not take up: shown with the reason (decisions.py).
NOT_TAKEN = (decisions.ItemState.NOT_ADOPTED, decisions.ItemState.DEFERRED, decisions.ItemState.DROPPED)
# Handed to another channel, which settles it (topics.elsewhere): shown with the channel, to whom and the answer.
HANDED_OFF = decisions.ItemState.HANDED_OFF
# Statuses with nothing more to come here: done, deferred by the unit with a reason, not taken up with one,
# or handed to another channel.
CLOSED_STATUSES = frozenset({AssignmentStatus.DONE, AssignmentStatus.DEFERRED, *NOT_TAKEN, HANDED_OFF})


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
    # Handed to another channel (``HANDED_OFF``): the channel, the body it went to, the day, the answer.
    handoff: elsewhere.HandedOff | None = None
    # The implemented measures (落实成果) recorded for the item, each one line.
    measures: list = field(default_factory=list)

    @property
    def is_done(self) -> bool:
        return self.status == AssignmentStatus.DONE

    @property
    def is_deferred(self) -> bool:
        return self.status == AssignmentStatus.DEFERRED

    @property
    def is_not_taken(self) -> bool:
        return self.status in NOT_TAKEN


def with_measures(consultation: Consultation) -> Consultation:
    """Attach the implemented measures (落实成果) to the items prefetched by ``board_consultations`` (one query),
    for the result page; other pages show the items without them."""
    items = [a for s in consultation.suggestions.all() for a in s.assignments.all()]
    by_item: dict[int, list] = {a.pk: [] for a in items}
    for measure in selectors.measures_that_count().filter(assignment_id__in=list(by_item)):
        by_item[measure.assignment_id].append(measure)
    for item in items:
        item.live_measures = by_item[item.pk]
    return consultation


def public_items(consultation: Consultation) -> list[PublicItem]:
    """From ``selectors.board_consultations``' prefetch: costs no query (elsewhere one, for the hand-offs of
    the items no unit holds)."""
    items = []
    suggestions = list(consultation.suggestions.all())
    if all(elsewhere.is_annotated(s) for s in suggestions):  # ``board_consultations`` brings the hand-offs along
        handed = {s.pk: h for s in suggestions if (h := elsewhere.handed_off_from(s)) is not None}
    else:
        unheld = [
            s.pk
            for s in suggestions
            if decisions.item_state(s, False) not in NOT_TAKEN
            and all(a.status == AssignmentStatus.RETURNED for a in s.assignments.all())
        ]
        handed = elsewhere.handed_off("suggestion", unheld)
    for number, suggestion in enumerate(consultation.suggestions.all(), start=1):
        live = [a for a in suggestion.assignments.all() if a.status != AssignmentStatus.RETURNED]
        if not live:
            state = decisions.item_state(suggestion, False, suggestion.pk in handed)
            if state == HANDED_OFF:
                label = _("已转交%(channel)s") % {"channel": handed[suggestion.pk].channel}
                items.append(PublicItem(number, suggestion.text, state, label, handoff=handed[suggestion.pk]))
            elif state in NOT_TAKEN:
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
                measures=[m.text for m in getattr(assignment, "live_measures", [])],
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
    HANDED_OFF,
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
