"""The one coverage rule, which the platform list and the dashboard both count with."""

from shangliang.orgs.models import Region
from shangliang.orgs.selectors import covered_region_ids
from shangliang.orgs.states import PlatformKind, RegionLevel

TOWNSHIP = "/00000001/00000002/"
VILLAGE = TOWNSHIP + "00000003/"
GRID = VILLAGE + "00000004/"
SIBLING = TOWNSHIP + "00000005/"
OTHER_TOWNSHIP = "/00000001/00000006/"


def _regions() -> list[Region]:
    return [
        Region(pk=2, level=RegionLevel.TOWNSHIP, path=TOWNSHIP),
        Region(pk=3, level=RegionLevel.VILLAGE, path=VILLAGE),
        Region(pk=5, level=RegionLevel.VILLAGE, path=SIBLING),
        Region(pk=6, level=RegionLevel.TOWNSHIP, path=OTHER_TOWNSHIP),
    ]


def test_a_village_room_in_a_grid_covers_its_village_and_nothing_else():
    assert covered_region_ids(_regions(), [(PlatformKind.VILLAGE_ROOM, GRID)]) == {3}


def test_a_township_is_covered_only_by_a_township_room_at_the_township_itself():
    rooms = [(PlatformKind.TOWNSHIP_ROOM, VILLAGE), (PlatformKind.VILLAGE_ROOM, OTHER_TOWNSHIP)]
    assert covered_region_ids(_regions(), rooms) == set()
    assert covered_region_ids(_regions(), [(PlatformKind.TOWNSHIP_ROOM, TOWNSHIP)]) == {2}


def test_other_kinds_of_platform_cover_nothing():
    rooms = [(kind, SIBLING) for kind in PlatformKind if kind not in (PlatformKind.VILLAGE_ROOM,)]
    assert covered_region_ids(_regions(), rooms) == set()
