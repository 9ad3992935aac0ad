"""Bounded converters, query-string readers, the date range and the NUL-byte guard (security findings 9, 14).

The fuzz test (``tests/test_url_fuzz.py``) proves no URL answers 5xx; these pin down each piece.
"""

import datetime
import re

import pytest
from django import forms
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.test import RequestFactory

from shangliang.core.converters import FilePathConverter, IdConverter, TokenConverter, YearConverter
from shangliang.core.dates import FIRST_YEAR, LAST_YEAR, parse_date
from shangliang.core.forms import CleanTextMixin
from shangliang.core.middleware import RefuseNulBytesMiddleware
from shangliang.core.params import parse_id, parse_year


def _matches(converter, text: str) -> bool:
    return re.fullmatch(converter.regex, text) is not None


@pytest.mark.parametrize(
    ("converter", "text", "expected"),
    [
        (IdConverter, "1", True),
        (IdConverter, "9" * 18, True),
        (IdConverter, "9" * 19, False),
        (IdConverter, "-1", False),
        (IdConverter, "1.5", False),
        (IdConverter, "١٢", False),  # Arabic-Indic digits
        (YearConverter, "2025", True),
        (YearConverter, "20255", False),
        (TokenConverter, "WKDVSK2G", True),
        (TokenConverter, "Ab-_09", True),
        (TokenConverter, "AB\x00CD", False),
        (TokenConverter, "x" * 65, False),
        (TokenConverter, "../x", False),
        (TokenConverter, "商量", False),
        (FilePathConverter, "photos/2025/商量.jpg", True),
        (FilePathConverter, "a\x00b.jpg", False),
        (FilePathConverter, "x" * 501, False),
    ],
)
def test_path_converters_match_only_bounded_safe_values(converter, text, expected):
    assert _matches(converter, text) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42),
        (" 42 ", 42),
        ("9" * 18, int("9" * 18)),
        ("9" * 19, None),
        ("9" * 30, None),
        ("0", None),
        ("-5", None),
        ("1.5", None),
        ("abc", None),
        ("\x00", None),
        ("4\x002", None),
        ("²", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_id_accepts_only_positive_ids_of_at_most_18_digits(value, expected):
    assert parse_id(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2025", 2025), (str(FIRST_YEAR), FIRST_YEAR), (str(LAST_YEAR), LAST_YEAR), ("1999", None), ("9999", None)]
    + [("0001", None), ("20250", None), ("abc", None), (None, None)],
)
def test_parse_year_keeps_to_the_platforms_years(value, expected):
    assert parse_year(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-01", datetime.date(2025, 3, 1)),
        ("2000-01-01", datetime.date(2000, 1, 1)),
        ("2100-12-31", datetime.date(2100, 12, 31)),
        ("1999-12-31", None),
        ("0001-01-01", None),
        ("9999-12-31", None),
        ("2025-13-45", None),
        ("2025-03-01\x00", None),
        ("", None),
    ],
)
def test_parse_date_answers_none_outside_the_range(value, expected):
    assert parse_date(value) == expected


class DatesForm(CleanTextMixin, forms.Form):
    day = forms.DateField(required=False)
    moment = forms.DateTimeField(required=False)
    split = forms.SplitDateTimeField(required=False)


@pytest.mark.parametrize(
    ("year", "is_valid"),
    [(1, False), (1999, False), (FIRST_YEAR, True), (2025, True), (LAST_YEAR, True), (2101, False), (9999, False)],
)
@pytest.mark.parametrize("field", ["day", "moment", "split"])
def test_every_date_field_refuses_years_outside_the_range_with_a_chinese_message(field, year, is_valid):
    day = f"{year:04d}-06-30"
    data = (
        {"split_0": day, "split_1": "10:00"} if field == "split" else {field: day if field == "day" else f"{day} 10:00"}
    )
    form = DatesForm(data)
    assert form.is_valid() is is_valid
    if not is_valid:
        assert form.errors[field] == [f"日期须在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间。"]


@pytest.mark.parametrize(
    ("path", "query", "refused"),
    [
        ("/track/ABCD/", {}, False),
        ("/pool/", {"q": "电动车"}, False),
        ("/track/AB\x00CD/", {}, True),
        ("/pool/", {"q": "a\x00b"}, True),
        ("/admin/orgs/region/", {"level__exact": "\x00"}, True),
        ("/pool/", {"\x00": "1"}, True),
    ],
)
def test_nul_bytes_in_the_path_or_query_are_a_bad_request(path, query, refused):
    middleware = RefuseNulBytesMiddleware(lambda request: HttpResponse("ok"))
    request = RequestFactory().get(path, query)
    if refused:
        with pytest.raises(BadRequest):
            middleware(request)
    else:
        assert middleware(request).status_code == 200
