"""WeChat web OAuth (网页授权, snsapi_base): log in with a bound WeChat, or bind one after confirming.

The flow: ``start`` keeps a random state in the session and sends the browser to WeChat, which
returns to ``callback`` with a code and the state. The code gives the visitor's openid. A logged-in
account is asked to confirm the binding (``bind``, nothing is bound before that POST); a visitor
whose openid is bound is logged in to that account; any other visitor is told to log in with the
mobile number and password first. No account is ever created from WeChat. Every route answers 404
while no official account is configured.
"""

import secrets
from functools import wraps

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wechatpy.exceptions import WeChatClientException

from shangliang.accounts import wechat
from shangliang.accounts.services import after_login
from shangliang.core.errors import DomainError
from shangliang.core.links import absolute_url

# The state of an authorisation under way: {"state": ..., "next": ...}.
OAUTH_KEY = "wechat_oauth"
# An openid waiting for its account's confirmation: {"openid": ..., "user": pk, "next": ...}.
PENDING_KEY = "wechat_pending"
# The session is logged in with the backend that checks passwords; WeChat stands in for the password.
LOGIN_BACKEND = "shangliang.accounts.backends.UsernameOrMobileBackend"


def _configured(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not wechat.is_configured():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _same_site(request, target: str) -> str:
    target = (target or "")[:500]
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


def _settings_url() -> str:
    """The account's settings page, where the binding is shown."""
    return reverse("accounts:preferences")


def _refuse(request, message: str, *, status: int = 400):
    return render(request, "accounts/wechat_error.html", {"message": message}, status=status)


@_configured
@require_GET
def wechat_start(request):
    """Send the browser to WeChat's authorisation page; ``next`` (this site only) is where to end up."""
    state = secrets.token_urlsafe(24)
    request.session[OAUTH_KEY] = {"state": state, "next": _same_site(request, request.GET.get("next", ""))}
    redirect_uri = absolute_url(reverse("accounts:wechat_callback"), request)
    return redirect(wechat.authorize_url(redirect_uri=redirect_uri, state=state))


@_configured
@require_GET
def wechat_callback(request):
    """WeChat returns here with a code: bind (after confirmation), log in, or explain what to do."""
    started = request.session.pop(OAUTH_KEY, None) or {}
    state = request.GET.get("state", "")
    if not started.get("state") or not constant_time_compare(state, started["state"]):
        return _refuse(request, _("这个微信登录链接已失效或不是从本站打开的，请回到本站重新点击“微信一键登录”。"))
    code = request.GET.get("code", "")
    if not code or len(code) > 128:
        return _refuse(request, _("没有得到微信授权，请重新打开本站后再试。"))
    try:
        openid = wechat.openid_for_code(code)
    except WeChatClientException:
        return _refuse(request, _("微信授权已失效，请重新打开本站后再试。"))
    except requests.RequestException:
        return _refuse(request, _("暂时无法连接微信，请稍后再试，或用手机号和密码登录。"), status=503)
    target = started.get("next", "")
    if request.user.is_authenticated:
        request.session[PENDING_KEY] = {"openid": openid, "user": request.user.pk, "next": target}
        return redirect("accounts:wechat_bind")
    user = wechat.account_for_openid(openid)
    if user is None:
        start = reverse("accounts:wechat_start") + ("?" + urlencode({"next": target}) if target else "")
        login_url = reverse("accounts:login") + "?" + urlencode({"next": start})
        return render(request, "accounts/wechat_unbound.html", {"login_url": login_url})
    login(request, user, backend=LOGIN_BACKEND)
    after_login(user)
    if user.must_change_password:
        messages.warning(request, _("管理员重置了您的密码，请先设置新密码。"))
        return redirect("accounts:password_change")
    return redirect(target or resolve_url(settings.LOGIN_REDIRECT_URL))


@_configured
@login_required
@require_http_methods(["GET", "POST"])
def wechat_bind(request):
    """Confirm binding the WeChat that just authorised to the logged-in account (POST binds)."""
    pending = request.session.get(PENDING_KEY) or {}
    if not pending.get("openid") or pending.get("user") != request.user.pk:
        request.session.pop(PENDING_KEY, None)
        messages.info(request, _("没有待确认的微信绑定。请在微信中打开本站，再点击“绑定微信”。"))
        return redirect(_settings_url())
    back = pending.get("next") or _settings_url()
    owner = wechat.account_for_openid(pending["openid"])
    if request.method == "POST":
        request.session.pop(PENDING_KEY, None)
        try:
            wechat.wechat_bind(actor=request.user, user=request.user, openid=pending["openid"])
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(_settings_url())
        messages.success(request, _("微信已绑定。以后可在微信中一键登录，通知也会发到微信。"))
        return redirect(back)
    context = {
        "taken": owner is not None and owner.pk != request.user.pk,
        "already": owner is not None and owner.pk == request.user.pk,
        "back": back,
    }
    return render(request, "accounts/wechat_bind.html", context)


@_configured
@login_required
@require_POST
def wechat_unbind(request):
    """Unbind the account's WeChat; the binding's row is kept with the time it ended."""
    if wechat.wechat_unbind(actor=request.user, user=request.user):
        messages.success(request, _("已解除微信绑定。"))
    else:
        messages.info(request, _("本账号没有绑定微信。"))
    return redirect(_same_site(request, request.POST.get("next", "")) or _settings_url())
