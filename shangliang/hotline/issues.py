"""Hot issues from groups: new records join the groups of their owner region, a group of two or more
records is a hot issue, and staff merges and splits keep the grouping's state in step.

The grouping itself (``hotline.grouping``) is pure; this module reads records into it, keeps its state
per owner region (``GroupingState``), and turns its groups into ``HotIssue`` rows.
"""

from collections import Counter, defaultdict

from django.db import transaction
from django.utils import timezone

from shangliang.core.records import save_record
from shangliang.hotline import grouping
from shangliang.hotline.models import GroupingState, HotIssue, Record
from shangliang.orgs.states import RegionLevel

# A group is a hot issue from this many records on (a single complaint is not yet a common problem).
MIN_RECORDS = 2


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
    items = [as_grouping(r) for r in Record.objects.filter(pk__in=[r.pk for r in records]).select_related("region")]
    if state is None:
        assignment, state = grouping.group(items)
    else:
        assignment, state = grouping.assign_new(state, items)
    _save_state(row, state)
    by_group: dict[str, list[int]] = defaultdict(list)
    for record_id, group_id in assignment.items():
        by_group[str(group_id)].append(record_id)
    for key, ids in by_group.items():
        Record.objects.filter(pk__in=ids).update(group_key=key)
    return _issues_for(owner_region_id, list(by_group), state)


def _issues_for(owner_region_id: int, keys: list[str], state: grouping.State) -> set[int]:
    """Make a hot issue of each group (of ``keys``) with enough records; attach its records; refresh it."""
    from shangliang.hotline.services import refresh_issue

    sizes = Counter(
        Record.objects.filter(owner_region_id=owner_region_id, group_key__in=keys, is_archived=False).values_list(
            "group_key", flat=True
        )
    )
    existing = {i.group_key: i for i in HotIssue.objects.filter(owner_region_id=owner_region_id, group_key__in=keys)}
    touched = set()
    for key in keys:
        if sizes[key] < MIN_RECORDS:
            continue
        members = list(
            Record.objects.filter(owner_region_id=owner_region_id, group_key=key, is_archived=False).select_related(
                "region", "category"
            )
        )
        issue = existing.get(key)
        if issue is None:
            issue = HotIssue(owner_region_id=owner_region_id, group_key=key, **_describe(members, state))
            save_record(issue, actor=None, reason="hot_issue.created")
        Record.objects.filter(pk__in=[m.pk for m in members], issue__isnull=True).update(issue=issue)
        refresh_issue(issue)
        touched.add(issue.pk)
    return touched


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


def heat_of(issue: HotIssue) -> tuple[float, dict]:
    members = Record.objects.filter(issue=issue, is_archived=False).select_related("region")
    items = [as_grouping(m) for m in members]
    if not items:
        return 0.0, {}
    heat = grouping.heat(items, timezone.now())
    return round(float(heat.score), 3), {k: round(float(v), 3) for k, v in heat.parts.items()}


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
