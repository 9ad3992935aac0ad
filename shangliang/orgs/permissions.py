"""Who may see and change which organisation records.

Scope follows the administrative hierarchy and is decided here only: a role held at a region
covers that region and everything below it; a role held at a platform covers that platform;
a role held at a unit covers that unit. Predicates answer "may this user act on this object?",
``*_visible_to`` selectors answer "which objects may this user see?".
"""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.http import Http404

from shangliang.orgs.models import Member, MemberAssignment, Platform, PlatformCheck, Region, ScopedRole, Unit
from shangliang.orgs.states import STAFF_ROLES, Role

PLATFORM_EDITORS = frozenset({Role.ADMINISTRATOR, Role.STATION_HEAD, Role.CONVENER})
MEMBER_EDITORS = frozenset({Role.ADMINISTRATOR, Role.COMMITTEE_STAFF})
REGION_EDITORS = frozenset({Role.ADMINISTRATOR})
IMPORTERS = frozenset({Role.ADMINISTRATOR})


def roles_of(user) -> list[ScopedRole]:
    """The user's active roles, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_scoped_roles_cache", None)
    if cached is None:
        cached = list(
            ScopedRole.objects.filter(user=user, revoked_at__isnull=True).select_related(
                "region", "platform__region", "unit__region"
            )
        )
        user._scoped_roles_cache = cached
    return cached


def role_names(user) -> set[str]:
    return {grant.role for grant in roles_of(user)}


def is_staff_user(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or bool(role_names(user) & STAFF_ROLES)


def region_paths(user, roles) -> list[str]:
    """Paths of the regions where the user holds one of ``roles``; prefix-match them to test scope."""
    return [g.region.path for g in roles_of(user) if g.role in roles and g.region_id and not g.region.is_archived]


def granted_ids(user, roles, attr) -> set[int]:
    """Primary keys of the platforms or units (``attr``) where the user holds one of ``roles`` directly."""
    return {getattr(g, f"{attr}_id") for g in roles_of(user) if g.role in roles and getattr(g, f"{attr}_id")}


def covers(user, roles, region: Region | None) -> bool:
    """Whether one of the user's ``roles`` is held at ``region`` or above it."""
    if region is None:
        return False
    return any(region.path.startswith(path) for path in region_paths(user, roles))


def path_q(paths, field: str) -> Q:
    """A filter matching rows whose region path (``field``) lies under any of ``paths``."""
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in paths))


# --- regions -------------------------------------------------------------------------------


def regions_visible_to(user) -> QuerySet[Region]:
    qs = Region.objects.filter(is_archived=False)
    if getattr(user, "is_superuser", False):
        return qs
    paths = region_paths(user, STAFF_ROLES)
    return qs.filter(path_q(paths, "path"))


def can_view_region(user, region: Region) -> bool:
    return user.is_superuser or covers(user, STAFF_ROLES, region)


def can_change_region(user, region: Region) -> bool:
    return user.is_superuser or covers(user, REGION_EDITORS, region)


def can_add_region_under(user, parent: Region) -> bool:
    return user.is_superuser or covers(user, REGION_EDITORS, parent)


# --- platforms -----------------------------------------------------------------------------


def platforms_visible_to(user) -> QuerySet[Platform]:
    qs = Platform.objects.filter(is_archived=False)
    if getattr(user, "is_superuser", False):
        return qs
    q = path_q(region_paths(user, STAFF_ROLES), "region__path") | Q(pk__in=granted_ids(user, STAFF_ROLES, "platform"))
    return qs.filter(q)


def can_view_platform(user, platform: Platform) -> bool:
    if user.is_superuser:
        return True
    return covers(user, STAFF_ROLES, platform.region) or platform.pk in granted_ids(user, STAFF_ROLES, "platform")


def can_change_platform(user, platform: Platform) -> bool:
    if user.is_superuser:
        return True
    return covers(user, PLATFORM_EDITORS, platform.region) or platform.pk in granted_ids(
        user, PLATFORM_EDITORS, "platform"
    )


# --- units ---------------------------------------------------------------------------------


def units_visible_to(user) -> QuerySet[Unit]:
    qs = Unit.objects.filter(is_archived=False)
    if getattr(user, "is_superuser", False):
        return qs
    q = path_q(region_paths(user, STAFF_ROLES), "region__path") | Q(pk__in=granted_ids(user, STAFF_ROLES, "unit"))
    return qs.filter(q)


# --- members -------------------------------------------------------------------------------


def _member_scope_q(paths) -> Q:
    """Members with an open assignment to a platform under ``paths``, or living there.

    Two plain subqueries rather than one OR across outer joins: PostgreSQL plans the joined form
    badly once assignments number in the thousands.
    """
    assigned = MemberAssignment.objects.filter(path_q(paths, "platform__region__path"), ended_on__isnull=True)
    living = Member.objects.filter(path_q(paths, "home_region__path"))
    return Q(pk__in=assigned.values("member_id")) | Q(pk__in=living.values("pk"))


def members_visible_to(user) -> QuerySet[Member]:
    """Members assigned to a platform in the user's scope (or living there); a member sees themself."""
    qs = Member.objects.filter(is_archived=False)
    if getattr(user, "is_superuser", False):
        return qs
    q = _member_scope_q(region_paths(user, STAFF_ROLES))
    if getattr(user, "is_authenticated", False):
        q |= Q(user=user)
    return qs.filter(q)


def can_view_member(user, member: Member) -> bool:
    return members_visible_to(user).filter(pk=member.pk).exists()


def can_change_member(user, member: Member) -> bool:
    if user.is_superuser:
        return True
    q = _member_scope_q(region_paths(user, MEMBER_EDITORS))
    return Member.objects.filter(q, pk=member.pk).exists()


def can_add_member(user) -> bool:
    return user.is_superuser or bool(role_names(user) & MEMBER_EDITORS)


# --- imports -------------------------------------------------------------------------------


def can_import(user) -> bool:
    return user.is_superuser or bool(region_paths(user, IMPORTERS))


def region_in_import_scope(user, region: Region) -> bool:
    return user.is_superuser or covers(user, IMPORTERS, region)


def regions_for_editing(user) -> QuerySet[Region]:
    """Regions under which the user may add regions, platforms or members."""
    qs = Region.objects.filter(is_archived=False)
    if getattr(user, "is_superuser", False):
        return qs
    return qs.filter(path_q(region_paths(user, PLATFORM_EDITORS | MEMBER_EDITORS), "path"))


# --- access functions: 404 for both "missing" and "not yours" -------------------------------


def _get_or_404(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_region_for_view(user, pk) -> Region:
    return _get_or_404(regions_visible_to(user), pk)


def get_platform_for_view(user, pk) -> Platform:
    return _get_or_404(platforms_visible_to(user).select_related("region__parent", "host_unit", "sector"), pk)


def get_platform_for_change(user, pk) -> Platform:
    platform = get_platform_for_view(user, pk)
    if not can_change_platform(user, platform):
        raise Http404
    return platform


def get_member_for_view(user, pk) -> Member:
    return _get_or_404(members_visible_to(user).select_related("sector", "home_region", "work_region"), pk)


def get_member_for_change(user, pk) -> Member:
    member = get_member_for_view(user, pk)
    if not can_change_member(user, member):
        raise Http404
    return member


def can_download_platform_check_photo(user, check: PlatformCheck) -> bool:
    """The photo of a six-haves item: staff who see the platform (shown on staff pages only)."""
    return bool(can_view_platform(user, check.platform))
