"""Staff pages of briefings, lectures and training: list, register, edit, hold or cancel, sign-ins,
questions and answers, photos, materials and the sign-in QR.

Who may open what is decided in ``events.permissions`` (404 outside one's scope); the services say
whether the state allows the step.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shangliang.core.form_tokens import submitted_once
from shangliang.core.forms import errors_text
from shangliang.core.links import absolute_url
from shangliang.core.qr import qr_response
from shangliang.core.views import form_page, run_form
from shangliang.events import permissions, selectors, services
from shangliang.events.forms import (
    AnswerForm,
    CancelForm,
    EventCreateForm,
    EventForm,
    HideForm,
    HoldForm,
    MaterialForm,
    PhotoForm,
    QuestionRecordForm,
    StaffSignInForm,
    StatusFilterForm,
    WithdrawForm,
)
from shangliang.events.models import EventMaterial, EventPhoto, EventQuestion, EventSignIn
from shangliang.events.states import EventStatus, QuestionStatus
from shangliang.orgs.access import staff_required

PER_PAGE = 30


def sign_in_url(event, request=None) -> str:
    """The address the event's QR opens."""
    return absolute_url(reverse("events:sign_in", args=[event.sign_in_token]), request)


@staff_required
@require_GET
def event_list(request):
    form = StatusFilterForm(request.GET or None)
    events = permissions.events_visible_to(request.user).filter(is_archived=False)
    if form.is_bound and form.is_valid():
        if form.cleaned_data["status"]:
            events = events.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["kind"]:
            events = events.filter(kind=form.cleaned_data["kind"])
    page = Paginator(selectors.staff_list(events), PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "filters": form, "can_add": permissions.can_add_event(request.user)}
    return render(request, "events/list.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def event_new(request):
    platforms = permissions.platforms_for_events(request.user)
    if not platforms.exists():
        raise PermissionDenied
    form = EventCreateForm(request.POST or None, platforms=platforms)

    def create(data):
        return services.event_create(actor=request.user, **form.service_data())

    return form_page(
        request,
        form,
        create,
        success=_("活动已登记。活动开始前1小时起可扫码签到。"),
        then=lambda event: reverse("events:detail", args=[event.pk]),
        template="events/form.html",
        context=lambda: {"form": form, "event": None},
    )


def _detail_context(request, event, **forms) -> dict:
    can_run = permissions.can_run_event(request.user, event) and not event.is_archived
    sign_ins = list(event.sign_ins.select_related("recorded_by").order_by("signed_in_at", "pk"))
    active = [s for s in sign_ins if s.withdrawn_at is None]
    questions = list(event.questions.order_by("asked_at", "pk"))
    for question in questions:
        if can_run and question.status != QuestionStatus.HIDDEN:
            question.answer_form = forms.get(f"answer_{question.pk}") or AnswerForm(
                initial={"answer": question.answer, "answered_by": question.answered_by},
                auto_id=f"q{question.pk}-%s",
            )
            question.hide_form = forms.get(f"hide_{question.pk}") or HideForm(auto_id=f"h{question.pk}-%s")
    now = timezone.now()
    context = {
        "event": event,
        "can_run": can_run,
        "sign_ins": sign_ins,
        "signed": len(active),
        "attendance": len(active) + (event.headcount or 0),
        "questions": questions,
        "photos": list(selectors.shown_photos(event)),
        "materials": list(selectors.shown_materials(event)),
        "sign_in_refusal": services.sign_in_refusal(event, now=now),
        "window": services.sign_in_window(event),
        "sign_in_link": sign_in_url(event, request),
        "is_planned": event.status == EventStatus.PLANNED,
        "has_started": event.starts_at <= now,
    }
    if can_run:
        context |= {
            "hold_form": forms.get("hold") or HoldForm(),
            "cancel_form": forms.get("cancel") or CancelForm(),
            "record_form": forms.get("record")
            or HoldForm(initial={"headcount": event.headcount, "record": event.record}, auto_id="r-%s"),
            "sign_in_form": forms.get("sign_in") or StaffSignInForm(auto_id="s-%s"),
            "question_form": forms.get("question") or QuestionRecordForm(auto_id="qr-%s"),
            "photo_form": forms.get("photo") or PhotoForm(),
            "material_form": forms.get("material") or MaterialForm(),
        }
    return context


@staff_required
@require_GET
def event_detail(request, pk):
    event = permissions.get_event_for_view(request.user, pk)
    return render(request, "events/detail.html", _detail_context(request, event))


def _on_detail(request, event, form, action, *, success, name: str):
    """Run a form posted from the detail page: back to the page on success, else the page with the form's errors."""
    done = run_form(
        request,
        form,
        action,
        success=success,
        then=reverse("events:detail", args=[event.pk]),
        reload=reverse("events:detail", args=[event.pk]),
    )
    if done is not None:
        return done
    context = _detail_context(request, permissions.get_event_for_view(request.user, event.pk), **{name: form})
    return render(request, "events/detail.html", context, status=400)


@staff_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    event = permissions.get_event_for_running(request.user, pk)
    if event.status == EventStatus.CANCELLED:
        messages.error(request, _("活动已取消，不能再修改。"))
        return redirect("events:detail", pk=pk)
    platforms = permissions.platforms_for_events(request.user)
    form = EventForm(request.POST or None, platforms=platforms, event=event)
    return form_page(
        request,
        form,
        lambda data: services.event_edit(event, actor=request.user, **form.service_data()),
        success=_("活动信息已保存。"),
        then=reverse("events:detail", args=[pk]),
        template="events/form.html",
        context=lambda: {"form": form, "event": event},
    )


@staff_required
@require_POST
def event_hold(request, pk):
    event = permissions.get_event_for_running(request.user, pk)
    form = HoldForm(request.POST)
    return _on_detail(
        request,
        event,
        form,
        lambda data: services.event_hold(event, actor=request.user, **data),
        success=_("已记为已举办。"),
        name="hold",
    )


@staff_required
@require_POST
def event_cancel(request, pk):
    event = permissions.get_event_for_running(request.user, pk)
    form = CancelForm(request.POST)
    return _on_detail(
        request,
        event,
        form,
        lambda data: services.event_cancel(event, actor=request.user, **data),
        success=_("活动已取消，公开页面会显示取消原因。"),
        name="cancel",
    )


@staff_required
@require_POST
def event_record(request, pk):
    event = permissions.get_event_for_running(request.user, pk)
    form = HoldForm(request.POST, auto_id="r-%s")
    return _on_detail(
        request,
        event,
        form,
        lambda data: services.event_record(event, actor=request.user, **data),
        success=_("举办情况已保存。"),
        name="record",
    )


@staff_required
@require_POST
@submitted_once
def sign_in_add(request, pk):
    event = permissions.get_event_for_running(request.user, pk)
    form = StaffSignInForm(request.POST, auto_id="s-%s")
    return _on_detail(
        request,
        event,
        form,
        lambda data: services.sign_in_add(actor=request.user, event=event, **data),
        success=lambda s: _("已补录 %(name)s 的签到。") % {"name": s.name},
        name="sign_in",
    )


@staff_required
@require_POST
def sign_in_withdraw(request, pk, sign_in_pk):
    event = permissions.get_event_for_running(request.user, pk)
    sign_in = get_object_or_404(EventSignIn, pk=sign_in_pk, event=event)
    form = WithdrawForm(request.POST)
    done = run_form(
        request,
        form,
        lambda data: services.sign_in_withdraw(sign_in, actor=request.user, **data),
        success=_("签到记录已撤销，原因已记录。"),
        then=reverse("events:detail", args=[pk]) + "#sign-ins",
    )
    if done is None:
        messages.error(request, errors_text(form))
        return redirect(reverse("events:detail", args=[pk]) + "#sign-ins")
    return done


@staff_required
@require_POST
@submitted_once
def question_record(request, pk):
    event = permissions.get_event_for_running(request.user, pk)
    form = QuestionRecordForm(request.POST, auto_id="qr-%s")
    return _on_detail(
        request,
        event,
        form,
        lambda data: services.question_record(actor=request.user, event=event, **data),
        success=_("问答已记录并公开。"),
        name="question",
    )


@staff_required
@require_POST
def question_answer(request, pk, question_pk):
    event = permissions.get_event_for_running(request.user, pk)
    question = get_object_or_404(EventQuestion, pk=question_pk, event=event)
    form = AnswerForm(request.POST, auto_id=f"q{question.pk}-%s")
    return _on_detail(
        request,
        event,
        form,
        lambda data: services.question_answer(question, actor=request.user, **data),
        success=_("已答复，问答在公开页面显示。"),
        name=f"answer_{question.pk}",
    )


@staff_required
@require_POST
def question_hide(request, pk, question_pk):
    event = permissions.get_event_for_running(request.user, pk)
    question = get_object_or_404(EventQuestion, pk=question_pk, event=event)
    form = HideForm(request.POST, auto_id=f"h{question.pk}-%s")
    return _on_detail(
        request,
        event,
        form,
        lambda data: services.question_hide(question, actor=request.user, **data),
        success=_("该提问不予公开，原因已记录。"),
        name=f"hide_{question.pk}",
    )


@staff_required
@require_POST
@submitted_once
def photo_add(request, pk):
    event = permissions.get_event_for_running(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    return _on_detail(
        request,
        event,
        form,
        lambda data: services.photos_add(actor=request.user, event=event, **data),
        success=lambda photos: _("已上传%(count)d张照片。") % {"count": len(photos)},
        name="photo",
    )


@staff_required
@require_POST
def photo_archive(request, pk, photo_pk):
    event = permissions.get_event_for_running(request.user, pk)
    photo = get_object_or_404(EventPhoto, pk=photo_pk, event=event, is_archived=False)
    services.photo_archive(photo, actor=request.user)
    messages.success(request, _("照片已撤下。"))
    return redirect(reverse("events:detail", args=[pk]) + "#photos")


@staff_required
@require_POST
@submitted_once
def material_add(request, pk):
    event = permissions.get_event_for_running(request.user, pk)
    form = MaterialForm(request.POST, request.FILES)
    return _on_detail(
        request,
        event,
        form,
        lambda data: services.material_add(actor=request.user, event=event, **data),
        success=_("材料已上传。"),
        name="material",
    )


@staff_required
@require_POST
def material_archive(request, pk, material_pk):
    event = permissions.get_event_for_running(request.user, pk)
    material = get_object_or_404(EventMaterial, pk=material_pk, event=event, is_archived=False)
    services.material_archive(material, actor=request.user)
    messages.success(request, _("材料已撤下。"))
    return redirect(reverse("events:detail", args=[pk]) + "#materials")


@staff_required
@require_GET
def sign_in_qr(request, pk, fmt, download=False):
    """The event's sign-in QR (SVG or PNG), shown in the page or, ``download``, saved as a file."""
    event = permissions.get_event_for_running(request.user, pk)
    name = f"event-sign-in-{event.pk}" if download else None
    return qr_response(sign_in_url(event, request), fmt, download_name=name)


@staff_required
@require_GET
def poster(request, pk):
    """A page to print and put at the door: the title, the time and the sign-in QR."""
    event = permissions.get_event_for_running(request.user, pk)
    context = {"event": event, "window": services.sign_in_window(event), "sign_in_link": sign_in_url(event, request)}
    return render(request, "events/poster.html", context)
