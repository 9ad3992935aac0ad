"""The party committee and government's decision on each suggestion (建立协商成果采纳、落实和反馈机制).

Every suggestion of a concluded consultation gets a decision: adopted (then assigned to a unit), not
adopted, or deferred; the last two with a reason told to the people concerned and shown on the public
result. Handing an item out adopts it (``services.assignments_create``); an item the assembly's vote
dropped is decided by the vote and counts as not adopted.

Figures: one definition each, used by the dashboard, the annual report and the pages
    Decided: suggestions (not withdrawn) of concluded consultations whose decision is adopted, not
        adopted or deferred, or which the assembly's vote dropped (``VoteResult.DROPPED``).
    Adopted: decided as adopted, by the decision or by being assigned (and not dropped by a vote).
    Adoption rate (采纳率) = adopted / decided.
    Not adopted list (未采纳): not adopted, deferred and dropped by the vote, each with its reason.
    Pending (待决定): neither decided nor dropped.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shangliang.consultations.models import Consultation, Suggestion
from shangliang.consultations.states import DECISION_MOVES, ConsultationStatus, SuggestionDecision, VoteResult
from shangliang.core.errors import DomainError
from shangliang.core.limits import EXCERPT_SHORT, excerpt
from shangliang.core.records import save_record
from shangliang.outcomes import feedback, permissions
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.states import AssignmentStatus, FeedbackEvent
from shangliang.topics import elsewhere

# The decisions a person records; PENDING is where every item starts.
DECISIONS = (SuggestionDecision.ADOPTED, SuggestionDecision.NOT_ADOPTED, SuggestionDecision.DEFERRED)
# Decisions that must say why (told to the people concerned, shown on the public result).
NEEDS_REASON = frozenset({SuggestionDecision.NOT_ADOPTED, SuggestionDecision.DEFERRED})

FEEDBACK_OF = {
    SuggestionDecision.ADOPTED: FeedbackEvent.ADOPTED,
    SuggestionDecision.NOT_ADOPTED: FeedbackEvent.NOT_ADOPTED,
    SuggestionDecision.DEFERRED: FeedbackEvent.DECISION_DEFERRED,
}


def _live_assignment_q() -> Exists:
    live = Assignment.objects.filter(suggestion=OuterRef("pk")).exclude(status=AssignmentStatus.RETURNED)
    return Exists(live)


# --- the decision ------------------------------------------------------------------------------


def decide_refusal(suggestion: Suggestion, decision: str, reason: str) -> DomainError | None:
    """Why ``decision`` cannot be recorded for ``suggestion`` now (None when it can)."""
    if decision not in DECISIONS:
        return DomainError(_("请选择采纳、不予采纳或暂缓采纳。"), field="decision")
    if suggestion.consultation.status != ConsultationStatus.CONCLUDED:
        return DomainError(_("协商意见形成后才能决定是否采纳。"), field="decision")
    if suggestion.withdrawn_at is not None:
        return DomainError(_("这条建议已撤回。"), field="decision")
    if suggestion.vote_result == VoteResult.DROPPED:
        return DomainError(_("这条建议经会议表决未通过，已由表决决定，不再另行决定采纳。"), field="decision")
    if suggestion.awaits_vote:
        return DomainError(
            _("这条建议存在较大争议，须先由村（居）民会议或代表会议表决，再决定是否采纳。"), field="decision"
        )
    if suggestion.assignments.exclude(status=AssignmentStatus.RETURNED).exists():
        return DomainError(_("这条建议已经交办（交办即采纳），不能再改变采纳决定。"), field="decision")
    if handed_off_ids([suggestion]):
        return DomainError(_("这条建议已转交其他渠道办理；如需在此决定，请先撤回转交。"), field="decision")
    if decision not in DECISION_MOVES[suggestion.decision]:
        if decision == suggestion.decision:
            message = _("这条建议已是“%(decision)s”。")
        else:
            message = _("这条建议已决定“%(decision)s”，不能再改。")
        return DomainError(message % {"decision": suggestion.get_decision_display()}, field="decision")
    if decision in NEEDS_REASON and not reason.strip():
        return DomainError(_("不予采纳或暂缓采纳须写明理由，理由将告知相关群众并公开。"), field="reason")
    return None


@transaction.atomic
def suggestion_decide(*, actor, suggestion: Suggestion, decision: str, reason: str = "", now=None) -> Suggestion:
    """Record the party committee and government's decision on one suggestion, and tell the people concerned.

    Only those who may assign the consultation's items (``permissions.can_assign``) decide. Refused for a
    consultation not concluded, an item withdrawn, awaiting its assembly vote or dropped by it, an item
    already handed out (assigning adopted it), and for a decision already final (adopted, not adopted);
    not adopted and deferred need a reason."""
    try:
        locked = (
            Suggestion.all_objects.select_for_update()
            .select_related("consultation__topic__convening_region")
            .get(pk=suggestion.pk)
        )
    except Suggestion.DoesNotExist:
        raise DomainError(_("这条建议不存在。"), field="decision") from None
    if not permissions.can_assign(actor, locked.consultation):
        raise PermissionDenied
    reason = (reason or "").strip()
    if (refusal := decide_refusal(locked, decision, reason)) is not None:
        raise refusal
    now = now or timezone.now()
    locked.decision, locked.decision_reason = decision, reason
    locked.decided_at, locked.decided_by = now, actor
    save_record(
        locked,
        actor=actor,
        reason="suggestion.decided",
        note=reason,
        update_fields=["decision", "decision_reason", "decided_at", "decided_by"],
    )
    detail = _("建议“%(text)s”：%(decision)s。") % {
        "text": excerpt(locked.text, EXCERPT_SHORT),
        "decision": locked.get_decision_display(),
    }
    if reason:
        detail += _("理由：%(reason)s") % {"reason": reason}
    # Each decision value happens once per item (only a deferred one is decided again, to another value).
    feedback.tell_concerned(
        locked.consultation, FEEDBACK_OF[decision], key=f"suggestion:{locked.pk}:{decision}", detail=detail
    )
    return locked


# --- what became of an item -----------------------------------------------------------------------


class ItemState:
    """What became of a suggestion, as the three lists, the public result and the sheet say it."""

    ASSIGNED = "assigned"  # a unit holds it (adopted by the assignment)
    ADOPTED = "adopted"  # adopted, not yet handed to a unit
    PENDING = "pending"  # no decision yet
    AWAITS_VOTE = "awaits_vote"  # contested, waiting for the assembly's vote
    NOT_ADOPTED = "not_adopted"
    DEFERRED = "decision_deferred"
    DROPPED = "dropped"  # the assembly's vote dropped it
    HANDED_OFF = "handed_off"  # handed to another channel, which settles it (topics.elsewhere, handoffs)


STATE_LABELS = {
    ItemState.ASSIGNED: gettext_lazy("已交办"),
    ItemState.ADOPTED: gettext_lazy("已采纳，待交办"),
    ItemState.PENDING: gettext_lazy("待决定采纳"),
    ItemState.AWAITS_VOTE: gettext_lazy("待会议表决"),
    ItemState.NOT_ADOPTED: gettext_lazy("不予采纳"),
    ItemState.DEFERRED: gettext_lazy("暂缓采纳"),
    ItemState.DROPPED: gettext_lazy("表决未通过"),
    ItemState.HANDED_OFF: gettext_lazy("已转交其他渠道"),
}
# Badge tone of each state (site.css: ok, warn, no).
STATE_TONES = {
    ItemState.ASSIGNED: "ok",
    ItemState.ADOPTED: "ok",
    ItemState.PENDING: "warn",
    ItemState.AWAITS_VOTE: "warn",
    ItemState.NOT_ADOPTED: "no",
    ItemState.DEFERRED: "warn",
    ItemState.DROPPED: "no",
    ItemState.HANDED_OFF: "ok",
}
# Not taken up: the not-adopted list and the rows of the sheet that carry a reason.
NOT_TAKEN = frozenset({ItemState.NOT_ADOPTED, ItemState.DEFERRED, ItemState.DROPPED})


def item_state(suggestion: Suggestion, has_live_assignment: bool, handed_off: bool = False) -> str:
    """The state of one item from its own fields, whether a unit holds it and whether it was handed to
    another channel (``handed_off_ids``, or the item's ``elsewhere.handed_off_annotations``; reads nothing)."""
    if has_live_assignment:
        return ItemState.ASSIGNED
    if handed_off or elsewhere.handed_off_from(suggestion) is not None:
        return ItemState.HANDED_OFF
    if suggestion.vote_result == VoteResult.DROPPED:
        return ItemState.DROPPED
    if suggestion.awaits_vote:
        return ItemState.AWAITS_VOTE
    return {
        SuggestionDecision.ADOPTED: ItemState.ADOPTED,
        SuggestionDecision.NOT_ADOPTED: ItemState.NOT_ADOPTED,
        SuggestionDecision.DEFERRED: ItemState.DEFERRED,
    }.get(suggestion.decision, ItemState.PENDING)


def state_reason(suggestion: Suggestion) -> str:
    """The reason shown with a not-taken item: the decision's reason, or the vote's outcome."""
    if suggestion.vote_result == VoteResult.DROPPED:
        return suggestion.decision_reason or _("经村（居）民会议或代表会议表决未通过，不予实施。")
    return suggestion.decision_reason


def can_decide(suggestion: Suggestion, has_live_assignment: bool, handed_off: bool = False) -> bool:
    """Whether the decision form is offered for this item (the service still has the last word)."""
    return not has_live_assignment and item_state(suggestion, False, handed_off) in {
        ItemState.PENDING,
        ItemState.DEFERRED,
    }


def handed_off_ids(suggestions) -> set[int]:
    """Which of these suggestions were handed to another channel (``topics.elsewhere``): one query, none
    for an empty list."""
    return set(elsewhere.handed_off("suggestion", [suggestion.pk for suggestion in suggestions]))


# --- figures: one definition each -----------------------------------------------------------------

DROPPED_Q = Q(vote_result=VoteResult.DROPPED)
ADOPTED_Q = Q(decision=SuggestionDecision.ADOPTED) & ~DROPPED_Q
NOT_ADOPTED_Q = Q(decision=SuggestionDecision.NOT_ADOPTED) & ~DROPPED_Q
DEFERRED_Q = Q(decision=SuggestionDecision.DEFERRED) & ~DROPPED_Q
DECIDED_Q = ADOPTED_Q | NOT_ADOPTED_Q | DEFERRED_Q | DROPPED_Q
# The not-adopted list (drill-down), narrowed by the value: not adopted, deferred, dropped by the vote.
NOT_TAKEN_Q = {
    "not_adopted": NOT_ADOPTED_Q,
    "deferred": DEFERRED_Q,
    "dropped": DROPPED_Q,
}


def countable(suggestions: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
    """The suggestions adoption is counted over: not withdrawn, of concluded consultations not archived."""
    return suggestions.filter(
        withdrawn_at__isnull=True,
        consultation__status=ConsultationStatus.CONCLUDED,
        consultation__is_archived=False,
    )


def not_taken(suggestions: QuerySet[Suggestion], value: str = "") -> QuerySet[Suggestion]:
    """The not-adopted list: not adopted, deferred or dropped by the vote (``value`` keeps one kind)."""
    if value and value not in NOT_TAKEN_Q:
        raise LookupError(value)
    q = NOT_TAKEN_Q[value] if value else NOT_ADOPTED_Q | DEFERRED_Q | DROPPED_Q
    return countable(suggestions).filter(q)


def pending(suggestions: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
    """Waiting for the decision: neither decided nor dropped, no unit holds them, not handed to another channel."""
    return (
        countable(suggestions)
        .exclude(DECIDED_Q)
        .exclude(elsewhere.handed_off_q("suggestion"))
        .filter(~_live_assignment_q())
    )


@dataclass
class DecisionFigures:
    adopted: int = 0
    not_adopted: int = 0
    deferred: int = 0
    dropped: int = 0
    pending: int = 0
    # Adopted and no unit holds them yet (the assigners' next step).
    adopted_unassigned: int = 0
    # Not decided here: handed to another channel, which settles them (neither pending nor in the adoption rate).
    handed_off: int = 0

    @property
    def decided(self) -> int:
        return self.adopted + self.not_adopted + self.deferred + self.dropped

    @property
    def not_taken(self) -> int:
        return self.not_adopted + self.deferred + self.dropped

    @property
    def adoption_rate(self) -> float | None:
        """Adopted over decided (None before any decision)."""
        return self.adopted / self.decided if self.decided else None


def decision_figures(suggestions: QuerySet[Suggestion]) -> DecisionFigures:
    """The decision counts of ``suggestions`` (restricted to ``countable``), in one query."""
    live = _live_assignment_q()
    handed = elsewhere.handed_off_q("suggestion")
    counts = countable(suggestions).aggregate(
        adopted=Count("pk", filter=ADOPTED_Q),
        not_adopted=Count("pk", filter=NOT_ADOPTED_Q),
        deferred=Count("pk", filter=DEFERRED_Q),
        dropped=Count("pk", filter=DROPPED_Q),
        pending=Count("pk", filter=~DECIDED_Q & ~Q(live) & ~handed),
        adopted_unassigned=Count("pk", filter=ADOPTED_Q & ~Q(live) & ~handed),
        handed_off=Count("pk", filter=~DECIDED_Q & ~Q(live) & handed),
    )
    return DecisionFigures(**counts)


# --- what waits for the assigners -------------------------------------------------------------------


def suggestions_to_decide(user) -> QuerySet[Suggestion]:
    """Items of concluded consultations the user may assign that wait for the decision (pending, unassigned,
    not waiting for a vote): the home page's 待决定采纳的建议."""
    return pending(permissions.suggestions_to_assign(user)).exclude(contested_at__isnull=False, vote_result="")


def consultation_decisions(consultation: Consultation) -> DecisionFigures:
    return decision_figures(Suggestion.objects.filter(consultation=consultation))


def unassigned_suggestions(consultations: QuerySet[Consultation]) -> QuerySet[Suggestion]:
    """Items of these consultations (concluded, not archived) no unit holds: waiting for the decision,
    adopted and not yet handed out, not adopted, deferred or dropped by the vote. The supervision sheet
    and board list them beside the assigned items, each with its state and reason."""
    return (
        countable(Suggestion.objects.filter(consultation__in=consultations))
        .filter(~_live_assignment_q())
        # Each item's hand-off to another channel, if any (``item_state`` reads it): no query of its own.
        .annotate(**elsewhere.handed_off_annotations("suggestion"))
        .select_related("consultation__topic", "consultation__platform")
        .order_by("consultation__starts_at", "consultation_id", "order", "pk")
    )


@dataclass
class UnassignedItem:
    """An item no unit holds, as the board lists it."""

    suggestion: Suggestion
    state: str
    label: str
    tone: str
    reason: str


def unassigned_items(suggestions) -> list[UnassignedItem]:
    """``unassigned_suggestions`` with each item's state and reason (reads nothing more)."""
    items = []
    suggestions = list(suggestions)
    handed = handed_off_ids(suggestions)
    for suggestion in suggestions:
        state = item_state(suggestion, False, suggestion.pk in handed)
        reason = state_reason(suggestion) if state in NOT_TAKEN else ""
        items.append(UnassignedItem(suggestion, state, str(STATE_LABELS[state]), STATE_TONES[state], reason))
    return items
