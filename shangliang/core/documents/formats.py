"""Percentages and dates as documents (and the pages that show the same figures) print them."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

# Printed where a share has nothing to divide by, and in an empty figure cell.
NO_FIGURE = "—"


def percent(share: float | None, *, drop_zero_decimal: bool = False) -> str:
    """0.857 → "85.7%"; 0.5 → "50.0%" (or "50%" with ``drop_zero_decimal``); None → a dash."""
    if share is None:
        return NO_FIGURE
    text = f"{share * 100:.1f}"
    if drop_zero_decimal:
        text = text.removesuffix(".0")
    return text + "%"


def local_date(value: datetime.datetime | None) -> datetime.date | None:
    """The calendar date of ``value`` in the platform's time zone."""
    return timezone.localtime(value).date() if value else None


def chinese_date(value: datetime.date | datetime.datetime) -> str:
    """2026年3月1日 (a date-time is taken in the platform's time zone)."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return _("%(year)d年%(month)d月%(day)d日") % {"year": value.year, "month": value.month, "day": value.day}


def chinese_date_time(value: datetime.datetime) -> str:
    """2026年03月01日 14:30, in the platform's time zone: the minutes' header and the minutes draft."""
    return timezone.localtime(value).strftime("%Y年%m月%d日 %H:%M")


def text_lines(text: str) -> list[str]:
    """The lines of ``text`` that hold something, stripped: paragraphs to print."""
    return [line.strip() for line in text.splitlines() if line.strip()]
