"""Platform details (issue 16, point 8): practice bases, park rooms, other venues that never count for
coverage, rooms shared by a township and its communities, the person in charge and the public phones."""

import pytest
from django.urls import reverse

from shangliang.core.errors import DomainError
from shangliang.orgs import services
from shangliang.orgs.models import Platform
from shangliang.orgs.selectors import coverage_for
from shangliang.orgs.states import PlatformKind, Role, VenueType
from shangliang.orgs.tests.factories import grant, make_platform, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def station_head(district):
    return grant(make_user(full_name="甲镇站长"), Role.STATION_HEAD, region=district["a"])


def _village_rate(user) -> tuple[int, int]:
    level = coverage_for(user).levels[1]
    return level.covered, level.total


def test_a_venue_needs_its_type_and_a_room_may_not_have_one_the_message_next_to_the_field(
    client, district, station_head
):
    client.force_login(station_head)
    url = reverse("orgs:platform_create")
    base = {"name": "甲二村党群之家", "brand": "有事好商量", "region": district["a2"].pk}
    response = client.post(url, {**base, "kind": PlatformKind.VENUE})
    assert "“其他议事场所”请选择场所类型" in str(response.context["form"].errors["venue_type"])
    response = client.post(url, {**base, "kind": PlatformKind.VILLAGE_ROOM, "venue_type": VenueType.WOMEN_HOME})
    assert "只有“其他议事场所”填写场所类型" in str(response.context["form"].errors["venue_type"])
    response = client.post(url, {**base, "kind": PlatformKind.VENUE, "venue_type": VenueType.PARTY_MASS_HOME})
    assert response.status_code == 302
    venue = Platform.objects.get(name="甲二村党群之家")
    page = client.get(reverse("orgs:platform_detail", args=[venue.pk])).content.decode()
    assert "其他议事场所（党群之家）" in page and "不计入村（社区）协商议事室覆盖率" in page


def test_venues_never_count_for_coverage_and_a_shared_room_counts_for_its_communities(district, station_head):
    assert _village_rate(station_head) == (0, 2)
    make_platform(district["a2"], kind=PlatformKind.VENUE, venue_type=VenueType.VILLAGER_TALK, name="甲二村村民说事室")
    assert _village_rate(station_head) == (0, 2)
    room = make_platform(district["a"], name="甲镇协商议事室", shared_regions=[district["a2"]])
    assert _village_rate(station_head) == (1, 2)
    assert coverage_for(station_head).rows[0].uncovered == ["甲一村"]
    # Archived, it covers nothing.
    services.platform_archive(actor=None, platform=room)
    assert _village_rate(station_head) == (0, 2)


def test_only_a_township_room_is_shared_and_only_with_its_own_villages(district):
    with pytest.raises(DomainError) as refusal:
        make_platform(district["a"], name="甲镇议事室", shared_regions=[district["b1"]])
    assert refusal.value.field == "shared_regions" and "乙一村" in refusal.value.message
    with pytest.raises(DomainError) as refusal:
        make_platform(district["a1"], name="甲一村议事室", shared_regions=[district["a2"]])
    assert refusal.value.field == "shared_regions"
    with pytest.raises(DomainError):
        make_platform(
            district["a"], kind=PlatformKind.VENUE, venue_type=VenueType.OTHER, shared_regions=[district["a1"]]
        )


def test_the_person_in_charge_holds_a_role_in_scope_and_their_name_is_filled_in(district):
    outsider = grant(make_user(full_name="乙镇站长"), Role.STATION_HEAD, region=district["b"])
    with pytest.raises(DomainError) as refusal:
        make_platform(district["a1"], keeper=outsider)
    assert refusal.value.field == "keeper"
    resident = grant(make_user(full_name="居民甲"), Role.RESIDENT, region=district["a1"])
    with pytest.raises(DomainError):
        make_platform(district["a1"], keeper=resident)
    convener = grant(make_user(full_name="甲一村召集人"), Role.CONVENER, region=district["a1"])
    platform = make_platform(district["a1"], keeper=convener, contact_phone="0571-87654321")
    assert platform.keeper_name == "甲一村召集人"
    with pytest.raises(DomainError) as refusal:
        services.platform_update(actor=None, platform=platform, supervision_phone="打这个")
    assert refusal.value.field == "supervision_phone"


def test_the_detail_and_list_show_the_details_and_the_practice_base_badge(client, district, station_head):
    park = make_platform(
        district["a"],
        name="甲镇工业园区协商议事室",
        kind=PlatformKind.PARK_ROOM,
        is_practice_base=True,
        keeper_name="园区办周主任",
        contact_phone="0571-81112222",
        supervision_phone="0571-12345678",
        opening_hours="每周三下午",
        shared_regions=[],
    )
    client.force_login(station_head)
    page = client.get(reverse("orgs:platform_detail", args=[park.pk])).content.decode()
    for text in ("委员履职实践基地", "园区协商议事室", "园区办周主任", "0571-81112222", "0571-12345678", "每周三下午"):
        assert text in page
    listing = client.get(reverse("orgs:platform_list"), {"kind": PlatformKind.PARK_ROOM}).content.decode()
    assert "甲镇工业园区协商议事室" in listing and "委员履职实践基地" in listing


def test_the_details_page_is_refused_outside_the_scope_and_to_residents(client, district):
    platform = make_platform(district["a1"], keeper_name="刘站长")
    url = reverse("orgs:platform_detail", args=[platform.pk])
    assert client.get(url).status_code in (302, 403)
    other = grant(make_user(), Role.STATION_HEAD, region=district["b"])
    client.force_login(other)
    assert client.get(url).status_code == 404
    resident = grant(make_user(), Role.RESIDENT, region=district["a1"])
    client.force_login(resident)
    assert client.get(url).status_code in (403, 404)
