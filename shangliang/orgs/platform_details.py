"""The rules of a platform's details (issue 16, point 8), checked by ``services.platform_create`` and
``platform_update`` before saving, each refusal next to its field:

- another standing venue (其他议事场所) names its type (党群之家, 村民说事室 …); a consultation room has none;
- a room shared by a township and its communities (镇社共用) is a township's room, shared with villages of
  that township only; a venue is never shared (it never counts for coverage);
- the person in charge (负责人账号) holds a staff role at the platform, or at its region or above;
- the public phones are office numbers in a form a resident can dial.
"""

import re

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from shangliang.core.errors import DomainError
from shangliang.orgs.models import Platform, ScopedRole
from shangliang.orgs.states import STAFF_ROLES, PlatformKind, RegionLevel

# 0571-88888888, 12345, 400-123-4567, 13800000000, 0571-8888888转123
PHONE_RE = re.compile(r"^\+?[0-9][0-9\- ]{3,18}[0-9](转[0-9]{1,6})?$")


def keeper_candidates(platform_region):
    """Users who may be named the person in charge of a platform in ``platform_region``: an active staff
    role at that region or above it (for a new platform, its platform-level roles do not exist yet)."""
    ancestors = [platform_region.path[:end] for end in range(1, len(platform_region.path) + 1)]
    roles = ScopedRole.objects.filter(
        revoked_at__isnull=True, role__in=STAFF_ROLES, region__path__in=[p for p in ancestors if p.endswith("/")]
    )
    return get_user_model().objects.filter(pk__in=roles.values("user_id"), is_active=True)


def _keeper_in_scope(platform: Platform) -> bool:
    if platform.keeper_id is None:
        return True
    at_platform = Q(platform_id=platform.pk) if platform.pk else Q(pk__in=[])
    if ScopedRole.objects.filter(at_platform, user_id=platform.keeper_id, revoked_at__isnull=True).exists():
        return True
    return keeper_candidates(platform.region).filter(pk=platform.keeper_id).exists()


def check_details(platform: Platform, shared_regions: list) -> None:
    """Raise ``DomainError`` (with the field) for the first detail that breaks a rule; fill the keeper's
    name from the account when it is left empty."""
    is_venue = platform.kind == PlatformKind.VENUE
    if is_venue and not platform.venue_type:
        raise DomainError(_("“其他议事场所”请选择场所类型（如党群之家、村民说事室）。"), field="venue_type")
    if not is_venue and platform.venue_type:
        raise DomainError(_("只有“其他议事场所”填写场所类型，协商议事室请留空。"), field="venue_type")
    if shared_regions:
        if is_venue:
            raise DomainError(_("其他议事场所不计入覆盖率，不能设为镇社共用。"), field="shared_regions")
        if platform.region.level != RegionLevel.TOWNSHIP:
            raise DomainError(_("只有设在乡镇（街道）的议事室可以与村（社区）共用。"), field="shared_regions")
        for region in shared_regions:
            if region.level != RegionLevel.VILLAGE or region.parent_id != platform.region_id:
                raise DomainError(
                    _("“%(name)s”不是本乡镇（街道）下的村（社区），不能共用。") % {"name": region.name},
                    field="shared_regions",
                )
    if not _keeper_in_scope(platform):
        raise DomainError(_("负责人须是在本平台或其所在区划担任职务的工作人员。"), field="keeper")
    if platform.keeper_id and not platform.keeper_name.strip():
        platform.keeper_name = platform.keeper.display_name
    for name in ("contact_phone", "supervision_phone"):
        value = getattr(platform, name).strip()
        setattr(platform, name, value)
        if value and not PHONE_RE.match(value):
            raise DomainError(_("请填写可拨打的电话号码，如 0571-88888888。"), field=name)


def keeper_users(regions):
    """The staff holding a role at one of ``regions`` (the editor's regions), for the keeper picker."""
    roles = ScopedRole.objects.filter(revoked_at__isnull=True, role__in=STAFF_ROLES, region__in=regions)
    return get_user_model().objects.filter(pk__in=roles.values("user_id"), is_active=True).order_by("full_name", "pk")
