"""Who may see whose points.

A member sees their own ledger (through their login account); staff see the ledgers of the members
they may view (``orgs.permissions.members_visible_to``). Each line of a ledger links to a page the
reader may open (``link_evidence``); the member's own view of a line follows the ledger's access.
The ranking is for staff and lists only the members they may view. Everyone else gets 404 for a
ledger, as if the member did not exist.
"""

from django.db.models import QuerySet

from shangliang.consultations.permissions import consultations_visible_to
from shangliang.events.permissions import events_visible_to
from shangliang.orgs.models import Member, Region
from shangliang.orgs.permissions import (
    get_member_for_view,
    is_staff_user,
    members_visible_to,
    regions_visible_to,
)
from shangliang.orgs.states import RegionLevel
from shangliang.outcomes.permissions import assignments_visible_to
from shangliang.points.selectors import (
    SCOPE_ASSIGNMENT,
    SCOPE_CONSULTATION,
    SCOPE_EVENT,
    SCOPE_SUBMISSION,
    SCOPE_TOPIC,
    Ledger,
)
from shangliang.topics.permissions import submissions_visible_to, topics_visible_to

# The query each staff page's access function (get_consultation_for_view, get_report_for_view,
# get_assignment_for_view, get_topic_for_view) asks, by what a ledger line's access follows.
STAFF_SCOPES = {
    SCOPE_CONSULTATION: consultations_visible_to,
    SCOPE_ASSIGNMENT: assignments_visible_to,
    SCOPE_TOPIC: topics_visible_to,
    SCOPE_SUBMISSION: submissions_visible_to,
    SCOPE_EVENT: events_visible_to,
}


def get_member_for_points(user, pk) -> Member:
    """The member whose ledger the user may read: 404 for "does not exist" and "not yours"."""
    return get_member_for_view(user, pk)


def can_view_ranking(user) -> bool:
    return is_staff_user(user)


def members_ranked_for(user) -> QuerySet[Member]:
    return members_visible_to(user)


def ranking_regions_for(user) -> QuerySet[Region]:
    """Regions the ranking may be narrowed to: the district, townships and villages the user sees."""
    levels = [RegionLevel.DISTRICT, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE]
    return regions_visible_to(user).filter(level__in=levels).order_by("path")


def link_evidence(user, ledger: Ledger) -> Ledger:
    """Point each line's ``link`` at a page ``user`` may open: the record's staff page when its access
    function would let them in, otherwise its public page, otherwise the member's own view of the line
    (open to whoever may read the ledger). One query per kind of staff page the lines need, at most three.
    """
    wanted: dict[str, set[int]] = {}
    for line in ledger.lines:
        wanted.setdefault(line.scope[0], set()).add(line.scope[1])
    visible = {
        scope: set(STAFF_SCOPES[scope](user).filter(pk__in=pks).values_list("pk", flat=True))
        for scope, pks in wanted.items()
    }
    for line in ledger.lines:
        if line.scope[1] in visible[line.scope[0]]:
            line.link = line.url
        else:
            line.link = line.public_url or line.entry_url
    return ledger
