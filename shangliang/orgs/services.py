"""Writes to the organisation. Views, admin, imports and the demo command call these.

Every service runs in one transaction, validates with ``full_clean`` and leaves a history row
naming the actor. Records are archived, never deleted.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core.errors import DomainError
from shangliang.core.records import save_record, stamp_history
from shangliang.orgs import platform_details, six_haves
from shangliang.orgs.models import (
    CommitteeSeat,
    ConsultationCommittee,
    ContactLink,
    Member,
    MemberAssignment,
    Platform,
    PlatformCheck,
    Region,
    ScopedRole,
    Sector,
    Unit,
)
from shangliang.orgs.states import REGION_CHILD_LEVEL, PlatformKind, RegionLevel, Role, SixHave


def _archive(obj, *, actor, reason: str, note: str):
    """Archive ``obj``; the history row gets the code ``reason`` and the person's ``note`` (why)."""
    if obj.is_archived:
        return obj
    stamp_history(obj, actor=actor, reason=reason, note=note)
    obj.is_archived = True
    obj.archived_at = timezone.now()
    obj.save(update_fields=["is_archived", "archived_at", "updated_at"])
    return obj


# --- regions -------------------------------------------------------------------------------


def _check_level(level: str, parent: Region | None) -> None:
    if parent is None:
        if level != RegionLevel.DISTRICT:
            raise DomainError(_("只有区/县可以没有上级区划。"), field="parent")
        return
    expected = REGION_CHILD_LEVEL.get(parent.level)
    if expected is None:
        raise DomainError(_("网格/小组/楼栋下不能再设下级区划。"), field="parent")
    if level != expected:
        raise DomainError(
            _("“%(parent)s”的下级应为“%(level)s”。") % {"parent": parent.name, "level": RegionLevel(expected).label},
            field="level",
        )


@transaction.atomic
def region_create(*, actor, name: str, level: str, parent: Region | None, code: str | None = None) -> Region:
    """Add a region under ``parent``; records history; raises DomainError for a wrong level."""
    _check_level(level, parent)
    region = Region(name=name.strip(), level=level, parent=parent, code=code or None, path="-")
    region.depth = (parent.depth + 1) if parent else 0
    save_record(region, actor=actor, reason="region.created")
    region.path = f"{parent.path if parent else '/'}{Region.path_segment(region.pk)}"
    Region.objects.filter(pk=region.pk).update(path=region.path)
    return region


@transaction.atomic
def region_update(*, actor, region: Region, name: str, code: str | None, **register) -> Region:
    """Rename a region or set its statistical code; records history.

    ``register``: a village's ``electorate`` and ``representatives`` (the assembly's quorum is checked
    against them), each set when given (None clears it); other levels have none."""
    region = Region.objects.select_for_update().get(pk=region.pk)
    region.name = name.strip()
    region.code = code or None
    unknown = set(register) - {"electorate", "representatives"}
    if unknown:
        raise TypeError(f"region_update: unexpected {sorted(unknown)}")
    if any(value is not None for value in register.values()) and region.level != RegionLevel.VILLAGE:
        raise DomainError(_("只有村（社区）登记选民数和代表人数。"), field="electorate")
    for name_, value in register.items():
        setattr(region, name_, value)
    return save_record(region, actor=actor, reason="region.updated")


@transaction.atomic
def region_archive(*, actor, region: Region, reason: str = "") -> Region:
    """Archive a region that has no active regions or platforms under it."""
    region = Region.objects.select_for_update().get(pk=region.pk)
    if Region.objects.filter(parent=region, is_archived=False).exists():
        raise DomainError(_("请先归档下级区划。"))
    if Platform.objects.filter(region=region, is_archived=False).exists():
        raise DomainError(_("该区划仍有在用的协商议事平台，请先归档平台。"))
    return _archive(region, actor=actor, reason="region.archived", note=reason.strip())


# --- platforms -----------------------------------------------------------------------------


PLATFORM_FIELDS = (
    "name",
    "kind",
    "brand",
    "region",
    "address",
    "host_unit",
    "sector",
    "active_since",
    "description",
    # Platform details (issue 16): see ``platform_details.check_details``.
    "venue_type",
    "is_practice_base",
    "keeper",
    "keeper_name",
    "contact_phone",
    "supervision_phone",
    "opening_hours",
)


@transaction.atomic
def platform_create(*, actor, shared_regions=None, **fields) -> Platform:
    """Create a platform with an empty six-haves checklist; records history. ``shared_regions``: the
    communities that share a township room (镇社共用)."""
    unknown = set(fields) - set(PLATFORM_FIELDS)
    if unknown:
        raise TypeError(f"unknown platform fields: {sorted(unknown)}")
    platform = Platform(**fields)
    shared = list(shared_regions or [])
    platform_details.check_details(platform, shared)
    platform = save_record(platform, actor=actor, reason="platform.created", m2m={"shared_regions": shared})
    if platform.kind != PlatformKind.VENUE:  # the six-haves are a consultation room's standard
        PlatformCheck.objects.bulk_create(PlatformCheck(platform=platform, item=item) for item in SixHave.values)
    return platform


@transaction.atomic
def platform_update(*, actor, platform: Platform, shared_regions=None, **fields) -> Platform:
    """Change a platform's details; records history. ``shared_regions`` None leaves them as they are."""
    platform = Platform.objects.select_for_update().get(pk=platform.pk)
    for name, value in fields.items():
        if name not in PLATFORM_FIELDS:
            raise TypeError(f"unknown platform field: {name}")
        setattr(platform, name, value)
    shared = list(platform.shared_regions.all()) if shared_regions is None else list(shared_regions)
    platform_details.check_details(platform, shared)
    m2m = {} if shared_regions is None else {"shared_regions": shared}
    return save_record(platform, actor=actor, reason="platform.updated", m2m=m2m)


@transaction.atomic
def platform_check_update(
    *, actor, platform: Platform, item: str, is_met: bool, note: str, photo=None
) -> PlatformCheck:
    """Record one six-haves item for a platform (met or not, a note, an optional photo). 有活动 and 有实效
    are read from the records (``orgs/six_haves.py``) and cannot be ticked."""
    if item in six_haves.DERIVED:
        raise DomainError(str(six_haves.DERIVED_REFUSAL), field="is_met")
    check, _created = PlatformCheck.objects.select_for_update().get_or_create(platform=platform, item=item)
    check.is_met = is_met
    check.note = note
    if photo is not None:
        check.photo = photo
    check.checked_at = timezone.now()
    return save_record(check, actor=actor, reason="platform.checked")


@transaction.atomic
def platform_archive(*, actor, platform: Platform, reason: str = "") -> Platform:
    platform = Platform.objects.select_for_update().get(pk=platform.pk)
    return _archive(platform, actor=actor, reason="platform.archived", note=reason.strip())


# --- units, sectors, committees ------------------------------------------------------------


@transaction.atomic
def unit_create(*, actor, name: str, kind: str, region: Region, parent: Unit | None = None) -> Unit:
    return save_record(
        Unit(name=name.strip(), kind=kind, region=region, parent=parent), actor=actor, reason="unit.created"
    )


@transaction.atomic
def sector_get_or_create(*, actor, name: str) -> Sector:
    sector = Sector.objects.filter(name=name.strip()).first()
    if sector is None:
        sector = save_record(Sector(name=name.strip()), actor=actor, reason="sector.created")
    return sector


@transaction.atomic
def committee_create(*, actor, region: Region, name: str, established_on: date | None = None) -> ConsultationCommittee:
    if region.level != RegionLevel.VILLAGE:
        raise DomainError(_("协商委员会只能设在村（社区）。"), field="region")
    return save_record(
        ConsultationCommittee(region=region, name=name, established_on=established_on),
        actor=actor,
        reason="committee.formed",
    )


@transaction.atomic
def committee_seat_add(
    *, actor, committee: ConsultationCommittee, name: str, position: str, mobile: str = ""
) -> CommitteeSeat:
    """Seat a person on a village consultation committee; records history."""
    seat = CommitteeSeat(committee=committee, name=name.strip(), position=position, mobile=mobile)
    return save_record(seat, actor=actor, reason="committee_seat.added")


# --- members -------------------------------------------------------------------------------

MEMBER_FIELDS = (
    "name",
    "gender",
    "level",
    "sector",
    "specialty",
    "workplace",
    "mobile",
    "home_region",
    "work_region",
    "user",
    "bio",
)


@transaction.atomic
def member_create(*, actor, **fields) -> Member:
    """Add a CPPCC member; a member code (履职码) is issued; records history."""
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"unknown member fields: {sorted(unknown)}")
    return save_record(Member(**fields), actor=actor, reason="member.created")


@transaction.atomic
def member_update(*, actor, member: Member, **fields) -> Member:
    member = Member.objects.select_for_update().get(pk=member.pk)
    for name, value in fields.items():
        if name not in MEMBER_FIELDS:
            raise TypeError(f"unknown member field: {name}")
        setattr(member, name, value)
    return save_record(member, actor=actor, reason="member.updated")


@transaction.atomic
def member_assign(*, actor, member: Member, platform: Platform, started_on: date) -> MemberAssignment:
    """Attach (下沉) a member to a station; refuses a second open assignment to the same one."""
    if MemberAssignment.objects.filter(member=member, platform=platform, ended_on__isnull=True).exists():
        raise DomainError(_("该委员已下沉到此站点。"), field="platform")
    return save_record(
        MemberAssignment(member=member, platform=platform, started_on=started_on),
        actor=actor,
        reason="member_assignment.started",
    )


@transaction.atomic
def member_assignment_end(*, actor, assignment: MemberAssignment, ended_on: date) -> MemberAssignment:
    assignment = MemberAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended_on is not None:
        raise DomainError(_("该下沉已结束。"))
    assignment.ended_on = ended_on
    return save_record(assignment, actor=actor, reason="member_assignment.ended")


@transaction.atomic
def member_archive(*, actor, member: Member, reason: str = "") -> Member:
    member = Member.objects.select_for_update().get(pk=member.pk)
    return _archive(member, actor=actor, reason="member.archived", note=reason.strip())


@transaction.atomic
def contact_link_create(*, actor, committee: Unit, platform: Platform, started_on: date) -> ContactLink:
    return save_record(
        ContactLink(committee=committee, platform=platform, started_on=started_on),
        actor=actor,
        reason="contact_link.created",
    )


# --- roles ---------------------------------------------------------------------------------


@transaction.atomic
def role_grant(*, actor, user, role: str, region=None, platform=None, unit=None) -> ScopedRole:
    """Give a user a role in one scope; records who granted it.

    The township government's legal reviewer is held at a township (it covers the villages below)."""
    if role == Role.LEGAL_REVIEWER and (region is None or region.level != RegionLevel.TOWNSHIP):
        raise DomainError(_("乡镇（街道）政府合法性审查角色只能授予在乡镇（街道）。"), field="region")
    existing = ScopedRole.objects.filter(
        user=user, role=role, region=region, platform=platform, unit=unit, revoked_at__isnull=True
    ).first()
    if existing:
        return existing
    return save_record(
        ScopedRole(user=user, role=role, region=region, platform=platform, unit=unit),
        actor=actor,
        reason="role.granted",
    )


@transaction.atomic
def role_revoke(*, actor, scoped_role: ScopedRole) -> ScopedRole:
    scoped_role = ScopedRole.objects.select_for_update().get(pk=scoped_role.pk)
    scoped_role.revoked_at = timezone.now()
    return save_record(scoped_role, actor=actor, reason="role.revoked")
