"""Values read from the query string, parsed in one place (security finding 9).

A malformed value must never reach a query: SQLite raises OverflowError on integers beyond 2⁶³ and
PostgreSQL a DataError on NUL bytes, and either ended as a 500. Each reader answers None
for anything that is not a plain value of its kind, so the page falls back to its default.
"""

from shangliang.core.dates import is_year_in_range

# The same bound as the <id:…> path converter: 18 digits always fit a 64-bit integer column.
MAX_ID_DIGITS = 18


def parse_id(value) -> int | None:
    """A positive primary key written in ASCII digits, else None."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS):
        return None
    return int(text) or None


def parse_year(value) -> int | None:
    """A four-digit year inside ``core.dates``' range, else None."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return None
    year = int(text)
    return year if is_year_in_range(year) else None


def year_param(request, name: str = "year") -> int | None:
    return parse_year(request.GET.get(name))
