"""Who may see and work hotline records and hot issues.

Records carry residents' words and numbers, so they are for the staff of the region they are about:
the district's CPPCC staff and administrators see the district's; a township station head sees the
records placed in the township's villages and the records of the sources the township owns; a village
convener sees the records placed in the village. A record no place was found for is seen by the staff of
its source's region only (that is where it is reviewed). Residents and units see none of it.

Who may call back (and so see the number unmasked): the staff of the record's own region who work
screening (station heads, conveners); everyone else sees it masked.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from shangliang.hotline.models import HotIssue, Record, Source
from shangliang.orgs.permissions import covers, path_q, region_paths
from shangliang.orgs.states import Role

READERS = frozenset({Role.ADMINISTRATOR, Role.COMMITTEE_STAFF, Role.STATION_HEAD, Role.CONVENER})
# Import, sources, the model: the district office and the township stations.
MANAGERS = frozenset({Role.ADMINISTRATOR, Role.COMMITTEE_STAFF, Role.STATION_HEAD})
TRAINERS = frozenset({Role.ADMINISTRATOR, Role.COMMITTEE_STAFF})
CALLERS = frozenset({Role.STATION_HEAD, Role.CONVENER})


def _paths(user, roles=READERS) -> list[str]:
    if getattr(user, "is_superuser", False):
        return ["/"]
    return region_paths(user, roles)


def can_read(user) -> bool:
    return bool(_paths(user))


def can_manage(user) -> bool:
    return bool(_paths(user, MANAGERS))


def can_train(user) -> bool:
    return bool(_paths(user, TRAINERS))


def records_visible_to(user) -> QuerySet[Record]:
    paths = _paths(user)
    placed = path_q(paths, "region__path")
    unplaced = Q(region__isnull=True) & path_q(paths, "owner_region__path")
    return Record.objects.filter(placed | unplaced, is_archived=False)


def issues_visible_to(user) -> QuerySet[HotIssue]:
    paths = _paths(user)
    placed = path_q(paths, "region__path")
    unplaced = Q(region__isnull=True) & path_q(paths, "owner_region__path")
    return HotIssue.objects.filter(placed | unplaced)


def sources_managed_by(user) -> QuerySet[Source]:
    return Source.objects.filter(path_q(_paths(user, MANAGERS), "region__path"))


def can_work_issue(user, issue: HotIssue) -> bool:
    """Merge, split, dismiss, make a topic: the managers over the issue's place (or its owner's region)."""
    return covers(user, MANAGERS, issue.region or issue.owner_region) or getattr(user, "is_superuser", False)


def can_correct(user, record: Record) -> bool:
    """Confirm a place, correct a category: the readers over the record's place or its source's region."""
    return covers(user, READERS, record.region or record.owner_region) or getattr(user, "is_superuser", False)


def shows_phone(user, record: Record) -> bool:
    """The full number, to call the person back: the station or convener over the record's place."""
    return record.region is not None and covers(user, CALLERS, record.region)


def get_or_404(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None
