"""Logging in and out, registering with an SMS code, passwords, the verified number and message settings."""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shangliang.accounts import services
from shangliang.accounts.forms import (
    ChangePasswordForm,
    CodeRequestForm,
    LoginForm,
    MobileVerifyForm,
    PasswordResetByCodeForm,
    PreferencesForm,
    ResidentRegistrationForm,
)
from shangliang.accounts.models import CodePurpose
from shangliang.accounts.verification import code_send
from shangliang.accounts.wechat import wechat_context
from shangliang.core.errors import DomainError
from shangliang.core.forms import add_service_error
from shangliang.core.ratelimits import rate_limited

# The session is logged in with the backend that checks passwords; the SMS code stood in for it.
LOGIN_BACKEND = "shangliang.accounts.backends.UsernameOrMobileBackend"

# Codes anyone may ask for here; a code to verify an account's number needs the account logged in,
# and a sign-in code comes only from a valid door code in the sign-in window (consultations:door_code).
PUBLIC_CODE_PURPOSES = (CodePurpose.REGISTER, CodePurpose.SUBMIT, CodePurpose.PASSWORD)
# The name of the number's input on the page that asks (a submission form calls it submitter_mobile).
FIELD_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_initial(self):
        # After resetting a password, the number is already filled in.
        return {**super().get_initial(), "username": self.request.GET.get("mobile", "")[:20]}

    def form_valid(self, form):
        response = super().form_valid(form)
        # Later apps attach what was given with the account's mobile number (topics: 我反映的事项).
        services.after_login(form.get_user())
        if form.get_user().must_change_password:
            messages.warning(self.request, _("管理员重置了您的密码，请先设置新密码。"))
            return redirect("accounts:password_change")
        return response


class LogoutView(auth_views.LogoutView):
    pass


def _safe_next(request) -> str:
    """``next`` from the query or the form when it leads to a page of this site, else ""."""
    target = (request.POST.get("next") or request.GET.get("next") or "")[:500]
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


def _code_context(purpose: str, mobile_field: str = "mobile") -> dict:
    return {"code_purpose": purpose, "code_mobile_field": mobile_field}


# --- SMS codes ---------------------------------------------------------------------------------


@require_POST
def code_request(request):
    """Text a code to the number typed next to the "获取验证码" button.

    Answers an htmx fragment shown under the number: where the code went and how long it lives (the
    button then counts down to the next request, static/js/sms-code.js), or the refusal in red. The
    refusals of the limits (per address, device and number) come from ``code_send``; the fragment
    answers 200 so htmx shows them. Without htmx the same message is shown on a page of its own.
    """
    field_name = request.POST.get("mobile_field", "mobile")
    if not FIELD_NAME_RE.match(field_name):
        field_name = "mobile"
    purposes = PUBLIC_CODE_PURPOSES + ((CodePurpose.VERIFY,) if request.user.is_authenticated else ())
    form = CodeRequestForm(
        {"mobile": request.POST.get(field_name, ""), "purpose": request.POST.get("purpose", "")}, purposes=purposes
    )
    sent, error = None, ""
    if form.is_valid():
        try:
            sent = code_send(request, mobile=form.cleaned_data["mobile"], purpose=form.cleaned_data["purpose"])
        except DomainError as refusal:
            error = refusal.message
    else:
        error = next(iter(form.errors.values()))[0]
    context = {"sent": sent, "error": error, "minutes": settings.SHANGLIANG_CODE_MINUTES}
    if request.htmx:
        return render(request, "accounts/_code_sent.html", context)
    return render(request, "accounts/code_sent.html", context, status=400 if error else 200)


# --- registration and passwords ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@rate_limited("register")
def register(request):
    """A resident opens an account with a mobile number proved by an SMS code, and is logged in.

    A number whose account has it verified is told plainly to log in (the code proved the number).
    """
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = ResidentRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.resident_register_with_code(
                mobile=data["mobile"], code=data["code"], password=data["password1"], full_name=data["full_name"]
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            auth_login(request, user, backend=LOGIN_BACKEND)
            services.after_login(user)
            messages.success(request, _("注册成功，已登录。"))
            return redirect(_safe_next(request) or "portal:home")
    context = {"form": form, "next": _safe_next(request), **_code_context(CodePurpose.REGISTER)}
    return render(request, "accounts/register.html", context)


@require_http_methods(["GET", "POST"])
@rate_limited("register")
def password_reset(request):
    """Forgotten password: the account's number, its SMS code and a new password."""
    form = PasswordResetByCodeForm(request.POST or None, initial={"mobile": request.GET.get("mobile", "")[:20]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.password_reset_by_code(mobile=data["mobile"], code=data["code"], new_password=data["password1"])
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("密码已重置，请用新密码登录。"))
            return redirect(reverse("accounts:login") + "?" + urlencode({"mobile": data["mobile"]}))
    context = {"form": form, **_code_context(CodePurpose.PASSWORD)}
    return render(request, "accounts/password_reset.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def change_password(request):
    form = ChangePasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(actor=request.user, user=request.user, new_password=form.cleaned_data["new_password1"])
        request.user.refresh_from_db()
        update_session_auth_hash(request, request.user)
        messages.success(request, _("密码已修改。"))
        return redirect("portal:home")
    return render(request, "accounts/password_change.html", {"form": form})


# --- the account's number and message settings -------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def mobile_verify(request):
    """Verify (or change) the account's number with an SMS code; then back to ``next`` on this site.

    Other pages send residents here when an action needs a verified number (rating, signing up).
    """
    form = MobileVerifyForm(request.POST or None, initial={"mobile": request.user.mobile or ""})
    target = _safe_next(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.mobile_verify_with_code(
                user=request.user, mobile=form.cleaned_data["mobile"], code=form.cleaned_data["code"]
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("手机号已验证。"))
            return redirect(target or "accounts:preferences")
    context = {"form": form, "next": target, **_code_context(CodePurpose.VERIFY)}
    return render(request, "accounts/mobile_verify.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """The resident's settings: the verified number, and whether feedback comes by text or WeChat."""
    user = request.user
    form = PreferencesForm(
        request.POST or None, initial={"sms_feedback": user.sms_feedback, "wechat_feedback": user.wechat_feedback}
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_update(actor=user, user=user, **form.cleaned_data)
        messages.success(request, _("设置已保存。"))
        return redirect("accounts:preferences")
    context = {"form": form, **wechat_context(user)}
    return render(request, "accounts/preferences.html", context)
