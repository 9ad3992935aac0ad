"""The WeChat official account: template messages and OAuth login and binding, against a local fake."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse

from shangliang.accounts.models import WeChatBinding
from shangliang.accounts.tests.wechat_fake import FakeWeChat, settings_for
from shangliang.accounts.wechat import WeChatSender, wechat_bind, wechat_context
from shangliang.accounts.wechat_views import PENDING_KEY
from shangliang.core.dispatch import deliveries_run
from shangliang.core.models import Channel, Delivery, DeliveryStatus, MessageTemplate, Provider
from shangliang.core.notify import Kind, notify
from shangliang.core.senders import Message, SendStatus

pytestmark = pytest.mark.django_db


def make_user(username, **fields):
    return get_user_model().objects.create_user(username, password="pass-12345", **fields)


NOTICE_VARIABLES = ["thing1", "thing2", "character_string3"]


@pytest.fixture
def wx(settings):
    with FakeWeChat(templates={"TPL-NOTICE": NOTICE_VARIABLES}, followers={"openid-li", "openid-wang"}) as fake:
        settings.SHANGLIANG_WECHAT = settings_for(fake)
        settings.SHANGLIANG_SENDERS = {
            **settings.SHANGLIANG_SENDERS,
            "wechat": "shangliang.accounts.wechat.WeChatSender",
        }
        MessageTemplate.objects.create(
            provider=Provider.WECHAT,
            kind=Kind.NOTICE,
            template_code="TPL-NOTICE",
            params="thing1=title\nthing2=body\ncharacter_string3=url",
        )
        yield fake


@pytest.fixture
def resident():
    return make_user("li", full_name="李秀英", mobile="13800000001")


def bound(user, openid="openid-li"):
    return wechat_bind(actor=user, user=user, openid=openid)


def send(user, *, title="关于青山村停车难问题的协商通知", body="5月20日 村委会议室", kind=Kind.NOTICE):
    message = Message(
        channel="wechat", to=str(user.pk), title=title, body=body, url="https://xs.example.cn/c/1/", kind=kind
    )
    return WeChatSender("wechat").send(message)


def through_wechat(client, fake, start_url):
    """Open ``start_url``, pass WeChat's authorisation page (the fake) and come back to the callback."""
    response = client.get(start_url)
    assert response.status_code == 302
    authorize = response["Location"]
    assert authorize.startswith(fake.url + "/connect/oauth2/authorize?") and authorize.endswith("#wechat_redirect")
    answer = requests.get(authorize.split("#")[0], allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    back = urlsplit(answer.headers["Location"])
    assert back.path == reverse("accounts:wechat_callback")
    return client.get(f"{back.path}?{back.query}")


# --- template messages ---------------------------------------------------------------------------


def test_the_sender_delivers_the_template_message_with_its_variables_filled_and_cut(wx, resident):
    bound(resident)
    result = send(resident)
    assert result.status == SendStatus.SENT
    assert wx.sent == [
        {
            "touser": "openid-li",
            "template_id": "TPL-NOTICE",
            "url": "https://xs.example.cn/c/1/",
            "data": {
                "thing1": {"value": "关于青山村停车难问题的协商通知"},
                "thing2": {"value": "5月20日 村委会议室"},
                "character_string3": {"value": "https://xs.example.cn/c/1/"},
            },
            "errcode": 0,
        }
    ]
    long_title = "关于青山村二组村道拓宽及停车位规划问题的协商通知"
    send(resident, title=long_title, body=long_title)
    data = wx.sent[-1]["data"]
    assert data["thing1"]["value"] == data["thing2"]["value"] == long_title[:19] + "…"  # thing: 20 characters


def test_the_token_is_shared_by_senders_and_fetched_again_once_it_stops_working(wx, resident):
    bound(resident)
    send(resident)
    send(resident)
    assert len(wx.token_requests) == 1  # the second sender found the token in the shared cache
    wx.expire_token()
    assert send(resident).status == SendStatus.SENT
    assert len(wx.token_requests) == 2 and len(wx.sent) == 3
    assert [r["errcode"] for r in wx.refused] == [40001]


def test_a_token_refused_again_after_a_fresh_fetch_fails_the_message_instead_of_looping(wx, resident):
    bound(resident)
    wx.tokens_work = False
    result = send(resident)
    assert result.status == SendStatus.FAILED and "40001" in result.detail
    assert len(wx.token_requests) == 2 and len(wx.refused) == 2


def test_a_reader_who_unfollowed_the_account_leaves_a_failed_row(wx, resident, django_capture_on_commit_callbacks):
    bound(resident)
    wx.unsubscribe("openid-li")
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=Kind.NOTICE, reason="consultation.notice:9", recipients=[resident], title="协商通知", body="请参加")
    row = Delivery.objects.get(reason="consultation.notice:9", channel=Channel.WECHAT)
    assert row.status == DeliveryStatus.FAILED and "43004" in row.detail
    assert wx.sent == []


def test_a_throttled_message_is_to_be_tried_again_and_an_unknown_template_fails(wx, resident):
    bound(resident)
    wx.throttle()
    result = send(resident)
    assert result.status == SendStatus.RETRY and "45009" in result.detail
    assert send(resident).status == SendStatus.SENT
    result = send(resident, kind=Kind.FEEDBACK)
    assert result.status == SendStatus.FAILED and "办理反馈" in result.detail
    assert len(wx.sent) == 1


def test_a_throttled_notice_waits_in_the_queue_and_goes_once_when_due(wx, resident, django_capture_on_commit_callbacks):
    bound(resident)
    wx.throttle()
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=Kind.NOTICE, reason="consultation.notice:5", recipients=[resident], title="协商通知")
    row = Delivery.objects.get(reason="consultation.notice:5", channel=Channel.WECHAT)
    assert row.status == DeliveryStatus.QUEUED and row.next_attempt_at is not None and "45009" in row.detail
    deliveries_run(now=row.next_attempt_at + timedelta(seconds=1))
    deliveries_run(now=row.next_attempt_at + timedelta(minutes=30))
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and row.attempts == 2
    assert len(wx.sent) == 1


def test_wechat_out_of_reach_leaves_the_notice_queued(wx, resident, settings, django_capture_on_commit_callbacks):
    bound(resident)
    settings.SHANGLIANG_WECHAT = {**settings.SHANGLIANG_WECHAT, "api_base": "http://127.0.0.1:1/"}
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=Kind.NOTICE, reason="consultation.notice:6", recipients=[resident], title="协商通知")
    row = Delivery.objects.get(reason="consultation.notice:6", channel=Channel.WECHAT)
    assert row.status == DeliveryStatus.QUEUED and row.next_attempt_at is not None


def test_an_account_without_a_binding_fails_without_calling_wechat(wx, resident):
    result = send(resident)
    assert result.status == SendStatus.FAILED and "未绑定微信" in result.detail
    assert wx.token_requests == [] and wx.sent == []


def test_a_notice_to_a_bound_account_reaches_wechat(wx, resident, django_capture_on_commit_callbacks):
    bound(resident)
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=Kind.NOTICE, reason="consultation.notice:3", recipients=[resident], title="协商通知", body="请参加")
    row = Delivery.objects.get(reason="consultation.notice:3", channel=Channel.WECHAT)
    assert (row.status, row.provider, row.provider_id) == (DeliveryStatus.SENT, Provider.WECHAT, "200000")
    assert [(m["touser"], m["data"]["thing1"]["value"]) for m in wx.sent] == [("openid-li", "协商通知")]


# --- binding ---------------------------------------------------------------------------------------


def test_a_logged_in_account_is_bound_only_after_confirming_with_a_post(wx, resident, client):
    client.force_login(resident)
    wx.visitor = "openid-li"
    response = through_wechat(client, wx, reverse("accounts:wechat_start") + "?next=/pool/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:wechat_bind")
    page = client.get(reverse("accounts:wechat_bind"))
    assert "将此微信绑定到账号 李秀英（138****0001）？" in page.content.decode()
    assert not WeChatBinding.objects.exists()
    response = client.post(reverse("accounts:wechat_bind"))
    assert response.status_code == 302 and response["Location"] == "/pool/"
    binding = WeChatBinding.objects.get()
    assert (binding.user, binding.openid, binding.app_id, binding.unbound_at) == (
        resident,
        "openid-li",
        wx.app_id,
        None,
    )
    history = binding.history.first()
    assert history.history_change_reason == "wechat.bound" and history.history_user == resident
    assert client.post(reverse("accounts:wechat_bind")).status_code == 302  # nothing waits any more
    assert WeChatBinding.objects.count() == 1


def test_an_openid_bound_to_another_account_is_refused(wx, resident, client):
    other = make_user("wang", mobile="13800000002")
    bound(other)
    client.force_login(resident)
    wx.visitor = "openid-li"
    through_wechat(client, wx, reverse("accounts:wechat_start"))
    page = client.get(reverse("accounts:wechat_bind")).content.decode()
    assert "这个微信已绑定其他账号" in page and "确认绑定" not in page
    response = client.post(reverse("accounts:wechat_bind"), follow=True)
    assert "这个微信已绑定其他账号" in response.content.decode()
    assert list(WeChatBinding.objects.values_list("user", flat=True)) == [other.pk]


def test_an_openid_waiting_for_another_account_cannot_be_confirmed(wx, resident, client):
    other = make_user("wang", mobile="13800000002")
    client.force_login(resident)
    session = client.session
    session[PENDING_KEY] = {"openid": "openid-wang", "user": other.pk, "next": ""}
    session.save()
    assert client.post(reverse("accounts:wechat_bind")).status_code == 302
    assert not WeChatBinding.objects.exists()


def test_binding_another_wechat_replaces_the_account_earlier_one(wx, resident):
    first = bound(resident, "openid-old")
    second = bound(resident, "openid-li")
    first.refresh_from_db()
    assert first.unbound_at is not None and second.unbound_at is None
    assert bound(resident, "openid-li") == second  # the same WeChat again changes nothing


def test_unbinding_stamps_the_row_and_keeps_it(wx, resident, client):
    bound(resident)
    client.force_login(resident)
    assert client.get(reverse("accounts:wechat_unbind")).status_code == 405
    response = client.post(reverse("accounts:wechat_unbind"), {"next": "https://evil.example/"})
    assert response.status_code == 302 and "evil" not in response["Location"]
    binding = WeChatBinding.objects.get()
    assert binding.unbound_at is not None
    assert binding.history.first().history_change_reason == "wechat.unbound"
    assert wechat_context(resident)["wechat_binding"] is None


def test_unbinding_needs_a_logged_in_account(wx, resident, client):
    bound(resident)
    response = client.post(reverse("accounts:wechat_unbind"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert WeChatBinding.objects.get().unbound_at is None


# --- login -----------------------------------------------------------------------------------------


def test_a_bound_openid_logs_in_to_its_account_and_returns_to_next(wx, resident, client):
    bound(resident)
    wx.visitor = "openid-li"
    response = through_wechat(client, wx, reverse("accounts:wechat_start") + "?next=/pool/")
    assert response.status_code == 302 and response["Location"] == "/pool/"
    assert client.session["_auth_user_id"] == str(resident.pk)


def test_login_goes_home_instead_of_another_site(wx, resident, client):
    bound(resident)
    wx.visitor = "openid-li"
    response = through_wechat(client, wx, reverse("accounts:wechat_start") + "?next=https://evil.example/")
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")


def test_an_unbound_openid_neither_logs_in_nor_creates_an_account(wx, resident, client):
    bound(resident)
    WeChatBinding.objects.update(unbound_at="2026-01-01T00:00:00Z")
    accounts = get_user_model().objects.count()
    wx.visitor = "openid-li"
    response = through_wechat(client, wx, reverse("accounts:wechat_start") + "?next=/pool/")
    page = response.content.decode()
    assert response.status_code == 200 and "这个微信尚未绑定账号" in page
    assert "/accounts/login/?next=%2Faccounts%2Fwechat%2Fstart%2F%3Fnext%3D%252Fpool%252F" in page
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.count() == accounts


def test_a_login_for_an_account_whose_password_was_reset_asks_for_a_new_one(wx, resident, client):
    resident.must_change_password = True
    resident.save()
    bound(resident)
    wx.visitor = "openid-li"
    response = through_wechat(client, wx, reverse("accounts:wechat_start"))
    assert response["Location"] == reverse("accounts:password_change")


@pytest.mark.parametrize("state", ["other", "", "bad\x00state"])
def test_a_state_that_does_not_match_is_refused_with_400(wx, resident, client, state):
    bound(resident)
    client.get(reverse("accounts:wechat_start"))
    response = client.get(reverse("accounts:wechat_callback"), {"code": wx.code_for("openid-li"), "state": state})
    assert response.status_code == 400
    assert "\x00" in state or "这个微信登录链接已失效" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_callback_without_a_start_or_with_a_used_code_is_refused(wx, resident, client):
    bound(resident)
    response = client.get(reverse("accounts:wechat_callback"), {"code": wx.code_for("openid-li"), "state": "x"})
    assert response.status_code == 400
    client.get(reverse("accounts:wechat_start"))
    state = client.session["wechat_oauth"]["state"]
    code = wx.code_for("openid-li")
    wx.exchange({"appid": wx.app_id, "secret": wx.secret, "grant_type": "authorization_code", "code": code})
    response = client.get(reverse("accounts:wechat_callback"), {"code": code, "state": state})
    assert response.status_code == 400 and "微信授权已失效" in response.content.decode()


# --- not configured ---------------------------------------------------------------------------------


def test_without_an_official_account_the_routes_are_404_and_the_login_page_has_no_button(settings, resident, client):
    settings.SHANGLIANG_WECHAT = {**settings.SHANGLIANG_WECHAT, "app_id": ""}
    for name in ("wechat_start", "wechat_callback", "wechat_bind"):
        assert client.get(reverse(f"accounts:{name}")).status_code == 404
    client.force_login(resident)
    assert client.get(reverse("accounts:wechat_bind")).status_code == 404
    assert client.post(reverse("accounts:wechat_unbind")).status_code == 404
    client.logout()
    assert "微信一键登录" not in client.get(reverse("accounts:login")).content.decode()
    assert (
        render_to_string("accounts/_wechat_binding.html", {"user": resident, **wechat_context(resident)}).strip() == ""
    )


def test_with_an_official_account_the_login_page_offers_wechat_login(wx, client):
    page = client.get(reverse("accounts:login") + "?next=/pool/").content.decode()
    assert "微信一键登录" in page and reverse("accounts:wechat_start") + "?next=/pool/" in page


def test_the_settings_partial_shows_the_binding_and_its_buttons(wx, resident):
    def partial():
        return render_to_string("accounts/_wechat_binding.html", {"user": resident, **wechat_context(resident)})

    assert "绑定微信" in partial() and reverse("accounts:wechat_unbind") not in partial()
    bound(resident)
    assert "已绑定微信" in partial() and reverse("accounts:wechat_unbind") in partial()
