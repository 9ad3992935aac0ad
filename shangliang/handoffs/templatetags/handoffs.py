"""The hand-off panel on the submission and topic pages (``handoffs/_subject.html``, included by topics)."""

from django import template

from shangliang.handoffs import permissions, selectors, services
from shangliang.handoffs.states import HandoffStatus, Subject
from shangliang.topics import elsewhere

register = template.Library()


@register.inclusion_tag("handoffs/_panel.html", takes_context=True)
def handoff_panel(context, subject):
    """The matter's hand-offs (withdrawn ones too) and, for who decides it now, the way to hand it off."""
    user = context["user"]
    handoffs = selectors.handoffs_of(subject)
    may_hand_off = permissions.can_hand_off(user, subject)
    live = [h for h in handoffs if h.status != HandoffStatus.WITHDRAWN]
    refusal = services.handoff_refusal(subject) if may_hand_off and not live else ""
    for handoff in handoffs:
        handoff.is_overdue = selectors.is_overdue(handoff)
    return {
        "subject": subject,
        "kind": type(subject).__name__.lower(),
        "kind_label": Subject(type(subject).__name__.lower()).label,
        "handoffs": handoffs,
        "offer": may_hand_off and not live and not refusal,
    }


# Hand-offs named on the supervision board; the rest are on the list it links to.
BOARD_SHOWN = 10


@register.inclusion_tag("handoffs/_board_list.html", takes_context=True)
def overdue_handoffs(context):
    """The supervision board (督办): hand-offs in the user's scope still unanswered past the period. One query
    (two when more than ``BOARD_SHOWN`` wait)."""
    visible = permissions.handoffs_visible_to(context["user"])
    rows = list(selectors.awaiting_answer(visible).select_related("unit", "region")[: BOARD_SHOWN + 1])
    count = len(rows) if len(rows) <= BOARD_SHOWN else selectors.awaiting_answer(visible).count()
    return {"rows": rows[:BOARD_SHOWN], "count": count}


@register.inclusion_tag("handoffs/_public_handoff.html")
def public_handoff(topic):
    """The public topic page: the channel the topic was handed to, the body, the day, the reason and the answer
    (no person's name). One query."""
    return {"handoff": elsewhere.handed_off("topic", [topic.pk]).get(topic.pk)}
