"""The six-haves (六有) of a platform: four ticked by the inspector, two read from the records.

有阵地, 有标识, 有制度 and 有流程 are seen on the spot and recorded as checks (``PlatformCheck``). 有活动
and 有实效 are not ticked by hand: they are what the records say over the last twelve months —

- 有活动: at least one consultation held on the platform (``consultations.selectors.held_q``);
- 有实效: at least one item from the platform's consultations done (assignment 已办结, checked).

orgs sits below the stages that hold those records, so the stages register the readers when they
load (``outcomes.six_haves``, from ``OutcomesConfig.ready``); every page that shows or counts the
six-haves reads them here, so there is one definition. The formulas are in ``docs/figures.md``.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy

from shangliang.orgs.states import SixHave

# The items read from the records; a manual check of them is refused (``services.platform_check_update``).
DERIVED = (SixHave.ACTIVITIES, SixHave.RESULTS)
WINDOW_DAYS = 365
DERIVED_REFUSAL = gettext_lazy("“有活动”“有实效”由近12个月的协商和办结记录自动判定，不能手工核查。")


@dataclass
class Reader:
    """How one derived item is read: ``counts(platform_ids, since)`` → {platform id: records}, and
    ``recent(platform, since)`` → up to a few (label, url) pairs for the check page."""

    counts: Callable[[list[int], datetime.datetime], dict[int, int]]
    recent: Callable[[object, datetime.datetime], list[tuple[str, str]]]
    list_url: Callable[[object], str] = lambda platform: ""
    noun: str = ""


_readers: dict[str, Reader] = {}


def register(item: str, reader: Reader) -> None:
    if item not in DERIVED:
        raise ValueError(f"{item} is not read from the records")
    _readers[item] = reader


def window_start(now=None) -> datetime.datetime:
    """The start of the twelve months the derived items look at."""
    return (now or timezone.now()) - datetime.timedelta(days=WINDOW_DAYS)


def derived_counts(platform_ids: Iterable[int], now=None) -> dict[str, dict[int, int]]:
    """For each derived item, the records of each platform in the window (one query per item)."""
    ids = list(platform_ids)
    since = window_start(now)
    return {item: (_readers[item].counts(ids, since) if item in _readers and ids else {}) for item in DERIVED}


def met_counts(platforms, now=None) -> dict[int, int]:
    """How many of the six each platform meets: its met manual checks plus the derived items it meets.
    ``platforms`` carry ``manual_met`` (``selectors.platform_list_for``)."""
    platforms = list(platforms)
    derived = derived_counts([p.pk for p in platforms], now)
    return {p.pk: p.manual_met + sum(1 for item in DERIVED if derived[item].get(p.pk)) for p in platforms}


@dataclass
class CheckRow:
    """One line of the check list on the platform page."""

    item: SixHave
    is_met: bool
    is_derived: bool = False
    note: str = ""
    photo: object = None
    records: int = 0
    recent: list[tuple[str, str]] = field(default_factory=list)
    list_url: str = ""
    noun: str = ""

    def get_item_display(self) -> str:
        return str(self.item.label)


def check_rows(platform, checks, now=None) -> list[CheckRow]:
    """The six items in order: the manual ones from ``checks``, the derived ones from the records."""
    by_item = {check.item: check for check in checks}
    since = window_start(now)
    counts = derived_counts([platform.pk], now)
    rows = []
    for item in SixHave:
        if item in DERIVED:
            reader = _readers.get(item)
            records = counts[item].get(platform.pk, 0)
            rows.append(
                CheckRow(
                    item=item,
                    is_met=records > 0,
                    is_derived=True,
                    records=records,
                    recent=reader.recent(platform, since) if reader and records else [],
                    list_url=reader.list_url(platform) if reader else "",
                    noun=reader.noun if reader else "",
                )
            )
            continue
        check = by_item.get(item)
        rows.append(
            CheckRow(
                item=item,
                is_met=bool(check and check.is_met),
                note=check.note if check else "",
                photo=check.photo if check and check.photo else None,
            )
        )
    return rows
