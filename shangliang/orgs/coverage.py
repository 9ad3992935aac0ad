"""Which platforms count towards coverage (村（社区）协商议事室覆盖率), and for which regions.

``orgs.selectors.covered_region_ids`` decides from (kind, region path) pairs whether a township or a
village is covered; this module gives it the pairs, the one way every page does (the platform list,
the dashboard, the annual report):

- a room counts at its own region (a township room at the township, a village room in its village);
- a room shared by a township and its communities (镇社共用, ``Platform.shared_regions``) also covers
  each community it lists, as a village room there would;
- another standing venue (其他议事场所: 党群之家, 村民说事室, 妇女之家 …) never counts, shared or not.
"""

from django.db.models import QuerySet

from shangliang.orgs.models import Platform
from shangliang.orgs.states import PlatformKind


def counted(platforms: QuerySet[Platform]) -> QuerySet[Platform]:
    """The consultation rooms among ``platforms``: every kind but the other venues."""
    return platforms.exclude(kind=PlatformKind.VENUE)


def coverage_rooms(platforms: QuerySet[Platform]) -> list[tuple[str, str]]:
    """The (kind, region path) pairs that cover regions: each room at its region, and each community a
    shared room lists as a village room there. Two queries, whatever the number of platforms."""
    rooms = counted(platforms)
    pairs = list(rooms.values_list("kind", "region__path"))
    shared = rooms.filter(shared_regions__isnull=False, shared_regions__is_archived=False).values_list(
        "shared_regions__path", flat=True
    )
    pairs += [(PlatformKind.VILLAGE_ROOM, path) for path in shared]
    return pairs
