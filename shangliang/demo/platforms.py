"""Platform details in the demo district (issue 16, point 8): each township station's person in charge,
office phone, supervision phone and opening hours; a member practice base (委员履职实践基地); a park room
(园区协商议事室); three other venues (党群之家, 村民说事室, 妇女之家) that do not change coverage; and one
township room shared with a community that has no room of its own (镇社共用).

Everything goes through ``orgs.services``; the generator is this part's own.
"""

import random
from datetime import date

from django.db.models import Count, Q

from shangliang.orgs import services
from shangliang.orgs.models import Platform, Region, ScopedRole
from shangliang.orgs.states import STAFF_ROLES, PlatformKind, RegionLevel, SixHave, VenueType

RNG_SEED = "demo platforms"
HOURS = ("工作日 8:30—12:00，14:30—17:30", "工作日 9:00—17:00", "每周二、周四全天，其余工作日上午")
VENUES = (
    (VenueType.PARTY_MASS_HOME, "党群之家", "村党群服务中心一楼"),
    (VenueType.VILLAGER_TALK, "村民说事室", "村委会二楼"),
    (VenueType.WOMEN_HOME, "妇女之家", "村妇联活动室"),
)


def _phone(rng, prefix="0833") -> str:
    return f"{prefix}-{rng.randint(5_000_000, 5_999_999)}"


def _keeper(township_room: Platform):
    """A staff member holding a role at the room or its township, if the demo gave it one."""
    role = (
        ScopedRole.objects.filter(revoked_at__isnull=True, role__in=STAFF_ROLES)
        .filter(Q(platform=township_room) | Q(region=township_room.region))
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return role.user if role else None


def _checked(actor, platform: Platform) -> None:
    """The inspector's four items for a new platform (有活动/有实效 are read from the records)."""
    for item in (SixHave.PLACE, SixHave.SIGN, SixHave.RULES, SixHave.PROCEDURE):
        services.platform_check_update(actor=actor, platform=platform, item=item, is_met=True, note="")


def build(*, users, district, yesterday) -> dict:
    rng = random.Random(RNG_SEED)
    actor = users.get("admin")
    under = Q(region__path__startswith=district.path, is_archived=False)
    stations = list(Platform.objects.filter(under, kind=PlatformKind.TOWNSHIP_ROOM).select_related("region"))
    for room in stations:
        keeper = _keeper(room)
        services.platform_update(
            actor=actor,
            platform=room,
            keeper=keeper,
            keeper_name="" if keeper else f"{room.region.name}联络站值班员",
            contact_phone=_phone(rng),
            supervision_phone=_phone(rng),
            opening_hours=rng.choice(HOURS),
        )
    # Each village room: its committee's office as the contact on notices, and a supervision phone on posters.
    village_rooms = Platform.objects.filter(under, kind=PlatformKind.VILLAGE_ROOM, keeper__isnull=True, keeper_name="")
    rooms_rng = random.Random(f"{RNG_SEED} village rooms")  # its own, so the choices below stay the same
    for room in village_rooms.select_related("region").order_by("pk"):
        committee = "居委会" if room.region.name.endswith("社区") else "村委会"
        services.platform_update(
            actor=actor,
            platform=room,
            keeper_name=f"{room.region.name}{committee}办公室",
            contact_phone=room.contact_phone or _phone(rooms_rng),
            supervision_phone=room.supervision_phone or _phone(rooms_rng),
        )
    # A member practice base: the first member studio (or company room).
    base = (
        Platform.objects.filter(under, kind__in=[PlatformKind.MEMBER_STUDIO, PlatformKind.COMPANY_ROOM])
        .order_by("kind", "pk")
        .first()
    )
    if base is not None:
        services.platform_update(actor=actor, platform=base, is_practice_base=True, opening_hours="每月第一个周五")
    made = 0
    townships = list(Region.objects.filter(parent=district, level=RegionLevel.TOWNSHIP, is_archived=False))
    township = townships[0] if townships else None
    if township is not None:
        park = services.platform_create(
            actor=actor,
            name=f"{township.name}工业园区协商议事室",
            kind=PlatformKind.PARK_ROOM,
            region=township,
            address=f"{township.name}工业园区管委会三楼",
            active_since=date(2023, 3, 1),
            is_practice_base=True,
            keeper_name="园区管委会综合办",
            contact_phone=_phone(rng),
            supervision_phone=_phone(rng),
            opening_hours="工作日 9:00—17:00",
            description="服务园区企业，协商用工、物流、配套服务等共性问题。",
        )
        _checked(actor, park)
        made += 1
    # Three venues in villages: listed, bookable, never counted for coverage.
    villages = list(
        Region.objects.filter(path__startswith=district.path, level=RegionLevel.VILLAGE, is_archived=False)
        .annotate(rooms=Count("platforms", filter=Q(platforms__kind=PlatformKind.VILLAGE_ROOM)))
        .order_by("path")
    )
    uncovered = [v for v in villages if not v.rooms]
    for (venue_type, label, place), village in zip(VENUES, rng.sample(villages, k=min(3, len(villages))), strict=False):
        services.platform_create(
            actor=actor,
            name=f"{village.name}{label}",
            kind=PlatformKind.VENUE,
            venue_type=venue_type,
            region=village,
            address=f"{village.name}{place}",
            opening_hours="每周一至周五 全天",
        )
        made += 1
    # One township room shared with a community of its township that has no room of its own.
    shared = ""
    for village in uncovered:
        room = next((s for s in stations if s.region_id == village.parent_id), None)
        if room is not None:
            services.platform_update(actor=actor, platform=room, shared_regions=[village])
            shared = f"{room.name}↔{village.name}"
            break
    return {"platform_details": len(stations), "platforms_added": made, "shared_room": shared}
