"""Hot issues from groups: new records join the groups of their owner region, a group of two or more
records is a hot issue, and staff merges and splits keep the grouping's state in step.

The grouping itself (``hotline.grouping``) is pure; this module reads records into it, keeps its state
per owner region (``GroupingState``), and turns its groups into ``HotIssue`` rows.
"""

from collections import Counter, defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from shangliang.hotline import grouping
from shangliang.hotline.models import GroupingState, HotIssue, Record
from shangliang.orgs.states import RegionLevel

# A group is a hot issue from this many records on (a single complaint is not yet a common problem).
MIN_RECORDS = 2
# Groups handled together when new records join: the queries per join grow with groups / CHUNK.
CHUNK = 500


def as_grouping(record: Record) -> grouping.Record:
    village = record.region_id
    if record.region is not None and record.region.level == RegionLevel.GRID:
        village = record.region.parent_id
    return grouping.Record(
        id=record.pk,
        text=record.text,
        time=record.received_at,
        title=record.title,
        place=str(village or ""),
        person=record.person_key,
        likes=record.likes,
        dislikes=record.dislikes,
    )


def _state(owner_region_id: int) -> tuple[GroupingState, grouping.State | None]:
    row, _ = GroupingState.objects.select_for_update().get_or_create(owner_region_id=owner_region_id)
    return row, grouping.State.from_json(row.state) if row.state else None


def _save_state(row: GroupingState, state: grouping.State) -> None:
    row.state = state.to_json()
    row.save(update_fields=["state", "updated_at"])


@transaction.atomic
def join(owner_region_id: int, records: list[Record]) -> set[int]:
    """Let ``records`` (new, of one owner region) join its groups; returns the pks of the hot issues
    made or grown. One grouping run for the whole list, however many records."""
    records = [r for r in records if r.pk is not None and not r.group_key]
    if not records:
        return set()
    row, state = _state(owner_region_id)
    fresh = list(Record.objects.filter(pk__in=[r.pk for r in records]).select_related("region"))
    items = [as_grouping(r) for r in fresh]
    if state is None:
        assignment, state = grouping.group(items)
    else:
        assignment, state = grouping.assign_new(state, items)
    _save_state(row, state)
    for record in fresh:
        record.group_key = str(assignment[record.pk])
    Record.objects.bulk_update(fresh, ["group_key"], batch_size=CHUNK)
    return _issues_for(owner_region_id, sorted({r.group_key for r in fresh}), state)


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _issues_for(owner_region_id: int, keys: list[str], state: grouping.State) -> set[int]:
    """Make a hot issue of each group (of ``keys``) with enough records, attach its records and restate
    its figures and heat. A fixed number of queries per ``CHUNK`` groups, however many groups: an import
    of 100,000 records touches tens of thousands."""
    touched = set()
    for chunk in _chunks(sorted(set(keys))):
        touched |= _issues_for_chunk(owner_region_id, chunk, state)
    return touched


def _issues_for_chunk(owner_region_id: int, keys: list[str], state: grouping.State) -> set[int]:
    live = Record.objects.filter(owner_region_id=owner_region_id, group_key__in=keys, is_archived=False)
    members: dict[str, list[Record]] = defaultdict(list)
    for record in live.select_related("region", "category").order_by("pk"):
        members[record.group_key].append(record)
    hot = {key: rows for key, rows in members.items() if len(rows) >= MIN_RECORDS}
    if not hot:
        return set()
    existing = {
        i.group_key: i for i in HotIssue.objects.filter(owner_region_id=owner_region_id, group_key__in=list(hot))
    }
    new = [
        HotIssue(owner_region_id=owner_region_id, group_key=key, **_describe(rows, state))
        for key, rows in hot.items()
        if key not in existing
    ]
    if new:
        # The created rows come back with their keys (PostgreSQL, SQLite ≥ 3.35): no second read.
        created = bulk_create_with_history(new, HotIssue, default_change_reason="hot_issue.created")
        existing |= {issue.group_key: issue for issue in created}
    # Records not yet in an issue join their group's (one query for the chunk).
    issue_of_group = HotIssue.objects.filter(owner_region=OuterRef("owner_region"), group_key=OuterRef("group_key"))
    live.filter(group_key__in=list(hot), issue__isnull=True).update(issue=Subquery(issue_of_group.values("pk")[:1]))
    now = timezone.now()
    issues = []
    for key, rows in hot.items():
        issue = existing[key]
        issue.__dict__.update(figures_of(rows, now))
        issues.append(issue)
    HotIssue.objects.bulk_update(issues, FIGURES, batch_size=500)
    return {issue.pk for issue in issues}


FIGURES = ["record_count", "people_count", "likes", "first_at", "last_at", "heat", "heat_parts"]
NO_FIGURES = {
    "record_count": 0,
    "people_count": 0,
    "likes": 0,
    "first_at": None,
    "last_at": None,
    "heat": 0.0,
    "heat_parts": {},
}


def figures_of(members: list[Record], now) -> dict:
    """An issue's figures from its live records: how many, people, likes, first and last time, heat."""
    if not members:
        return dict(NO_FIGURES)
    times = [m.received_at for m in members if m.received_at]
    heat = grouping.heat([as_grouping(m) for m in members], now)
    return {
        "record_count": len(members),
        "people_count": len({m.person_key for m in members if m.person_key}),
        "likes": sum(m.likes for m in members),
        "first_at": min(times, default=None),
        "last_at": max(times, default=None),
        "heat": round(float(heat.score), 3),
        "heat_parts": {k: round(float(v), 3) for k, v in heat.parts.items()},
    }


def _describe(members: list[Record], state) -> dict:
    """A new issue's title, place (the village most of its records name) and category (the most common)."""
    places = Counter(m.region_id for m in members if m.region_id)
    categories = Counter(m.category_id for m in members if m.category_id)
    region_id = places.most_common(1)[0][0] if places else None
    title = grouping.title([as_grouping(m) for m in members], state) or members[0].title or members[0].text
    return {
        "title": title[:200],
        "region_id": region_id,
        "category_id": categories.most_common(1)[0][0] if categories else None,
    }


def refresh(issue: HotIssue) -> HotIssue:
    """Restate the issue's figures and heat from its live records (stored for the lists)."""
    members = list(Record.objects.filter(issue=issue, is_archived=False).select_related("region"))
    figures = figures_of(members, timezone.now())
    issue.__dict__.update(figures)
    HotIssue.objects.filter(pk=issue.pk).update(**figures)
    return issue


def state_merged(issue: HotIssue, into: HotIssue) -> None:
    """Keep the grouping's state in step with a merge made by staff."""
    row, state = _state(into.owner_region_id)
    if state is not None:
        try:
            state = grouping.merge_state(state, _gid(state, into.group_key), _gid(state, issue.group_key))
        except (KeyError, ValueError):
            return
        _save_state(row, state)


def state_split(issue: HotIssue, records: list[Record]) -> str:
    """A new group for ``records`` taken out of ``issue``: its key (the state keeps step when it can)."""
    row, state = _state(issue.owner_region_id)
    if state is None:
        return f"s{issue.pk}-{records[0].pk}"
    new_id = None
    try:
        for record in records:
            item = as_grouping(record)
            state = grouping.remove_from_state(state, _gid(state, issue.group_key), item)
            new_id, state = grouping.add_to_state(state, item, new_id)
    except (KeyError, ValueError):
        return f"s{issue.pk}-{records[0].pk}"
    _save_state(row, state)
    return str(new_id)


def _gid(state: grouping.State, key: str):
    """The state's own id for a stored key (ints are stored as text)."""
    for gid in state.ids:
        if str(gid) == key:
            return gid
    raise KeyError(key)


def prune(owner_region_id: int, now=None) -> int:
    """Drop from the region's grouping state the single records nobody repeated for
    ``SHANGLIANG_HOTLINE_SINGLE_DAYS``: a new record rarely joins them, and each costs about 1 kB of the
    state, read and written at every join. Their records keep their group key and stay listed; a record
    about the same problem later starts a new group. Returns how many groups went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SHANGLIANG_HOTLINE_SINGLE_DAYS)
    singles = (
        Record.objects.filter(owner_region_id=owner_region_id, issue__isnull=True)
        .exclude(group_key="")
        .values("group_key")
        .annotate(n=Count("pk"), last=Max("received_at"))
        .filter(n=1, last__lt=cutoff)
        .values_list("group_key", flat=True)
    )
    with transaction.atomic():
        row, state = _state(owner_region_id)
        if state is None:
            return 0
        old = set(singles)
        gone = [gid for gid in state.ids if str(gid) in old]
        if gone:
            _save_state(row, grouping.drop_groups(state, gone))
    return len(gone)


def prune_all() -> int:
    """``prune`` every region's grouping state (a daily job)."""
    regions = GroupingState.objects.values_list("owner_region_id", flat=True)
    return sum(prune(region) for region in list(regions))
