"""Downloads for staff: a report as sent, the supervision sheet, the three lists and the results poster.

Each goes through an access function, so a report or consultation outside the user's scope is a
404; the supervision sheet lists only the items the user may see, whatever the filters ask for.
"""

import datetime
import re
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shangliang.consultations.models import Consultation
from shangliang.consultations.permissions import consultations_visible_to
from shangliang.core.dates import date_range_message, is_year_in_range
from shangliang.core.documents.responses import CSV, DOCX, PDF, XLSX, download
from shangliang.core.links import absolute_url
from shangliang.orgs.access import staff_required
from shangliang.orgs.permissions import platforms_visible_to, units_visible_to
from shangliang.outcomes import decisions, feedback, permissions, selectors
from shangliang.outcomes.documents import outcome_report, results_poster, supervision_sheet, three_lists
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.states import AssignmentStatus

# --- reports -------------------------------------------------------------------------------


@staff_required
@require_GET
def report_docx(request, pk):
    report = permissions.get_report_for_view(request.user, pk)
    return download(outcome_report.report_docx(report), DOCX, report.title, "docx")


@staff_required
@require_GET
def report_pdf(request, pk):
    report = permissions.get_report_for_view(request.user, pk)
    return download(outcome_report.report_pdf(report), PDF, report.title, "pdf")


# --- the three lists and the poster of one consultation ------------------------------------


@staff_required
@require_GET
def three_lists_xlsx(request, pk):
    user = request.user
    consultation = permissions.get_consultation_for_outcomes(user, pk)
    is_reader = consultations_visible_to(user).filter(pk=consultation.pk).exists()
    content = three_lists.three_lists_xlsx(
        consultation,
        selectors.three_lists(consultation),
        shows_person=lambda item: permissions.shows_responsible_person(user, item, is_reader=is_reader),
    )
    return download(content, XLSX, f"{consultation.topic.title}-{_('三张清单')}", "xlsx")


def public_consultation_or_404(pk) -> Consultation:
    """A consultation whose results are public (concluded, not archived), with what its poster prints."""
    consultation = selectors.board_consultations().filter(pk=pk).first()
    if consultation is None:
        raise Http404
    return consultation


def poster_response(request, consultation: Consultation, *, attachment: bool) -> HttpResponse:
    url = absolute_url(feedback.result_path(consultation), request)
    content = results_poster.results_poster_pdf(consultation, url)
    name = f"{consultation.topic.title}-{_('协商结果公开')}"
    return download(content, PDF, name, "pdf", attachment=attachment)


@staff_required
@require_GET
def poster_pdf(request, pk):
    consultation = permissions.get_consultation_for_outcomes(request.user, pk)
    return poster_response(request, public_consultation_or_404(consultation.pk), attachment=True)


# --- the supervision sheet -----------------------------------------------------------------

ID_RE = re.compile(r"^[0-9]{1,9}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Board filters as ``selectors.assignments_filtered`` reads them; "all" is the board's word for none.
SHEET_STATES = {"", "all", "overdue", "due_soon", "open", *AssignmentStatus.values}


@dataclass
class SheetFilters:
    platform_id: int | None = None
    unit_id: int | None = None
    state: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None


def sheet_filters(params) -> tuple[SheetFilters, list[str]]:
    """The filters from the query string, and a message for each value that cannot be read."""
    filters, errors = SheetFilters(), []
    for key, label in (("platform", _("平台")), ("unit", _("单位"))):
        raw = params.get(key, "").strip()
        if raw and not ID_RE.match(raw):
            errors.append(_("“%(label)s”参数无效。") % {"label": label})
        elif raw:
            setattr(filters, f"{key}_id", int(raw))
    state = params.get("state", "").strip()
    if state in SHEET_STATES:
        filters.state = "" if state == "all" else state
    else:
        errors.append(_("“状态”参数无效。"))
    for key, label in (("start", _("开始日期")), ("end", _("结束日期"))):
        raw = params.get(key, "").strip()
        if not raw:
            continue
        try:
            if not DATE_RE.match(raw):
                raise ValueError(raw)
            day = datetime.date.fromisoformat(raw)
        except ValueError:
            errors.append(_("%(label)s应为“年-月-日”格式，例如 2026-03-01。") % {"label": label})
            continue
        if is_year_in_range(day.year):
            setattr(filters, key, day)
        else:
            errors.append(f"{label}：{date_range_message()}")
    if filters.start and filters.end and filters.end < filters.start:
        errors.append(_("结束日期应不早于开始日期。"))
    return filters, errors


def _state_label(state: str) -> str:
    named = {"overdue": _("已逾期"), "due_soon": _("即将到期"), "open": _("未办结")}
    return named.get(state) or AssignmentStatus(state).label


def _platform_name(user, platform_id: int, assignments: list[Assignment]) -> str:
    for assignment in assignments:
        if assignment.suggestion.consultation.platform_id == platform_id:
            return assignment.suggestion.consultation.platform.name
    return platforms_visible_to(user).filter(pk=platform_id).values_list("name", flat=True).first() or ""


def _unit_name(user, unit_id: int, assignments: list[Assignment]) -> str:
    for assignment in assignments:
        for unit in [assignment.lead_unit, *assignment.co_units.all()]:
            if unit.pk == unit_id:
                return unit.name
    return units_visible_to(user).filter(pk=unit_id).values_list("name", flat=True).first() or ""


def sheet_subtitle(user, filters: SheetFilters, assignments: list[Assignment]) -> str:
    """What the sheet covers. Names come from the rows or the user's own scope, never from elsewhere."""
    parts = []
    if filters.platform_id and (name := _platform_name(user, filters.platform_id, assignments)):
        parts.append(_("协商平台：%(name)s") % {"name": name})
    if filters.unit_id and (name := _unit_name(user, filters.unit_id, assignments)):
        parts.append(_("交办单位：%(name)s") % {"name": name})
    if filters.start and filters.end:
        period = _("%(start)s 至 %(end)s") % {"start": filters.start.isoformat(), "end": filters.end.isoformat()}
    elif filters.start:
        period = _("%(start)s 起") % {"start": filters.start.isoformat()}
    elif filters.end:
        period = _("截至 %(end)s") % {"end": filters.end.isoformat()}
    else:
        period = ""
    if period:
        parts.append(_("协商时间：%(period)s") % {"period": period})
    if filters.state:
        parts.append(_("状态：%(state)s") % {"state": _state_label(filters.state)})
    return "　".join(parts) or _("全部交办事项")


def _sheet(request):
    """The sheet for the request's filters, or the 400 page naming the filters that could not be read."""
    filters, errors = sheet_filters(request.GET)
    if errors:
        return None, render(request, "outcomes/public/bad_request.html", {"errors": errors}, status=400)
    user, today = request.user, timezone.localdate()
    qs = selectors.assignments_filtered(
        permissions.assignments_visible_to(user),
        state=filters.state,
        platform_id=filters.platform_id,
        unit_id=filters.unit_id,
        start=filters.start,
        end=filters.end,
        today=today,
    )
    if filters.state != AssignmentStatus.RETURNED:
        # A returned item was handed on again; its suggestion is followed under the new assignment.
        qs = qs.exclude(status=AssignmentStatus.RETURNED)
    order = ("suggestion__consultation__starts_at", "suggestion__consultation_id", "suggestion__order", "pk")
    assignments = list(selectors.with_related(qs).order_by(*order))
    unassigned = []
    if not filters.state and not filters.unit_id:
        # The items no unit holds (waiting for the decision, adopted, not adopted, deferred) have rows too.
        consultations = consultations_visible_to(user)
        if filters.platform_id:
            consultations = consultations.filter(platform_id=filters.platform_id)
        if filters.start:
            consultations = consultations.filter(starts_at__date__gte=filters.start)
        if filters.end:
            consultations = consultations.filter(starts_at__date__lte=filters.end)
        unassigned = list(decisions.unassigned_suggestions(consultations))
    sheet = supervision_sheet.supervision_sheet(
        assignments,
        subtitle=sheet_subtitle(user, filters, assignments),
        department=supervision_sheet.filling_department(user, assignments),
        today=today,
        unassigned=unassigned,
        title=supervision_sheet.hall_title(user, assignments, unassigned),
    )
    return sheet, None


def _sheet_name() -> str:
    return f"{supervision_sheet.SHEET_TITLE}-{timezone.localdate().isoformat()}"


@staff_required
@require_GET
def sheet_xlsx(request):
    sheet, refusal = _sheet(request)
    if refusal is not None:
        return refusal
    return download(supervision_sheet.sheet_xlsx(sheet), XLSX, _sheet_name(), "xlsx")


@staff_required
@require_GET
def sheet_csv(request):
    sheet, refusal = _sheet(request)
    if refusal is not None:
        return refusal
    return download(supervision_sheet.sheet_csv(sheet), CSV, _sheet_name(), "csv")
