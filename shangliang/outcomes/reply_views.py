"""The unit a report is addressed to (报送单位): its list of reports, one report, and its written reply.

A unit's liaisons (and its head) see the reports sent to their unit, read them (text and the report
as sent, in Word and PDF) and record the written reply (书面答复) through the same service staff use
for units that never log in (``services.report_reply``, the liaison as actor, so the history says
who). Another unit's report, a draft, or a report to a free-text recipient answers 404; the list
answers 403 to someone who works for no unit.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from shangliang.core.documents.responses import DOCX, PDF, download
from shangliang.core.views import form_page
from shangliang.orgs.access import staff_required
from shangliang.orgs.models import Unit
from shangliang.outcomes import permissions, selectors, services
from shangliang.outcomes.documents import outcome_report
from shangliang.outcomes.forms import ReplyForm
from shangliang.outcomes.models import OutcomeReport
from shangliang.outcomes.states import ReportStatus
from shangliang.outcomes.views import page_of

UNIT_REPORT_TABS = [
    ("awaiting", gettext_lazy("待书面答复")),
    ("late", gettext_lazy("答复已超期")),
    ("replied", gettext_lazy("已答复")),
    ("all", gettext_lazy("全部")),
]


@staff_required
@require_GET
def unit_reports(request):
    """报送本单位的协商成果: the reports addressed to the user's unit(s), those owing a reply first."""
    user = request.user
    if not permissions.can_use_unit_reports(user):
        raise PermissionDenied
    today = timezone.localdate()
    mine = permissions.reports_addressed_to(user)
    show = request.GET.get("show", "")
    if show not in dict(UNIT_REPORT_TABS):
        show = "awaiting" if mine.filter(status=ReportStatus.SENT).exists() else "all"
    reports = mine
    if show == "awaiting":
        reports = mine.filter(status=ReportStatus.SENT)
    elif show == "late":
        reports = mine.filter(status=ReportStatus.SENT, reply_due_on__lt=today)
    elif show == "replied":
        reports = mine.filter(status=ReportStatus.REPLIED)
    page = page_of(request, selectors.unit_report_list(reports))
    rows = [(report, selectors.is_reply_late(report, today)) for report in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "show": show,
        "tabs": UNIT_REPORT_TABS,
        "units": Unit.objects.filter(pk__in=permissions.liaison_unit_ids(user)).order_by("name"),
    }
    return render(request, "outcomes/unit_reports.html", context)


def _unit_report_context(request, report: OutcomeReport, form=None) -> dict:
    if report.status == ReportStatus.SENT and form is None:
        form = ReplyForm()
    return {
        "r": report,
        "is_late": selectors.is_reply_late(report),
        "reply_form": form if report.status == ReportStatus.SENT else None,
        "timeline": report.history.select_related("history_user").order_by("history_date", "history_id"),
    }


@staff_required
@require_http_methods(["GET", "POST"])
def unit_report(request, pk):
    """One report on its unit's page: read it; while it waits, record the written reply."""
    report = selectors.report_get(permissions.get_report_for_unit(request.user, pk).pk)
    here = reverse("outcomes:unit_report", args=[report.pk])
    if request.method == "GET":
        return render(request, "outcomes/unit_report.html", _unit_report_context(request, report))
    form = ReplyForm(request.POST, request.FILES)
    return form_page(
        request,
        form,
        lambda data: services.report_reply(
            actor=request.user, report=report, text=data["text"], attachment=data["attachment"]
        ),
        success=_("书面答复已提交，报送单位会收到通知。"),
        then=here,
        template="outcomes/unit_report.html",
        context=lambda: _unit_report_context(request, report, form),
        status=400,
        reload=here,
    )


@staff_required
@require_GET
def unit_report_docx(request, pk):
    report = permissions.get_report_for_unit(request.user, pk)
    return download(outcome_report.report_docx(report), DOCX, report.title, "docx")


@staff_required
@require_GET
def unit_report_pdf(request, pk):
    report = permissions.get_report_for_unit(request.user, pk)
    return download(outcome_report.report_pdf(report), PDF, report.title, "pdf")
