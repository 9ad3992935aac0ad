"""The official working-day calendar (工作日): public holidays off, weekend days made working days (调休).

The State Council's yearly holiday notice comes from the ``chinesecalendar`` package; local days a district
sets in the admin (``core.WorkdayOverride``: a local day off, or a working day the package does not know yet)
take precedence over it. For a year the package does not cover (it raises NotImplementedError outside its
table) the calendar falls back to Monday to Friday plus the local days, and says so once per year in the log.

How days are counted, in working days as in calendar days (the usual administrative reading: the day of
receipt is not counted, the day after it is day 1): ``n`` days after ``start`` is the n-th day strictly after
``start`` (the n-th working day, for working days), whether ``start`` itself is a working day or not. A 10-day
written reply asked on Friday 2025-09-26 is due on 2025-10-06 in calendar days and on 2025-10-16 in working
days (9-28 Sunday and 10-11 Saturday are 调休 working days, 10-01 to 10-08 are off).

Each deadline of the platform has a key in ``settings.SHANGLIANG_DEADLINE_COUNTING`` saying which of the two
counts it uses (``deadline_on``, ``deadline_at``).
"""

import datetime
import logging
import threading
import time
from functools import lru_cache

import chinese_calendar
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core.models import WorkdayOverride

logger = logging.getLogger(__name__)

CALENDAR = "calendar"  # 自然日
WORKING = "working"  # 工作日
COUNTINGS = (CALENDAR, WORKING)

# Every process reads the local days once and keeps them this long; a save or delete in this process
# forgets them at once, other processes (web workers, the Celery worker) see the change within it.
OVERRIDES_KEPT_SECONDS = 300

_loaded: tuple[float, dict[datetime.date, bool]] | None = None
_warned_years: set[int] = set()
_warn_lock = threading.Lock()


def _as_date(day) -> datetime.date:
    if isinstance(day, datetime.datetime):
        return timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return day


def _overrides() -> dict[datetime.date, bool]:
    """The local days (day → is it a working day), one query per process and period, none per day."""
    global _loaded
    loaded = _loaded
    if loaded is None or time.monotonic() - loaded[0] > OVERRIDES_KEPT_SECONDS:
        days = dict(WorkdayOverride.objects.values_list("day", "is_working"))
        loaded = _loaded = (time.monotonic(), days)
    return loaded[1]


def forget_overrides(**kwargs) -> None:
    """Read the local days again at the next computation (connected to saves and deletes of overrides)."""
    global _loaded
    _loaded = None
    if transaction.get_connection().in_atomic_block:
        # A computation inside the saving transaction may have read the days before the commit.
        transaction.on_commit(_forget)


def _forget() -> None:
    global _loaded
    _loaded = None


@lru_cache(maxsize=8192)
def official_working_day(day: datetime.date) -> bool | None:
    """What the official table (the package) says of ``day``, local days aside; None for a year it does not cover."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def _warn_unknown_year(year: int) -> None:
    with _warn_lock:
        if year in _warned_years:
            return
        _warned_years.add(year)
    logger.warning(
        "The holiday table (chinesecalendar) does not cover %d: Monday to Friday are counted as working days "
        "there, plus the local days set in the admin. Upgrade chinesecalendar once the State Council's notice "
        "for that year is out, or enter its holidays and 调休 days as local days.",
        year,
    )


def is_working_day(day) -> bool:
    """Whether ``day`` (a date; an aware datetime is taken at its local date) is an official working day."""
    day = _as_date(day)
    local = _overrides().get(day)
    if local is not None:
        return local
    official = official_working_day(day)
    if official is None:
        _warn_unknown_year(day.year)
        return day.weekday() < 5
    return official


def add_working_days(start, n: int) -> datetime.date:
    """The n-th working day after ``start`` (``start`` itself never counts); ``n`` = 0 is ``start``.

    A negative ``n`` goes back: the n-th working day before ``start``."""
    day = _as_date(start)
    step = datetime.timedelta(days=1 if n >= 0 else -1)
    left = abs(n)
    while left:
        day += step
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(a, b) -> int:
    """The working days after ``a`` up to and including ``b`` (negative when ``b`` is before ``a``).

    The inverse of ``add_working_days``: ``working_days_between(d, add_working_days(d, n)) == n``; a reply
    on day ``b`` to a request of day ``a`` is within N working days when this is at most N."""
    a, b = _as_date(a), _as_date(b)
    if b < a:
        return -working_days_between(b, a)
    count, day = 0, a
    while day < b:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def due_date(start, n: int, counting: str) -> datetime.date:
    """The day ``n`` days after ``start`` counted in ``counting`` (``"calendar"`` or ``"working"``)."""
    if counting == WORKING:
        return add_working_days(start, n)
    if counting == CALENDAR:
        return _as_date(start) + datetime.timedelta(days=n)
    raise ValueError(f"unknown counting {counting!r}: calendar or working")


def counting_for(key: str) -> str:
    """How the deadline ``key`` counts its days in this deployment (``SHANGLIANG_DEADLINE_COUNTING``)."""
    return settings.SHANGLIANG_DEADLINE_COUNTING[key]


def deadline_on(key: str, start, n: int) -> datetime.date:
    """The due date of deadline ``key``: ``n`` days after ``start``, counted as the deployment says."""
    return due_date(start, n, counting_for(key))


def deadline_at(key: str, moment: datetime.datetime, n: int) -> datetime.datetime:
    """The moment ``n`` days after ``moment`` for deadline ``key``: in calendar days ``moment + n days``, in
    working days the same local time on the due date. A negative ``n`` goes back (which starts are due by
    ``moment``: a start before ``deadline_at(key, today's midnight, -n)`` is past its due date today)."""
    if counting_for(key) == CALENDAR:
        return moment + datetime.timedelta(days=n)
    local = timezone.localtime(moment)
    return local + datetime.timedelta(days=(add_working_days(local.date(), n) - local.date()).days)


def period_label(key: str, n: int) -> str:
    """``n`` days of deadline ``key`` in words: 5天, or 5个工作日 when it counts working days."""
    if counting_for(key) == WORKING:
        return _("%(days)d个工作日") % {"days": n}
    return _("%(days)d天") % {"days": n}
