"""Reception hours (委员接待日) and residents' bookings (预约).

A member receives residents at the station they serve, or the person in charge of a platform (the
keeper, 专人负责) receives them by appointment. Station heads and conveners of the platform's region
(and the CPPCC office) open slots for any member serving there and for the person in charge; a member
opens their own. Residents book without an account: their name, mobile number and the matter, the
number proved by a one-time SMS code (``accounts.verification``) unless the signed-in account holds
it verified (``appointment_request``); the confirmation page's own link (``Appointment.code``) lets
them cancel. Those who receive them (the member, the keeper, the station) see the bookings with the
number, since they call back, and record whether the resident came (``APPOINTMENT_MOVES``). A booking
is not a submission: a matter that needs handling is reported separately (the station's submit page).
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.accounts.models import CodePurpose
from shangliang.accounts.verification import code_check
from shangliang.core.errors import DomainError
from shangliang.core.notify import Kind, notify
from shangliang.core.phones import normalize_mobile
from shangliang.core.records import save_record
from shangliang.core.transitions import transition
from shangliang.orgs.models import Appointment, Member, MemberAssignment, Platform, ReceptionSlot
from shangliang.orgs.permissions import covers, granted_ids, path_q, region_paths
from shangliang.orgs.states import APPOINTMENT_MOVES, AppointmentStatus, Role

# Who opens slots and handles the bookings of a platform in their scope.
RECEPTION_MANAGERS = frozenset({Role.STATION_HEAD, Role.CONVENER, Role.COMMITTEE_STAFF, Role.ADMINISTRATOR})
ACTIVE = AppointmentStatus.BOOKED


# --- permissions ---------------------------------------------------------------------------------


def _is_root(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def manages_platform(user, platform: Platform) -> bool:
    """Station heads, conveners and the CPPCC office covering the platform, and its keeper."""
    if not getattr(user, "is_authenticated", False):
        return False
    return platform.keeper_id == user.pk or _manages_by_role(user, platform)


def own_member(user) -> Member | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.filter(user=user, is_archived=False).first()


def serves(member: Member, platform: Platform) -> bool:
    return MemberAssignment.objects.filter(member=member, platform=platform, ended_on__isnull=True).exists()


def can_open_slot(user, platform: Platform, member: Member | None) -> bool:
    """Managers open slots for the person in charge or any member serving there; the keeper their own
    hours; a member their own hours at a station they serve."""
    if not getattr(user, "is_authenticated", False):
        return False
    if member is not None and not serves(member, platform):
        return False
    if _manages_by_role(user, platform):
        return True
    if member is None:
        return platform.keeper_id == user.pk
    return member.user_id is not None and member.user_id == user.pk


def _manages_by_role(user, platform: Platform) -> bool:
    return (
        _is_root(user)
        or covers(user, RECEPTION_MANAGERS, platform.region)
        or platform.pk in granted_ids(user, RECEPTION_MANAGERS, "platform")
    )


def can_handle_slot(user, slot: ReceptionSlot) -> bool:
    """Who sees a slot's bookings (with the numbers) and records them: the member receiving, the
    keeper of the platform, the managers of its region."""
    if not getattr(user, "is_authenticated", False):
        return False
    if slot.member_id and slot.member.user_id == user.pk:
        return True
    return manages_platform(user, slot.platform)


def slots_visible_to(user) -> QuerySet[ReceptionSlot]:
    """Slots the user handles: their own as a member, their platforms' as keeper, their scope's."""
    qs = ReceptionSlot.objects.filter(is_archived=False)
    if _is_root(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    q = Q(member__user=user) | Q(platform__keeper=user)
    q |= path_q(region_paths(user, RECEPTION_MANAGERS), "platform__region__path")
    q |= Q(platform_id__in=granted_ids(user, RECEPTION_MANAGERS, "platform"))
    return qs.filter(q)


def platforms_for_slots(user) -> QuerySet[Platform]:
    """Platforms where the user may open slots: managed ones, kept ones, and the member's own stations."""
    qs = Platform.objects.filter(is_archived=False)
    if _is_root(user):
        return qs
    q = Q(keeper=user) | path_q(region_paths(user, RECEPTION_MANAGERS), "region__path")
    q |= Q(pk__in=granted_ids(user, RECEPTION_MANAGERS, "platform"))
    member = own_member(user)
    if member is not None:
        q |= Q(pk__in=MemberAssignment.objects.filter(member=member, ended_on__isnull=True).values("platform_id"))
    return qs.filter(q)


# --- reads ---------------------------------------------------------------------------------------


def with_booked(slots: QuerySet[ReceptionSlot]) -> QuerySet[ReceptionSlot]:
    """Each slot with ``booked`` (active bookings) counted in the same query."""
    return slots.annotate(booked=Count("appointments", filter=Q(appointments__status=ACTIVE)))


def upcoming_slots(*, platform: Platform | None = None, member: Member | None = None, now=None, limit=20) -> list:
    """Open slots not yet begun (the ones residents may book), with their bookings counted (one query)."""
    now = now or timezone.now()
    qs = ReceptionSlot.objects.filter(is_archived=False, starts_at__gt=now, platform__is_archived=False)
    if platform is not None:
        qs = qs.filter(platform=platform)
    if member is not None:
        qs = qs.filter(member=member)
    qs = with_booked(qs).select_related("platform", "member__sector").order_by("starts_at", "pk")
    return list(qs[:limit])


def appointments_waiting(user, now=None) -> QuerySet[Appointment]:
    """Bookings still open (booked) that the user receives, soonest first: their home page's to-do. The
    member receiving and the platform's person in charge (who receives for everyone there); the station
    heads see them on the reception pages, not as their own to-do."""
    if not getattr(user, "is_authenticated", False):
        return Appointment.objects.none()
    return (
        Appointment.objects.filter(status=ACTIVE, slot__is_archived=False)
        .filter(Q(slot__member__user=user) | Q(slot__platform__keeper=user))
        .select_related("slot__platform", "slot__member")
        .order_by("slot__starts_at", "pk")
    )


def appointment_by_code(code: str) -> Appointment | None:
    return Appointment.objects.filter(code=code).select_related("slot__platform", "slot__member").first()


# --- writes --------------------------------------------------------------------------------------


def slot_create(
    *,
    actor,
    platform: Platform,
    member: Member | None,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    note: str = "",
    now=None,
) -> ReceptionSlot:
    """Open reception hours at ``platform`` for ``member`` (None: its person in charge)."""
    now = now or timezone.now()
    if platform.is_archived:
        raise DomainError(_("该站点已归档。"), field="platform")
    if member is not None and not serves(member, platform):
        raise DomainError(_("该委员未下沉到这个站点，请先安排下沉。"), field="member")
    if member is None and not (platform.keeper_id or platform.keeper_name):
        raise DomainError(_("该站点尚未登记负责人，请选择接待委员。"), field="member")
    if ends_at <= starts_at:
        raise DomainError(_("结束时间应晚于开始时间。"), field="ends_at")
    if starts_at <= now:
        raise DomainError(_("开始时间已过，请选择今后的时间。"), field="starts_at")
    if capacity < 1:
        raise DomainError(_("可预约人数至少为1。"), field="capacity")
    slot = ReceptionSlot(
        platform=platform,
        member=member,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        note=note.strip(),
        created_by=actor,
    )
    return save_record(slot, actor=actor, reason="reception_slot.opened", now=now)


@transaction.atomic
def slot_withdraw(*, actor, slot: ReceptionSlot, reason: str, now=None) -> ReceptionSlot:
    """Take a slot back (archived, never deleted); its open bookings are cancelled and the residents told
    on their own pages, and by the station's call."""
    now = now or timezone.now()
    slot = ReceptionSlot.objects.select_for_update(of=("self",)).get(pk=slot.pk)
    if slot.is_archived:
        raise DomainError(_("该接待时段已撤销。"))
    if not reason.strip():
        raise DomainError(_("请说明撤销原因。"), field="reason")
    for appointment in slot.appointments.select_for_update(of=("self",)).filter(status=ACTIVE):
        transition(
            appointment,
            to=AppointmentStatus.CANCELLED,
            moves=APPOINTMENT_MOVES,
            actor=actor,
            reason="appointment.cancelled",
            note=reason.strip(),
            changes={"cancel_reason": _("接待时段已撤销：%(reason)s") % {"reason": reason.strip()[:150]}},
            now=now,
        )
    slot.is_archived = True
    slot.archived_at = now
    return save_record(
        slot,
        actor=actor,
        reason="reception_slot.withdrawn",
        note=reason.strip(),
        now=now,
        update_fields=["is_archived", "archived_at", "updated_at"],
    )


def _receivers(slot: ReceptionSlot) -> list:
    people = []
    if slot.member_id and slot.member.user_id:
        people.append(slot.member.user)
    if slot.platform.keeper_id:
        people.append(slot.platform.keeper)
    return people


# The one-time code a resident's number is proved with: the public purpose of a resident giving their
# number without an account (the submission form's), so the shared "获取验证码" button (accounts:code) sends it.
BOOKING_CODE_PURPOSE = CodePurpose.SUBMIT


def holds_number(actor, mobile: str) -> bool:
    """The signed-in account has ``mobile`` as its verified number: no SMS code is needed for it."""
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and actor.has_verified_mobile
        and actor.verified_mobile == normalize_mobile(mobile)
    )


def _refuse_booking(slot: ReceptionSlot, mobile: str, now) -> None:
    """DomainError when ``slot`` cannot take a booking by ``mobile`` now: past, withdrawn, full, or the
    number already booked there."""
    if slot.is_archived or slot.platform.is_archived:
        raise DomainError(_("该接待时段已撤销，请选择其他时段。"))
    if slot.starts_at <= now:
        raise DomainError(_("该接待时段已开始或已结束，请选择其他时段。"))
    active = slot.appointments.filter(status=ACTIVE)
    if active.filter(mobile=mobile).exists():
        raise DomainError(_("这个手机号已预约了该时段，无需重复预约。"), field="mobile")
    if active.count() >= slot.capacity:
        raise DomainError(_("该时段预约已满，请选择其他时段。"))


def appointment_request(
    *, actor, slot: ReceptionSlot, name: str, mobile: str, matter: str, code: str = "", now=None
) -> Appointment:
    """A resident books ``slot`` on the public page, their number proved first: by the signed-in account
    holding it verified, or else by the SMS code texted to it (``BOOKING_CODE_PURPOSE``), used up here.

    The slot is checked before the code, so a full or past slot does not use up a good code. A wrong or
    expired code is refused on ``code`` (DomainError) and nothing is written but the wrong try, which
    counts against the code (``code_check`` writes it on its own: this function holds no transaction).
    """
    now = now or timezone.now()
    mobile = normalize_mobile(mobile)
    _refuse_booking(slot, mobile, now)
    if not holds_number(actor, mobile):
        code_check(mobile=mobile, purpose=BOOKING_CODE_PURPOSE, code=code, now=now)
    return appointment_book(actor=actor, slot=slot, name=name, mobile=mobile, matter=matter, now=now)


@transaction.atomic
def appointment_book(*, actor, slot: ReceptionSlot, name: str, mobile: str, matter: str, now=None) -> Appointment:
    """Write the booking of ``slot`` by a number already proved (the public page goes through
    ``appointment_request``, which checks the SMS code). Refuses a past, withdrawn or full slot and a
    second active booking by the same number. ``actor`` is the logged-in account (None for a visitor); it
    is kept when the account holds the number verified. The member receiving and the keeper are told."""
    now = now or timezone.now()
    slot = ReceptionSlot.objects.select_for_update(of=("self",)).select_related("platform", "member").get(pk=slot.pk)
    mobile = normalize_mobile(mobile)
    _refuse_booking(slot, mobile, now)
    holds = holds_number(actor, mobile)
    appointment = Appointment(
        slot=slot, name=name.strip(), mobile=mobile, matter=matter.strip(), user=actor if holds else None
    )
    save_record(appointment, actor=actor if holds else None, reason="appointment.booked", now=now)
    when = timezone.localtime(slot.starts_at).strftime("%m-%d %H:%M")
    notify(
        kind=Kind.FEEDBACK,
        reason=f"appointment.booked:{appointment.pk}",
        recipients=_receivers(slot),
        title=_("新的接待预约：%(when)s") % {"when": when},
        body=_("%(place)s，%(when)s，有群众预约面谈，请提前联系。") % {"place": slot.platform.name, "when": when},
        url=reverse("orgs:slot_detail", args=[slot.pk]),
    )
    return appointment


def _locked(appointment: Appointment) -> Appointment:
    return Appointment.objects.select_for_update(of=("self",)).select_related("slot__platform").get(pk=appointment.pk)


@transaction.atomic
def appointment_cancel(*, actor, appointment: Appointment, reason: str = "", now=None) -> Appointment:
    """Cancel a booking: the resident on their own page, or those who receive them (a reason is owed)."""
    appointment = _locked(appointment)
    return transition(
        appointment,
        to=AppointmentStatus.CANCELLED,
        moves=APPOINTMENT_MOVES,
        actor=actor,
        reason="appointment.cancelled",
        note=reason.strip(),
        changes={"cancel_reason": reason.strip()[:200]},
        now=now,
    )


@transaction.atomic
def appointment_close(*, actor, appointment: Appointment, attended: bool, note: str = "", now=None) -> Appointment:
    """Record whether the resident came (已接待 / 未到) and what was talked about; only once the slot began."""
    now = now or timezone.now()
    appointment = _locked(appointment)
    if appointment.slot.starts_at > now:
        raise DomainError(_("接待时段尚未开始，开始后再记录接待情况。"))
    if attended and not note.strip():
        raise DomainError(_("请简要记录接待情况。"), field="note")
    to = AppointmentStatus.ATTENDED if attended else AppointmentStatus.MISSED
    return transition(
        appointment,
        to=to,
        moves=APPOINTMENT_MOVES,
        actor=actor,
        reason="appointment.attended" if attended else "appointment.missed",
        note=note.strip(),
        changes={"outcome_note": note.strip()},
        now=now,
    )
