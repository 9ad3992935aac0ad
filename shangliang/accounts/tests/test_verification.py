"""One-time SMS codes (accounts:code) and verifying an account's number (accounts:mobile_verify)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shangliang.accounts.models import CodePurpose, PhoneCode
from shangliang.accounts.verification import code_check
from shangliang.core.errors import DomainError

pytestmark = pytest.mark.django_db

PASSWORD = "pass-12345"
MOBILE = "13800138001"


def make_user(username, **fields):
    return get_user_model().objects.create_user(username, password=PASSWORD, **fields)


def verified_user(username, mobile):
    return make_user(username, mobile=mobile, verified_mobile=mobile, mobile_verified_at=timezone.now())


def page(response) -> str:
    return response.content.decode()


# --- asking for a code ----------------------------------------------------------------------------


def test_a_code_of_six_digits_is_texted_and_the_fragment_names_the_masked_number(client, sms):
    response = sms.ask(client, "138 0013 8001", "register")
    assert response.status_code == 200
    text = page(response)
    assert "验证码已发送至138****8001，5分钟内有效" in text
    assert 'data-resend-in="60"' in text and MOBILE not in text
    [message] = sms.messages_to(MOBILE)
    assert len(message.params["code"]) == 6 and message.params["code"].isdigit()
    assert message.params["code"] not in message.body  # the inbox copy and the log never hold the code
    row = PhoneCode.objects.get()
    assert (row.mobile, row.purpose, row.attempts) == (MOBILE, CodePurpose.REGISTER, 0)
    assert row.expires_at - row.created_at == timedelta(minutes=5)
    assert message.params["code"] not in row.code_hash


def test_another_code_within_sixty_seconds_is_refused_next_to_the_number(client, sms):
    sms.ask(client, MOBILE, "register")
    response = sms.ask(client, MOBILE, "register")
    assert response.status_code == 200
    assert 'class="field-error"' in page(response) and "秒后再重新获取" in page(response)
    assert len(sms.messages_to(MOBILE)) == 1
    PhoneCode.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    assert "验证码已发送至" in page(sms.ask(client, MOBILE, "register"))
    assert len(sms.messages_to(MOBILE)) == 2


def test_a_code_expires_after_five_minutes(client, sms):
    sms.ask(client, MOBILE, "register")
    code = sms.code(MOBILE)
    later = timezone.now() + timedelta(minutes=5, seconds=1)
    with pytest.raises(DomainError) as refused:
        code_check(mobile=MOBILE, purpose=CodePurpose.REGISTER, code=code, now=later)
    assert refused.value.field == "code" and "已失效" in refused.value.message
    code_check(mobile=MOBILE, purpose=CodePurpose.REGISTER, code=code)  # still good within its life


def test_a_code_is_used_once_and_only_for_its_purpose(client, sms):
    sms.ask(client, MOBILE, "register")
    code = sms.code(MOBILE)
    with pytest.raises(DomainError):
        code_check(mobile=MOBILE, purpose=CodePurpose.PASSWORD, code=code)
    code_check(mobile=MOBILE, purpose=CodePurpose.REGISTER, code=code)
    with pytest.raises(DomainError):
        code_check(mobile=MOBILE, purpose=CodePurpose.REGISTER, code=code)


def test_five_wrong_entries_void_the_code_on_the_verify_page(client, sms):
    user = make_user("wang", mobile=MOBILE)
    client.force_login(user)
    sms.ask(client, MOBILE, "verify")
    code = sms.code(MOBILE)
    wrong = "000000" if code != "000000" else "111111"
    url = reverse("accounts:mobile_verify")
    for left in (4, 3, 2, 1):
        response = client.post(url, {"mobile": MOBILE, "code": wrong})
        assert f"还可以再输入{left}次" in response.context["form"].errors["code"][0]
    response = client.post(url, {"mobile": MOBILE, "code": wrong})
    assert "输错次数过多" in response.context["form"].errors["code"][0]
    response = client.post(url, {"mobile": MOBILE, "code": code})
    assert response.status_code == 200
    assert "输错次数过多" in response.context["form"].errors["code"][0]
    assert PhoneCode.objects.get().attempts == 5
    user.refresh_from_db()
    assert not user.has_verified_mobile


def test_codes_to_one_number_stop_at_its_limit_whoever_asks(client, sms, settings):
    settings.SHANGLIANG_DEVICE_RATE_LIMITS = {**settings.SHANGLIANG_DEVICE_RATE_LIMITS, "code_mobile": "2/h"}
    answers = [
        sms.ask(Client(), MOBILE, purpose, REMOTE_ADDR=f"10.0.0.{n}")
        for n, purpose in enumerate(["register", "password", "submit"], start=1)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert "获取验证码太频繁，请稍后再试" in page(answers[-1])
    assert len(sms.messages_to(MOBILE)) == 2


def test_codes_from_one_address_stop_at_its_limit_and_others_still_get_theirs(client, sms, settings):
    settings.SHANGLIANG_RATE_LIMITS = {**settings.SHANGLIANG_RATE_LIMITS, "code": "2/10m"}
    numbers = ["13800138001", "13800138002", "13800138003"]
    answers = [sms.ask(client, number, "register", REMOTE_ADDR="10.1.1.1") for number in numbers]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert "获取验证码太频繁" in page(answers[-1]) and 'class="field-error"' in page(answers[-1])
    assert not sms.messages_to(numbers[-1])
    other = sms.ask(Client(), numbers[-1], "register", REMOTE_ADDR="10.2.2.2")
    assert "验证码已发送至" in page(other)


@pytest.mark.parametrize(
    "mobile,message",
    [
        ("1380013\x008001", "11位手机号"),
        ("1" * 30, "11位手机号"),
        ("", "11位手机号"),
        ("23800138001", "11位手机号"),
        ("138\x0700138001", "11位手机号"),
    ],
)
def test_a_malformed_number_is_a_field_error_never_a_500(client, sms, mobile, message):
    response = sms.ask(client, mobile, "register")
    assert response.status_code == 200
    assert message in page(response) and 'class="field-error"' in page(response)
    assert not PhoneCode.objects.exists() and not sms.messages_to(mobile)
    plain = sms.ask(client, mobile, "register", htmx=False)
    assert plain.status_code == 400 and message in page(plain)


def test_only_a_logged_in_account_may_ask_for_a_code_to_verify_its_number(client, sms):
    for purpose in ("verify", "bogus", ""):
        response = sms.ask(client, MOBILE, purpose)
        assert "验证码用途不正确" in page(response)
    assert not sms.messages_to(MOBILE)
    client.force_login(make_user("wang"))
    assert "验证码已发送至" in page(sms.ask(client, MOBILE, "verify"))


def test_a_sign_in_code_is_not_given_here_only_at_a_valid_door(client, sms):
    assert "验证码用途不正确" in page(sms.ask(client, MOBILE, "sign_in"))
    assert not sms.messages_to(MOBILE)


def test_a_form_may_name_its_number_input(client, sms):
    response = sms.ask(client, MOBILE, "submit", field="submitter_mobile")
    assert "验证码已发送至138****8001" in page(response)
    odd = client.post(
        reverse("accounts:code"),
        {"mobile_field": "x' or 1", "mobile": MOBILE, "purpose": "password"},
        HTTP_HX_REQUEST="1",
    )
    assert odd.status_code == 200


def test_the_code_endpoint_takes_only_posts(client):
    assert client.get(reverse("accounts:code")).status_code == 405


def test_without_an_sms_gateway_the_site_says_to_verify_in_person(client, settings):
    settings.SHANGLIANG_SENDERS = {**settings.SHANGLIANG_SENDERS, "sms": "shangliang.core.senders.ConsoleSender"}
    response = client.post(reverse("accounts:code"), {"mobile": MOBILE, "purpose": "register"}, HTTP_HX_REQUEST="1")
    assert "本站尚未开通短信服务" in page(response)
    assert not PhoneCode.objects.exists()


def test_a_development_install_shows_the_code_it_only_logged(client, settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    settings.SHANGLIANG_SENDERS = {**settings.SHANGLIANG_SENDERS, "sms": "shangliang.core.senders.ConsoleSender"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:code"), {"mobile": MOBILE, "purpose": "register"}, HTTP_HX_REQUEST="1")
    assert "（开发环境，未发短信：验证码 " in page(response)


# --- verifying an account's number -----------------------------------------------------------------


def test_the_verify_page_needs_a_login(client):
    response = client.get(reverse("accounts:mobile_verify"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_an_account_verifies_its_number_and_returns_to_the_page_it_came_from(client, sms):
    user = make_user("wang", mobile=MOBILE)
    client.force_login(user)
    url = reverse("accounts:mobile_verify") + "?next=/rate/7/%23rate"
    form = client.get(url)
    assert f'value="{MOBILE}"' in page(form)  # the account's own number, for the account's owner
    sms.ask(client, MOBILE, "verify")
    response = client.post(url, {"mobile": MOBILE, "code": sms.code(MOBILE)})
    assert response.status_code == 302 and response["Location"] == "/rate/7/#rate"
    user.refresh_from_db()
    assert user.has_verified_mobile and user.verified_mobile == MOBILE and user.mobile_verified_at
    row = user.history.latest("history_date")
    assert (row.history_change_reason, row.history_user) == ("account.mobile_verified", user)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_the_verify_page_never_sends_to_another_site(client, sms, target):
    client.force_login(make_user("wang", mobile=MOBILE))
    sms.ask(client, MOBILE, "verify")
    response = client.post(
        reverse("accounts:mobile_verify") + "?" + f"next={target}", {"mobile": MOBILE, "code": sms.code(MOBILE)}
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:preferences")


def test_a_new_number_replaces_the_old_one_once_proved(client, sms):
    user = verified_user("wang", MOBILE)
    client.force_login(user)
    sms.ask(client, "13900139000", "verify")
    wrong = client.post(reverse("accounts:mobile_verify"), {"mobile": "13900139000", "code": "12345"})
    assert "验证码不正确" in wrong.context["form"].errors["code"][0]
    user.refresh_from_db()
    assert user.mobile == MOBILE and user.has_verified_mobile
    client.post(reverse("accounts:mobile_verify"), {"mobile": "13900139000", "code": sms.code("13900139000")})
    user.refresh_from_db()
    assert (user.mobile, user.verified_mobile) == ("13900139000", "13900139000")


def test_whoever_proves_a_number_holds_it_and_can_log_in_with_it(client, sms):
    # An older account registered the number as its login name without proving it.
    older = make_user(MOBILE, mobile=MOBILE)
    newer = make_user("li")
    client.force_login(newer)
    sms.ask(client, MOBILE, "verify")
    client.post(reverse("accounts:mobile_verify"), {"mobile": MOBILE, "code": sms.code(MOBILE)})
    older.refresh_from_db()
    newer.refresh_from_db()
    assert newer.has_verified_mobile and newer.mobile == MOBILE
    assert older.mobile is None and not older.has_verified_mobile
    assert older.username == f"{MOBILE}-{older.pk}"
    assert older.history.latest("history_date").history_change_reason == "account.mobile_taken_over"
    fresh = Client()
    fresh.post(reverse("accounts:login"), {"username": MOBILE, "password": PASSWORD})
    assert fresh.session["_auth_user_id"] == str(newer.pk)


def test_a_verified_number_moves_to_the_account_that_proves_it_later(client, sms):
    first = verified_user("first", MOBILE)
    second = make_user("second")
    client.force_login(second)
    sms.ask(client, MOBILE, "verify")
    client.post(reverse("accounts:mobile_verify"), {"mobile": MOBILE, "code": sms.code(MOBILE)})
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.has_verified_mobile and first.verified_mobile == ""
    assert second.has_verified_mobile


def test_a_code_for_another_number_does_not_verify_this_one(client, sms):
    user = make_user("wang", mobile=MOBILE)
    client.force_login(user)
    sms.ask(client, "13900139000", "verify")
    response = client.post(reverse("accounts:mobile_verify"), {"mobile": MOBILE, "code": sms.code("13900139000")})
    assert "验证码已失效或未获取" in response.context["form"].errors["code"][0]
    user.refresh_from_db()
    assert not user.has_verified_mobile


@pytest.mark.parametrize(
    "data,field",
    [
        ({"mobile": "1" * 30, "code": "123456"}, "mobile"),
        ({"mobile": "138\x000138001", "code": "123456"}, "mobile"),
        ({"mobile": MOBILE, "code": ""}, "code"),
        ({"mobile": MOBILE, "code": "1" * 40}, "code"),
        ({"mobile": MOBILE, "code": "12\x0034"}, "code"),
    ],
)
def test_bad_input_on_the_verify_page_is_a_field_error(client, data, field):
    client.force_login(make_user("wang"))
    response = client.post(reverse("accounts:mobile_verify"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
