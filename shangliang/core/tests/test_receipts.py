"""Delivery receipts (回执) pushed by the providers to /hooks/sms/<provider>/<token>/."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from shangliang.core.dispatch import deliveries_run
from shangliang.core.models import Delivery, DeliveryStatus
from shangliang.core.notify import Kind, notify
from shangliang.core.tests.fakes.sms_servers import (
    KILLED_AFTER_SENDING,
    FakeAliyunSms,
    FakeTencentSms,
    Killed,
    use_aliyun,
    use_tencent,
)

pytestmark = pytest.mark.django_db

TOKEN = "r3ceipt-t0ken-for-tests"
MOBILE = "13900000001"


@pytest.fixture(autouse=True)
def receipt_token(settings):
    settings.SHANGLIANG_SMS_RECEIPT_TOKEN = TOKEN


@pytest.fixture
def aliyun(settings):
    with FakeAliyunSms(templates={"SMS_1": ["code"]}) as fake:
        use_aliyun(settings, fake, {Kind.CODE: ("SMS_1", "code=code")})
        yield fake


@pytest.fixture
def tencent(settings):
    with FakeTencentSms(templates={"1001": 1}) as fake:
        use_tencent(settings, fake, {Kind.CODE: ("1001", "1=code")})
        yield fake


def send_code(capture, reason="code:1", mobile=MOBILE) -> Delivery:
    with capture(execute=True):
        notify(kind=Kind.CODE, reason=reason, recipients=[mobile], title="验证码", params={"code": "112233"})
    return Delivery.objects.get(reason=reason)


def push(client, provider, body, token=TOKEN):
    data = body if isinstance(body, bytes | str) else json.dumps(body, ensure_ascii=False)
    return client.post(f"/hooks/sms/{provider}/{token}/", data=data, content_type="application/json")


def test_an_aliyun_receipt_marks_the_text_delivered(aliyun, client, django_capture_on_commit_callbacks):
    row = send_code(django_capture_on_commit_callbacks)
    response = push(client, "aliyun", aliyun.receipt(row.provider_id))
    assert response.status_code == 200 and response.json() == {"code": 0, "msg": "成功"}
    row.refresh_from_db()
    assert row.status == DeliveryStatus.DELIVERED and row.receipt_at is not None
    assert row.detail == "DELIVERED 用户接收成功"


def test_an_aliyun_receipt_of_a_failure_marks_the_text_failed_with_the_carriers_code(
    aliyun, client, django_capture_on_commit_callbacks
):
    row = send_code(django_capture_on_commit_callbacks)
    push(client, "aliyun", aliyun.receipt(row.provider_id, success=False))
    row.refresh_from_db()
    assert (row.status, row.detail) == (DeliveryStatus.FAILED, "MK:0001 空号")
    # A receipt pushed again changes nothing.
    push(client, "aliyun", aliyun.receipt(row.provider_id, success=True))
    row.refresh_from_db()
    assert row.status == DeliveryStatus.FAILED


def test_tencent_receipts_mark_texts_delivered_or_failed(tencent, client, django_capture_on_commit_callbacks):
    reached = send_code(django_capture_on_commit_callbacks, "code:1", "13900000001")
    missed = send_code(django_capture_on_commit_callbacks, "code:2", "13900000002")
    body = tencent.receipt(reached.provider_id) + tencent.receipt(missed.provider_id, success=False)
    response = push(client, "tencent", body)
    assert response.status_code == 200 and response.json() == {"result": 0, "errmsg": "OK"}
    reached.refresh_from_db()
    missed.refresh_from_db()
    assert (reached.status, reached.detail) == (DeliveryStatus.DELIVERED, "DELIVRD 用户短信送达成功")
    assert (missed.status, missed.detail) == (DeliveryStatus.FAILED, "MK:0001 空号")


def test_receipts_of_texts_this_site_did_not_send_are_ignored(aliyun, client, django_capture_on_commit_callbacks):
    row = send_code(django_capture_on_commit_callbacks)
    stranger = {**aliyun.receipt(row.provider_id)[0], "biz_id": "999999^0", "out_id": "999999"}
    assert push(client, "aliyun", [stranger]).status_code == 200
    # Another provider's receipt naming the same id is not ours either.
    assert push(client, "tencent", [{"sid": row.provider_id, "report_status": "FAIL"}]).status_code == 200
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and row.receipt_at is None


def test_a_receipt_resolves_a_text_left_unknown_by_a_cut_off_send(
    aliyun, client, settings, django_capture_on_commit_callbacks
):
    settings.SHANGLIANG_SENDERS = {**settings.SHANGLIANG_SENDERS, "sms": KILLED_AFTER_SENDING}
    with pytest.raises(Killed), django_capture_on_commit_callbacks(execute=True):
        notify(kind=Kind.CODE, reason="code:1", recipients=[MOBILE], title="验证码", params={"code": "112233"})
    # The periodic run marks it 结果不明 once it has been stuck long enough.
    deliveries_run(now=timezone.now() + timedelta(minutes=settings.SHANGLIANG_DELIVERY_STALE_MINUTES + 1))
    row = Delivery.objects.get(reason="code:1")
    assert row.status == DeliveryStatus.UNKNOWN
    assert row.provider_id == ""
    # 阿里云 echoes our id (out_id) in the receipt.
    push(client, "aliyun", aliyun.receipt(aliyun.received[0]["provider_id"]))
    row.refresh_from_db()
    assert row.status == DeliveryStatus.DELIVERED and row.provider_id == aliyun.received[0]["provider_id"]


@pytest.mark.parametrize("provider", ["aliyun", "tencent"])
def test_a_wrong_or_unset_token_is_not_found(provider, client, settings):
    assert push(client, provider, [], token="wrong-token").status_code == 404
    settings.SHANGLIANG_SMS_RECEIPT_TOKEN = ""
    assert push(client, provider, [], token="x").status_code == 404
    assert client.get(f"/hooks/sms/{provider}/x/").status_code == 404


@pytest.mark.parametrize(
    "body",
    [b"not json", b"\xff\xfe", "5", '"text"', "[1, 2]", '{"a": [' * 3],
)
def test_a_body_that_is_not_a_list_of_receipts_is_refused_without_an_error(body, client):
    assert push(client, "aliyun", body).status_code == 400


def test_only_posts_are_taken(client):
    assert client.get(f"/hooks/sms/aliyun/{TOKEN}/").status_code == 405


def test_receipts_beyond_the_rate_are_refused(client, settings):
    settings.SHANGLIANG_RATE_LIMITS = {**settings.SHANGLIANG_RATE_LIMITS, "receipt": "2/m"}
    codes = [push(client, "tencent", []).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
