"""SMS through the providers Chinese governments use: Alibaba Cloud (阿里云) and Tencent Cloud (腾讯云).

Both send only approved templates (模板) under an approved sign name (签名): the admin's 消息模板
(``core.MessageTemplate``) names, per provider and kind of message, the template code, the sign
name and what fills each variable (title, body, url, code, minutes). A kind without an active
template fails at once ("未配置短信模板：…") without calling the gateway. Keys come from the
environment only (``SHANGLIANG_ALIYUN_SMS``, ``SHANGLIANG_TENCENT_SMS``); the endpoint's scheme,
host and port are used as given, which lets tests point the official SDKs at a local fake.

Each sender answers ``core.senders.Result``: sent (accepted; the provider's id is kept for the
receipt, 回执), retry (rate limited: the per-number minute limits lift within the backoff), or
failed (refused for good, with the provider's code). Network errors are left to
``core.dispatch``: a connection never opened is retried, anything later is 结果不明.

Variable lengths, as the providers document them:

- 阿里云: a notification template's variable takes 1–35 characters (a verification code 4–6
  digits), so titles and bodies are cut to 35 characters.
- 腾讯云: accounts verified as an organisation (企业认证, which a government body is) have no limit
  per variable, only 500 characters for the whole message with its sign name; titles and bodies
  are cut to ``TENCENT_VARIABLE_MAX`` so two of them and the fixed text stay within it. Tencent
  refuses links as variables: put the site's address in the template's fixed text and fill the
  rest of the link with the ``path`` field.
"""

import json
from urllib.parse import urlsplit

from alibabacloud_dysmsapi20170525.client import Client as AliyunClient
from alibabacloud_dysmsapi20170525.models import SendSmsRequest as AliyunSendSmsRequest
from alibabacloud_tea_openapi.exceptions import ClientException, ServerException, ThrottlingException
from alibabacloud_tea_openapi.utils_models import Config as AliyunConfig
from darabonba.runtime import RuntimeOptions
from django.conf import settings
from django.utils.translation import gettext as _
from tencentcloud.common.credential import Credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111.models import SendSmsRequest as TencentSendSmsRequest
from tencentcloud.sms.v20210111.sms_client import SmsClient as TencentClient

from shangliang.core.models import MessageKind, Provider
from shangliang.core.senders import Message, Result, SendStatus, template_for, template_values

# Seconds to open the connection, and to wait for the answer once the request went out.
CONNECT_TIMEOUT = 5
READ_TIMEOUT = 15

ALIYUN_VARIABLE_MAX = 35
TENCENT_VARIABLE_MAX = 200

# 阿里云 answers that lift by themselves within minutes: the per-number flow control (1 a minute,
# 5 an hour for codes: isv.BUSINESS_LIMIT_CONTROL) and API throttling (Throttling, Throttling.User …).
# isv.DAY_LIMIT_CONTROL / isv.MONTH_LIMIT_CONTROL are the account's own daily and monthly caps set in
# the console: a retry within minutes would not pass them, so they fail.
ALIYUN_RETRY_CODES = {"isv.BUSINESS_LIMIT_CONTROL", "ServiceUnavailable"}


def _aliyun_passing(code: str) -> bool:
    return code in ALIYUN_RETRY_CODES or code.startswith("Throttling")


def _tencent_passing(code: str) -> bool:
    # LimitExceeded.PhoneNumberThirtySecondLimit / OneHourLimit / DailyLimit …, RequestLimitExceeded(.…)
    return code.startswith("LimitExceeded") or code.startswith("RequestLimitExceeded")


def _no_template(message: Message) -> Result:
    label = MessageKind(message.kind).label if message.kind in MessageKind.values else message.kind
    return Result(SendStatus.FAILED, _("未配置短信模板：%(kind)s") % {"kind": label})


def _endpoint(url: str) -> tuple[str, str]:
    """(scheme, host[:port]) of an endpoint given as https://host[:port] (or a bare host)."""
    parts = urlsplit(url if "//" in url else f"https://{url}")
    return (parts.scheme or "https"), parts.netloc


class AliyunSender:
    """阿里云短信 SendSms (API 2017-05-25) through the official SDK (V3 signature, ACS3-HMAC-SHA256)."""

    provider = Provider.ALIYUN

    def __init__(self, channel: str):
        self.channel = channel

    def _client(self) -> AliyunClient:
        keys = settings.SHANGLIANG_ALIYUN_SMS
        scheme, host = _endpoint(keys["endpoint"])
        return AliyunClient(
            AliyunConfig(
                access_key_id=keys["access_key_id"],
                access_key_secret=keys["access_key_secret"],
                endpoint=host,
                protocol=scheme,
                connect_timeout=CONNECT_TIMEOUT * 1000,
                read_timeout=READ_TIMEOUT * 1000,
            )
        )

    def send(self, message: Message) -> Result:
        template = template_for(Provider.ALIYUN, message.kind)
        if template is None:
            return _no_template(message)
        values = dict(template_values(template, message, max_length=ALIYUN_VARIABLE_MAX))
        request = AliyunSendSmsRequest(
            phone_numbers=message.to,
            sign_name=template.sign_name,
            template_code=template.template_code,
            template_param=json.dumps(values, ensure_ascii=False, separators=(",", ":")),
            out_id=str(message.delivery_id or ""),
        )
        try:
            response = self._client().send_sms_with_options(request, RuntimeOptions(autoretry=False))
        except ThrottlingException as error:
            return Result(SendStatus.RETRY, f"{error.code}: {error.message}")
        except (ClientException, ServerException) as error:
            # A 5xx other than "unavailable" may have been sent: left to core.dispatch (结果不明).
            if isinstance(error, ServerException) and not _aliyun_passing(error.code or ""):
                raise
            status = SendStatus.RETRY if _aliyun_passing(error.code or "") else SendStatus.FAILED
            return Result(status, f"{error.code}: {error.message}")
        body = response.body
        if body.code == "OK":
            return Result(SendStatus.SENT, "OK", provider_id=body.biz_id or "")
        status = SendStatus.RETRY if _aliyun_passing(body.code or "") else SendStatus.FAILED
        return Result(status, f"{body.code}: {body.message}")


class TencentSender:
    """腾讯云短信 SendSms (API 2021-01-11) through the official SDK (TC3-HMAC-SHA256)."""

    provider = Provider.TENCENT

    def __init__(self, channel: str):
        self.channel = channel

    def _client(self) -> TencentClient:
        keys = settings.SHANGLIANG_TENCENT_SMS
        scheme, host = _endpoint(keys["endpoint"])
        http = HttpProfile(protocol=scheme, endpoint=host, reqTimeout=READ_TIMEOUT)
        return TencentClient(
            Credential(keys["secret_id"], keys["secret_key"]), keys["region"], ClientProfile(httpProfile=http)
        )

    def send(self, message: Message) -> Result:
        template = template_for(Provider.TENCENT, message.kind)
        if template is None:
            return _no_template(message)
        values = template_values(template, message, max_length=TENCENT_VARIABLE_MAX)
        # Tencent's variables are numbered {1}, {2} …: the values go in that order.
        ordered = [value for _name, value in sorted(values, key=lambda pair: int(pair[0]) if pair[0].isdigit() else 0)]
        request = TencentSendSmsRequest()
        request.SmsSdkAppId = settings.SHANGLIANG_TENCENT_SMS["app_id"]
        request.SignName = template.sign_name
        request.TemplateId = template.template_code
        request.TemplateParamSet = ordered
        request.PhoneNumberSet = [f"+86{message.to}"]
        request.SessionContext = str(message.delivery_id or "")
        try:
            response = self._client().SendSms(request)
        except TencentCloudSDKException as error:
            code = error.get_code() or ""
            if code in ("ClientNetworkError", "ServerNetworkError") or code.startswith("InternalError"):
                raise  # core.dispatch decides: never connected → retry, otherwise 结果不明
            status = SendStatus.RETRY if _tencent_passing(code) else SendStatus.FAILED
            return Result(status, f"{code}: {error.get_message()}")
        if not response.SendStatusSet:
            return Result(SendStatus.FAILED, _("腾讯云未返回发送结果"))
        sent = response.SendStatusSet[0]
        if sent.Code == "Ok":
            return Result(SendStatus.SENT, sent.Message or "Ok", provider_id=sent.SerialNo or "")
        status = SendStatus.RETRY if _tencent_passing(sent.Code or "") else SendStatus.FAILED
        return Result(status, f"{sent.Code}: {sent.Message}")
