"""Texts through the official SDKs of 阿里云 and 腾讯云, against local fakes that check what the
providers check: the request signature, the sign name, the template and its parameters."""

import http.client
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model

from shangliang.core.admin import MessageTemplateForm
from shangliang.core.models import Delivery, DeliveryStatus, MessageTemplate, Provider
from shangliang.core.notify import Kind, notify
from shangliang.core.tests.fakes.sms_servers import FakeAliyunSms, FakeTencentSms, use_aliyun, use_tencent

pytestmark = pytest.mark.django_db

MOBILE = "13900000001"
ALIYUN_TEMPLATES = {"SMS_100001": ["code", "minutes"], "SMS_200001": ["title", "url"]}
TENCENT_TEMPLATES = {"100001": 2, "200001": 1}


@pytest.fixture
def aliyun(settings):
    with FakeAliyunSms(sign="某某区政协", templates=ALIYUN_TEMPLATES) as fake:
        use_aliyun(
            settings,
            fake,
            {
                Kind.CODE: ("SMS_100001", "code=code\nminutes=minutes"),
                Kind.NOTICE: ("SMS_200001", "title=title\nurl=url"),
            },
        )
        yield fake


@pytest.fixture
def tencent(settings):
    with FakeTencentSms(sign="某某区政协", templates=TENCENT_TEMPLATES) as fake:
        # Listed out of order on purpose: the values go in the variables' numbered order.
        use_tencent(settings, fake, {Kind.CODE: ("100001", "2=minutes\n1=code"), Kind.NOTICE: ("200001", "1=title")})
        yield fake


def send_code(capture, reason="code:1", mobile=MOBILE, code="123456") -> Delivery:
    with capture(execute=True):
        notify(
            kind=Kind.CODE,
            reason=reason,
            recipients=[mobile],
            title="验证码",
            body="您的验证码为******，5分钟内有效。",
            params={"code": code, "minutes": "5"},
        )
    return Delivery.objects.get(reason=reason)


# --- 阿里云 ---------------------------------------------------------------------------------------


def test_a_code_reaches_aliyun_signed_with_the_template_variables_and_is_erased(
    aliyun, django_capture_on_commit_callbacks
):
    row = send_code(django_capture_on_commit_callbacks)
    assert aliyun.received == [
        {
            "phone": MOBILE,
            "sign": "某某区政协",
            "template": "SMS_100001",
            "params": {"code": "123456", "minutes": "5"},
            "out_id": str(row.pk),
            "provider_id": row.provider_id,
        }
    ]
    assert aliyun.last_code_for(MOBILE) == "123456" and not aliyun.refused
    # Accepted, waiting for the receipt; the code is not kept once the row is final.
    assert (row.status, row.provider, row.attempts, row.params) == (DeliveryStatus.SENT, Provider.ALIYUN, 1, {})
    assert row.provider_id.endswith("^0") and row.sent_at is not None


def test_a_wrong_aliyun_secret_is_refused_and_the_row_fails_with_the_code(
    aliyun, settings, django_capture_on_commit_callbacks
):
    settings.SHANGLIANG_ALIYUN_SMS = {**settings.SHANGLIANG_ALIYUN_SMS, "access_key_secret": "not-the-secret"}
    row = send_code(django_capture_on_commit_callbacks)
    assert row.status == DeliveryStatus.FAILED and row.detail.startswith("SignatureDoesNotMatch")
    assert aliyun.received == [] and [r["code"] for r in aliyun.refused] == ["SignatureDoesNotMatch"]


def test_an_unknown_aliyun_key_is_refused(aliyun, settings, django_capture_on_commit_callbacks):
    settings.SHANGLIANG_ALIYUN_SMS = {**settings.SHANGLIANG_ALIYUN_SMS, "access_key_id": "someone-else"}
    row = send_code(django_capture_on_commit_callbacks)
    assert row.status == DeliveryStatus.FAILED and row.detail.startswith("InvalidAccessKeyId.NotFound")


def test_the_aliyun_fake_refuses_a_replayed_request_and_a_stale_date(aliyun, django_capture_on_commit_callbacks):
    send_code(django_capture_on_commit_callbacks)
    method, path, headers, body = aliyun.last_request

    def replay():
        connection = http.client.HTTPConnection(urlsplit(aliyun.endpoint).netloc, timeout=5)
        connection.request(method, path, body=body, headers=dict(headers))
        response = connection.getresponse()
        answer = response.read().decode()
        connection.close()
        return response.status, answer

    status, answer = replay()
    assert status == 400 and "SignatureNonceUsed" in answer
    aliyun.clock = lambda: datetime.now(UTC) + FakeAliyunSms.DATE_SKEW + timedelta(minutes=1)
    status, answer = replay()
    assert status == 400 and "InvalidTimeStamp.Expired" in answer
    assert len(aliyun.received) == 1


def test_aliyun_refuses_parameters_that_differ_from_the_template(aliyun, django_capture_on_commit_callbacks):
    MessageTemplate.objects.filter(provider=Provider.ALIYUN, kind=Kind.CODE).update(params="code=code")
    row = send_code(django_capture_on_commit_callbacks)
    assert row.status == DeliveryStatus.FAILED and row.detail.startswith("isv.TEMPLATE_MISSING_PARAMETERS")
    assert aliyun.received == []


def test_an_unapproved_sign_name_is_refused(aliyun, django_capture_on_commit_callbacks):
    MessageTemplate.objects.filter(provider=Provider.ALIYUN).update(sign_name="别的签名")
    row = send_code(django_capture_on_commit_callbacks)
    assert row.status == DeliveryStatus.FAILED and row.detail.startswith("isv.SMS_SIGNATURE_ILLEGAL")


def test_a_long_title_is_cut_to_aliyuns_35_characters_and_the_link_is_the_public_address(
    aliyun, settings, django_capture_on_commit_callbacks
):
    settings.SHANGLIANG_PUBLIC_BASE_URL = "https://xs.example.gov.cn"
    title = "关于" + "村口道路硬化及路灯安装" * 5 + "的协商通知"
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=Kind.NOTICE, reason="notice:1", recipients=[MOBILE], title=title, url="/c/p/abc/")
    (item,) = aliyun.received
    assert len(item["params"]["title"]) == 35 and item["params"]["title"].endswith("…")
    assert item["params"]["url"] == "https://xs.example.gov.cn/c/p/abc/"
    assert Delivery.objects.get(reason="notice:1", channel="sms").status == DeliveryStatus.SENT


def test_a_kind_without_a_template_fails_without_calling_the_gateway(aliyun, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=Kind.REMINDER, reason="reminder:1", recipients=[MOBILE], title="【督办提醒】")
    row = Delivery.objects.get(reason="reminder:1", channel="sms")
    assert row.status == DeliveryStatus.FAILED and row.detail == "未配置短信模板：督办提醒"
    assert aliyun.received == [] and aliyun.refused == [] and aliyun.last_request is None


def test_an_invalid_number_is_refused_for_good(aliyun, django_capture_on_commit_callbacks):
    row = send_code(django_capture_on_commit_callbacks, mobile="12345")
    assert row.status == DeliveryStatus.FAILED and row.detail.startswith("isv.MOBILE_NUMBER_ILLEGAL")


# --- 腾讯云 ---------------------------------------------------------------------------------------


def test_a_code_reaches_tencent_signed_with_its_numbered_variables_in_order(
    tencent, django_capture_on_commit_callbacks
):
    row = send_code(django_capture_on_commit_callbacks)
    assert tencent.received == [
        {
            "phone": MOBILE,
            "sign": "某某区政协",
            "template": "100001",
            "params": ["123456", "5"],
            "out_id": str(row.pk),
            "provider_id": row.provider_id,
        }
    ]
    assert tencent.last_code_for(MOBILE) == "123456"
    assert (row.status, row.provider, row.params) == (DeliveryStatus.SENT, Provider.TENCENT, {})
    assert row.provider_id.startswith("2640:")


def test_a_tencent_template_with_the_address_in_its_text_gets_the_links_path(
    tencent, settings, django_capture_on_commit_callbacks
):
    settings.SHANGLIANG_PUBLIC_BASE_URL = "https://yishi.example.gov.cn"
    MessageTemplate.objects.filter(provider=Provider.TENCENT, kind=Kind.NOTICE).update(params="1=path")
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=Kind.NOTICE, reason="notice:9", recipients=[MOBILE], title="协商通知", url="/c/p/abc/?x=1")
    assert tencent.received[-1]["params"] == ["/c/p/abc/?x=1"]


def test_a_wrong_tencent_secret_is_refused_and_the_row_fails_with_the_code(
    tencent, settings, django_capture_on_commit_callbacks
):
    settings.SHANGLIANG_TENCENT_SMS = {**settings.SHANGLIANG_TENCENT_SMS, "secret_key": "not-the-key"}
    row = send_code(django_capture_on_commit_callbacks)
    assert row.status == DeliveryStatus.FAILED and row.detail.startswith("AuthFailure.SignatureFailure")
    assert tencent.received == []


def test_the_tencent_fake_refuses_a_stale_timestamp(tencent, django_capture_on_commit_callbacks):
    tencent.clock = lambda: datetime.now(UTC) + timedelta(minutes=6)
    row = send_code(django_capture_on_commit_callbacks)
    assert row.status == DeliveryStatus.FAILED and row.detail.startswith("AuthFailure.SignatureExpire")


def test_tencent_refuses_a_parameter_count_other_than_the_templates(tencent, django_capture_on_commit_callbacks):
    MessageTemplate.objects.filter(provider=Provider.TENCENT, kind=Kind.CODE).update(params="1=code")
    row = send_code(django_capture_on_commit_callbacks)
    assert row.status == DeliveryStatus.FAILED
    assert row.detail.startswith("FailedOperation.TemplateParamSetNotMatchApprovedTemplate")


def test_tencent_failures_per_number_fail_and_its_limits_are_retried(tencent, django_capture_on_commit_callbacks):
    tencent.fail_number("13900000002")
    tencent.throttle_number("13900000003")
    failed = send_code(django_capture_on_commit_callbacks, reason="code:2", mobile="13900000002")
    limited = send_code(django_capture_on_commit_callbacks, reason="code:3", mobile="13900000003")
    assert failed.status == DeliveryStatus.FAILED
    assert failed.detail.startswith("InvalidParameterValue.IncorrectPhoneNumber")
    assert limited.status == DeliveryStatus.QUEUED and limited.next_attempt_at is not None
    assert limited.detail.startswith("LimitExceeded.PhoneNumberThirtySecondLimit")
    assert limited.params == {"code": "123456", "minutes": "5"}  # kept for the next attempt


# --- the admin's templates ---------------------------------------------------------------------------


def template_form(**data):
    values = {"provider": Provider.ALIYUN, "kind": Kind.CODE, "template_code": "SMS_1", "sign_name": "某某区政协"}
    values.update({"params": "code=code\nminutes=minutes", "is_active": True}, **data)
    return MessageTemplateForm(data=values)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"params": "code"}, "params", "第1行应写成“变量名=内容”"),
        ({"params": "code=secret"}, "params", "第1行的内容“secret”不可用"),
        ({"params": "code=code\ncode=minutes"}, "params", "第2行的变量名“code”重复"),
        ({"params": "minutes=minutes"}, "params", "验证码模板须有一个变量填入 code"),
        ({"params": "验证码=code"}, "params", "阿里云的变量名以字母开头"),
        ({"provider": Provider.TENCENT, "params": "1=code\n3=minutes"}, "params", "腾讯云的变量须从1起连续编号"),
        ({"provider": Provider.TENCENT, "params": "code=code"}, "params", "腾讯云的变量按顺序编号"),
        ({"sign_name": ""}, "sign_name", "短信模板须填写已审核通过的签名"),
    ],
)
def test_the_admin_refuses_template_variables_the_sender_could_not_fill(data, field, message):
    form = template_form(**data)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_the_admin_accepts_a_tencent_template_numbered_in_order():
    form = template_form(provider=Provider.TENCENT, template_code="100001", params="1=code\n2=minutes")
    assert form.is_valid(), form.errors


def test_the_delivery_log_in_the_admin_masks_numbers_and_never_shows_a_code(
    aliyun, client, django_capture_on_commit_callbacks
):
    aliyun.throttle_next()  # the row keeps its code while it waits for the next attempt
    row = send_code(django_capture_on_commit_callbacks)
    assert row.params["code"] == "123456"
    admin = get_user_model().objects.create_superuser(username="admin", password="x")
    client.force_login(admin)
    listing = client.get("/admin/core/delivery/")
    detail = client.get(f"/admin/core/delivery/{row.pk}/change/")
    for page in (listing, detail):
        assert page.status_code == 200
        assert "139****0001" in page.text and MOBILE not in page.text and "123456" not in page.text
    assert client.get("/admin/core/delivery/add/").status_code == 403


def test_a_template_is_entered_in_the_admin_and_a_bad_line_is_shown_next_to_the_field(client):
    admin = get_user_model().objects.create_superuser(username="admin", password="x")
    client.force_login(admin)
    assert client.get("/admin/core/messagetemplate/add/").status_code == 200
    data = {"provider": Provider.TENCENT, "kind": Kind.CODE, "template_code": "100001", "sign_name": "某某区政协"}
    refused = client.post("/admin/core/messagetemplate/add/", {**data, "params": "1=code\n2=password"})
    assert refused.status_code == 200 and "第2行的内容“password”不可用" in refused.text
    assert not MessageTemplate.objects.exists()
    saved = client.post("/admin/core/messagetemplate/add/", {**data, "params": "1=code\n2=minutes", "is_active": "on"})
    assert saved.status_code == 302
    template = MessageTemplate.objects.get()
    assert (template.template_code, template.params, template.history.count()) == ("100001", "1=code\n2=minutes", 1)
