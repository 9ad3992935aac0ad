"""A resident on a 390 px phone: registers with the SMS code the (fake) 阿里云 gateway delivered, signs
up for a consultation, gets the reminder before the session by text and in the inbox, signs in at the
door with the code on the screen inside the sign-in window, and rates the published result."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shangliang.consultations import door
from shangliang.consultations import services as consultation_services
from shangliang.consultations.models import Consultation, Participant
from shangliang.consultations.reminders import session_reminders_run
from shangliang.consultations.states import SignInVia
from shangliang.consultations.tests.builders import notified
from shangliang.core.models import Delivery, DeliveryStatus
from shangliang.core.notify import Kind
from shangliang.core.tests.fakes.sms_servers import FakeAliyunSms, use_aliyun
from shangliang.evaluation.models import Rating
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user, small_district
from shangliang.outcomes import services as outcome_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOBILE = "13755550001"
PASSWORD = "phone-pass-2026"
TEMPLATES = {"SMS_900001": ["code", "minutes"], "SMS_900002": ["title", "url"]}


@pytest.fixture
def gateway(settings, transactional_db):
    with FakeAliyunSms(sign="某某区政协", templates=TEMPLATES) as fake:
        use_aliyun(
            settings,
            fake,
            {
                Kind.CODE: ("SMS_900001", "code=code\nminutes=minutes"),
                Kind.NOTICE: ("SMS_900002", "title=title\nurl=url"),
                Kind.SESSION_REMINDER: ("SMS_900002", "title=title\nurl=url"),
                Kind.FEEDBACK: ("SMS_900002", "title=title\nurl=url"),
            },
        )
        yield fake


@pytest.fixture
def consultation(transactional_db):
    d = small_district()
    convener = grant(make_user("convener", password=PASSWORD, full_name="田主任"), Role.CONVENER, region=d["a1"])
    c = notified(d, convener=convener, title="村口道路积水整治")
    # The session day has come: it starts in 50 minutes, so the door is open (from an hour before).
    starts = timezone.now() + datetime.timedelta(minutes=50)
    Consultation.objects.filter(pk=c.pk).update(starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))
    c.refresh_from_db()
    return c


def test_a_resident_registers_with_an_sms_code_signs_up_is_reminded_signs_in_and_rates(
    live_server, phone, screenshot, gateway, consultation
):
    base = live_server.url

    # 1. Registration: the code arrives by text (the fake gateway holds what it was sent).
    phone.goto(f"{base}/accounts/register/")
    phone.get_by_label("手机号").fill(MOBILE)
    phone.get_by_role("button", name="获取验证码").click()
    expect(phone.locator(".code-status")).to_contain_text("137****0001")
    code = gateway.last_code_for(MOBILE)
    assert len(code) == 6 and code.isdigit()
    phone.get_by_label("短信验证码").fill(code)
    phone.locator("#id_password1").fill(PASSWORD)
    phone.get_by_label("再次输入密码").fill(PASSWORD)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "verified-register-phone")
    phone.get_by_role("button", name="注册").click()
    expect(phone.get_by_text("注册成功，已登录。")).to_be_visible()
    expect(phone.get_by_role("heading", name="137****0001，您好")).to_be_visible()

    # 2. Sign-up on the consultation's public page.
    phone.goto(f"{base}/c/{consultation.pk}/")
    phone.get_by_role("button", name="我要报名").click()
    expect(phone.get_by_text("报名成功")).to_be_visible()
    participant = Participant.objects.get(consultation=consultation, user__mobile=MOBILE)

    # 3. The reminder job runs (the session starts within two hours): a text and an inbox message.
    assert session_reminders_run() >= 1
    # Signing up after the notice went out brought the notice itself; then the reminder.
    texts = [m["params"]["title"] for m in gateway.sent_to(MOBILE) if m["template"] == "SMS_900002"]
    assert texts == ["协商通知：村口道路积水整治", "会前提醒：村口道路积水整治"]
    reminders = [m for m in gateway.sent_to(MOBILE) if m["params"].get("title", "").startswith("会前提醒")]
    assert f"/c/p/{participant.token}/" in reminders[0]["params"]["url"]
    row = Delivery.objects.get(kind=Kind.SESSION_REMINDER, channel="sms", recipient=MOBILE)
    assert row.status == DeliveryStatus.SENT and row.provider_id
    phone.goto(f"{base}/inbox/")
    expect(phone.locator("main")).to_contain_text("村口道路积水整治")

    # 4. At the door: the QR on the screen opens the door page; the resident is on the list.
    phone.goto(f"{base}/c/{consultation.pk}/door/{door.screen_code(consultation)}/")
    phone.get_by_role("button", name="确认签到").click()
    expect(phone.get_by_text("签到成功").first).to_be_visible()
    participant.refresh_from_db()
    assert participant.signed_in_at and participant.signed_in_via == SignInVia.ACCOUNT
    screenshot(phone, "verified-door-sign-in-phone")

    # The session is held, concluded and its result published (the convener's steps).
    convener = consultation.convener
    consultation.refresh_from_db()
    consultation_services.research_add(
        actor=convener,
        consultation=consultation,
        researchers="林站长",
        researched_on=datetime.date.today(),
        place="村口",
        findings="雨后积水深处约二十公分",
    )
    consultation = consultation_services.session_open(actor=convener, consultation=consultation)
    consultation = consultation_services.session_close(actor=convener, consultation=consultation)
    consultation_services.minutes_confirm(actor=convener, consultation=consultation)
    consultation_services.suggestion_add(actor=convener, consultation=consultation, text="疏通村口排水沟")
    consultation = consultation_services.resolution_agree(actor=convener, consultation=consultation)
    outcome_services.publication_publish(actor=convener, consultation=consultation, summary="排水沟已疏通。")

    # 5. The resident rates the result with the verified number.
    phone.goto(f"{base}/rate/{consultation.pk}/")
    phone.get_by_role("group", name="对协商过程").get_by_role("radio", name="满意", exact=True).check()
    phone.get_by_role("group", name="对落实结果").get_by_role("radio", name="满意", exact=True).check()
    phone.get_by_role("button", name="提交评议").click()
    expect(phone.get_by_text("您已评议")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    rating = Rating.objects.get(consultation=consultation)
    assert rating.mobile == MOBILE and rating.user.has_verified_mobile
