"""Briefings, lectures and training (宣讲培训) on the dashboard, apart from the consultations.

The figures are defined once in ``events.selectors`` (events held, attendance); this module only
narrows them to the dashboard's scope and period and registers their drill-down. Nothing here is
counted among the consultations, and no station's score reads it.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from shangliang.dashboard.selectors import Scope, UnknownFigure
from shangliang.events import selectors as event_selectors
from shangliang.events.models import Event
from shangliang.events.states import EventKind


def events_held(scope: Scope) -> QuerySet[Event]:
    """Events held (已举办, not archived) that started in the period, at a platform of the scope."""
    return event_selectors.held_between(*scope.bounds()).filter(scope.place_q())


def event_figures(scope: Scope) -> event_selectors.EventFigures:
    """Events held and their attendance (sign-ins + headcount), in total and per kind: two queries."""
    return event_selectors.event_figures(events_held(scope))


def event_records(scope: Scope, value: str = "") -> QuerySet[Event]:
    """The events behind the figure, narrowed to one kind by ``value``, each with its attendance."""
    qs = events_held(scope)
    if value:
        if value not in EventKind.values:
            raise UnknownFigure(value)
        qs = qs.filter(kind=value)
    return (
        event_selectors.with_attendance(qs)
        .select_related("platform", "speaker_unit", "speaker_member")
        .order_by("starts_at", "pk")
    )


def register_figures() -> None:
    """Add the events' drill-down to the dashboard's tables, once, when the app loads."""
    from shangliang.dashboard import selectors

    selectors.FIGURES["events"] = selectors.Figure(gettext_lazy("宣讲培训活动"), "events")
    selectors.RECORDS_BY_KIND["events"] = lambda scope, key, value, today: event_records(scope, value)
    selectors.VALUE_LABELS["events"] = lambda value: str(dict(EventKind.choices).get(value, value))
