"""Addresses of the dashboard and its drill-downs for a scope, shared by views, templates and charts."""

from urllib.parse import urlencode

from django.urls import reverse

from shangliang.dashboard.selectors import Scope
from shangliang.orgs.models import Region


def scope_params(scope: Scope) -> dict[str, str]:
    """The query parameters that name ``scope``: region or platform, and year or start and end."""
    params = {"platform": str(scope.platform.pk)} if scope.platform else {"region": str(scope.region.pk)}
    if scope.is_whole_year:
        params["year"] = str(scope.start.year)
    else:
        params.update(start=scope.start.isoformat(), end=scope.end.isoformat())
    return params


def narrowed(scope: Scope, region: Region | None) -> Scope:
    """The same period for one sub-region (a row of the comparison)."""
    return scope if region is None else Scope.of(start=scope.start, end=scope.end, region=region)


def dashboard_url(scope: Scope) -> str:
    return f"{reverse('dashboard:index')}?{urlencode(scope_params(scope))}"


def records_url(scope: Scope, key: str, value: str = "", region: Region | None = None) -> str:
    params = scope_params(narrowed(scope, region))
    if value:
        params["value"] = value
    return f"{reverse('dashboard:records', args=[key])}?{urlencode(params)}"


def report_url(scope: Scope, fmt: str) -> str:
    params = {"platform": scope.platform.pk} if scope.platform else {"region": scope.region.pk}
    return f"{reverse('dashboard:annual_report', args=[scope.start.year, fmt])}?{urlencode(params)}"


def scope_query(scope: Scope) -> str:
    """The scope as a query string (``region=3&year=2025``), for pages that take the dashboard's scope."""
    return urlencode(scope_params(scope))
