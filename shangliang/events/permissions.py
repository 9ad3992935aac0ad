"""Who may see and run briefings, lectures and training.

Station heads and conveners run the events of the platforms in their region (a township's station
head covers its villages), committee staff district-wide (their role is held at the district), and
anyone holding one of those roles at a platform runs that platform's events. The other staff of the
region may read them. Someone of another village or township gets 404, as if the event did not exist.
The public sees every event not archived (``events.selectors.public_events``), never who signed in.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from shangliang.events.models import Event, EventMaterial, EventPhoto
from shangliang.orgs.models import Platform, ScopedRole
from shangliang.orgs.permissions import covers, granted_ids, path_q, region_paths
from shangliang.orgs.states import Role

ORGANISERS = frozenset({Role.STATION_HEAD, Role.CONVENER, Role.COMMITTEE_STAFF})
READERS = ORGANISERS | {Role.ADMINISTRATOR, Role.APPROVER, Role.SUPERVISOR, Role.EVALUATOR}


def _is_root(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def _scope_q(user, roles, prefix: str = "") -> Q:
    return path_q(region_paths(user, roles), f"{prefix}platform__region__path") | Q(
        **{f"{prefix}platform_id__in": granted_ids(user, roles, "platform")}
    )


def platforms_for_events(user) -> QuerySet[Platform]:
    """The platforms (rooms and other venues) where ``user`` may hold events."""
    qs = Platform.objects.filter(is_archived=False)
    if _is_root(user):
        return qs
    return qs.filter(
        path_q(region_paths(user, ORGANISERS), "region__path") | Q(pk__in=granted_ids(user, ORGANISERS, "platform"))
    )


def can_add_event(user) -> bool:
    return _is_root(user) or platforms_for_events(user).exists()


def events_visible_to(user) -> QuerySet[Event]:
    qs = Event.objects.all()
    if _is_root(user):
        return qs
    return qs.filter(_scope_q(user, READERS))


def events_run_by(user) -> QuerySet[Event]:
    """The events (not archived) ``can_run_event`` allows, as one query."""
    qs = Event.objects.filter(is_archived=False)
    if _is_root(user):
        return qs
    return qs.filter(_scope_q(user, ORGANISERS))


def can_run_event(user, event: Event) -> bool:
    if _is_root(user):
        return True
    return covers(user, ORGANISERS, event.platform.region) or event.platform_id in granted_ids(
        user, ORGANISERS, "platform"
    )


def platform_organisers(platform: Platform) -> list:
    """The active accounts nearest to ``platform`` that run its events, to be told of what waits there: those
    holding an organiser's role at the platform, and at the closest level of its region and those above it
    where someone holds one (a village's convener; the township's station head for a village without one;
    the district's committee staff last). Farther ones still see the to-do on their home page."""
    segments = [s for s in platform.region.path.split("/") if s]
    paths = ["/" + "/".join(segments[: i + 1]) + "/" for i in range(len(segments))]
    grants = (
        ScopedRole.objects.filter(revoked_at__isnull=True, role__in=ORGANISERS, user__is_active=True)
        .filter(Q(platform_id=platform.pk) | Q(region__path__in=paths, region__is_archived=False))
        .select_related("user", "region")
        .order_by("user_id")
    )
    at_platform, by_depth = [], {}
    for grant in grants:
        if grant.platform_id:
            at_platform.append(grant.user)
        else:
            by_depth.setdefault(len(grant.region.path), []).append(grant.user)
    nearest = by_depth[max(by_depth)] if by_depth else []
    return list({user.pk: user for user in [*at_platform, *nearest]}.values())


def get_event_for_view(user, pk) -> Event:
    try:
        return (
            events_visible_to(user)
            .select_related("platform__region", "speaker_unit", "speaker_member", "created_by")
            .get(pk=pk)
        )
    except (Event.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_event_for_running(user, pk) -> Event:
    event = get_event_for_view(user, pk)
    if event.is_archived or not can_run_event(user, event):
        raise Http404
    return event


def is_public(event: Event) -> bool:
    """Whether the public pages show ``event`` (as ``selectors.public_events`` lists them)."""
    return not event.is_archived


def can_download_event_photo(user, photo: EventPhoto) -> bool:
    """Anyone while the photo is up and the event public; otherwise those who may see the event."""
    if not photo.is_archived and is_public(photo.event):
        return True
    return events_visible_to(user).filter(pk=photo.event_id).exists()


def can_download_event_material(user, material: EventMaterial) -> bool:
    if not material.is_archived and is_public(material.event):
        return True
    return events_visible_to(user).filter(pk=material.event_id).exists()
