"""Guessing passwords, probing who has an account, resetting and changing passwords."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from shangliang.accounts.services import password_reset_by_admin

pytestmark = pytest.mark.django_db

PASSWORD = "pass-12345"


def make_user(username, **fields):
    return get_user_model().objects.create_user(username, password=PASSWORD, **fields)


def login(client, username, password=PASSWORD, ip="10.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


MOBILE_SPELLINGS = [
    "13912340012",
    "139 1234 0012",
    "139-1234-0012",
    "+86 139 1234 0012",
    "+8613912340012",
    "8613912340012",
    " 13912340012 ",
    "139 1234-0012",
    "+86-139-1234-0012",
    "1391234 0012",
    "86 139 1234 0012",
    "+86 13912340012",
]


def test_every_spelling_of_a_mobile_counts_toward_one_lockout(client):
    make_user("wang", mobile="13912340012")
    for spelling in MOBILE_SPELLINGS[:5]:
        login(client, spelling, "wrong")
    response = login(client, "+86 139 1234 0012")
    assert response.status_code == 429
    assert not logged_in(client)


def test_twelve_spellings_times_four_guesses_do_not_get_past_the_lock(client):
    make_user("wang", mobile="13912340012")
    statuses = [login(client, spelling, "wrong").status_code for spelling in MOBILE_SPELLINGS for _ in range(4)]
    assert statuses[:4] == [200] * 4 and statuses[4] == 429 and 302 not in statuses
    login(client, "+86 139 1234 0012")
    assert not logged_in(client)


def test_every_case_of_a_username_counts_toward_one_lockout(client):
    make_user("supervisor")
    for spelling in ["Supervisor", "SUPERVISOR", "sUpervisor", " supervisor", "superVISOR "]:
        login(client, spelling, "wrong")
    assert login(client, "supervisor").status_code == 429
    assert not logged_in(client)


def test_a_stranger_locking_an_account_does_not_lock_out_its_owner_elsewhere(client):
    make_user("supervisor")
    stranger = Client()
    for _ in range(5):
        login(stranger, "Supervisor", "wrong", ip="10.9.9.9")
    assert login(stranger, "supervisor", ip="10.9.9.9").status_code == 429
    owner = Client()
    login(owner, "supervisor", ip="10.1.1.1")
    assert logged_in(owner)


def test_failures_from_one_address_are_slowed_whatever_the_accounts(client, settings):
    settings.SHANGLIANG_RATE_LIMITS = {**settings.SHANGLIANG_RATE_LIMITS, "login": "8/15m"}
    make_user("victim")
    for index in range(9):
        login(client, f"nobody{index}", "wrong", ip="10.7.7.7")
    response = login(client, "victim", ip="10.7.7.7")
    assert "登录失败次数过多" in response.content.decode()
    assert not logged_in(client)
    other = Client()
    login(other, "victim", ip="10.8.8.8")
    assert logged_in(other)


def test_guesses_from_many_addresses_lock_the_account_everywhere(settings):
    settings.SHANGLIANG_RATE_LIMITS = {**settings.SHANGLIANG_RATE_LIMITS, "login_account": "6/30m"}
    make_user("district", mobile="13900000077")
    for index in range(7):
        login(Client(), "DISTRICT" if index % 2 else "139 0000 0077", "wrong", ip=f"10.3.0.{index}")
    owner = Client()
    response = login(owner, "district", ip="10.4.4.4")
    assert "登录失败次数过多" in response.content.decode()
    assert not logged_in(owner)


def test_the_address_behind_the_proxy_is_the_one_nginx_adds(client, settings):
    settings.SHANGLIANG_TRUSTED_PROXIES = 1
    make_user("supervisor")
    for index in range(5):
        # The client forges the left part of the header; nginx appends the real address.
        client.post(
            reverse("accounts:login"),
            {"username": "supervisor", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{index}, 10.6.6.6",
        )
    response = client.post(
        reverse("accounts:login"),
        {"username": "supervisor", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="9.9.9.9, 10.6.6.6",
    )
    assert response.status_code == 429


def test_logging_in_writes_no_history_row(client):
    user = make_user("quiet")
    before = user.history.count()
    for _ in range(3):
        login(client, "quiet")
        client.post(reverse("accounts:logout"))
    user.refresh_from_db()
    assert user.history.count() == before
    assert user.last_login is not None


def test_without_its_code_registration_answers_the_same_for_a_registered_mobile(client):
    make_user("someone", mobile="13800001234", verified_mobile="13800001234")
    data = {"mobile": "13800001234", "code": "123456", "password1": "qingshan-2026", "password2": "qingshan-2026"}
    taken = client.post(reverse("accounts:register"), data, REMOTE_ADDR="10.0.0.5")
    free = Client().post(reverse("accounts:register"), {**data, "mobile": "13800004321"}, REMOTE_ADDR="10.0.0.6")
    assert taken.status_code == free.status_code == 200
    assert taken.context["form"].errors == free.context["form"].errors
    assert list(taken.context["form"].errors) == ["code"]
    assert get_user_model().objects.get(mobile="13800001234").check_password(PASSWORD)
    assert not get_user_model().objects.filter(mobile="13800004321").exists()


def test_registrations_from_one_address_are_limited(client, settings, sms):
    settings.SHANGLIANG_RATE_LIMITS = {**settings.SHANGLIANG_RATE_LIMITS, "register": "3/10m"}
    for index in range(4):
        mobile = f"1380000{index:04d}"
        sms.ask(Client(), mobile, "register", REMOTE_ADDR=f"10.0.1.{index}")
        data = {"mobile": mobile, "code": sms.code(mobile), "password1": "qingshan-2026", "password2": "qingshan-2026"}
        response = Client().post(reverse("accounts:register"), data, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "操作过于频繁" in response.content.decode()
    assert get_user_model().objects.filter(mobile__startswith="1380000").count() == 3


def test_registration_password_messages_are_in_chinese(client):
    data = {"mobile": "13800001299", "password1": "ab1", "password2": "ab1"}
    response = client.post(reverse("accounts:register"), data)
    errors = " ".join(response.context["form"].errors["password1"])
    assert "密码" in errors and "short" not in errors


def test_everyone_can_change_their_own_password(client):
    make_user("resident", mobile="13800002222")
    login(client, "resident")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "new-qingshan-77", "new_password2": "new-qingshan-77"},
    )
    assert response.status_code == 302
    assert logged_in(client)
    assert get_user_model().objects.get(username="resident").check_password("new-qingshan-77")


def test_changing_a_password_needs_the_old_one(client):
    make_user("resident")
    login(client, "resident")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "new-qingshan-77", "new_password2": "new-qingshan-77"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    assert get_user_model().objects.get(username="resident").check_password(PASSWORD)


def test_an_administrator_reset_forces_a_new_password_at_the_next_login(client):
    admin = get_user_model().objects.create_superuser("root", password=PASSWORD)
    user = make_user("forgetful")
    temporary = password_reset_by_admin(actor=admin, user=user)
    assert not get_user_model().objects.get(pk=user.pk).check_password(PASSWORD)
    response = login(client, "forgetful", temporary)
    assert response["Location"] == reverse("accounts:password_change")
    assert client.get(reverse("portal:home"))["Location"] == reverse("accounts:password_change")
    client.post(
        reverse("accounts:password_change"),
        {"old_password": temporary, "new_password1": "new-qingshan-77", "new_password2": "new-qingshan-77"},
    )
    assert client.get(reverse("portal:home")).status_code == 200
    record = get_user_model().objects.get(pk=user.pk).history.filter(history_user=admin)
    assert record.exists()


def test_the_reset_action_in_the_admin_shows_the_temporary_password_once(client):
    admin = get_user_model().objects.create_superuser("root", password=PASSWORD)
    user = make_user("forgetful")
    client.force_login(admin)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_password", "_selected_action": [user.pk]},
        follow=True,
    )
    assert "临时密码" in response.content.decode()
    assert get_user_model().objects.get(pk=user.pk).must_change_password


def test_only_an_administrator_may_reset_a_password():
    other = make_user("other")
    with pytest.raises(PermissionDenied):
        password_reset_by_admin(actor=other, user=make_user("victim"))


def test_the_admin_login_is_under_the_same_limits(client, settings):
    settings.SHANGLIANG_RATE_LIMITS = {**settings.SHANGLIANG_RATE_LIMITS, "login": "3/15m"}
    get_user_model().objects.create_superuser("root", password=PASSWORD)
    for index in range(4):
        client.post(reverse("admin:login"), {"username": f"nobody{index}", "password": "wrong"}, REMOTE_ADDR="10.5.5.5")
    response = client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD}, REMOTE_ADDR="10.5.5.5")
    assert "登录失败次数过多" in response.content.decode()
    assert not logged_in(client)
