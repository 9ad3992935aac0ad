"""Bounded path converters: a URL that cannot name a row answers 404 before any view or query runs.

Django's ``int`` matches any number of digits (SQLite raises OverflowError beyond 2⁶³) and ``str``
and ``path`` match NUL bytes (PostgreSQL raises DataError on them); both ended as 500s (security
finding 9). Registered once in ``CoreConfig.ready``; every ``urls.py`` uses these names instead.
"""

from django.urls import register_converter


class IdConverter:
    """A primary key: 1 to 18 digits, always within a 64-bit integer column."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


class YearConverter(IdConverter):
    """A calendar year in four digits; the view still checks it against ``core.dates``."""

    regex = "[0-9]{4}"


class TokenConverter:
    """A code or short name: tracking codes, member codes, sign-in and participant tokens, file
    formats, import kinds. The URL-safe base64 alphabet, at most 64 characters."""

    regex = "[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


class FilePathConverter(TokenConverter):
    """A stored file's name below MEDIA_ROOT: folders allowed, control characters (NUL) not."""

    regex = r"[^\x00-\x1f\x7f]{1,500}"


CONVERTERS = {"id": IdConverter, "year": YearConverter, "token": TokenConverter, "file": FilePathConverter}


def register_converters() -> None:
    for name, converter in CONVERTERS.items():
        register_converter(converter, name)
