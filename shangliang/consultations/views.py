"""Staff pages of a consultation: plan, participants, research, notice, session, minutes, resolution."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shangliang.consultations import hearings, participant_views, permissions, selectors, services
from shangliang.consultations.dissent_views import safeguard_context
from shangliang.consultations.forms import (
    CancelForm,
    DissentForm,
    HideForm,
    MinutesForm,
    NoticeForm,
    NoticeOtherForm,
    ParticipantForm,
    PickForm,
    PlanForm,
    ResearchForm,
    SuggestionForm,
    with_items,
    with_members,
)
from shangliang.consultations.models import OnlinePost
from shangliang.consultations.states import ConsultationStatus
from shangliang.core.errors import DomainError
from shangliang.core.form_tokens import submitted_once
from shangliang.core.views import form_page, run_form
from shangliang.orgs.access import staff_required
from shangliang.orgs.permissions import platforms_visible_to
from shangliang.topics.permissions import get_topic_for_view

# Topics waiting for a consultation listed above the consultations; the rest are reached from the topics.
READY_SHOWN = 20


def _done(request, message: str, pk: int, to: str = "consultations:detail"):
    messages.success(request, message)
    return redirect(to, pk=pk)


def _refused(request, error: DomainError, pk: int, to: str = "consultations:detail"):
    messages.error(request, error.message)
    return redirect(to, pk=pk)


def _page(pk: int, to: str = "consultations:detail") -> str:
    return reverse(to, args=[pk])


def _stage_post(request, consultation, form, service, success, stage: str, key: str = "form"):
    """A form posted from a stage's page (``STAGE_PAGES``) runs ``service(actor, consultation, **data)``;
    done, back to that page with ``success``; invalid or refused, that page again (400) with the form."""
    template, context = STAGE_PAGES[stage]
    return form_page(
        request,
        form,
        lambda data: service(actor=request.user, consultation=consultation, **data),
        success=success,
        then=_page(consultation.pk, f"consultations:{stage}"),
        template=template,
        context=lambda: context(request, consultation, **{key: form}),
        status=400,
    )


@staff_required
def consultation_list(request):
    status = request.GET.get("status", "")
    if status not in ConsultationStatus.values:
        status = ""
    page = Paginator(selectors.consultation_list_for(request.user, status=status), 30).get_page(request.GET.get("page"))
    ready = selectors.topics_awaiting_plan(request.user)[:READY_SHOWN]
    context = {"page": page, "status": status, "statuses": ConsultationStatus.choices, "ready": ready}
    return render(request, "consultations/list.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def consultation_plan(request, topic_pk):
    topic = get_topic_for_view(request.user, topic_pk)
    active = topic.consultations.exclude(status=ConsultationStatus.CANCELLED).first()
    if active is not None and permissions.consultations_visible_to(request.user).filter(pk=active.pk).exists():
        return redirect("consultations:detail", pk=active.pk)
    if not permissions.can_plan_consultation(request.user, topic):
        raise Http404
    platforms = platforms_visible_to(request.user)
    initial = {"platform": topic.platform_id, "agenda": _("通报调研情况 10\n各方发言 60\n形成协商意见 20")}
    check_url = reverse("consultations:plan_start_check", args=[topic.pk])
    hearing = (hearings.hearing_requirement(topic), hearings.hearing_formats(topic))
    form = PlanForm(request.POST or None, platforms=platforms, initial=initial, check_url=check_url, hearing=hearing)
    return form_page(
        request,
        form,
        lambda data: services.consultation_plan(actor=request.user, topic=topic, **data),
        success=_("协商已安排，请确定参与人员并开展商前调研。"),
        then=lambda consultation: _page(consultation.pk),
        template="consultations/plan.html",
        context={"form": form, "topic": topic, "hearing_requirement": hearing[0]},
    )


def _detail_context(request, consultation, **forms):
    history = consultation.history.select_related("history_user").order_by("history_date", "history_id")
    participants = list(consultation.participants.all())
    return {
        "c": consultation,
        "can_run": permissions.can_run_consultation(request.user, consultation),
        "agenda": consultation.agenda.all(),
        "research": consultation.research.select_related("recorded_by"),
        "participant_count": len(participants),
        "unreachable": len(selectors.unreachable_not_told(participants)),
        "signed_in": sum(1 for p in participants if p.signed_in_at),
        "check": services.representativeness_check(consultation),
        "research_form": forms.get("research_form")
        or with_members(ResearchForm(), selectors.members_for(consultation)),
        "cancel_form": CancelForm(),
        "timeline": history,
    }


@staff_required
def consultation_detail(request, pk):
    consultation = permissions.get_consultation_for_view(request.user, pk)
    return render(request, "consultations/detail.html", _detail_context(request, consultation))


@staff_required
@require_http_methods(["GET", "POST"])
def consultation_edit(request, pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    initial = {
        "platform": consultation.platform_id,
        "session_format": consultation.session_format_id,
        "mode": consultation.mode,
        "starts_at": consultation.starts_at,
        "ends_at": consultation.ends_at,
        "place": consultation.place,
        "agenda": "\n".join(f"{a.title} {a.minutes}" for a in consultation.agenda.all()),
    }
    platforms, check_url = platforms_visible_to(request.user), reverse("consultations:start_check", args=[pk])
    hearing = (hearings.hearing_requirement(consultation.topic), hearings.hearing_formats(consultation.topic))
    form = PlanForm(request.POST or None, platforms=platforms, initial=initial, check_url=check_url, hearing=hearing)
    return form_page(
        request,
        form,
        lambda data: services.consultation_update(actor=request.user, consultation=consultation, **data),
        success=_("协商安排已保存。"),
        then=_page(pk),
        template="consultations/plan.html",
        context={"form": form, "topic": consultation.topic, "c": consultation, "hearing_requirement": hearing[0]},
    )


@staff_required
@require_POST
def consultation_cancel(request, pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明取消原因。"))
        return redirect("consultations:detail", pk=pk)
    try:
        services.consultation_cancel(actor=request.user, consultation=consultation, reason=form.cleaned_data["reason"])
    except DomainError as error:
        return _refused(request, error, pk)
    return _done(request, _("协商已取消。"), pk)


@staff_required
@require_POST
@submitted_once
def research_add(request, pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    form = with_members(ResearchForm(request.POST, request.FILES), selectors.members_for(consultation))
    if form.is_valid():
        try:
            services.research_add(actor=request.user, consultation=consultation, **form.cleaned_data)
        except DomainError as error:
            return _refused(request, error, pk)
        return _done(request, _("调研记录已保存。"), pk)
    context = _detail_context(request, consultation, research_form=form)
    return render(request, "consultations/detail.html", context, status=400)


# --- participants --------------------------------------------------------------------------


def _participants_context(request, consultation, **forms):
    can_run = permissions.can_run_consultation(request.user, consultation)
    candidates = selectors.candidates_for(consultation) if can_run else []
    open_ = consultation.status in services.OPEN_FOR_PARTICIPANTS
    return {
        "c": consultation,
        "can_run": can_run,
        "participants": selectors.participants_of(consultation),
        "candidates": candidates,
        "check": services.representativeness_check(consultation),
        "form": forms.get("form") or ParticipantForm(),
        "pick_form": forms.get("pick_form") or PickForm(candidates=candidates),
        "open": open_,
        **participant_views.participants_extra(request, consultation, can_run=can_run, open_=open_),
    }


@staff_required
def participants(request, pk):
    consultation = permissions.get_consultation_for_view(request.user, pk)
    return render(request, "consultations/participants.html", _participants_context(request, consultation))


@staff_required
@require_POST
@submitted_once
def participant_add(request, pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    form = ParticipantForm(request.POST)
    return _stage_post(
        request, consultation, form, services.participant_add_by_hand, _("已加入参与名单。"), "participants"
    )


@staff_required
@require_POST
@submitted_once
def participant_pick(request, pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    form = PickForm(request.POST, candidates=selectors.candidates_for(consultation))

    def invite(*, actor, consultation, candidate):
        return services.participants_invite(actor=actor, consultation=consultation, picks=candidate)

    def invited(people) -> str:
        return _("已邀请 %(count)d 人。") % {"count": len(people)}

    return _stage_post(request, consultation, form, invite, invited, "participants", key="pick_form")


# --- notice --------------------------------------------------------------------------------


def _notice_sent(consultation) -> str:
    """The notice is out; those no message reaches still have to be told another way."""
    unreachable = selectors.unreachable_not_told(consultation.participants.all())
    if not unreachable:
        return _("事先知情通报已发出。")
    return _(
        "事先知情通报已发出。%(count)d人没有手机号也没有账号，收不到通知：请打印通知送达或电话告知，并在下表中记录。"
    ) % {"count": len(unreachable)}


@staff_required
@require_http_methods(["GET", "POST"])
def notice(request, pk):
    consultation = permissions.get_consultation_for_view(request.user, pk)
    form = NoticeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        consultation = permissions.get_consultation_for_running(request.user, pk)
        done = run_form(
            request,
            form,
            lambda data: services.notice_send(
                actor=request.user, consultation=consultation, acknowledge_warnings=data["acknowledge_warnings"]
            ),
            success=_notice_sent,
            then=_page(pk, "consultations:notice"),
        )
        if done:
            return done
    people = selectors.participants_with_notices(consultation)
    if consultation.status in {ConsultationStatus.NOTIFIED, ConsultationStatus.IN_SESSION} and (
        permissions.can_run_consultation(request.user, consultation)
    ):
        for person in people:
            if person.is_unreachable:
                person.other_form = NoticeOtherForm(auto_id=f"id_other{person.pk}_%s")
    context = {
        "c": consultation,
        "form": form,
        "check": services.representativeness_check(consultation),
        "participants": people,
        "unreachable": selectors.unreachable_not_told(people),
        "other_form": NoticeOtherForm(),
        "can_run": permissions.can_run_consultation(request.user, consultation),
        "notice_days": services.notice_days(),
    }
    return render(request, "consultations/notice.html", context, status=400 if form.errors else 200)


# --- the session ---------------------------------------------------------------------------


@staff_required
@require_POST
def session_open(request, pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    try:
        services.session_open(actor=request.user, consultation=consultation)
    except DomainError as error:
        return _refused(request, error, pk)
    return _done(request, _("协商已开始。"), pk, "consultations:session")


# The session page, sign-ins and statements: ``session_views``.


@staff_required
@require_POST
def post_hide(request, pk, post_pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    post = get_object_or_404(OnlinePost, pk=post_pk, consultation=consultation)
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明隐藏原因。"))
        return redirect("consultations:session", pk=pk)
    services.post_hide(actor=request.user, post=post, reason=form.cleaned_data["reason"])
    return _done(request, _("该意见已隐藏，原因已记录。"), pk, "consultations:session")


@staff_required
@require_POST
def session_close(request, pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    try:
        services.session_close(actor=request.user, consultation=consultation)
    except DomainError as error:
        return _refused(request, error, pk, "consultations:session")
    return _done(request, _("协商已结束，已根据记录生成纪要草稿。"), pk, "consultations:minutes")


# --- minutes and resolution ----------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def minutes(request, pk):
    consultation = permissions.get_consultation_for_view(request.user, pk)
    form = MinutesForm(request.POST or None, initial={"text": consultation.minutes})
    if request.method == "POST":
        consultation = permissions.get_consultation_for_running(request.user, pk)
        try:
            if request.POST.get("action") == "confirm":
                services.minutes_confirm(actor=request.user, consultation=consultation)
                return _done(request, _("纪要已确认。"), pk, "consultations:minutes")
            if form.is_valid():
                services.minutes_update(actor=request.user, consultation=consultation, text=form.cleaned_data["text"])
                return _done(request, _("纪要已保存，请召集人确认。"), pk, "consultations:minutes")
        except DomainError as error:
            return _refused(request, error, pk, "consultations:minutes")
    context = {
        "c": consultation,
        "form": form,
        "can_run": permissions.can_run_consultation(request.user, consultation),
        "is_convener": consultation.convener_id == request.user.pk,
    }
    return render(request, "consultations/minutes.html", context, status=400 if form.errors else 200)


def _resolution_context(request, consultation, **forms):
    items = consultation.suggestions.all()
    context = {
        "c": consultation,
        "can_run": permissions.can_run_consultation(request.user, consultation),
        "is_convener": consultation.convener_id == request.user.pk,
        "suggestions": items,
        "votes": consultation.votes.select_related("suggestion"),
        "suggestion_form": forms.get("suggestion_form")
        or with_members(SuggestionForm(), selectors.members_for(consultation)),
        "dissent_form": forms.get("dissent_form") or with_items(DissentForm(auto_id="dissent-%s"), items),
    }
    # Each dissent explained or why not, contested items, the assembly's vote (``dissent_views``).
    return context | safeguard_context(request, consultation, items, **forms)


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def resolution(request, pk):
    consultation = permissions.get_consultation_for_view(request.user, pk)
    if request.method == "GET":
        return render(request, "consultations/resolution.html", _resolution_context(request, consultation))
    consultation = permissions.get_consultation_for_running(request.user, pk)
    action = request.POST.get("action")
    forms = {}
    try:
        if action == "suggestion":
            form = forms["suggestion_form"] = with_members(
                SuggestionForm(request.POST), selectors.members_for(consultation)
            )
            if form.is_valid():
                services.suggestion_add(actor=request.user, consultation=consultation, **form.cleaned_data)
                return _done(request, _("建议已加入协商意见。"), pk, "consultations:resolution")
        elif action == "dissent":
            form = forms["dissent_form"] = with_items(
                DissentForm(request.POST, auto_id="dissent-%s"), consultation.suggestions.all()
            )
            if form.is_valid():
                services.dissent_add(actor=request.user, consultation=consultation, **form.cleaned_data)
                return _done(request, _("不同意见已记录，请安排解释说明。"), pk, "consultations:resolution")
        elif action == "agree":
            services.resolution_agree(actor=request.user, consultation=consultation)
            return _done(request, _("协商意见已形成。"), pk, "consultations:resolution")
        else:
            raise Http404
    except DomainError as error:
        return _refused(request, error, pk, "consultations:resolution")
    context = _resolution_context(request, consultation, **forms)
    return render(request, "consultations/resolution.html", context, status=400)


# The pages a stage's forms are posted from: the template, and the function that builds its context.
STAGE_PAGES = {
    "participants": ("consultations/participants.html", _participants_context),
    "resolution": ("consultations/resolution.html", _resolution_context),
}
