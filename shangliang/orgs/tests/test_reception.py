"""Reception hours (委员接待日) and residents' bookings, through the pages, with who may and may not."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.accounts.models import PhoneCode
from shangliang.accounts.tests import codes
from shangliang.core.models import Notification
from shangliang.orgs import reception, services
from shangliang.orgs.models import Appointment, ReceptionSlot
from shangliang.orgs.states import AppointmentStatus, Role
from shangliang.orgs.tests.factories import grant, make_member, make_platform, make_user

pytestmark = pytest.mark.django_db

sms = codes.sms  # the SMS gateway stand-in (a fixture)


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def station(district):
    """A township room in 甲镇 with a keeper; 王委员 serves there; a station head of 甲镇 and one of 乙镇."""
    keeper = make_user("keeper", full_name="刘站长")
    platform = make_platform(district["a"], name="甲镇委员联络站")
    platform.keeper = keeper
    platform.keeper_name = "刘站长"
    platform.contact_phone = "0571-12345678"
    platform.save()
    wang_user = make_user("wang", full_name="王委员")
    wang = make_member("王委员", user=wang_user, home_region=district["a1"], mobile="13900001111")
    services.member_assign(actor=None, member=wang, platform=platform, started_on=datetime.date(2026, 1, 1))
    head = grant(make_user("head-a"), Role.STATION_HEAD, region=district["a"])
    other_head = grant(make_user("head-b"), Role.STATION_HEAD, region=district["b"])
    return {"platform": platform, "keeper": keeper, "wang": wang, "head": head, "other_head": other_head}


def open_slot(station, *, member="wang", capacity=2, hours=48):
    starts = timezone.now() + datetime.timedelta(hours=hours)
    return reception.slot_create(
        actor=station["head"],
        platform=station["platform"],
        member=station[member] if member else None,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        capacity=capacity,
    )


def slot_post(station, member, hours=48):
    starts = timezone.now() + datetime.timedelta(hours=hours)
    return {
        "platform": station["platform"].pk,
        "member": member.pk if member else "",
        "starts_at": local(starts),
        "ends_at": local(starts + datetime.timedelta(hours=2)),
        "capacity": 3,
        "note": "带好材料",
    }


def book_data(**overrides):
    return {"name": "张大爷", "mobile": "13812345678", "matter": "小区加装电梯的事想当面谈谈", **overrides}


def book_with_code(client, sms, slot, **overrides):
    """Ask for the code with the page's "获取验证码" button (accounts:code), then post the booking with it."""
    data = book_data(**overrides)
    sms.ask(client, data["mobile"], "submit")
    return client.post(reverse("orgs:book", args=[slot.pk]), {**data, "code": sms.code(data["mobile"])})


def code_error(response) -> str:
    """What the page says next to the code field."""
    return response.content.decode().split('id="id_code"')[1].split("</div>")[0]


# --- opening slots ---------------------------------------------------------------------------------


def test_station_head_opens_a_slot_for_a_member_serving_there(client, station):
    client.force_login(station["head"])
    response = client.post(reverse("orgs:slot_create"), slot_post(station, station["wang"]))
    slot = ReceptionSlot.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("orgs:slot_detail", args=[slot.pk])
    assert slot.member == station["wang"] and slot.capacity == 3
    assert slot.history.first().history_change_reason == "reception_slot.opened"


def test_member_opens_their_own_slot_but_not_one_for_the_keeper(client, station):
    client.force_login(station["wang"].user)
    response = client.post(reverse("orgs:slot_create"), slot_post(station, station["wang"]))
    assert response.status_code == 302
    response = client.post(reverse("orgs:slot_create"), slot_post(station, None))
    assert response.status_code == 200
    assert "您不能为这位委员或这个站点开放接待时段" in response.content.decode()
    assert ReceptionSlot.objects.count() == 1


def test_keeper_opens_their_own_hours(client, station):
    client.force_login(station["keeper"])
    assert client.post(reverse("orgs:slot_create"), slot_post(station, None)).status_code == 302
    assert ReceptionSlot.objects.get().member is None


def test_station_head_of_another_township_cannot_open_or_see_slots(client, station):
    slot = open_slot(station)
    client.force_login(station["other_head"])
    # No platform of 甲镇 is theirs: the form is refused; with a platform of their own, 甲镇's is no choice.
    assert client.post(reverse("orgs:slot_create"), slot_post(station, station["wang"])).status_code == 403
    make_platform(station["platform"].region.parent.children.get(name="乙镇"), name="乙镇联络站")
    response = client.post(reverse("orgs:slot_create"), slot_post(station, station["wang"]))
    assert response.status_code == 200 and "platform" in response.context["form"].errors
    assert client.get(reverse("orgs:slot_detail", args=[slot.pk])).status_code == 404
    assert ReceptionSlot.objects.count() == 1


def test_resident_and_anonymous_are_refused_staff_pages(client, station):
    slot = open_slot(station)
    assert client.get(reverse("orgs:slot_create")).status_code == 302  # to the login page
    client.force_login(make_user("resident", verified=True))
    assert client.get(reverse("orgs:slot_create")).status_code == 403
    assert client.get(reverse("orgs:reception_home")).status_code == 403
    assert client.get(reverse("orgs:slot_detail", args=[slot.pk])).status_code == 404


def test_past_start_is_refused_next_to_the_field(client, station):
    client.force_login(station["head"])
    response = client.post(reverse("orgs:slot_create"), slot_post(station, station["wang"], hours=-3))
    assert "开始时间已过" in str(response.context["form"].errors["starts_at"])


def test_huge_ids_give_404(client, station):
    client.force_login(station["head"])
    assert client.get("/org/reception/slots/999999999999999999999999999999/").status_code == 404
    assert client.get("/org/book/999999999999999999999999999999/").status_code == 404


# --- booking -------------------------------------------------------------------------------------


def test_resident_books_sees_own_page_and_cancels(client, station, sms):
    slot = open_slot(station)
    response = book_with_code(client, sms, slot)
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:appointment_public", args=[appointment.code])
    assert appointment.user is None and PhoneCode.objects.get().used_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "预约成功" in page and "138****5678" in page and "13812345678" not in page
    # The member and the keeper are told.
    assert Notification.objects.filter(user=station["wang"].user).exists()
    assert Notification.objects.filter(user=station["keeper"]).exists()
    client.post(reverse("orgs:appointment_public_cancel", args=[appointment.code]), {"reason": "临时有事"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED and appointment.cancel_reason == "临时有事"


def test_full_slot_and_second_booking_are_refused(client, station, sms):
    slot = open_slot(station, capacity=2)
    book_with_code(client, sms, slot)
    # Refused for the number already booked before any code is asked for.
    again = client.post(reverse("orgs:book", args=[slot.pk]), book_data(name="张大爷", code="123456"))
    assert again.status_code == 400 and "这个手机号已预约了该时段" in again.content.decode()
    book_with_code(client, sms, slot, mobile="13812340000")
    sms.ask(client, "13812349999", "submit")
    full = client.post(
        reverse("orgs:book", args=[slot.pk]), book_data(mobile="13812349999", code=sms.code("13812349999"))
    )
    assert "该时段预约已满" in full.content.decode()
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 2
    # A full slot does not use up the code.
    assert PhoneCode.objects.get(mobile="13812349999").used_at is None


def test_cancelled_booking_frees_its_place(station):
    slot = open_slot(station, capacity=1)
    first = reception.appointment_book(actor=None, slot=slot, **book_data())
    reception.appointment_cancel(actor=None, appointment=first, reason="有事")
    second = reception.appointment_book(actor=None, slot=slot, **book_data())
    assert second.status == AppointmentStatus.BOOKED


def test_booking_is_rate_limited(client, station, settings):
    settings.SHANGLIANG_RATE_LIMITS = {**settings.SHANGLIANG_RATE_LIMITS, "signup": "2/m"}
    slot = open_slot(station, capacity=10)
    for n in range(2):
        client.post(reverse("orgs:book", args=[slot.pk]), book_data(mobile=f"1381234000{n}"))
    assert client.post(reverse("orgs:book", args=[slot.pk]), book_data(mobile="13812340009")).status_code == 429


def test_invalid_mobile_is_refused(client, station):
    slot = open_slot(station)
    response = client.post(reverse("orgs:book", args=[slot.pk]), book_data(mobile="12345"))
    assert response.status_code == 400 and "mobile" in response.context["form"].errors


# --- booking: the number proved by an SMS code -------------------------------------------------------


def test_the_booking_page_offers_the_code_button_next_to_the_number(client, station):
    slot = open_slot(station)
    page = client.get(reverse("orgs:book", args=[slot.pk])).content.decode()
    block = page.split('id="id_mobile"')[1].split('id="id_code"')[0]
    assert f'hx-post="{reverse("accounts:code")}"' in block
    assert '"purpose": "submit"' in block and "获取验证码" in block


def test_booking_without_a_code_is_refused_next_to_the_code(client, station, sms):
    slot = open_slot(station)
    response = client.post(reverse("orgs:book", args=[slot.pk]), book_data())
    assert response.status_code == 400 and "获取验证码" in code_error(response)
    assert not Appointment.objects.exists() and not sms.messages_to("13812345678")


def test_a_wrong_code_is_refused_with_a_message_and_counts_as_a_try(client, station, sms):
    slot = open_slot(station)
    sms.ask(client, "13812345678", "submit")
    right = sms.code("13812345678")
    wrong = "000000" if right != "000000" else "111111"
    response = client.post(reverse("orgs:book", args=[slot.pk]), book_data(code=wrong))
    assert response.status_code == 400 and "验证码不正确" in code_error(response)
    assert not Appointment.objects.exists()
    assert PhoneCode.objects.get().attempts == 1  # the wrong try stays counted though nothing was booked
    # Another number's code proves nothing about this one.
    sms.ask(client, "13800000000", "submit")
    response = client.post(reverse("orgs:book", args=[slot.pk]), book_data(code=sms.code("13800000000")))
    assert response.status_code == 400 and "验证码" in code_error(response)
    assert not Appointment.objects.exists()
    # The right code books, once.
    response = client.post(reverse("orgs:book", args=[slot.pk]), book_data(code=right))
    assert response.status_code == 302 and Appointment.objects.get().mobile == "13812345678"


def test_an_expired_code_is_refused(client, station, sms):
    slot = open_slot(station)
    sms.ask(client, "13812345678", "submit")
    code = sms.code("13812345678")
    PhoneCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.post(reverse("orgs:book", args=[slot.pk]), book_data(code=code))
    assert response.status_code == 400 and "已失效" in code_error(response)
    assert not Appointment.objects.exists()


def test_the_code_is_sent_once_per_limit_window(client, station, sms, settings):
    settings.SHANGLIANG_RATE_LIMITS = {**settings.SHANGLIANG_RATE_LIMITS, "code": "20/10m", "signup": "100/10m"}
    settings.SHANGLIANG_DEVICE_RATE_LIMITS = {
        **settings.SHANGLIANG_DEVICE_RATE_LIMITS,
        "code": "5/10m",
        "code_mobile": "5/h",
        "signup": "100/10m",
    }
    slot = open_slot(station)
    # 40 taps of "获取验证码" for one number: one text; the others are told to wait.
    answers = [sms.ask(client, "13812345678", "submit") for _ in range(40)]
    assert len(sms.messages_to("13812345678")) == 1
    assert "秒后再重新获取" in answers[1].content.decode()
    # 40 asks from one phone for 40 numbers: no more texts than the device's limit.
    for n in range(40):
        sms.ask(client, f"1391234{n:04d}", "submit")
    sent = [m for m in codes.ConsoleSender.outbox if m.channel == "sms"]
    assert len(sent) <= 5
    # 40 posts of the booking form itself never send a text.
    for n in range(40):
        client.post(reverse("orgs:book", args=[slot.pk]), book_data(mobile=f"1371234{n:04d}"))
    assert len([m for m in codes.ConsoleSender.outbox if m.channel == "sms"]) == len(sent)
    assert not Appointment.objects.exists()


def test_signed_in_resident_with_verified_number_books_without_a_code(client, station, sms):
    slot = open_slot(station)
    resident = make_user("resident", verified=True, full_name="李阿姨")
    client.force_login(resident)
    form = client.get(reverse("orgs:book", args=[slot.pk])).content.decode()
    assert f'value="{resident.mobile}"' in form and 'value="李阿姨"' in form
    response = client.post(reverse("orgs:book", args=[slot.pk]), book_data(name="李阿姨", mobile=resident.mobile))
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.user == resident and appointment.mobile == resident.mobile
    assert not sms.messages_to(resident.mobile)
    # Another number still needs its own code.
    other = open_slot(station, hours=72)
    response = client.post(reverse("orgs:book", args=[other.pk]), book_data(mobile="13812340000"))
    assert response.status_code == 400 and "获取验证码" in code_error(response)
    assert Appointment.objects.count() == 1


def test_signed_in_resident_without_verified_number_needs_the_code(client, station, sms):
    slot = open_slot(station)
    resident = make_user("resident", mobile="13812345678")  # typed at registration, never proved
    client.force_login(resident)
    response = client.post(reverse("orgs:book", args=[slot.pk]), book_data())
    assert response.status_code == 400 and "获取验证码" in code_error(response)
    response = book_with_code(client, sms, slot)
    assert response.status_code == 302 and Appointment.objects.get().user is None


def test_withdrawn_slot_cannot_be_booked(client, station):
    slot = open_slot(station)
    reception.slot_withdraw(actor=station["head"], slot=slot, reason="委员临时外出")
    assert client.get(reverse("orgs:book", args=[slot.pk])).status_code == 404


# --- receiving: the home page, the numbers, attended or missed -----------------------------------------


def test_member_and_keeper_see_bookings_on_home_page_with_the_number(client, station):
    slot = open_slot(station)
    reception.appointment_book(actor=None, slot=slot, **book_data())
    for user in (station["wang"].user, station["keeper"]):
        client.force_login(user)
        home = client.get("/").content.decode()
        assert "群众预约待接待" in home and reverse("orgs:slot_detail", args=[slot.pk]) in home
        detail = client.get(reverse("orgs:slot_detail", args=[slot.pk])).content.decode()
        assert "13812345678" in detail and "张大爷" in detail
    client.force_login(station["other_head"])
    assert "群众预约待接待" not in client.get("/").content.decode()


def test_close_after_the_slot_began(client, station):
    slot = open_slot(station)
    appointment = reception.appointment_book(actor=None, slot=slot, **book_data())
    client.force_login(station["wang"].user)
    url = reverse("orgs:appointment_close", args=[appointment.pk])
    client.post(url, {"outcome": "attended", "note": "已了解情况，转站点办理"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED  # not yet begun
    ReceptionSlot.objects.filter(pk=slot.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1), ends_at=timezone.now()
    )
    client.post(url, {"outcome": "attended", "note": ""})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED  # a note is owed
    client.post(url, {"outcome": "attended", "note": "已了解情况，转站点办理"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.ATTENDED and appointment.attended_at is not None
    assert appointment.outcome_note == "已了解情况，转站点办理"


def test_other_township_cannot_close_or_cancel(client, station):
    slot = open_slot(station)
    appointment = reception.appointment_book(actor=None, slot=slot, **book_data())
    client.force_login(station["other_head"])
    close = client.post(reverse("orgs:appointment_close", args=[appointment.pk]), {"outcome": "missed"})
    cancel = client.post(reverse("orgs:appointment_staff_cancel", args=[appointment.pk]), {"reason": "x"})
    assert close.status_code == 404 and cancel.status_code == 404


def test_reception_home_queries_are_bounded(client, station, django_assert_max_num_queries):
    for hours in range(30, 42):
        slot = open_slot(station, hours=hours)
        reception.appointment_book(actor=None, slot=slot, **book_data())
    client.force_login(station["head"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("orgs:reception_home"))
    assert response.content.decode().count("1/2") == 12
