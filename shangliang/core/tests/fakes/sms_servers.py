"""Local fakes of the Alibaba Cloud and Tencent Cloud SMS APIs, for tests and browser tests.

Each fake is an HTTP server on 127.0.0.1 (a free port) in a thread. It checks every request the
way the provider documents it, and refuses what the provider would refuse:

- ``FakeAliyunSms``: 阿里云 SendSms (RPC, version 2017-05-25) signed with the V3 signature
  ``ACS3-HMAC-SHA256`` — the canonical request (method, path, RFC 3986 canonical query, canonical
  headers, signed headers, hashed payload), ``x-acs-content-sha256`` equal to the body's hash,
  every ``x-acs-*`` header, ``host`` and ``content-type`` signed, ``x-acs-date`` within 15 minutes,
  a signature nonce never seen before.
- ``FakeTencentSms``: 腾讯云 SendSms (version 2021-01-11) signed with ``TC3-HMAC-SHA256`` — the
  derived key (``"TC3" + SecretKey`` → date → service ``sms`` → ``tc3_request``), the credential
  scope's date equal to the timestamp's UTC date, ``content-type`` and ``host`` signed, the
  timestamp within 5 minutes.

Both check the sign name (签名) and template (模板) are registered, the template parameters (阿里云:
the JSON keys equal the template's variables, each value at most 35 characters; 腾讯云: as many
values as the template has variables), and the phone numbers; they answer in the providers' JSON,
including "rate limited" and "failed" answers on demand, and keep what they accepted::

    with FakeAliyunSms(sign="某某区政协", templates={"SMS_1": ["code", "minutes"]}) as fake:
        use_aliyun(settings, fake, {Kind.CODE: ("SMS_1", "code=code\\nminutes=minutes")})
        ...
        fake.last_code_for("13900000001")

``fake.throttle_next()`` makes the next request rate limited, ``fake.throttle_number(mobile)`` every
text to that number, ``fake.fail_number(mobile, ...)`` fails every text to that number for good;
``fake.receipt(provider_id)`` builds the receipt (回执) body the provider would push to
``/hooks/sms/<provider>/<token>/``. ``fake.clock`` is the fake's time (to test freshness) and
``fake.last_request`` the last request as it came (to replay it).
"""

import hashlib
import hmac
import itertools
import json
import re
import threading
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, unquote_plus, urlsplit

from shangliang.core.models import MessageTemplate, Provider
from shangliang.core.sms import AliyunSender

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


class _FakeServer:
    """A ThreadingHTTPServer on 127.0.0.1 (a free port) in a thread; subclasses answer ``handle(...)``."""

    def __init__(self):
        self.lock = threading.Lock()
        self.received: list[dict] = []  # accepted texts: phone, template, params, sign, provider_id …
        self.refused: list[dict] = []  # requests refused: code, message
        self._throttle = 0
        self._failing: dict[str, tuple[str, str]] = {}
        self._throttled_numbers: set[str] = set()
        self._ids = itertools.count(1)
        # The fake's clock; a test moves it to check the freshness of signed times.
        self.clock = lambda: datetime.now(UTC)
        # The last request as it came (method, path with query, headers, body), to replay it.
        self.last_request: tuple[str, str, list[tuple[str, str]], bytes] | None = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- switches -------------------------------------------------------------------------------

    def throttle_next(self, count: int = 1) -> None:
        """Answer the next ``count`` send requests "rate limited"."""
        with self.lock:
            self._throttle += count

    def throttle_number(self, mobile: str) -> None:
        """Answer every text to ``mobile`` "rate limited" until ``release_number``."""
        with self.lock:
            self._throttled_numbers.add(mobile)

    def fail_number(self, mobile: str, code: str = "", message: str = "") -> None:
        """Refuse every text to ``mobile`` for good with ``code`` (the provider's own by default)."""
        with self.lock:
            self._failing[mobile] = (code or self.FAIL_CODE, message or self.FAIL_MESSAGE)

    def release_number(self, mobile: str) -> None:
        with self.lock:
            self._failing.pop(mobile, None)
            self._throttled_numbers.discard(mobile)

    def _take_throttle(self) -> bool:
        with self.lock:
            if self._throttle:
                self._throttle -= 1
                return True
            return False

    # --- what was received ----------------------------------------------------------------------

    def sent_to(self, mobile: str) -> list[dict]:
        return [item for item in self.received if item["phone"] == mobile]

    def last_code_for(self, mobile: str) -> str:
        """The verification code in the last text accepted for ``mobile`` ("" if none)."""
        for item in reversed(self.sent_to(mobile)):
            code = self.code_in(item)
            if code:
                return code
        return ""

    @staticmethod
    def code_in(item: dict) -> str:
        for value in item["params"].values() if isinstance(item["params"], dict) else item["params"]:
            if re.fullmatch(r"\d{4,8}", str(value)):
                return str(value)
        return ""

    # --- server ---------------------------------------------------------------------------------

    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes; without this each answer waits for the
            # client's delayed ACK (about 40 ms), which a real gateway's single write does not.
            disable_nagle_algorithm = True

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                fake.last_request = (self.command, self.path, list(self.headers.items()), body)
                status, answer = fake.handle(self.command, parts.path or "/", parts.query, self.headers, body)
                data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name=type(self).__name__, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def handle(self, method, path, query, headers, body) -> tuple[int, dict]:
        raise NotImplementedError


# --- 阿里云 --------------------------------------------------------------------------------------


def rfc3986(text: str) -> str:
    """Percent-encoding of RFC 3986: letters, digits and -_.~ kept, everything else %XX (UTF-8)."""
    return quote(text, safe="-_.~")


class FakeAliyunSms(_FakeServer):
    ALGORITHM = "ACS3-HMAC-SHA256"
    DATE_SKEW = timedelta(minutes=15)
    FAIL_CODE, FAIL_MESSAGE = "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号"
    VARIABLE_MAX = 35

    def __init__(
        self,
        *,
        access_key_id: str = "fake-access-key-id",
        secret: str = "fake-access-key-secret",
        sign: str = "商量协商平台",
        templates: dict[str, list[str]] | None = None,
    ):
        super().__init__()
        self.access_key_id, self.secret, self.sign = access_key_id, secret, sign
        self.templates = templates if templates is not None else {"SMS_100001": ["code", "minutes"]}
        self._nonces: set[str] = set()

    def handle(self, method, path, query, headers, body):
        request_id = str(uuid.uuid4()).upper()
        try:
            self._verify(method, path, query, headers, body)
            params = self._params(query, headers, body)
            return 200, {**self._send(params), "RequestId": request_id}
        except _Refused as refusal:
            with self.lock:
                self.refused.append({"code": refusal.code, "message": refusal.message})
            answer = {"RequestId": request_id, "Code": refusal.code, "Message": refusal.message}
            if refusal.status != 200:
                answer["HostId"] = "dysmsapi.aliyuncs.com"
            return refusal.status, answer

    # V3 signature, as documented ("V3版本请求体&签名机制").
    def _verify(self, method, path, query, headers, body) -> None:
        authorization = headers.get("Authorization", "")
        algorithm, _, fields = authorization.partition(" ")
        if algorithm != self.ALGORITHM:
            raise _Refused(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.")
        parts = dict(item.strip().split("=", 1) for item in fields.split(",") if "=" in item)
        if parts.get("Credential") != self.access_key_id:
            raise _Refused(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        for name in ("x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"):
            if not headers.get(name):
                raise _Refused(400, "MissingParameter", f"The request must contain the header {name}.")
        if headers["x-acs-action"] != "SendSms" or headers["x-acs-version"] != "2017-05-25":
            raise _Refused(404, "InvalidAction.NotFound", "Specified api is not found.")
        try:
            sent_at = datetime.strptime(headers["x-acs-date"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        except ValueError:
            raise _Refused(400, "InvalidTimeStamp.Format", "Specified date value is not well formatted.") from None
        if abs(self.clock() - sent_at) > self.DATE_SKEW:
            raise _Refused(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
        if headers["x-acs-content-sha256"] != _sha256_hex(body):
            raise _Refused(400, "ContentSHA256NotMatch", "The x-acs-content-sha256 header does not match the body.")
        signed = parts.get("SignedHeaders", "").split(";")
        present = {name.lower() for name in headers}
        required = {name for name in present if name.startswith("x-acs-")} | {"host"} | ({"content-type"} & present)
        if signed != sorted(signed) or not required <= set(signed) or not set(signed) <= present:
            raise _Refused(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.")
        canonical_headers = "".join(f"{name}:{self._header(headers, name).strip()}\n" for name in signed)
        canonical_request = "\n".join(
            (method, path or "/", self._canonical_query(query), canonical_headers, ";".join(signed), _sha256_hex(body))
        )
        string_to_sign = f"{self.ALGORITHM}\n{_sha256_hex(canonical_request.encode('utf-8'))}"
        expected = hmac.new(self.secret.encode(), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, parts.get("Signature", "")):
            raise _Refused(400, "SignatureDoesNotMatch", "Specified signature does not match our calculation.")
        with self.lock:
            if headers["x-acs-signature-nonce"] in self._nonces:
                raise _Refused(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
            self._nonces.add(headers["x-acs-signature-nonce"])

    @staticmethod
    def _header(headers, name: str) -> str:
        values = headers.get_all(name) or [""]
        return ",".join(value.strip() for value in values)

    @staticmethod
    def _canonical_query(query: str) -> str:
        """Each parameter decoded as a server decodes a query ("+" is a space), encoded again by RFC 3986,
        sorted by name, joined by "&"."""
        pairs = []
        for item in query.split("&") if query else []:
            key, _, value = item.partition("=")
            pairs.append((rfc3986(unquote_plus(key)), rfc3986(unquote_plus(value))))
        return "&".join(f"{key}={value}" for key, value in sorted(pairs))

    @staticmethod
    def _params(query: str, headers, body: bytes) -> dict:
        """RPC parameters: in the query, or in a form body."""
        params = dict(parse_qsl(query, keep_blank_values=True))
        if "x-www-form-urlencoded" in headers.get("content-type", ""):
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        return params

    def _send(self, params: dict) -> dict:
        phones = [phone for phone in params.get("PhoneNumbers", "").split(",") if phone]
        if params.get("SignName") != self.sign:
            raise _Refused(200, "isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名")
        variables = self.templates.get(params.get("TemplateCode", ""))
        if variables is None:
            raise _Refused(200, "isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板")
        try:
            values = json.loads(params.get("TemplateParam") or "{}")
        except ValueError:
            raise _Refused(200, "isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值") from None
        if not isinstance(values, dict) or sorted(values) != sorted(variables):
            raise _Refused(200, "isv.TEMPLATE_MISSING_PARAMETERS", "模板变量缺少对应参数值")
        if not all(isinstance(value, str) and 0 < len(value) <= self.VARIABLE_MAX for value in values.values()):
            raise _Refused(200, "isv.PARAM_LENGTH_LIMIT", "参数超出长度限制")
        if not phones or not all(MOBILE_RE.match(phone.removeprefix("86")) for phone in phones):
            raise _Refused(200, "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
        if self._take_throttle() or any(phone in self._throttled_numbers for phone in phones):
            raise _Refused(200, "isv.BUSINESS_LIMIT_CONTROL", "触发分钟级流控Permits:1")
        for phone in phones:
            if phone in self._failing:
                raise _Refused(200, *self._failing[phone])
        biz_id = f"{next(self._ids):06d}{uuid.uuid4().int % 10**12:012d}^0"
        with self.lock:
            for phone in phones:
                self.received.append(
                    {
                        "phone": phone,
                        "sign": params["SignName"],
                        "template": params["TemplateCode"],
                        "params": values,
                        "out_id": params.get("OutId", ""),
                        "provider_id": biz_id,
                    }
                )
        return {"Code": "OK", "Message": "OK", "BizId": biz_id}

    def receipt(self, biz_id: str, *, success: bool = True, err_code: str = "", err_msg: str = "") -> list[dict]:
        """The body 阿里云 pushes for ``biz_id`` (短信发送状态报告 SmsReport, HTTP batch push)."""
        item = next(item for item in self.received if item["provider_id"] == biz_id)
        now = datetime.now(UTC) + timedelta(hours=8)
        return [
            {
                "phone_number": item["phone"],
                "send_time": (now - timedelta(seconds=3)).strftime("%Y-%m-%d %H:%M:%S"),
                "report_time": now.strftime("%Y-%m-%d %H:%M:%S"),
                "success": success,
                "err_code": err_code or ("DELIVERED" if success else "MK:0001"),
                "err_msg": err_msg or ("用户接收成功" if success else "空号"),
                "sms_size": "1",
                "biz_id": biz_id,
                "out_id": item["out_id"],
            }
        ]


# --- 腾讯云 --------------------------------------------------------------------------------------


class FakeTencentSms(_FakeServer):
    ALGORITHM = "TC3-HMAC-SHA256"
    SERVICE = "sms"
    TIMESTAMP_SKEW = timedelta(minutes=5)
    FAIL_CODE, FAIL_MESSAGE = "InvalidParameterValue.IncorrectPhoneNumber", "手机号格式错误"

    def __init__(
        self,
        *,
        secret_id: str = "fake-secret-id",
        secret_key: str = "fake-secret-key",
        app_id: str = "1400000001",
        sign: str = "商量协商平台",
        templates: dict[str, int] | None = None,
    ):
        super().__init__()
        self.secret_id, self.secret_key, self.app_id, self.sign = secret_id, secret_key, app_id, sign
        self.templates = templates if templates is not None else {"100001": 2}

    def handle(self, method, path, query, headers, body):
        request_id = str(uuid.uuid4())
        try:
            self._verify(method, path, query, headers, body)
            try:
                params = json.loads(body or b"{}")
            except ValueError:
                raise _Refused(200, "InvalidParameter", "请求体不是合法的JSON。") from None
            return 200, {"Response": {**self._send(params), "RequestId": request_id}}
        except _Refused as refusal:
            with self.lock:
                self.refused.append({"code": refusal.code, "message": refusal.message})
            error = {"Code": refusal.code, "Message": refusal.message}
            return 200, {"Response": {"Error": error, "RequestId": request_id}}

    # Signature v3, as documented ("签名方法 v3").
    def _verify(self, method, path, query, headers, body) -> None:
        authorization = headers.get("Authorization", "")
        algorithm, _, fields = authorization.partition(" ")
        if algorithm != self.ALGORITHM:
            raise _Refused(200, "AuthFailure.InvalidAuthorization", "Authorization 不符合腾讯云标准。")
        parts = dict(item.strip().split("=", 1) for item in fields.split(",") if "=" in item)
        credential = parts.get("Credential", "").split("/")
        if len(credential) != 4 or credential[3] != "tc3_request":
            raise _Refused(200, "AuthFailure.InvalidAuthorization", "Credential 不符合腾讯云标准。")
        secret_id, date, service, _scope_end = credential
        if secret_id != self.secret_id:
            raise _Refused(200, "AuthFailure.SecretIdNotFound", "密钥不存在。")
        if headers.get("X-TC-Action") != "SendSms" or headers.get("X-TC-Version") != "2021-01-11":
            raise _Refused(200, "InvalidAction", "接口不存在。")
        try:
            timestamp = int(headers.get("X-TC-Timestamp", ""))
        except ValueError:
            raise _Refused(200, "AuthFailure.InvalidAuthorization", "X-TC-Timestamp 不正确。") from None
        signed_at = datetime.fromtimestamp(timestamp, UTC)
        if abs(self.clock() - signed_at) > self.TIMESTAMP_SKEW:
            raise _Refused(200, "AuthFailure.SignatureExpire", "签名过期。")
        if date != signed_at.strftime("%Y-%m-%d") or service != self.SERVICE:
            raise _Refused(200, "AuthFailure.SignatureFailure", "凭证范围与时间戳或服务不符。")
        signed = parts.get("SignedHeaders", "").split(";")
        present = {name.lower() for name in headers}
        if signed != sorted(signed) or not {"content-type", "host"} <= set(signed) or not set(signed) <= present:
            raise _Refused(200, "AuthFailure.SignatureFailure", "SignedHeaders 至少包含 content-type 与 host。")
        canonical_headers = "".join(f"{name}:{headers.get(name, '').strip().lower()}\n" for name in signed)
        canonical_query = query if method == "GET" else ""
        payload = b"" if method == "GET" else body
        canonical_request = "\n".join(
            (method, path or "/", canonical_query, canonical_headers, ";".join(signed), _sha256_hex(payload))
        )
        scope = f"{date}/{service}/tc3_request"
        string_to_sign = f"{self.ALGORITHM}\n{timestamp}\n{scope}\n{_sha256_hex(canonical_request.encode('utf-8'))}"
        key = _hmac(_hmac(_hmac(f"TC3{self.secret_key}".encode(), date), service), "tc3_request")
        expected = hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, parts.get("Signature", "")):
            raise _Refused(200, "AuthFailure.SignatureFailure", "请求签名验证失败，请检查您的签名计算是否正确。")

    def _send(self, params: dict) -> dict:
        if self._take_throttle():
            raise _Refused(200, "RequestLimitExceeded", "请求的次数超过了频率限制。")
        if params.get("SmsSdkAppId") != self.app_id:
            raise _Refused(200, "FailedOperation.SdkAppIdNotExist", "SdkAppId 不存在。")
        if params.get("SignName") != self.sign:
            raise _Refused(200, "FailedOperation.SignatureIncorrectOrUnapproved", "签名未审批或格式错误。")
        count = self.templates.get(str(params.get("TemplateId", "")))
        if count is None:
            raise _Refused(200, "FailedOperation.TemplateIncorrectOrUnapproved", "模板未审批或不存在。")
        values = params.get("TemplateParamSet") or []
        if not isinstance(values, list) or len(values) != count or not all(isinstance(v, str) for v in values):
            raise _Refused(
                200, "FailedOperation.TemplateParamSetNotMatchApprovedTemplate", "请求内容与审核通过的模板内容不匹配。"
            )
        statuses = []
        for number in params.get("PhoneNumberSet") or []:
            statuses.append(self._one(str(number), params, values))
        return {"SendStatusSet": statuses}

    def _one(self, number: str, params: dict, values: list[str]) -> dict:
        mobile = number.removeprefix("+86")
        status = {"PhoneNumber": number, "SessionContext": params.get("SessionContext", ""), "IsoCode": "CN"}
        if not number.startswith("+86") or not MOBILE_RE.match(mobile):
            code = ("InvalidParameterValue.IncorrectPhoneNumber", "手机号格式错误。")
        elif mobile in self._throttled_numbers:
            code = ("LimitExceeded.PhoneNumberThirtySecondLimit", "单个手机号30秒内下发短信条数超过设定的上限。")
        elif mobile in self._failing:
            code = self._failing[mobile]
        else:
            serial = f"2640:{next(self._ids):04d}{uuid.uuid4().int % 10**20:020d}"
            with self.lock:
                self.received.append(
                    {
                        "phone": mobile,
                        "sign": params["SignName"],
                        "template": str(params["TemplateId"]),
                        "params": list(values),
                        "out_id": params.get("SessionContext", ""),
                        "provider_id": serial,
                    }
                )
            return {**status, "SerialNo": serial, "Fee": 1, "Code": "Ok", "Message": "send success"}
        return {**status, "SerialNo": "", "Fee": 0, "Code": code[0], "Message": code[1]}

    def receipt(self, serial: str, *, success: bool = True, errmsg: str = "", description: str = "") -> list[dict]:
        """The body 腾讯云 pushes for ``serial`` (短信下发状态回调)."""
        item = next(item for item in self.received if item["provider_id"] == serial)
        now = datetime.now(UTC) + timedelta(hours=8)
        return [
            {
                "user_receive_time": now.strftime("%Y-%m-%d %H:%M:%S"),
                "nationcode": "86",
                "mobile": item["phone"],
                "report_status": "SUCCESS" if success else "FAIL",
                "errmsg": errmsg or ("DELIVRD" if success else "MK:0001"),
                "description": description or ("用户短信送达成功" if success else "空号"),
                "sid": serial,
            }
        ]


# --- configuring the site for a fake ------------------------------------------------------------


def _templates(provider: str, fake, templates: dict) -> None:
    for kind, (code, params) in templates.items():
        MessageTemplate.objects.update_or_create(
            provider=provider,
            kind=kind,
            defaults={"template_code": code, "sign_name": fake.sign, "params": params, "is_active": True},
        )


def use_aliyun(settings, fake: FakeAliyunSms, templates: dict) -> None:
    """Send texts through ``fake``: the sender, its keys and endpoint, and a template per kind.

    ``templates`` maps a kind to (template code, params lines), e.g.
    ``{Kind.CODE: ("SMS_100001", "code=code\\nminutes=minutes")}``.
    """
    settings.SHANGLIANG_SENDERS = {**settings.SHANGLIANG_SENDERS, "sms": "shangliang.core.sms.AliyunSender"}
    settings.SHANGLIANG_ALIYUN_SMS = {
        "access_key_id": fake.access_key_id,
        "access_key_secret": fake.secret,
        "endpoint": fake.endpoint,
    }
    _templates(Provider.ALIYUN, fake, templates)


def use_tencent(settings, fake: FakeTencentSms, templates: dict) -> None:
    """As ``use_aliyun`` for 腾讯云; params lines number the variables (``1=code\\n2=minutes``)."""
    settings.SHANGLIANG_SENDERS = {**settings.SHANGLIANG_SENDERS, "sms": "shangliang.core.sms.TencentSender"}
    settings.SHANGLIANG_TENCENT_SMS = {
        "secret_id": fake.secret_id,
        "secret_key": fake.secret_key,
        "app_id": fake.app_id,
        "region": "ap-guangzhou",
        "endpoint": fake.endpoint,
    }
    _templates(Provider.TENCENT, fake, templates)


class Killed(BaseException):
    """The process dies (SIGKILL, out of memory) after the gateway accepted a text, before its status is written."""


class KilledAfterSending(AliyunSender):
    """Sends to the (fake) gateway, then dies before ``core.dispatch`` can record the answer."""

    def send(self, message):
        super().send(message)
        raise Killed


KILLED_AFTER_SENDING = f"{__name__}.KilledAfterSending"
