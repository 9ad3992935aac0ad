"""The WeChat official account (公众号): template messages, web OAuth (网页授权) and account bindings.

Configured by ``settings.SHANGLIANG_WECHAT`` (app id and secret from the environment); without an
app id none of this is used: the WeChat routes answer 404 and messages go to the console sender.

- ``WeChatSender`` is the ``wechat`` channel's sender (``core.senders``): a message to an account
  goes as the template message set in the admin for its kind (``core.MessageTemplate``, provider
  wechat) to the openid of the account's active binding.
- The access token is kept in the cache that every process shares (Redis, or files under the data
  folder), so workers do not fetch new tokens in turn: each fetch voids the one before.
- ``openid_for_code`` turns an OAuth code (scope ``snsapi_base``, no profile asked for) into the
  visitor's openid; ``wechat_bind`` / ``wechat_unbind`` record bindings the holder confirmed.
"""

import requests
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.oauth import WeChatOAuth
from wechatpy.session import SessionStorage

from shangliang.accounts.models import WeChatBinding
from shangliang.core.errors import DomainError
from shangliang.core.models import MessageKind, MessageTemplate, Provider
from shangliang.core.records import save_record
from shangliang.core.senders import Message, Result, SendStatus, template_for, template_params, template_values

# Seconds before a call to WeChat gives up (wechatpy waits for ever by default).
TIMEOUT = 10
# Refresh the token this long before WeChat says it expires, so no send uses a dying token.
TOKEN_MARGIN_SECONDS = 300

# Errors WeChat answers for a template message (全局返回码).
TOKEN_ERRORS = {40001, 40014, 42001}  # token invalid (another fetch replaced it) or expired: fetch once more
RETRY_ERRORS = {-1, 45009, 45047}  # system busy, daily quota or frequency reached: nothing went, try later
# Everything else (43004 the person does not follow the account, 40003 openid unknown, 40037 template
# id wrong, 47003 data not as the template) is refused for good.

# The most characters each kind of template variable shows, by the prefix of its name (thing1,
# character_string2 …); since May 2023 a template message line shows at most 20 characters, and
# WeChat cuts longer values with an ellipsis, so every other variable is cut at 20 too.
VALUE_LIMITS = {
    "thing": 20,
    "character_string": 32,
    "number": 32,
    "letter": 32,
    "symbol": 5,
    "phrase": 5,
    "name": 10,
    "phone_number": 17,
    "car_number": 8,
}
DEFAULT_VALUE_LIMIT = 20


def is_configured() -> bool:
    """An official account is configured (its app id is set)."""
    return bool(settings.SHANGLIANG_WECHAT["app_id"])


def _app_id() -> str:
    return settings.SHANGLIANG_WECHAT["app_id"]


def _api_base() -> str:
    base = settings.SHANGLIANG_WECHAT["api_base"]
    return base if base.endswith("/") else base + "/"


def _oauth_base() -> str:
    base = settings.SHANGLIANG_WECHAT["oauth_base"]
    return base if base.endswith("/") else base + "/"


class _TimedSession(requests.Session):
    """A requests session that never waits longer than ``TIMEOUT`` (wechatpy passes none for some calls)."""

    def request(self, method, url, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = TIMEOUT
        return super().request(method, url, **kwargs)


class CacheStorage(SessionStorage):
    """wechatpy's token store on the cache that every web process and worker shares."""

    prefix = "wechat:"

    def __init__(self):
        # The rate-limit cache is the one shared across processes even without Redis (files).
        self.cache = caches["ratelimit"]

    def get(self, key, default=None):
        return self.cache.get(self.prefix + key, default)

    def set(self, key, value, ttl=None):
        if value is None:
            return
        timeout = max(int(ttl) - TOKEN_MARGIN_SECONDS, 60) if ttl else None
        self.cache.set(self.prefix + key, value, timeout)

    def delete(self, key):
        self.cache.delete(self.prefix + key)


class Client(WeChatClient):
    """wechatpy's client on the configured API address, without its endless token retries."""

    def __init__(self):
        config = settings.SHANGLIANG_WECHAT
        super().__init__(config["app_id"], config["app_secret"], session=CacheStorage(), auto_retry=False)
        self.API_BASE_URL = _api_base() + "cgi-bin/"
        self._http = _TimedSession()

    def fetch_access_token(self):
        return self._fetch_access_token(
            url=self.API_BASE_URL + "token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


class OAuth(WeChatOAuth):
    """wechatpy's web OAuth on the configured addresses."""

    def __init__(self, redirect_uri: str, state: str = ""):
        config = settings.SHANGLIANG_WECHAT
        super().__init__(config["app_id"], config["app_secret"], redirect_uri, scope="snsapi_base", state=state)
        self.API_BASE_URL = _api_base()
        self.OAUTH_BASE_URL = _oauth_base()
        self._http = _TimedSession()


def authorize_url(*, redirect_uri: str, state: str) -> str:
    """Where to send the visitor so that WeChat returns to ``redirect_uri`` with a code and ``state``."""
    return OAuth(redirect_uri, state).authorize_url


def openid_for_code(code: str) -> str:
    """The openid of the WeChat user who was given ``code``; raises ``WeChatClientException`` when it is void."""
    return OAuth("").fetch_access_token(code)["openid"]


# --- bindings ---------------------------------------------------------------------------------------


def active_binding(user) -> WeChatBinding | None:
    """The account's binding to the configured official account, if it has one."""
    if not getattr(user, "pk", None):
        return None
    return WeChatBinding.objects.filter(user_id=user.pk, app_id=_app_id(), unbound_at__isnull=True).first()


def account_for_openid(openid: str):
    """The active account bound to ``openid``, or None."""
    binding = (
        WeChatBinding.objects.select_related("user")
        .filter(app_id=_app_id(), openid=openid, unbound_at__isnull=True, user__is_active=True)
        .first()
    )
    return binding.user if binding else None


def wechat_context(user) -> dict:
    """What ``accounts/_wechat_binding.html`` needs: whether WeChat is configured and the account's binding."""
    configured = is_configured()
    return {
        "wechat_configured": configured,
        "wechat_binding": active_binding(user) if configured else None,
    }


@transaction.atomic
def wechat_bind(*, actor, user, openid: str) -> WeChatBinding:
    """Bind ``openid`` to ``user`` after its holder confirmed it; an earlier WeChat of the account is unbound.

    Records "wechat.bound" (and "wechat.unbound" for a replaced binding). Raises DomainError when the
    openid is bound to another account. Binding the account's own WeChat again changes nothing.
    """
    app_id = _app_id()
    if not app_id or not openid:
        raise DomainError(_("本站未开通微信公众号。"))
    taken = (
        WeChatBinding.objects.select_for_update().filter(app_id=app_id, openid=openid, unbound_at__isnull=True).first()
    )
    if taken is not None:
        if taken.user_id == user.pk:
            return taken
        raise DomainError(_("这个微信已绑定其他账号。请先登录那个账号解除绑定，再绑定本账号。"))
    for earlier in WeChatBinding.objects.select_for_update().filter(app_id=app_id, user=user, unbound_at__isnull=True):
        earlier.unbound_at = timezone.now()
        save_record(earlier, actor=actor, reason="wechat.unbound", update_fields=["unbound_at"])
    binding = WeChatBinding(user=user, app_id=app_id, openid=openid)
    try:
        with transaction.atomic():
            save_record(binding, actor=actor, reason="wechat.bound")
    except (IntegrityError, ValidationError):  # bound elsewhere at the same moment
        raise DomainError(_("这个微信已绑定其他账号。请先登录那个账号解除绑定，再绑定本账号。")) from None
    return binding


@transaction.atomic
def wechat_unbind(*, actor, user) -> bool:
    """Unbind the account's WeChat: ``unbound_at`` is stamped ("wechat.unbound") and the row stays.

    Returns False when the account had no WeChat bound.
    """
    binding = (
        WeChatBinding.objects.select_for_update()
        .filter(app_id=_app_id(), user_id=user.pk, unbound_at__isnull=True)
        .first()
    )
    if binding is None:
        return False
    binding.unbound_at = timezone.now()
    save_record(binding, actor=actor, reason="wechat.unbound", update_fields=["unbound_at"])
    return True


# --- template messages ------------------------------------------------------------------------------


def template_data(template: MessageTemplate, message: Message) -> dict:
    """The template's variables ("thing1=title" per line) filled from the message.

    A title or body longer than its variable shows (``VALUE_LIMITS``) is cut with an ellipsis; a link
    or code is never cut. Raises ValueError for a malformed ``params`` line.
    """
    sources = dict(template_params(template.params))
    data = {}
    for name, value in template_values(template, message):
        limit = next((n for prefix, n in VALUE_LIMITS.items() if name.startswith(prefix)), DEFAULT_VALUE_LIMIT)
        if sources[name] in ("title", "body") and len(value) > limit:
            value = value[: limit - 1] + "…"
        data[name] = {"value": value}
    return data


class WeChatSender:
    """Sends a message to an account as the template message of its kind, to its bound openid."""

    provider = Provider.WECHAT

    def __init__(self, channel: str):
        self.channel = channel

    def send(self, message: Message) -> Result:
        binding = (
            WeChatBinding.objects.filter(app_id=_app_id(), user_id=message.to, unbound_at__isnull=True).first()
            if str(message.to).isdigit()
            else None
        )
        if binding is None:
            return Result(SendStatus.FAILED, _("未绑定微信"))
        template = template_for(Provider.WECHAT, message.kind)
        if template is None:
            label = MessageKind(message.kind).label if message.kind in MessageKind.values else message.kind
            return Result(SendStatus.FAILED, _("未配置微信模板：%(kind)s") % {"kind": label})
        try:
            data = template_data(template, message)
        except ValueError as error:
            return Result(SendStatus.FAILED, _("微信模板变量有误：%(error)s") % {"error": error})
        url = message.url if message.url.startswith(("http://", "https://")) else None
        client = Client()

        def send():
            return client.message.send_template(binding.openid, template.template_code, data, url=url)

        try:
            try:
                answer = send()
            except WeChatClientException as error:
                if error.errcode not in TOKEN_ERRORS:
                    raise
                client.fetch_access_token()  # once: a second refusal is an answer
                answer = send()
        except WeChatClientException as error:
            if error.errcode is None:  # an HTTP error page: whether it went out is unknown
                raise
            detail = f"{error.errcode} {error.errmsg}"[:200]
            return Result(SendStatus.RETRY if error.errcode in RETRY_ERRORS else SendStatus.FAILED, detail)
        # WeChat accepted it; whether it reached the phone comes only as an event to the account's server.
        return Result(SendStatus.SENT, "ok", str(answer.get("msgid", "")))
