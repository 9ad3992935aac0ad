import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


def make_user(username, *, password="pass-12345", **fields):
    return get_user_model().objects.create_user(username, password=password, **fields)


def login(client, username, password="pass-12345"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_staff_logs_in_with_username_or_mobile(client):
    make_user("wangli", mobile="13900001111")
    assert login(client, "wangli").status_code == 302
    client.post(reverse("accounts:logout"))
    assert login(client, "13900001111").status_code == 302


def test_passwords_are_hashed_with_argon2():
    user = make_user("hash-check")
    assert user.password.startswith("argon2")


def test_wrong_password_shows_a_chinese_message_in_the_form(client):
    make_user("wangli")
    response = login(client, "wangli", "wrong")
    assert response.status_code == 200
    assert "用户名/手机号或密码不正确" in response.content.decode()


def test_five_failures_lock_the_account_even_with_the_right_password(client):
    make_user("locked-out")
    for _ in range(5):
        login(client, "locked-out", "wrong")
    response = login(client, "locked-out")
    assert response.status_code == 429
    assert "30分钟" in response.content.decode()
    assert "_auth_user_id" not in client.session


# Registration with an SMS code: test_registration.py.
