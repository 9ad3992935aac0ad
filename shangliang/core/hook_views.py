"""Delivery receipts (回执) pushed by the SMS providers: /hooks/sms/<provider>/<token>/.

Each provider is given the address with the secret ``SHANGLIANG_SMS_RECEIPT_TOKEN`` in it (the
providers sign nothing a site could check, so the address is the secret); without a token the
addresses do not exist. The bodies are the providers' documented JSON arrays:

- 阿里云 (短信发送状态报告 SmsReport): ``[{"biz_id", "out_id", "success", "err_code", "err_msg",
  "report_time", "phone_number", …}]``, answered ``{"code": 0, "msg": "成功"}``;
- 腾讯云 (短信下发状态回调): ``[{"sid", "report_status": "SUCCESS"|"FAIL", "errmsg", "description",
  "user_receive_time", "mobile", …}]``, answered ``{"result": 0, "errmsg": "OK"}``.

Receipts of messages this site did not send are ignored; a body that is not such JSON is answered
400, never a server error.
"""

import json
import logging
from datetime import datetime

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt

from shangliang.core.dispatch import Receipt, receipts_record
from shangliang.core.models import Provider
from shangliang.core.ratelimits import hit

logger = logging.getLogger(__name__)

# A push carries at most this many receipts (阿里云 batches up to 100 per push).
MAX_ITEMS = 1000


def _check_token(token: str) -> None:
    expected = settings.SHANGLIANG_SMS_RECEIPT_TOKEN
    if not expected or not constant_time_compare(token, expected):
        raise Http404


def _local_time(text) -> datetime | None:
    """The providers' "2024-05-01 08:03:04", in China time."""
    try:
        moment = datetime.strptime(str(text or ""), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return timezone.make_aware(moment, timezone.get_default_timezone())


def _out_id(value) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) <= 18 else None


def _aliyun(item: dict) -> Receipt:
    success = item.get("success")
    return Receipt(
        provider_id=str(item.get("biz_id") or "")[:64],
        delivered=success is True or str(success).lower() == "true",
        code=str(item.get("err_code") or "")[:40],
        message=str(item.get("err_msg") or "")[:120],
        received_at=_local_time(item.get("report_time")),
        delivery_id=_out_id(item.get("out_id")),
    )


def _tencent(item: dict) -> Receipt:
    return Receipt(
        provider_id=str(item.get("sid") or "")[:64],
        delivered=str(item.get("report_status") or "").upper() == "SUCCESS",
        code=str(item.get("errmsg") or "")[:40],
        message=str(item.get("description") or "")[:120],
        received_at=_local_time(item.get("user_receive_time")),
    )


PARSERS = {Provider.ALIYUN: _aliyun, Provider.TENCENT: _tencent}
ANSWERS = {Provider.ALIYUN: {"code": 0, "msg": "成功"}, Provider.TENCENT: {"result": 0, "errmsg": "OK"}}


def _receipts(request, provider: str, token: str):
    _check_token(token)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if hit(request, "receipt"):
        return JsonResponse({"error": "too many requests"}, status=429)
    try:
        items = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return HttpResponseBadRequest("invalid JSON")
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list) or len(items) > MAX_ITEMS or not all(isinstance(i, dict) for i in items):
        return HttpResponseBadRequest("expected a JSON array of receipts")
    changed = receipts_record(provider, [PARSERS[provider](item) for item in items])
    logger.info("%s receipts: %s received, %s applied", provider, len(items), changed)
    return JsonResponse(ANSWERS[provider], json_dumps_params={"ensure_ascii": False})


@csrf_exempt
def aliyun_receipts(request, token: str):
    return _receipts(request, Provider.ALIYUN, token)


@csrf_exempt
def tencent_receipts(request, token: str):
    return _receipts(request, Provider.TENCENT, token)
