"""A resident books a member's reception hours on a phone inside WeChat, the number proved by an SMS code."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shangliang.core.notify import Kind
from shangliang.core.tests.fakes.sms_servers import FakeAliyunSms, use_aliyun
from shangliang.orgs import reception, services
from shangliang.orgs.models import Appointment
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_member, make_platform, make_user, small_district

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOBILE = "13712340002"


@pytest.fixture
def slot(transactional_db):
    d = small_district()
    platform = make_platform(d["a"], name="甲镇委员联络站", address="甲镇人民路1号")
    head = grant(make_user("head"), Role.STATION_HEAD, region=d["a"])
    wang = make_member("王委员", user=make_user("wang"), home_region=d["a1"])
    services.member_assign(actor=None, member=wang, platform=platform, started_on=datetime.date(2026, 1, 1))
    starts = timezone.now() + datetime.timedelta(days=2)
    return reception.slot_create(
        actor=head,
        platform=platform,
        member=wang,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        capacity=3,
    )


@pytest.fixture
def gateway(settings, transactional_db):
    """The district's SMS gateway: a local fake of 阿里云 that checks signatures and keeps the texts."""
    with FakeAliyunSms(sign="某某区政协", templates={"SMS_1": ["code", "minutes"], "SMS_2": ["title", "url"]}) as fake:
        texts = {kind: ("SMS_2", "title=title\nurl=url") for kind in Kind if kind != Kind.CODE}
        use_aliyun(settings, fake, {Kind.CODE: ("SMS_1", "code=code\nminutes=minutes"), **texts})
        yield fake


def test_a_resident_books_with_the_code_texted_to_the_number(live_server, phone, screenshot, slot, gateway):
    phone.goto(f"{live_server.url}/org/book/{slot.pk}/")
    expect(phone.get_by_role("heading", name="预约面谈")).to_be_visible()
    phone.get_by_label("姓名").fill("张大爷")
    phone.get_by_label("手机号").fill(MOBILE)
    phone.get_by_label("想谈的事").fill("小区加装电梯的事想当面谈谈")

    # Without the code nothing is booked: the page says so next to the code field.
    phone.get_by_role("button", name="提交预约").click()
    expect(phone.locator(".field.has-error", has=phone.locator("#id_code"))).to_contain_text("获取验证码")
    assert not Appointment.objects.exists()

    phone.get_by_role("button", name="获取验证码").click()
    expect(phone.locator(".code-status")).to_contain_text("137****0002")
    expect(phone.locator("[data-code-button]")).to_be_disabled()  # counting down to the next request
    code = gateway.last_code_for(MOBILE)
    phone.get_by_label("短信验证码").fill("000000" if code != "000000" else "111111")
    phone.get_by_role("button", name="提交预约").click()
    expect(phone.locator(".field.has-error", has=phone.locator("#id_code"))).to_contain_text("验证码不正确")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "booking-phone-code")

    phone.get_by_label("短信验证码").fill(code)
    phone.get_by_role("button", name="提交预约").click()
    expect(phone.get_by_text("预约成功")).to_be_visible()
    expect(phone.locator("body")).to_contain_text("137****0002")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    appointment = Appointment.objects.get()
    assert appointment.mobile == MOBILE and appointment.name == "张大爷"
