"""Hand-offs to other channels (转交其他渠道) on the dashboard and in the annual report.

The figures are defined once in ``handoffs.selectors`` (hand-offs not withdrawn, per channel, answered and
awaiting an answer, past the answer period); this module only narrows them to the dashboard's scope and
period (the day handed) and registers their drill-down. A region's hand-offs are those of the matters of its
places (``Handoff.region``); a platform's those of the submissions, topics and consultations brought to it.
"""

import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from shangliang.dashboard.selectors import Scope, UnknownFigure
from shangliang.handoffs import selectors as handoff_selectors
from shangliang.handoffs.models import Handoff
from shangliang.handoffs.states import Channel

VALUES = {
    "answered": gettext_lazy("已答复"),
    "awaiting": gettext_lazy("待答复"),
    "overdue": gettext_lazy("超期未答复"),
}


def handoffs_in(scope: Scope) -> QuerySet[Handoff]:
    """Live hand-offs handed in the period, of the scope's matters."""
    qs = handoff_selectors.handed_between(*scope.bounds())
    if scope.platform is not None:
        return qs.filter(handoff_selectors.of_platform_q(scope.platform))
    return qs.filter(region__path__startswith=scope.region.path)


def handoff_figures(scope: Scope, today: datetime.date | None = None) -> handoff_selectors.HandoffFigures:
    """Hand-offs by channel, answered and awaiting, and past the answer period today: two queries."""
    return handoff_selectors.handoff_figures(handoffs_in(scope), today=today)


def handoff_records(scope: Scope, value: str = "", today: datetime.date | None = None) -> QuerySet[Handoff]:
    """The hand-offs behind the figure ``value`` (``handoffs.selectors.narrowed``), oldest first."""
    try:
        qs = handoff_selectors.narrowed(handoffs_in(scope), value, today)
    except LookupError:
        raise UnknownFigure(value) from None
    return qs.select_related("region", "unit", "submission", "topic", "suggestion").order_by("handed_at", "pk")


def value_label(value: str) -> str:
    channels = dict(Channel.choices)
    return "：".join(str(channels.get(part) or VALUES.get(part, part)) for part in value.split(":"))


def register_figures() -> None:
    """Add the hand-offs' drill-down to the dashboard's tables, once, when the app loads."""
    from shangliang.dashboard import selectors

    selectors.FIGURES["handoffs"] = selectors.Figure(gettext_lazy("转交其他渠道"), "handoffs")
    selectors.RECORDS_BY_KIND["handoffs"] = lambda scope, key, value, today: handoff_records(scope, value, today)
    selectors.VALUE_LABELS["handoffs"] = value_label
