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


def test_resident_registers_with_a_mobile_number_and_then_logs_in(client):
    response = client.post(
        reverse("accounts:register"),
        {"full_name": "", "mobile": "138 0000 1234", "password1": "qingshan-2026", "password2": "qingshan-2026"},
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(mobile="13800001234")
    assert user.scoped_roles.count() == 0
    login_page = client.get(response["Location"])
    assert 'value="13800001234"' in login_page.content.decode()
    login(client, "13800001234", "qingshan-2026")
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    "target,expected",
    [("/rate/7/", "/rate/7/"), ("https://evil.example/", "/"), ("", "/")],
)
def test_registration_returns_to_the_page_the_resident_came_from_on_this_site(client, target, expected):
    data = {"full_name": "", "mobile": "13800001235", "password1": "qingshan-2026", "password2": "qingshan-2026"}
    url = reverse("accounts:register") + (f"?next={target}" if target else "")
    login_url = client.post(url, data)["Location"]
    login_page = client.get(login_url)
    response = client.post(
        login_url, {"username": "13800001235", "password": "qingshan-2026", "next": login_page.context["next"]}
    )
    assert response.status_code == 302 and response["Location"] == expected


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"mobile": "12345", "password1": "qingshan-2026", "password2": "qingshan-2026"}, "mobile", "11位手机号"),
        ({"mobile": "13800001234", "password1": "qingshan-2026", "password2": "other-2026x"}, "password2", "不一致"),
        ({"mobile": "13800001234", "password1": "123", "password2": "123"}, "password1", "密码"),
    ],
)
def test_registration_errors_are_shown_next_to_the_field_and_nothing_is_created(client, data, field, message):
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not get_user_model().objects.filter(mobile="13800001234").exists()


def test_registration_with_a_mobile_already_registered_changes_nothing(client):
    user = make_user("someone", mobile="13800001234")
    client.post(
        reverse("accounts:register"),
        {"mobile": "13800001234", "password1": "qingshan-2026", "password2": "qingshan-2026"},
    )
    assert get_user_model().objects.filter(mobile="13800001234").count() == 1
    user.refresh_from_db()
    assert user.check_password("pass-12345")
    assert "_auth_user_id" not in client.session
