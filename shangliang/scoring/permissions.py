"""Who may see the assessment, set targets and record inspections.

- Administrators and CPPCC committee staff see every station under the region where they hold the
  role (a committee's own staff, granted at the committee, see the district the committee belongs to);
  a station head sees their own township only. Other roles and residents are refused.
- Administrators set the targets and the scheme of the regions they cover.
- An inspection is recorded for a committee and a station linked to it: by the committee's own
  staff (role granted at the committee unit), or by the CPPCC office (committee staff granted at a
  region covering the station) and administrators covering the station. Staff of another
  committee may not record for a station that is not linked to theirs.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from shangliang.orgs.models import ContactLink, Platform, Region, Unit
from shangliang.orgs.permissions import covers, path_q, region_paths, roles_of
from shangliang.orgs.states import RegionLevel, Role, UnitKind
from shangliang.scoring.models import Inspection

READERS = frozenset({Role.ADMINISTRATOR, Role.COMMITTEE_STAFF})
STATION_READERS = frozenset({Role.STATION_HEAD})
TARGET_SETTERS = frozenset({Role.ADMINISTRATOR})
# Roles that may record for any committee linked to a station they cover.
OFFICE = frozenset({Role.ADMINISTRATOR, Role.COMMITTEE_STAFF})


def _is_root(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def own_committee_ids(user) -> set[int]:
    """CPPCC committees where the user works (committee staff granted at the committee unit)."""
    return {
        g.unit_id
        for g in roles_of(user)
        if g.role == Role.COMMITTEE_STAFF and g.unit_id and g.unit.kind == UnitKind.CPPCC_COMMITTEE
    }


def _reader_paths(user) -> list[str]:
    paths = region_paths(user, READERS)
    paths += [g.unit.region.path for g in roles_of(user) if g.unit_id and g.unit_id in own_committee_ids(user)]
    return paths


def can_view_scoring(user) -> bool:
    if _is_root(user):
        return True
    return bool(_reader_paths(user) or region_paths(user, STATION_READERS))


def townships_visible_to(user) -> QuerySet[Region]:
    """Townships whose row and detail the user may see."""
    qs = Region.objects.filter(level=RegionLevel.TOWNSHIP, is_archived=False)
    if _is_root(user):
        return qs
    return qs.filter(path_q(_reader_paths(user) + region_paths(user, STATION_READERS), "path"))


def get_township_for_scoring(user, pk) -> Region:
    """404 both for "no such township" and "not yours"."""
    try:
        return townships_visible_to(user).select_related("parent").get(pk=pk)
    except (Region.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_set_targets(user, region: Region | None = None) -> bool:
    """Any target (no ``region``), or the targets of ``region``."""
    if _is_root(user):
        return True
    if region is None:
        return bool(region_paths(user, TARGET_SETTERS))
    return covers(user, TARGET_SETTERS, region)


def townships_for_targets(user) -> QuerySet[Region]:
    qs = Region.objects.filter(level=RegionLevel.TOWNSHIP, is_archived=False).select_related("parent")
    if _is_root(user):
        return qs
    return qs.filter(path_q(region_paths(user, TARGET_SETTERS), "path"))


def platforms_for_targets(user) -> QuerySet[Platform]:
    qs = Platform.objects.filter(is_archived=False).select_related("region")
    if _is_root(user):
        return qs
    return qs.filter(path_q(region_paths(user, TARGET_SETTERS), "region__path"))


# --- inspections ------------------------------------------------------------------------------


def can_record_inspection(user, committee: Unit, platform: Platform) -> bool:
    if _is_root(user):
        return True
    if committee.pk in own_committee_ids(user):
        return True
    return covers(user, OFFICE, platform.region)


def links_for_recording(user, links: QuerySet[ContactLink]) -> QuerySet[ContactLink]:
    """Of ``links``, those whose committee the user may record for."""
    if _is_root(user):
        return links
    q = Q(committee_id__in=own_committee_ids(user)) | path_q(region_paths(user, OFFICE), "platform__region__path")
    return links.filter(q)


def can_view_link(user, link: ContactLink) -> bool:
    """A link's schedule: its committee's staff, readers covering the station, and the station's head."""
    if _is_root(user) or link.committee_id in own_committee_ids(user):
        return True
    return covers(user, READERS | STATION_READERS, link.platform.region)


def inspections_visible_to(user) -> QuerySet[Inspection]:
    qs = Inspection.objects.filter(is_archived=False)
    if _is_root(user):
        return qs
    q = path_q(region_paths(user, READERS | STATION_READERS), "platform__region__path")
    q |= Q(committee_id__in=own_committee_ids(user))
    return qs.filter(q)


def can_download_inspection_attachment(user, inspection: Inspection) -> bool:
    return inspections_visible_to(user).filter(pk=inspection.pk).exists()
