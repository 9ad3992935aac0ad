"""Staff pages of outcome reports: drafting from the record, editing, sending, the written reply, the list."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from shangliang.consultations import safeguards
from shangliang.consultations.permissions import consultations_visible_to
from shangliang.consultations.selectors import members_for
from shangliang.core.errors import DomainError
from shangliang.core.form_tokens import submitted_once
from shangliang.core.views import form_page, run_form
from shangliang.orgs.access import staff_required
from shangliang.orgs.permissions import role_names
from shangliang.orgs.states import Role
from shangliang.outcomes import numbering, permissions, report_sections, selectors, services
from shangliang.outcomes.forms import ReplyForm, ReportEditForm, ReportForm
from shangliang.outcomes.models import OutcomeReport
from shangliang.outcomes.states import ReportKind, ReportStatus
from shangliang.outcomes.views import done, page_of

REPORT_FILTERS = [
    ("", gettext_lazy("全部")),
    ("entrusted", gettext_lazy("政府委托事项")),
    ("awaiting", gettext_lazy("待书面答复")),
    ("received", gettext_lazy("已报送待答复")),
    ("late", gettext_lazy("答复已超期")),
]


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def report_new(request, pk):
    consultation = permissions.get_consultation_for_outcomes(request.user, pk)
    if not permissions.can_report(request.user, consultation):
        raise Http404
    kind = request.GET.get("kind", "")
    if kind not in ReportKind.values:
        kind = ReportKind.CONSULTATION_REPORT
    title, body = services.report_text(consultation, kind)
    form = ReportForm(
        request.POST or None,
        units=selectors.picker_order(selectors.report_units(consultation)),
        members=members_for(consultation),
        unit_group=selectors.unit_group,
        first=selectors.suggested_units(consultation, request.user),
        initial={"kind": kind, "title": title, "body": body},
    )
    # With htmx, choosing another kind rewrites the prefilled title and body in place.
    form.fields["kind"].widget.attrs.update(
        {"hx-get": request.path, "hx-target": "#report-text", "hx-select": "#report-text", "hx-swap": "outerHTML"}
    )
    drafted = run_form(
        request,
        form,
        lambda data: services.report_draft(actor=request.user, consultation=consultation, **data),
        success=_("报送材料已起草，核对后可报送。"),
        then=lambda report: reverse("outcomes:report", args=[report.pk]),
    )
    if drafted:
        return drafted
    context = {"c": consultation, "form": form, "kinds": ReportKind.choices, "kind": kind}
    return render(request, "outcomes/report_new.html", context, status=400 if form.errors else 200)


def _report_context(request, report: OutcomeReport, **forms):
    may_report = permissions.can_report(request.user, report.consultation)
    is_draft = report.status == ReportStatus.DRAFT
    edit_form = None
    if may_report and is_draft:
        edit_form = forms.get("edit_form") or ReportEditForm(
            initial={
                "recipient": report.recipient,
                "title": report.title,
                "body": report.body,
                "proposal_category": report.proposal_category,
                "suggested_handlers": report.suggested_handlers,
            }
        )
    reply_form = None
    if report.status == ReportStatus.SENT and permissions.can_record_reply(request.user, report):
        reply_form = forms.get("reply_form") or ReplyForm()
    return {
        "r": report,
        "c": report.consultation,
        # 提案编号 / 期号, 提案人 and 附议人 (the lead's mobile in full for the CPPCC office only).
        "serial": numbering.serial_text(report),
        "signatories": report_sections.signatories(
            report, full_mobile=Role.COMMITTEE_STAFF in role_names(request.user)
        ),
        "can_report": may_report,
        "is_late": selectors.is_reply_late(report),
        "edit_form": edit_form,
        "reply_form": reply_form,
        # Dissents owed an explanation (or a review the district requires) hold the report back.
        "send_refusal": safeguards.report_refusal(report.consultation) if may_report and is_draft else "",
        "timeline": report.history.select_related("history_user").order_by("history_date", "history_id"),
    }


def _get_report(user, pk) -> OutcomeReport:
    return selectors.report_get(permissions.get_report_for_view(user, pk).pk)


@staff_required
@require_http_methods(["GET", "POST"])
def report_detail(request, pk):
    report = _get_report(request.user, pk)
    if request.method == "GET":
        return render(request, "outcomes/report.html", _report_context(request, report))
    if not permissions.can_report(request.user, report.consultation):
        raise Http404
    form = ReportEditForm(request.POST)
    return form_page(
        request,
        form,
        lambda data: services.report_update(actor=request.user, report=report, **data),
        success=_("报送材料已保存。"),
        then=reverse("outcomes:report", args=[pk]),
        template="outcomes/report.html",
        context=lambda: _report_context(request, report, edit_form=form),
        status=400,
    )


@staff_required
@require_POST
def report_send(request, pk):
    report = _get_report(request.user, pk)
    if not permissions.can_report(request.user, report.consultation):
        raise Http404
    try:
        report = services.report_send(actor=request.user, report=report)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("outcomes:report", pk=pk)
    if report.reply_due_on:
        message = _("已报送。委托事项应于%(date)s前书面答复。") % {"date": report.reply_due_on.isoformat()}
    else:
        message = _("已报送。")
    return done(request, message, "outcomes:report", pk)


@staff_required
@require_POST
def report_reply(request, pk):
    report = _get_report(request.user, pk)
    if not permissions.can_record_reply(request.user, report):
        raise Http404
    form = ReplyForm(request.POST, request.FILES)
    replied = run_form(
        request,
        form,
        lambda data: services.report_reply(
            actor=request.user, report=report, text=data["text"], attachment=data["attachment"]
        ),
        success=_("书面答复已记录。"),
        then=reverse("outcomes:report", args=[pk]),
    )
    if replied:
        return replied
    context = _report_context(request, report, reply_form=form)
    if context["reply_form"] is None:
        for error in form.non_field_errors():
            messages.error(request, error)
    return render(request, "outcomes/report.html", context, status=400)


@staff_required
def report_list(request):
    today = timezone.localdate()
    show = request.GET.get("show", "")
    reports = selectors.reports_of(consultations_visible_to(request.user))
    if show == "entrusted":
        reports = reports.filter(is_entrusted=True)
    elif show == "awaiting":
        reports = selectors.replies_waiting(reports)
    elif show == "late":
        reports = selectors.replies_late(reports, today)
    elif show == "received":
        reports = reports.filter(status=ReportStatus.SENT)
    else:
        show = ""
    page = page_of(request, reports)
    rows = [(report, selectors.is_reply_late(report, today)) for report in page.object_list]
    context = {"page": page, "rows": rows, "show": show, "filters": REPORT_FILTERS}
    return render(request, "outcomes/reports.html", context)
