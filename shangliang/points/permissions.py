"""Who may see whose points.

A member sees their own ledger (through their login account); staff see the ledgers of the members
they may view (``orgs.permissions.members_visible_to``). The ranking is for staff and lists only the
members they may view. Everyone else gets 404 for a ledger, as if the member did not exist.
"""

from django.db.models import QuerySet

from shangliang.orgs.models import Member, Region
from shangliang.orgs.permissions import (
    get_member_for_view,
    is_staff_user,
    members_visible_to,
    regions_visible_to,
)
from shangliang.orgs.states import RegionLevel


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
