"""Staff pages about a consultation's time and reach: the start check of the plan form, rescheduling
(改期) with a new notice, and the notice delivered another way to those no message reaches."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shangliang.consultations import permissions, services
from shangliang.consultations.forms import NoticeOtherForm, RescheduleForm
from shangliang.consultations.models import Participant
from shangliang.core.errors import DomainError
from shangliang.core.form_tokens import submitted_once
from shangliang.core.views import form_page
from shangliang.orgs.access import staff_required
from shangliang.topics.permissions import get_topic_for_view


def _start_warning(request):
    """The fragment under a start field: why the notice period refuses the chosen start, or nothing."""
    value = request.GET.get("starts_at", "").strip()
    message = ""
    if value:
        try:
            starts_at = forms.DateTimeField().clean(value)
        except ValidationError:
            message = _("请输入有效的开始时间。")
        else:
            message = services.notice_period_refusal(starts_at)
    return render(request, "consultations/_start_warning.html", {"message": message})


@staff_required
@require_GET
def plan_start_check(request, topic_pk):
    """The plan form's early warning, for those who may plan a consultation of the topic."""
    topic = get_topic_for_view(request.user, topic_pk)
    if not permissions.can_plan_consultation(request.user, topic):
        raise Http404
    return _start_warning(request)


@staff_required
@require_GET
def start_check(request, pk):
    """The early warning of the edit and reschedule forms, for those who run the consultation."""
    permissions.get_consultation_for_running(request.user, pk)
    return _start_warning(request)


def start_check_url(consultation) -> str:
    return reverse("consultations:start_check", args=[consultation.pk])


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def reschedule(request, pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    initial = {"starts_at": consultation.starts_at, "ends_at": consultation.ends_at}
    form = RescheduleForm(request.POST or None, initial=initial, check_url=start_check_url(consultation))
    return form_page(
        request,
        form,
        lambda data: services.consultation_reschedule(actor=request.user, consultation=consultation, **data),
        success=_("已改期，协商时间变更通知已发给每位参与人员。无法接收消息的人员请重新通知。"),
        then=reverse("consultations:notice", args=[pk]),
        template="consultations/reschedule.html",
        context={"c": consultation, "form": form},
    )


@staff_required
@require_POST
def notice_other(request, pk, participant_pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    participant = get_object_or_404(Participant, pk=participant_pk, consultation=consultation)
    form = NoticeOtherForm(request.POST)
    to = redirect("consultations:notice", pk=pk)
    if not form.is_valid():
        messages.error(request, _("请选择通知方式。"))
        return to
    try:
        services.participant_notice_other(actor=request.user, participant=participant, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
        return to
    messages.success(request, _("已记录：%(name)s 已通过其他方式通知。") % {"name": participant.name})
    return to
