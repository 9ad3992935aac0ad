"""Pages of reception hours and bookings (staff and residents), and of members' requests to join a station."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shangliang.core.errors import DomainError
from shangliang.core.form_tokens import submitted_once
from shangliang.core.forms import add_service_error, errors_text
from shangliang.core.params import parse_id
from shangliang.core.ratelimits import rate_limited
from shangliang.core.views import form_page, run_form
from shangliang.orgs import joining, reception
from shangliang.orgs.models import Appointment, Member, MemberAssignment, Platform, ReceptionSlot
from shangliang.orgs.permissions import role_names
from shangliang.orgs.reception_forms import (
    BookingForm,
    CancelForm,
    CloseForm,
    DecideForm,
    JoinForm,
    SlotForm,
    StaffCancelForm,
    WithdrawSlotForm,
)
from shangliang.orgs.states import AppointmentStatus

# --- staff: slots and bookings -------------------------------------------------------------------


@login_required
@require_GET
def reception_home(request):
    """The slots the user handles, ahead and just past, with their bookings counted (one query)."""
    slots = reception.with_booked(reception.slots_visible_to(request.user)).select_related("platform", "member")
    slots = list(slots.order_by("-starts_at", "-pk")[:50])
    can_open = reception.platforms_for_slots(request.user).exists()
    if not slots and not can_open:
        raise PermissionDenied
    return render(request, "orgs/reception/home.html", {"slots": slots, "can_open": can_open})


def _slot_members(user, platforms):
    """Members a slot may name: those serving at the platforms; a member alone may name only themself."""
    serving = MemberAssignment.objects.filter(platform__in=platforms, ended_on__isnull=True).values("member_id")
    members = Member.objects.filter(is_archived=False, pk__in=serving)
    if not any(reception._manages_by_role(user, p) for p in platforms):
        members = members.filter(user=user)
    return members


@login_required
@require_http_methods(["GET", "POST"])
@submitted_once
def slot_create(request):
    platforms = reception.platforms_for_slots(request.user)
    platform_list = list(platforms.select_related("region"))
    if not platform_list:
        raise PermissionDenied
    initial = {}
    chosen = parse_id(request.GET.get("platform"))
    if chosen and any(p.pk == chosen for p in platform_list):
        initial["platform"] = chosen
    own = reception.own_member(request.user)
    if own is not None and not any(reception._manages_by_role(request.user, p) for p in platform_list):
        initial["member"] = own.pk
    form = SlotForm(
        request.POST or None,
        initial=initial,
        platforms=platforms,
        members=_slot_members(request.user, platform_list),
    )

    def save(data):
        if not reception.can_open_slot(request.user, data["platform"], data["member"]):
            raise DomainError(_("您不能为这位委员或这个站点开放接待时段。"), field="member")
        return reception.slot_create(actor=request.user, **data)

    return form_page(
        request,
        form,
        save,
        success=_("已开放接待时段，群众可在站点公开页预约。"),
        then=lambda slot: reverse("orgs:slot_detail", args=[slot.pk]),
        template="orgs/reception/slot_form.html",
        context=lambda: {"form": form},
    )


def _slot_for_handling(user, pk) -> ReceptionSlot:
    slot = ReceptionSlot.objects.select_related("platform__region", "member").filter(pk=pk).first()
    if slot is None or not reception.can_handle_slot(user, slot):
        raise Http404
    return slot


@login_required
@require_GET
def slot_detail(request, pk):
    slot = _slot_for_handling(request.user, pk)
    appointments = list(slot.appointments.order_by("status", "booked_at", "pk"))
    context = {
        "slot": slot,
        "appointments": appointments,
        "booked": sum(1 for a in appointments if a.status == AppointmentStatus.BOOKED),
        "close_form": CloseForm(),
        "cancel_form": StaffCancelForm(),
        "withdraw_form": WithdrawSlotForm(),
    }
    return render(request, "orgs/reception/slot_detail.html", context)


@login_required
@require_POST
def slot_withdraw(request, pk):
    slot = _slot_for_handling(request.user, pk)
    form = WithdrawSlotForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("orgs:slot_detail", pk=slot.pk)
    try:
        reception.slot_withdraw(actor=request.user, slot=slot, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("orgs:slot_detail", pk=slot.pk)
    messages.success(request, _("接待时段已撤销，已预约的群众请电话告知。"))
    return redirect("orgs:reception_home")


def _appointment_for_handling(user, pk) -> Appointment:
    appointment = Appointment.objects.select_related("slot__platform__region", "slot__member").filter(pk=pk).first()
    if appointment is None or not reception.can_handle_slot(user, appointment.slot):
        raise Http404
    return appointment


@login_required
@require_POST
def appointment_close(request, pk):
    appointment = _appointment_for_handling(request.user, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            reception.appointment_close(
                actor=request.user,
                appointment=appointment,
                attended=form.cleaned_data["outcome"] == "attended",
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("接待情况已记录。"))
    else:
        messages.error(request, errors_text(form))
    return redirect("orgs:slot_detail", pk=appointment.slot_id)


@login_required
@require_POST
def appointment_staff_cancel(request, pk):
    appointment = _appointment_for_handling(request.user, pk)
    form = StaffCancelForm(request.POST)
    if form.is_valid():
        try:
            reception.appointment_cancel(
                actor=request.user, appointment=appointment, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("预约已取消。"))
    else:
        messages.error(request, errors_text(form))
    return redirect("orgs:slot_detail", pk=appointment.slot_id)


# --- residents: booking --------------------------------------------------------------------------


def _bookable_or_404(pk) -> ReceptionSlot:
    slot = (
        ReceptionSlot.objects.filter(pk=pk, is_archived=False, platform__is_archived=False)
        .select_related("platform", "member__sector")
        .first()
    )
    if slot is None:
        raise Http404
    return slot


@require_http_methods(["GET", "POST"])
@rate_limited("signup")
def book(request, pk):
    """A resident books a slot with their name, number and matter; the number is proved by an SMS code
    asked for with the "获取验证码" button next to it (htmx posts to ``accounts:code``, whose limits per
    address, device and number hold; this page's posts never send a text), unless the signed-in account
    holds the number verified."""
    slot = _bookable_or_404(pk)
    form = BookingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = reception.appointment_request(
                actor=request.user if request.user.is_authenticated else None, slot=slot, **form.cleaned_data
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            return redirect("orgs:appointment_public", code=appointment.code)
    booked = slot.appointments.filter(status=AppointmentStatus.BOOKED).count()
    started = slot.starts_at <= timezone.now()
    context = {
        "slot": slot,
        "form": form,
        "left": 0 if started else max(slot.capacity - booked, 0),
        "started": started,
        "code_purpose": reception.BOOKING_CODE_PURPOSE,
    }
    return render(request, "orgs/reception/book.html", context, status=400 if form.errors else 200)


@require_GET
@rate_limited("track", methods=("GET",))
def appointment_public(request, code):
    """The resident's own page of a booking (its link is the proof): what, when, where, and cancelling."""
    appointment = reception.appointment_by_code(code)
    if appointment is None:
        raise Http404
    context = {
        "appointment": appointment,
        "form": CancelForm(),
        "is_open": appointment.status == AppointmentStatus.BOOKED,
    }
    return render(request, "orgs/reception/appointment.html", context)


@require_POST
@rate_limited("signup")
def appointment_public_cancel(request, code):
    appointment = reception.appointment_by_code(code)
    if appointment is None:
        raise Http404
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        reception.appointment_cancel(actor=None, appointment=appointment, reason=reason or _("群众自行取消"))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("预约已取消。"))
    return redirect("orgs:appointment_public", code=appointment.code)


# --- members' requests to join a station ---------------------------------------------------------


def _own_member_or_403(user) -> Member:
    member = reception.own_member(user)
    if member is None:
        raise PermissionDenied
    return member


@login_required
@require_http_methods(["GET", "POST"])
@submitted_once
def join_home(request):
    """A member's own page: stations suggested for them, their requests, and asking to join one."""
    member = _own_member_or_403(request.user)
    platforms = Platform.objects.filter(is_archived=False)
    form = JoinForm(
        request.POST or None, platforms=platforms, initial={"platform": parse_id(request.GET.get("platform"))}
    )
    done = run_form(
        request,
        form,
        lambda data: joining.join_request_make(actor=request.user, member=member, **data),
        success=_("申请已提交，请等待站点所在乡镇（街道）联络站或政协委室审核。"),
        then=reverse("orgs:join_home"),
    )
    if done:
        return done
    context = {
        "member": member,
        "form": form,
        "requests": list(joining.requests_of(member)),
        "suggested": joining.suggest_platforms(member, platforms),
        "serving": list(
            MemberAssignment.objects.filter(member=member, ended_on__isnull=True).select_related("platform__region")
        ),
    }
    return render(request, "orgs/reception/join_home.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def join_withdraw(request, pk):
    member = _own_member_or_403(request.user)
    join_request = member.join_requests.filter(pk=pk).first()
    if join_request is None:
        raise Http404
    try:
        joining.join_request_withdraw(actor=request.user, join_request=join_request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("申请已撤回。"))
    return redirect("orgs:join_home")


@login_required
@require_http_methods(["GET", "POST"])
def join_decide(request, pk):
    join_request = joining.get_for_decision(request.user, pk)
    form = DecideForm(request.POST or None)

    def decide(data):
        if data["decision"] == "approve":
            return joining.join_request_approve(actor=request.user, join_request=join_request, note=data["note"])
        return joining.join_request_refuse(actor=request.user, join_request=join_request, note=data["note"])

    done = run_form(
        request,
        form,
        decide,
        success=_("审核结果已记录，委员会收到通知。"),
        then=reverse("orgs:member_detail", args=[join_request.member_id]),
    )
    if done:
        return done
    suggested = joining.suggest_platforms(join_request.member, Platform.objects.filter(pk=join_request.platform_id))
    context = {"join_request": join_request, "form": form, "fit": suggested[0] if suggested else None}
    return render(request, "orgs/reception/join_decide.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def join_queue(request):
    qs = joining.requests_to_decide(request.user)
    if not (request.user.is_superuser or joining.DECIDERS & role_names(request.user)):
        raise PermissionDenied
    return render(request, "orgs/reception/join_queue.html", {"requests": list(qs[:100])})
