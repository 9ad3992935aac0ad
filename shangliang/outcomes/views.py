"""Staff pages of outcomes: a consultation's three lists and reports, one assignment, the unit desk and the board.

Objects come through the access functions of ``permissions`` (404 for "missing" and "not yours");
an action the user may not take on an object they can see is answered 404 as well, like the
consultation pages. Pages that are not about one object (the unit desk, the board) answer 403.
Services decide whether an action is possible now; their refusals are shown next to the form.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shangliang.consultations.models import Consultation, Suggestion
from shangliang.consultations.permissions import consultations_visible_to
from shangliang.consultations.selectors import members_for
from shangliang.consultations.states import ConsultationStatus
from shangliang.core.errors import DomainError, EditConflict
from shangliang.core.form_tokens import submitted_once
from shangliang.core.forms import add_service_error
from shangliang.orgs.access import staff_required
from shangliang.orgs.models import Platform, Region, Unit
from shangliang.orgs.states import Role, UnitKind
from shangliang.outcomes import permissions, selectors, services
from shangliang.outcomes.forms import (
    AcceptForm,
    AssignForm,
    BoardFilterForm,
    CompleteForm,
    DecisionForm,
    DeferForm,
    ExtensionForm,
    ProgressForm,
    PublishForm,
    ReplyForm,
    ReportEditForm,
    ReportForm,
    ResumeForm,
    ReturnForm,
)
from shangliang.outcomes.models import Assignment, OutcomeReport, ProgressUpdate
from shangliang.outcomes.states import (
    OPEN_ASSIGNMENT,
    AssignmentStatus,
    ExtensionStatus,
    PublicChannel,
    ReminderKind,
    ReportKind,
    ReportStatus,
)

PER_PAGE = 30


# --- rows shown in lists -------------------------------------------------------------------


@dataclass
class Row:
    """An assignment with the facts a list shows about it, computed once so templates never query."""

    item: Assignment
    is_overdue: bool
    is_due_soon: bool
    days_overdue: int
    was_late: bool
    latest: ProgressUpdate | None
    escalation: str
    show_mobile: bool = False
    can_open: bool = True
    is_co_unit: bool = False


def _row(assignment: Assignment, today: date, **extra) -> Row:
    escalation = selectors.escalation_of(assignment)
    return Row(
        item=assignment,
        is_overdue=selectors.is_overdue(assignment, today),
        is_due_soon=selectors.is_due_soon(assignment, today),
        days_overdue=selectors.days_overdue(assignment, today),
        was_late=selectors.was_late(assignment),
        latest=selectors.latest_update(assignment),
        escalation=ReminderKind(escalation).label if escalation else "",
        **extra,
    )


def _page(request, queryset, per_page=PER_PAGE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _done(request, message: str, to: str, pk: int, anchor: str = ""):
    messages.success(request, message)
    response = redirect(to, pk=pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _refused(request, error: DomainError, to: str, pk: int):
    messages.error(request, error.message)
    return redirect(to, pk=pk)


# --- choices for the assigning form ----------------------------------------------------------


def _ancestor_paths(region: Region) -> list[str]:
    """The paths of the region and every region above it."""
    segments = [s for s in region.path.split("/") if s]
    return ["/" + "/".join(segments[: i + 1]) + "/" for i in range(len(segments))]


def _deployment_units(consultation: Consultation):
    """Units of the deployment's district: departments, township governments, village committees, companies."""
    top = _ancestor_paths(consultation.topic.convening_region)[0]
    return Unit.objects.filter(is_archived=False, region__path__startswith=top).order_by("kind", "name")


def _supervisor_choices(consultation: Consultation):
    """Supervisors and CPPCC office staff whose scope covers the convening region, or who sit in a committee."""
    region_grant = Q(
        scoped_roles__role__in=[Role.SUPERVISOR, Role.COMMITTEE_STAFF],
        scoped_roles__revoked_at__isnull=True,
        scoped_roles__region__path__in=_ancestor_paths(consultation.topic.convening_region),
    )
    committee_grant = Q(
        scoped_roles__role__in=[Role.SUPERVISOR, Role.COMMITTEE_STAFF],
        scoped_roles__revoked_at__isnull=True,
        scoped_roles__unit__kind=UnitKind.CPPCC_COMMITTEE,
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(region_grant | committee_grant)
        .distinct()
        .order_by("full_name", "username")
    )


# --- one consultation: the three lists, reports and publication ------------------------------


@dataclass
class Line:
    number: int
    suggestion: Suggestion
    row: Row | None
    returned: list


def _effect_of(row: Row | None) -> str:
    item = row.item if row else None
    if item is None:
        return _("正在研究交办。")
    if item.status == AssignmentStatus.DONE:
        finished = timezone.localtime(item.done_at).date().isoformat() if item.done_at else ""
        values = {"unit": item.lead_unit.name, "date": finished, "result": item.result}
        return _("已办结（%(unit)s，%(date)s）：%(result)s") % values
    if item.status == AssignmentStatus.DEFERRED:
        return _("暂缓办理：%(reason)s") % {"reason": item.deferral_reason}
    values = {"unit": item.lead_unit.name, "deadline": item.deadline.isoformat()}
    return _("正在办理（%(unit)s，办理时限%(deadline)s）。") % values


def _public_summary(consultation: Consultation, lines: list[Line]) -> str:
    """A draft for residents from the effect list: suggestions and results, units but never people's names."""
    held = timezone.localtime(consultation.starts_at)
    values = {
        "date": f"{held.year}年{held.month}月{held.day}日",
        "topic": consultation.topic.title,
        "count": len(lines),
    }
    text = [_("%(date)s就“%(topic)s”开展协商，形成建议%(count)d条。落实情况如下：") % values]
    for line in lines:
        text += [f"{line.number}. {line.suggestion.text.strip()}", "   " + _effect_of(line.row)]
    return "\n".join(text)


def _consultation_context(request, consultation: Consultation, **forms):
    user = request.user
    today = timezone.localdate()
    may_assign = permissions.can_assign(user, consultation)
    may_report = permissions.can_report(user, consultation)
    is_reader = consultations_visible_to(user).filter(pk=consultation.pk).exists()
    visible = set(
        permissions.assignments_visible_to(user)
        .filter(suggestion__consultation=consultation)
        .values_list("pk", flat=True)
    )
    lines = []
    for number, line in enumerate(selectors.three_lists(consultation), start=1):
        row = None
        if line.assignment is not None:
            item = line.assignment
            row = _row(
                item,
                today,
                show_mobile=may_assign or permissions.can_supervise(user, item),
                can_open=item.pk in visible,
            )
        lines.append(Line(number, line.suggestion, row, line.returned))
    items = [line.row for line in lines if line.row]
    reports = []
    if is_reader:
        reports = [
            (report, selectors.is_reply_late(report, today))
            for report in consultation.reports.filter(is_archived=False).select_related("recipient_unit")
        ]
    publication = consultation.publication if selectors.has_publication(consultation) else None
    publish_form = forms.get("publish_form")
    if publish_form is None and may_report:
        initial = (
            {"summary": publication.summary, "channels": publication.channels}
            if publication
            else {"summary": _public_summary(consultation, lines)}
        )
        publish_form = PublishForm(initial=initial)
    return {
        "c": consultation,
        "lines": lines,
        "is_concluded": consultation.status == ConsultationStatus.CONCLUDED,
        "is_reader": is_reader,
        "can_assign": may_assign,
        "can_report": may_report,
        "counts": {
            "suggestions": len(lines),
            "assigned": len(items),
            "done": sum(1 for r in items if r.item.status == AssignmentStatus.DONE),
            "deferred": sum(1 for r in items if r.item.status == AssignmentStatus.DEFERRED),
            "overdue": sum(1 for r in items if r.is_overdue),
        },
        "reports": reports,
        "publication": publication,
        "publication_channels": [PublicChannel(c).label for c in publication.channels if c in PublicChannel.values]
        if publication
        else [],
        "publication_due_on": selectors.publication_due_on(consultation),
        "publication_overdue": selectors.is_publication_overdue(consultation, today),
        "publish_form": publish_form,
    }


@staff_required
def consultation_outcomes(request, pk):
    consultation = permissions.get_consultation_for_outcomes(request.user, pk)
    return render(request, "outcomes/consultation.html", _consultation_context(request, consultation))


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def assign(request, pk, suggestion_pk):
    consultation = permissions.get_consultation_for_outcomes(request.user, pk)
    if not permissions.can_assign(request.user, consultation):
        raise Http404
    suggestion = get_object_or_404(Suggestion, pk=suggestion_pk, consultation=consultation)
    live = suggestion.assignments.exclude(status=AssignmentStatus.RETURNED).first()
    if live is not None:
        messages.info(request, _("这条建议已经交办。"))
        return redirect("outcomes:assignment", pk=live.pk)
    units = _deployment_units(consultation)
    supervisors = _supervisor_choices(consultation)
    initial = {"deadline": timezone.localdate() + timedelta(days=30)}
    if len(supervisors) == 1:
        initial["supervisor"] = supervisors[0].pk
    form = AssignForm(
        request.POST or None,
        units=units.exclude(kind=UnitKind.CPPCC_COMMITTEE),
        committees=units.filter(kind=UnitKind.CPPCC_COMMITTEE),
        supervisors=supervisors,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_create(actor=request.user, suggestion=suggestion, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            return _done(request, _("已交办，承办单位将收到通知。"), "outcomes:consultation", pk, "responsibility")
    context = {
        "c": consultation,
        "suggestion": suggestion,
        "returned": suggestion.assignments.filter(status=AssignmentStatus.RETURNED).select_related("lead_unit"),
        "form": form,
    }
    return render(request, "outcomes/assign.html", context, status=400 if form.errors else 200)


@staff_required
@require_POST
def publish(request, pk):
    consultation = permissions.get_consultation_for_outcomes(request.user, pk)
    if not permissions.can_report(request.user, consultation):
        raise Http404
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.publication_publish(actor=request.user, consultation=consultation, **form.cleaned_data)
        except DomainError as error:
            add_service_error(form, error)
        else:
            return _done(request, _("结果已公开，相关群众将收到反馈。"), "outcomes:consultation", pk, "publication")
    context = _consultation_context(request, consultation, publish_form=form)
    return render(request, "outcomes/consultation.html", context, status=400)


# --- reports -------------------------------------------------------------------------------


def _report_units(consultation: Consultation):
    return _deployment_units(consultation).exclude(kind=UnitKind.CPPCC_COMMITTEE)


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
        units=_report_units(consultation),
        members=members_for(consultation),
        initial={"kind": kind, "title": title, "body": body},
    )
    # With htmx, choosing another kind rewrites the prefilled title and body in place.
    form.fields["kind"].widget.attrs.update(
        {"hx-get": request.path, "hx-target": "#report-text", "hx-select": "#report-text", "hx-swap": "outerHTML"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_draft(actor=request.user, consultation=consultation, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            return _done(request, _("报送材料已起草，核对后可报送。"), "outcomes:report", report.pk)
    context = {"c": consultation, "form": form, "kinds": ReportKind.choices, "kind": kind}
    return render(request, "outcomes/report_new.html", context, status=400 if form.errors else 200)


def _report_context(request, report: OutcomeReport, **forms):
    may_report = permissions.can_report(request.user, report.consultation)
    is_draft = report.status == ReportStatus.DRAFT
    edit_form = None
    if may_report and is_draft:
        edit_form = forms.get("edit_form") or ReportEditForm(
            initial={"recipient": report.recipient, "title": report.title, "body": report.body}
        )
    reply_form = None
    if report.status == ReportStatus.SENT and permissions.can_record_reply(request.user, report):
        reply_form = forms.get("reply_form") or ReplyForm()
    return {
        "r": report,
        "c": report.consultation,
        "can_report": may_report,
        "is_late": selectors.is_reply_late(report),
        "edit_form": edit_form,
        "reply_form": reply_form,
        "timeline": report.history.select_related("history_user").order_by("history_date", "history_id"),
    }


def _get_report(user, pk) -> OutcomeReport:
    report = permissions.get_report_for_view(user, pk)
    return (
        OutcomeReport.objects.select_related(
            "consultation__topic__convening_region",
            "consultation__platform",
            "recipient_unit",
            "created_by",
            "sent_by",
            "reply_recorded_by",
        )
        .filter(pk=report.pk)
        .get()
    )


@staff_required
@require_http_methods(["GET", "POST"])
def report_detail(request, pk):
    report = _get_report(request.user, pk)
    if request.method == "GET":
        return render(request, "outcomes/report.html", _report_context(request, report))
    if not permissions.can_report(request.user, report.consultation):
        raise Http404
    form = ReportEditForm(request.POST)
    if form.is_valid():
        try:
            services.report_update(actor=request.user, report=report, **form.cleaned_data)
        except DomainError as error:
            add_service_error(form, error)
        else:
            return _done(request, _("报送材料已保存。"), "outcomes:report", pk)
    return render(request, "outcomes/report.html", _report_context(request, report, edit_form=form), status=400)


@staff_required
@require_POST
def report_send(request, pk):
    report = _get_report(request.user, pk)
    if not permissions.can_report(request.user, report.consultation):
        raise Http404
    try:
        report = services.report_send(actor=request.user, report=report)
    except DomainError as error:
        return _refused(request, error, "outcomes:report", pk)
    if report.reply_due_on:
        message = _("已报送。委托事项应于%(date)s前书面答复。") % {"date": report.reply_due_on.isoformat()}
    else:
        message = _("已报送。")
    return _done(request, message, "outcomes:report", pk)


@staff_required
@require_POST
def report_reply(request, pk):
    report = _get_report(request.user, pk)
    if not permissions.can_record_reply(request.user, report):
        raise Http404
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.report_reply(
                actor=request.user,
                report=report,
                text=form.cleaned_data["text"],
                attachment=form.cleaned_data["attachment"],
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            return _done(request, _("书面答复已记录。"), "outcomes:report", pk)
    context = _report_context(request, report, reply_form=form)
    if context["reply_form"] is None:
        for error in form.non_field_errors():
            messages.error(request, error)
    return render(request, "outcomes/report.html", context, status=400)


REPORT_FILTERS = [
    ("", _("全部")),
    ("entrusted", _("政府委托事项")),
    ("awaiting", _("待书面答复")),
    ("late", _("答复已超期")),
]


@staff_required
def report_list(request):
    today = timezone.localdate()
    show = request.GET.get("show", "")
    reports = OutcomeReport.objects.filter(
        is_archived=False, consultation__in=consultations_visible_to(request.user)
    ).select_related("consultation__topic", "recipient_unit")
    if show == "entrusted":
        reports = reports.filter(is_entrusted=True)
    elif show == "awaiting":
        reports = selectors.replies_waiting(reports)
    elif show == "late":
        reports = selectors.replies_waiting(reports).filter(reply_due_on__lt=today)
    else:
        show = ""
    page = _page(request, reports)
    rows = [(report, selectors.is_reply_late(report, today)) for report in page.object_list]
    context = {"page": page, "rows": rows, "show": show, "filters": REPORT_FILTERS}
    return render(request, "outcomes/reports.html", context)


# --- one assignment ------------------------------------------------------------------------

FORMS = {
    "accept_form": AcceptForm,
    "return_form": ReturnForm,
    "progress_form": ProgressForm,
    "complete_form": CompleteForm,
    "defer_form": DeferForm,
    "resume_form": ResumeForm,
    "extension_form": ExtensionForm,
    "decision_form": DecisionForm,
}


def _form(key: str, *args, **kwargs):
    """Each form of the page gets its own element ids, so labels stay unique on one page."""
    return FORMS[key](*args, auto_id=f"{key}_%s", **kwargs)


def _reporting_unit(user, assignment: Assignment) -> Unit:
    """The unit a progress update is filed for: the lead unit, or the user's co-unit."""
    units = permissions.liaison_unit_ids(user)
    if assignment.lead_unit_id in units or not units:
        return assignment.lead_unit
    return next((unit for unit in assignment.co_units.all() if unit.pk in units), assignment.lead_unit)


def _assignment_context(request, assignment: Assignment, **forms):
    user = request.user
    # Reload with the joins of the lists: pending extensions and reminders for the badges.
    assignment = selectors.with_related(Assignment.objects.filter(pk=assignment.pk)).get()
    now = timezone.now()
    status = assignment.status
    consultation = assignment.suggestion.consultation
    is_lead = permissions.is_lead_liaison(user, assignment)
    may_supervise = permissions.can_supervise(user, assignment)
    extensions = list(assignment.extensions.select_related("requested_by", "decided_by"))
    pending = next((e for e in extensions if e.status == ExtensionStatus.PENDING), None)
    return_until = assignment.assigned_at + timedelta(days=services.return_days())
    show = {
        "accept_form": is_lead and status == AssignmentStatus.ASSIGNED,
        "return_form": is_lead and status == AssignmentStatus.ASSIGNED and now <= return_until,
        "progress_form": status in {AssignmentStatus.ACCEPTED, AssignmentStatus.DEFERRED}
        and permissions.can_post_progress(user, assignment),
        "complete_form": is_lead and status == AssignmentStatus.ACCEPTED,
        "defer_form": is_lead and status == AssignmentStatus.ACCEPTED,
        "resume_form": is_lead and status == AssignmentStatus.DEFERRED,
        "extension_form": is_lead and status in OPEN_ASSIGNMENT and pending is None,
        "decision_form": may_supervise and pending is not None and pending.requested_by_id != user.pk,
    }
    versioned = {"version": assignment.version}
    context = {
        "a": assignment,
        "c": consultation,
        "row": _row(assignment, timezone.localdate()),
        "co_units": list(assignment.co_units.all()),
        "updates": assignment.updates.select_related("unit", "created_by"),
        "reminders": assignment.reminders.order_by("sent_at"),
        "extensions": extensions,
        "pending_extension": pending,
        "timeline": assignment.history.select_related("history_user").order_by("history_date", "history_id"),
        "show_mobile": may_supervise or permissions.can_assign(user, consultation),
        "is_lead": is_lead,
        "can_supervise": may_supervise,
        "is_reader": consultations_visible_to(user).filter(pk=consultation.pk).exists(),
        "return_until": return_until,
        "return_days": services.return_days(),
        "show": show,
    }
    for key, shown in show.items():
        if forms.get(key) is not None:
            context[key] = forms[key]
        elif shown:
            initial = versioned if "version" in FORMS[key].base_fields else None
            context[key] = _form(key, initial=initial)
    return context


@staff_required
def assignment_detail(request, pk):
    assignment = permissions.get_assignment_for_view(request.user, pk)
    return render(request, "outcomes/assignment.html", _assignment_context(request, assignment))


def _assignment_action(request, pk, *, allowed, key: str, run, success: str):
    """Check the right, validate the form, call the service; on refusal show the page again with the form."""
    assignment = permissions.get_assignment_for_view(request.user, pk)
    if not allowed(request.user, assignment):
        raise Http404
    form = _form(key, request.POST, request.FILES)
    if form.is_valid():
        try:
            run(assignment, form.cleaned_data)
        except EditConflict as error:
            add_service_error(form, error)
            form.refresh_version(Assignment.objects.values_list("version", flat=True).get(pk=assignment.pk))
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, success)
            return redirect("outcomes:assignment", pk=pk)
    assignment = permissions.get_assignment_for_view(request.user, pk)
    context = _assignment_context(request, assignment, **{key: form})
    if not context["show"][key]:
        # The form is not shown in the record's current state; say why above the page instead.
        for error in form.non_field_errors():
            messages.error(request, error)
    return render(request, "outcomes/assignment.html", context, status=400)


@staff_required
@require_POST
def assignment_accept(request, pk):
    return _assignment_action(
        request,
        pk,
        allowed=permissions.is_lead_liaison,
        key="accept_form",
        run=lambda a, data: services.assignment_accept(actor=request.user, assignment=a, version=data["version"]),
        success=_("已签收，请按时限办理并填报进展。"),
    )


@staff_required
@require_POST
def assignment_return(request, pk):
    return _assignment_action(
        request,
        pk,
        allowed=permissions.is_lead_liaison,
        key="return_form",
        run=lambda a, data: services.assignment_return(
            actor=request.user, assignment=a, reason=data["reason"], version=data["version"]
        ),
        success=_("已退回，交办单位将重新交办。"),
    )


@staff_required
@require_POST
@submitted_once
def progress_add(request, pk):
    return _assignment_action(
        request,
        pk,
        allowed=permissions.can_post_progress,
        key="progress_form",
        run=lambda a, data: services.progress_add(
            actor=request.user,
            assignment=a,
            unit=_reporting_unit(request.user, a),
            progress=data["progress"],
            problems=data["problems"],
            next_steps=data["next_steps"],
            attachment=data["attachment"],
            reported_on=data["reported_on"],
            version=data["version"],
        ),
        success=_("进展已填报。"),
    )


@staff_required
@require_POST
def assignment_complete(request, pk):
    return _assignment_action(
        request,
        pk,
        allowed=permissions.is_lead_liaison,
        key="complete_form",
        run=lambda a, data: services.assignment_complete(
            actor=request.user, assignment=a, result=data["result"], evidence=data["evidence"], version=data["version"]
        ),
        success=_("已办结，落实效果将告知相关群众。"),
    )


@staff_required
@require_POST
def assignment_defer(request, pk):
    return _assignment_action(
        request,
        pk,
        allowed=permissions.is_lead_liaison,
        key="defer_form",
        run=lambda a, data: services.assignment_defer(
            actor=request.user, assignment=a, reason=data["reason"], version=data["version"]
        ),
        success=_("已暂缓办理，原因将告知相关群众。"),
    )


@staff_required
@require_POST
def assignment_resume(request, pk):
    return _assignment_action(
        request,
        pk,
        allowed=permissions.is_lead_liaison,
        key="resume_form",
        run=lambda a, data: services.assignment_resume(actor=request.user, assignment=a, version=data["version"]),
        success=_("已恢复办理。"),
    )


@staff_required
@require_POST
@submitted_once
def extension_request(request, pk):
    return _assignment_action(
        request,
        pk,
        allowed=permissions.is_lead_liaison,
        key="extension_form",
        run=lambda a, data: services.extension_request(
            actor=request.user,
            assignment=a,
            requested_deadline=data["requested_deadline"],
            reason=data["reason"],
        ),
        success=_("延期申请已提交，督办负责人同意后时限才会变更。"),
    )


@staff_required
@require_POST
def extension_decide(request, pk):
    extension = permissions.get_extension_for_decision(request.user, pk)
    assignment = extension.assignment
    form = _form("decision_form", request.POST)
    if form.is_valid():
        try:
            services.extension_decide(
                actor=request.user,
                extension=extension,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("延期申请已审批。"))
            return redirect("outcomes:assignment", pk=assignment.pk)
    assignment = permissions.get_assignment_for_view(request.user, assignment.pk)
    context = _assignment_context(request, assignment, decision_form=form)
    if not context["show"]["decision_form"]:
        for error in form.non_field_errors():
            messages.error(request, error)
    return render(request, "outcomes/assignment.html", context, status=400)


# --- the unit desk -------------------------------------------------------------------------


def _desk_tabs(today: date) -> dict:
    return {
        "todo": (_("待签收"), Q(status=AssignmentStatus.ASSIGNED)),
        "doing": (_("办理中"), Q(status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.DEFERRED])),
        "overdue": (_("已逾期"), Q(status__in=OPEN_ASSIGNMENT, deadline__lt=today)),
        "done": (_("已办结"), Q(status=AssignmentStatus.DONE)),
        "all": (_("全部"), Q()),
    }


@staff_required
def unit_desk(request):
    user = request.user
    if not permissions.can_use_unit_desk(user):
        raise PermissionDenied
    today = timezone.localdate()
    units = permissions.liaison_unit_ids(user)
    items = permissions.assignments_visible_to(user)
    if units:
        co = Assignment.objects.filter(co_units__in=units).values("pk")
        items = items.filter(Q(lead_unit_id__in=units) | Q(pk__in=co))
    tabs = _desk_tabs(today)
    counts = items.aggregate(**{key: Count("pk", filter=q) if q else Count("pk") for key, (_label, q) in tabs.items()})
    tab = request.GET.get("tab", "")
    if tab not in tabs:
        tab = next((key for key in ("todo", "overdue") if counts[key]), "doing")
    page = _page(request, selectors.with_related(items.filter(tabs[tab][1])))
    rows = [_row(a, today, is_co_unit=bool(units) and a.lead_unit_id not in units) for a in page.object_list]
    context = {
        "tabs": [(key, label, counts[key]) for key, (label, _q) in tabs.items()],
        "tab": tab,
        "page": page,
        "rows": rows,
        "units": Unit.objects.filter(pk__in=units).order_by("name"),
    }
    return render(request, "outcomes/unit_desk.html", context)


# --- the supervision board -----------------------------------------------------------------


def _board_scope(user):
    visible = permissions.assignments_visible_to(user)
    platforms = Platform.objects.filter(pk__in=visible.values("suggestion__consultation__platform_id")).order_by("name")
    units = Unit.objects.filter(
        Q(pk__in=visible.values("lead_unit_id")) | Q(pk__in=visible.filter(co_units__isnull=False).values("co_units"))
    ).order_by("kind", "name")
    return visible, platforms, units


@staff_required
def supervision_board(request):
    user = request.user
    if not permissions.can_use_board(user):
        raise PermissionDenied
    today = timezone.localdate()
    visible, platforms, units = _board_scope(user)
    form = BoardFilterForm(request.GET, platforms=platforms, units=units)
    data = form.cleaned_data if form.is_valid() else {}
    scope = {
        "platform_id": data["platform"].pk if data.get("platform") else None,
        "unit_id": data["unit"].pk if data.get("unit") else None,
        "start": data.get("start"),
        "end": data.get("end"),
        "today": today,
    }
    filtered = selectors.assignments_filtered(visible, **scope)
    state = data.get("state", "")
    if state == "":
        listed = filtered.filter(
            status__in=OPEN_ASSIGNMENT, deadline__lte=today + timedelta(days=selectors.due_soon_days())
        )
    elif state == "all":
        listed = filtered
    else:
        listed = selectors.assignments_filtered(filtered, state=state, today=today)
    page = _page(request, selectors.with_related(listed.order_by("deadline", "pk")))
    rows = [_row(a, today, show_mobile=permissions.can_supervise(user, a)) for a in page.object_list]
    export = {
        "platform": scope["platform_id"] or "",
        "unit": scope["unit_id"] or "",
        "state": "" if state == "all" else state,
        "start": scope["start"].isoformat() if scope["start"] else "",
        "end": scope["end"].isoformat() if scope["end"] else "",
    }
    visible_consultations = consultations_visible_to(user)
    replies = selectors.replies_waiting(
        OutcomeReport.objects.filter(is_archived=False, consultation__in=visible_consultations)
    ).select_related("consultation__topic", "recipient_unit")
    context = {
        "form": form,
        "board": selectors.board_for(filtered, today),
        "page": page,
        "rows": rows,
        "state": state,
        "export_query": urlencode({k: v for k, v in export.items() if v}),
        "extensions": selectors.pending_extensions(visible)[:100],
        "replies": [(report, selectors.is_reply_late(report, today)) for report in replies[:100]],
        "unpublished": selectors.unpublished_overdue(visible_consultations, today),
    }
    return render(request, "outcomes/board.html", context)


@staff_required
def district_overdue_board(request):
    user = request.user
    if not permissions.can_use_board(user):
        raise PermissionDenied
    today = timezone.localdate()
    items = selectors.with_related(selectors.district_overdue(permissions.assignments_visible_to(user)))
    page = _page(request, items, per_page=50)
    rows = [_row(a, today, show_mobile=permissions.can_supervise(user, a)) for a in page.object_list]
    return render(request, "outcomes/overdue_board.html", {"page": page, "rows": rows})
