"""Staff pages of outcomes for one consultation: its three lists, assigning a suggestion, publication.

The other staff pages sit beside this module: ``assignment_views`` (one assignment and its actions),
``report_views`` (reports and written replies) and ``board_views`` (the unit desk and the boards).

Objects come through the access functions of ``permissions`` (404 for "missing" and "not yours");
an action the user may not take on an object they can see is answered 404 as well, like the
consultation pages. Pages that are not about one object (the unit desk, the board) answer 403.
Services decide whether an action is possible now; their refusals are shown next to the form.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shangliang.consultations import safeguards
from shangliang.consultations.models import Consultation, Suggestion
from shangliang.consultations.permissions import consultations_visible_to
from shangliang.consultations.states import ConsultationStatus
from shangliang.core.form_tokens import submitted_once
from shangliang.core.views import form_page, run_form
from shangliang.core.workdays import deadline_on
from shangliang.orgs.access import staff_required
from shangliang.orgs.states import UnitKind
from shangliang.outcomes import decision_views, permissions, selectors, services
from shangliang.outcomes.forms import AssignForm, PublishForm
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.states import AssignmentStatus, PublicChannel

PER_PAGE = 30
# The deadline the assigning form proposes.
DEFAULT_DEADLINE_DAYS = 30


def page_of(request, queryset, per_page=PER_PAGE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def done(request, message: str, to: str, pk: int, anchor: str = ""):
    """Say what happened and go back to the page (at ``anchor``)."""
    messages.success(request, message)
    response = redirect(to, pk=pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


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
    three_lists = selectors.three_lists(consultation)
    lines = selectors.outcome_lines(
        three_lists,
        today,
        visible=visible,
        shows_mobile=lambda item: may_assign or permissions.can_supervise(user, item),
        shows_person=lambda item: permissions.shows_responsible_person(user, item, is_reader=is_reader),
    )
    decision_counts = decision_views.annotate_lines(lines, with_forms=may_assign)
    reports = []
    if is_reader:
        reports = [
            (report, selectors.is_reply_late(report, today))
            for report in selectors.reports_of(Consultation.objects.filter(pk=consultation.pk))
        ]
    publication = consultation.publication if selectors.has_publication(consultation) else None
    publish_form = forms.get("publish_form")
    if publish_form is None and may_report:
        initial = (
            {"summary": publication.summary, "channels": publication.channels}
            if publication
            else {"summary": services.publication_text(consultation, three_lists)}
        )
        publish_form = PublishForm(initial=initial)
    return {
        "c": consultation,
        "lines": lines,
        "is_concluded": consultation.status == ConsultationStatus.CONCLUDED,
        "is_reader": is_reader,
        "can_assign": may_assign,
        "can_report": may_report,
        "counts": selectors.outcome_counts(lines),
        "decision_counts": decision_counts,
        "reports": reports,
        "publication": publication,
        "publication_channels": [PublicChannel(c).label for c in publication.channels if c in PublicChannel.values]
        if publication
        else [],
        "publication_due_on": selectors.publication_due_on(consultation),
        "publication_overdue": selectors.is_publication_overdue(consultation, today),
        "publish_form": publish_form,
        # Dissents owed an explanation hold the publication back (``safeguards.publish_refusal``).
        "publish_refusal": safeguards.publish_refusal(consultation)
        if may_report and consultation.status == ConsultationStatus.CONCLUDED
        else "",
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
    units = selectors.deployment_units(consultation)
    supervisors = selectors.supervisor_choices(consultation)
    initial = {"deadline": deadline_on("assignment", timezone.localdate(), DEFAULT_DEADLINE_DAYS)}
    if len(supervisors) == 1:
        initial["supervisor"] = supervisors[0].pk
    # The other suggestions not yet assigned may go to the same unit in this action (one message to residents).
    others = consultation.suggestions.exclude(pk=suggestion.pk).exclude(
        pk__in=Assignment.objects.exclude(status=AssignmentStatus.RETURNED).values("suggestion_id")
    )
    form = AssignForm(
        request.POST or None,
        others=others,
        units=selectors.picker_order(units.exclude(kind=UnitKind.CPPCC_COMMITTEE)),
        committees=units.filter(kind=UnitKind.CPPCC_COMMITTEE),
        supervisors=supervisors,
        unit_group=selectors.unit_group,
        first=selectors.suggested_units(consultation, request.user),
        initial=initial,
    )
    assigned = run_form(
        request,
        form,
        lambda data: services.assignments_create(
            actor=request.user,
            suggestions=[suggestion, *data.get("also", [])],
            **{name: value for name, value in data.items() if name != "also"},
        ),
        success=lambda created: (
            _("已交办，承办单位将收到通知。")
            if len(created) == 1
            else _("已交办%(count)d条建议，承办单位将收到通知。") % {"count": len(created)}
        ),
        then=reverse("outcomes:consultation", args=[pk]) + "#responsibility",
    )
    if assigned:
        return assigned
    context = {
        "c": consultation,
        "suggestion": suggestion,
        # Awaiting the assembly's vote, dropped, not adopted …: said before the form is filled in.
        "assign_refusal": safeguards.assign_refusal(suggestion),
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
    return form_page(
        request,
        form,
        lambda data: services.publication_publish(actor=request.user, consultation=consultation, **data),
        success=_("结果已公开，相关群众将收到反馈。"),
        then=reverse("outcomes:consultation", args=[pk]) + "#publication",
        template="outcomes/consultation.html",
        context=lambda: _consultation_context(request, consultation, publish_form=form),
        status=400,
    )
