"""The resident's settings page (accounts:preferences) and staff verifying a number in person (admin)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from shangliang.accounts.services import mobile_verify_in_person

pytestmark = pytest.mark.django_db

PASSWORD = "pass-12345"
MOBILE = "13800138001"


def make_user(username, **fields):
    return get_user_model().objects.create_user(username, password=PASSWORD, **fields)


def test_the_settings_page_needs_a_login(client):
    response = client.get(reverse("accounts:preferences"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_user_menu_leads_to_the_settings_page(client):
    client.force_login(make_user("wang"))
    text = client.get(reverse("portal:home")).content.decode()
    assert f'class="who" href="{reverse("accounts:preferences")}"' in text


def test_a_verified_number_is_shown_masked_with_a_way_to_change_it(client):
    client.force_login(make_user("wang", mobile=MOBILE, verified_mobile=MOBILE, mobile_verified_at=timezone.now()))
    text = client.get(reverse("accounts:preferences")).content.decode()
    assert "138****8001" in text and MOBILE not in text and "已验证" in text
    assert reverse("accounts:mobile_verify") in text and reverse("accounts:password_change") in text
    assert "<script>" not in text and 'style="' not in text


def test_an_unverified_number_gets_a_button_to_verify_it(client):
    client.force_login(make_user("wang", mobile=MOBILE))
    text = client.get(reverse("accounts:preferences")).content.decode()
    assert "138****8001" in text and "未验证" in text and "验证手机号" in text
    client.force_login(make_user("li"))
    assert "还没有手机号" in client.get(reverse("accounts:preferences")).content.decode()


def test_the_feedback_channels_are_saved_with_history_and_notices_still_go(client):
    user = make_user("wang")
    client.force_login(user)
    text = client.get(reverse("accounts:preferences")).content.decode()
    assert "短信接收办理反馈" in text and "微信接收办理反馈" in text
    assert "事先知情通报和会前提醒不受此设置影响，依规必须送达" in text
    response = client.post(reverse("accounts:preferences"), {"wechat_feedback": "on"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.sms_feedback, user.wechat_feedback) == (False, True)
    row = user.history.latest("history_date")
    assert (row.history_change_reason, row.history_user) == ("account.preferences_changed", user)
    rows = user.history.count()
    client.post(reverse("accounts:preferences"), {"wechat_feedback": "on"})
    assert user.history.count() == rows  # nothing changed, nothing recorded


def test_the_settings_page_has_no_room_for_someone_elses_account(client):
    other = make_user("other")
    client.force_login(make_user("wang"))
    client.post(reverse("accounts:preferences") + f"?user={other.pk}", {"user": other.pk})
    other.refresh_from_db()
    assert (other.sms_feedback, other.wechat_feedback) == (True, True)


# --- staff verifying a number in person ------------------------------------------------------------


def test_an_administrator_verifies_a_number_in_person_from_the_admin(client):
    admin = get_user_model().objects.create_superuser("root", password=PASSWORD)
    resident = make_user("wang", mobile=MOBILE)
    no_number = make_user("li")
    client.force_login(admin)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "verify_mobile_in_person", "_selected_action": [resident.pk, no_number.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "已核验手机号：wang" in text and "该账号没有手机号" in text
    resident.refresh_from_db()
    assert resident.has_verified_mobile
    row = resident.history.latest("history_date")
    assert (row.history_change_reason, row.history_user) == ("account.mobile_verified_by_staff", admin)
    no_number.refresh_from_db()
    assert not no_number.has_verified_mobile


def test_only_an_administrator_may_verify_a_number_in_person():
    with pytest.raises(PermissionDenied):
        mobile_verify_in_person(actor=make_user("staff"), user=make_user("wang", mobile=MOBILE))
