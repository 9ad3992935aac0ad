"""Builders for organisation records, going through the services like real users do."""

import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from shangliang.orgs import services
from shangliang.orgs.models import Region
from shangliang.orgs.states import MemberLevel, PlatformKind, RegionLevel

_seq = itertools.count(1)


def make_user(username=None, *, password="pass-12345", verified=False, **fields):
    """An account; ``verified``: its mobile number (one is made up when none is given) was proved by SMS."""
    username = username or f"user{next(_seq)}"
    if verified:
        fields.setdefault("mobile", f"166{next(_seq):08d}")
        fields.setdefault("verified_mobile", fields["mobile"])
        fields.setdefault("mobile_verified_at", timezone.now())
    user = get_user_model()(username=username, **fields)
    user.set_password(password)
    user.save()
    return user


def make_region(name, level, parent=None, code=None) -> Region:
    return services.region_create(actor=None, name=name, level=level, parent=parent, code=code)


def make_platform(region, *, name=None, kind=None, **fields):
    if kind is None:
        kind = PlatformKind.TOWNSHIP_ROOM if region.level == RegionLevel.TOWNSHIP else PlatformKind.VILLAGE_ROOM
    return services.platform_create(
        actor=None, name=name or f"{region.name}协商议事室", kind=kind, region=region, **fields
    )


def make_member(name=None, *, sector=None, level=MemberLevel.COUNTY, **fields):
    sector = sector or services.sector_get_or_create(actor=None, name="经济界")
    return services.member_create(actor=None, name=name or f"委员{next(_seq)}", level=level, sector=sector, **fields)


def grant(user, role, *, region=None, platform=None, unit=None):
    services.role_grant(actor=None, user=user, role=role, region=region, platform=platform, unit=unit)
    user._scoped_roles_cache = None
    return user


def small_district():
    """District → townships A and B; A has villages A1, A2 (each with a grid); B has B1."""
    d = make_region("示范区", RegionLevel.DISTRICT, code="110101000000")
    a = make_region("甲镇", RegionLevel.TOWNSHIP, d)
    b = make_region("乙镇", RegionLevel.TOWNSHIP, d)
    a1 = make_region("甲一村", RegionLevel.VILLAGE, a)
    a2 = make_region("甲二村", RegionLevel.VILLAGE, a)
    b1 = make_region("乙一村", RegionLevel.VILLAGE, b)
    make_region("甲一村第一网格", RegionLevel.GRID, a1)
    return {"district": d, "a": a, "b": b, "a1": a1, "a2": a2, "b1": b1}
