"""The dashboard (数据看板), the records behind each figure, and the annual report.

Scope parameters, shared by the three pages: ``region=<pk>`` or ``platform=<pk>`` (the platform wins),
and ``year=YYYY`` or ``start=YYYY-MM-DD&end=YYYY-MM-DD``; without them, the widest region the user
reads and the current year. A region or platform the user does not cover answers 404; staff
without a reader role get 403; a malformed period is a bad request (400).
"""

import datetime

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shangliang.core.dates import is_year_in_range, parse_date
from shangliang.core.documents.responses import DOCX, PDF, download
from shangliang.core.params import parse_year
from shangliang.dashboard import (
    event_figures,
    fund_figures,
    handoff_figures,
    hotline_figures,
    links,
    permissions,
    report,
    seed_figures,
    selectors,
)
from shangliang.dashboard.selectors import Dashboard, Scope
from shangliang.evaluation.states import Satisfaction
from shangliang.orgs.access import staff_required
from shangliang.orgs.models import Platform

PER_PAGE = 30
# A longer period would make the month chart unreadable and the queries long.
LONGEST_PERIOD = datetime.timedelta(days=366 * 5)


# --- scope from the request ----------------------------------------------------------------------


def _year(value) -> int:
    year = parse_year(value)
    if year is None:
        raise BadRequest("year")
    return year


def _date_param(value) -> datetime.date:
    day = parse_date(value)
    if day is None:
        raise BadRequest("date")
    return day


def _period(params, year: int | None) -> tuple[datetime.date, datetime.date]:
    if year is None and (params.get("start") or params.get("end")):
        start, end = _date_param(params.get("start")), _date_param(params.get("end"))
        if end < start or end - start > LONGEST_PERIOD:
            raise BadRequest("period")
        return start, end
    if year is None:
        year = _year(params["year"]) if params.get("year") else timezone.localdate().year
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def scope_from_request(request, *, year: int | None = None) -> Scope:
    """The scope named by the query, checked against the user's roles (403 / 404 / 400 as above)."""
    user = request.user
    if not permissions.can_view_dashboard(user):
        raise PermissionDenied
    params = request.GET
    region = platform = None
    if params.get("platform"):
        platform = permissions.get_platform_for_dashboard(user, params["platform"])
    elif params.get("region"):
        region = permissions.get_region_for_dashboard(user, params["region"])
    else:
        place = permissions.default_place(user)
        if place is None:
            raise PermissionDenied
        if isinstance(place, Platform):
            platform = place
        else:
            region = place
    start, end = _period(params, year)
    return Scope.of(start=start, end=end, region=region, platform=platform)


# --- charts ----------------------------------------------------------------------------------------


def _series(name, values, urls) -> dict:
    return {"name": str(name), "values": list(values), "urls": list(urls)}


def _bucket_chart(scope: Scope, chart_id: str, kind: str, key: str, name, buckets) -> dict:
    return {
        "id": chart_id,
        "type": kind,
        "labels": [str(b.label) for b in buckets],
        "series": [_series(name, [b.n for b in buckets], [links.records_url(scope, key, b.value) for b in buckets])],
    }


def _row_label(row) -> str:
    return _("%(name)s（本级）") % {"name": row.region.name} if row.is_self else row.region.name


def charts_of(board: Dashboard) -> list[dict]:
    """What the page's script draws: labels and series, each point with the drill-down it opens."""
    scope, figures = board.scope, board.consultations
    charts = [
        _bucket_chart(scope, "chart-month", "line", "month", _("协商次数"), figures.by_month),
        _bucket_chart(scope, "chart-form", "bar", "form", _("协商次数"), figures.by_form),
        _bucket_chart(scope, "chart-source", "bar", "source", _("协商次数"), figures.by_source),
        _bucket_chart(scope, "chart-category", "bar", "category", _("协商次数"), figures.by_category),
    ]
    if board.children:
        rows = board.children

        def urls(key):
            # The scope's own level has no narrower scope to open; its bars do not navigate.
            return ["" if row.is_self else links.records_url(scope, key, region=row.region) for row in rows]

        charts.append(
            {
                "id": "chart-children",
                "type": "bar",
                "labels": [_row_label(row) for row in rows],
                "series": [
                    _series(_("开展协商"), [r.consultations for r in rows], urls("consultations")),
                    _series(_("协商建议"), [r.suggestions for r in rows], urls("suggestions")),
                    _series(_("已办结"), [r.done for r in rows], urls("done")),
                ],
            }
        )
    stations = [row for row in board.station_targets or [] if row.township is not None]
    if stations:
        detail = [f"{reverse('scoring:station', args=[row.pk])}?year={scope.end.year}" for row in stations]
        charts.append(
            {
                "id": "chart-stations",
                "type": "bar",
                "labels": [row.name for row in stations],
                "series": [_series(_("综合得分"), [row.total for row in stations], detail)],
            }
        )
    return charts


# --- pages -----------------------------------------------------------------------------------------


def _picker(request, scope: Scope) -> dict:
    regions = list(permissions.regions_for_picker(request.user).only("pk", "name", "depth", "path"))
    top = min((r.depth for r in regions), default=0)
    return {
        "regions": [(r.pk, "　" * (r.depth - top) + r.name) for r in regions],
        "platforms": list(permissions.platforms_for_picker(request.user).values_list("pk", "name")),
        "year": scope.start.year,
        "is_custom_period": not scope.is_whole_year,
    }


def _satisfaction_rows(board: Dashboard) -> list[tuple]:
    figures = board.satisfaction
    return [
        (aspect, label, [(level, counts[level]) for level in Satisfaction.values], figures.rate(aspect))
        for aspect, label, counts in (
            ("process", _("协商过程"), figures.process),
            ("result", _("落实结果"), figures.result),
        )
    ]


@staff_required
@require_GET
def index(request):
    scope = scope_from_request(request)
    board = selectors.dashboard_for(scope)
    context = {
        "scope": scope,
        "board": board,
        # The seeds' own statistics (docs/figures.md), with their drill-downs.
        "seed": seed_figures.seed_figures(scope),
        # Briefings, lectures and training, apart from the consultations (docs/figures.md, 宣讲培训).
        "events": event_figures.event_figures(scope),
        # The consultation fund and the hand-offs to other channels (docs/figures.md, 协商资金, 转交其他渠道).
        "fund": fund_figures.fund_figures(scope),
        "handoffs": handoff_figures.handoff_figures(scope, board.today),
        "handoff_answer_days": settings.SHANGLIANG_HANDOFF_ANSWER_DAYS,
        # Submissions from the 12345 hotline and the grid and what became of them (docs/figures.md, 热线与网格数据).
        "hotline": hotline_figures.hotline_figures(scope),
        "can_view_member_reach": permissions.can_view_member_reach(request.user),
        "scope_query": links.scope_query(scope),
        "picker": _picker(request, scope),
        "data": {"charts": charts_of(board)},
        "levels": Satisfaction.choices,
        "satisfaction_rows": _satisfaction_rows(board),
        "report_docx": links.report_url(scope, "docx"),
        "report_pdf": links.report_url(scope, "pdf"),
    }
    return render(request, "dashboard/index.html", context)


@staff_required
@require_GET
def records(request, key):
    scope = scope_from_request(request)
    value = request.GET.get("value", "")
    try:
        qs = selectors.records(scope, key, value)
    except selectors.UnknownFigure:
        raise Http404 from None
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    figure = selectors.FIGURES[key]
    context = {
        "scope": scope,
        "key": key,
        "value": value,
        "value_label": selectors.value_label(key, value),
        "figure": figure,
        "kind": figure.kind,
        "page": page,
        "back": links.dashboard_url(scope),
    }
    return render(request, "dashboard/records.html", context)


@staff_required
@require_GET
def annual_report(request, year, fmt):
    if fmt not in ("docx", "pdf") or not is_year_in_range(year):
        raise Http404
    scope = scope_from_request(request, year=year)
    content = report.annual_report(scope)
    if fmt == "docx":
        return download(report.annual_report_docx(content), DOCX, content.title, fmt)
    return download(report.annual_report_pdf(content), PDF, content.title, fmt)
