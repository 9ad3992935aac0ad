"""The years a date may fall in, anywhere on the platform (security finding 14).

Year 1 and 9999 were accepted: they broke the year charts and reports, and a year-1 time turned into
year 0 in UTC, which Python cannot represent. Nothing the platform records predates 2000 (community
consultation committees, the oldest records, date from 2015 on) and no deadline runs past 2100, so
every form date, every date in the query string and every date read from an import stays inside.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 2000
LAST_YEAR = 2100
DATE_RANGE_MESSAGE = _("日期须在 %(first)d 年至 %(last)d 年之间。")


def is_year_in_range(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def date_range_message() -> str:
    return DATE_RANGE_MESSAGE % {"first": FIRST_YEAR, "last": LAST_YEAR}


def validate_date_in_range(value: datetime.date | None) -> None:
    """The validator of every date and date-time form field (added by ``core.forms.CleanTextMixin``)."""
    if value is not None and not is_year_in_range(value.year):
        raise ValidationError(
            DATE_RANGE_MESSAGE, code="date_out_of_range", params={"first": FIRST_YEAR, "last": LAST_YEAR}
        )


def parse_date(text) -> datetime.date | None:
    """``YYYY-MM-DD`` inside the range, else None."""
    try:
        day = datetime.date.fromisoformat(str(text or "").strip())
    except ValueError:
        return None
    return day if is_year_in_range(day.year) else None
