"""Registering with an SMS code, and resetting a forgotten password with one."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shangliang.accounts.models import PhoneCode

pytestmark = pytest.mark.django_db

PASSWORD = "pass-12345"
NEW_PASSWORD = "qingshan-2026"
MOBILE = "13800001234"


def make_user(username, **fields):
    return get_user_model().objects.create_user(username, password=PASSWORD, **fields)


def registration(code, mobile=MOBILE, **extra):
    return {"mobile": mobile, "code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **extra}


def logged_in_as(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


def log_in(mobile, password) -> Client:
    fresh = Client()
    fresh.post(reverse("accounts:login"), {"username": mobile, "password": password})
    return fresh


# --- registration --------------------------------------------------------------------------------


def test_the_registration_page_offers_the_code_button_next_to_the_number(client):
    text = client.get(reverse("accounts:register")).content.decode()
    assert 'hx-post="/accounts/code/"' in text and '"purpose": "register"' in text
    assert "js/sms-code.js" in text and "<script>" not in text and 'style="' not in text
    assert text.index('id="id_mobile"') < text.index("获取验证码") < text.index('id="id_code"')


def test_a_resident_registers_with_the_code_texted_to_the_number_and_is_logged_in(client, sms):
    sms.ask(client, "138 0000 1234", "register")
    response = client.post(reverse("accounts:register"), registration(sms.code(MOBILE), full_name=" 王芳 "))
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    user = logged_in_as(client)
    assert (user.mobile, user.username, user.full_name) == (MOBILE, MOBILE, "王芳")
    assert user.has_verified_mobile and user.mobile_verified_at
    assert user.scoped_roles.count() == 0
    row = user.history.get()
    assert row.history_change_reason == "account.registered"
    assert PhoneCode.objects.get().used_at is not None
    assert logged_in_as(log_in(MOBILE, NEW_PASSWORD)) == user


@pytest.mark.parametrize("target,expected", [("/rate/7/", "/rate/7/"), ("https://evil.example/", "/"), ("", "/")])
def test_registration_returns_to_the_page_the_resident_came_from_on_this_site(client, sms, target, expected):
    sms.ask(client, MOBILE, "register")
    url = reverse("accounts:register") + (f"?next={target}" if target else "")
    response = client.post(url, registration(sms.code(MOBILE)))
    assert response.status_code == 302 and response["Location"] == expected


def test_a_wrong_or_missing_code_creates_nothing_and_says_so_next_to_the_code(client, sms):
    sms.ask(client, MOBILE, "register")
    code = sms.code(MOBILE)
    wrong = "000000" if code != "000000" else "111111"
    for typed, message in [(wrong, "验证码不正确，还可以再输入4次"), ("", "请输入短信验证码")]:
        response = client.post(reverse("accounts:register"), registration(typed))
        assert response.status_code == 200
        assert message in response.context["form"].errors["code"][0]
    assert not get_user_model().objects.exists() and logged_in_as(client) is None
    assert client.post(reverse("accounts:register"), registration(code)).status_code == 302


def test_a_code_for_another_number_does_not_register_this_one(client, sms):
    sms.ask(client, "13800001235", "register")
    response = client.post(reverse("accounts:register"), registration(sms.code("13800001235")))
    assert "验证码已失效或未获取" in response.context["form"].errors["code"][0]
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"mobile": "12345"}, "mobile", "11位手机号"),
        ({"mobile": "1" * 30}, "mobile", "11位手机号"),
        ({"mobile": "138\x0000001234"}, "mobile", "11位手机号"),
        ({"password2": "other-2026x"}, "password2", "不一致"),
        ({"password1": "123", "password2": "123"}, "password1", "密码"),
        ({"full_name": "王\x00芳"}, "full_name", "控制字符"),
    ],
)
def test_registration_errors_are_shown_next_to_the_field_and_the_code_is_kept(client, sms, data, field, message):
    sms.ask(client, MOBILE, "register")
    response = client.post(reverse("accounts:register"), {**registration(sms.code(MOBILE)), **data})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not get_user_model().objects.exists()
    assert PhoneCode.objects.get().used_at is None  # nothing was checked: the code still works


def test_a_number_whose_account_verified_it_is_told_plainly_to_log_in(client, sms):
    holder = make_user("holder", mobile=MOBILE, verified_mobile=MOBILE, mobile_verified_at=timezone.now())
    sms.ask(client, MOBILE, "register")
    response = client.post(reverse("accounts:register"), registration(sms.code(MOBILE)))
    assert response.status_code == 200
    assert "该手机号已注册，请直接登录；忘记密码可用短信验证码重置" in response.context["form"].errors["mobile"][0]
    assert get_user_model().objects.count() == 1 and logged_in_as(client) is None
    holder.refresh_from_db()
    assert holder.check_password(PASSWORD) and holder.has_verified_mobile


def test_without_the_code_nobody_learns_whether_a_number_has_an_account(client):
    make_user("holder", mobile=MOBILE, verified_mobile=MOBILE, mobile_verified_at=timezone.now())
    response = client.post(reverse("accounts:register"), registration("123456"))
    assert "已注册" not in response.content.decode()
    assert response.context["form"].errors["code"]


def test_a_number_held_unverified_by_another_account_is_taken_over(client, sms):
    # Someone registered the number before codes existed, as its login name.
    squatter = make_user(MOBILE, mobile=MOBILE)
    sms.ask(client, MOBILE, "register")
    response = client.post(reverse("accounts:register"), registration(sms.code(MOBILE)))
    assert response.status_code == 302
    owner = logged_in_as(client)
    assert owner != squatter and owner.has_verified_mobile and owner.username == MOBILE
    squatter.refresh_from_db()
    assert squatter.mobile is None and squatter.username == f"{MOBILE}-{squatter.pk}"
    reasons = set(squatter.history.values_list("history_change_reason", flat=True))
    assert "account.mobile_taken_over" in reasons
    assert logged_in_as(log_in(MOBILE, NEW_PASSWORD)) == owner


def test_registration_from_one_address_stops_at_the_limit(client, settings):
    settings.SHANGLIANG_RATE_LIMITS = {**settings.SHANGLIANG_RATE_LIMITS, "register": "2/10m"}
    statuses = [client.post(reverse("accounts:register"), registration("123456")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_a_logged_in_account_is_sent_home_from_the_registration_page(client):
    client.force_login(make_user("wang"))
    assert client.get(reverse("accounts:register"))["Location"] == reverse("portal:home")


# --- forgotten password ------------------------------------------------------------------------


def reset(code, mobile=MOBILE):
    return {"mobile": mobile, "code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}


def test_the_login_page_links_to_the_reset_by_code(client):
    assert reverse("accounts:password_reset") in client.get(reverse("accounts:login")).content.decode()


def test_a_forgotten_password_is_reset_with_a_code_and_the_number_counts_as_verified(client, sms):
    user = make_user("wang", mobile=MOBILE, must_change_password=True)
    sms.ask(client, MOBILE, "password")
    response = client.post(reverse("accounts:password_reset"), reset(sms.code(MOBILE)))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert f"mobile={MOBILE}" in response["Location"]
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.must_change_password and user.has_verified_mobile
    row = user.history.latest("history_date")
    assert (row.history_change_reason, row.history_user) == ("account.password_reset_by_code", user)
    assert logged_in_as(log_in(MOBILE, NEW_PASSWORD)) == user


def test_a_reset_with_a_wrong_code_changes_nothing(client, sms):
    user = make_user("wang", mobile=MOBILE)
    sms.ask(client, MOBILE, "password")
    code = sms.code(MOBILE)
    response = client.post(reverse("accounts:password_reset"), reset("000000" if code != "000000" else "111111"))
    assert "验证码不正确" in response.context["form"].errors["code"][0]
    sms.ask(client, MOBILE, "register")  # a code of another purpose does not reset either
    response = client.post(reverse("accounts:password_reset"), reset(sms.code(MOBILE)))
    assert response.context["form"].errors["code"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_reset_for_a_number_without_an_account_says_to_register(client, sms):
    sms.ask(client, MOBILE, "password")
    response = client.post(reverse("accounts:password_reset"), reset(sms.code(MOBILE)))
    assert "尚未注册" in response.context["form"].errors["mobile"][0]


def test_an_administrators_password_is_not_reset_by_sms(client, sms):
    admin = get_user_model().objects.create_superuser("root", password=PASSWORD, mobile=MOBILE)
    sms.ask(client, MOBILE, "password")
    response = client.post(reverse("accounts:password_reset"), reset(sms.code(MOBILE)))
    assert "管理员账号" in response.context["form"].errors["mobile"][0]
    admin.refresh_from_db()
    assert admin.check_password(PASSWORD)


def test_password_resets_from_one_address_stop_at_the_limit(client, settings):
    settings.SHANGLIANG_RATE_LIMITS = {**settings.SHANGLIANG_RATE_LIMITS, "register": "2/10m"}
    statuses = [client.post(reverse("accounts:password_reset"), reset("123456")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
