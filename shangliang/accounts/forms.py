from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from shangliang.accounts import lockout
from shangliang.core.forms import CleanTextMixin
from shangliang.core.phones import normalize_mobile, validate_mobile

THROTTLED = _("登录失败次数过多，请15分钟后再试；忘记密码请联系管理员重置。")


class ThrottledLoginMixin:
    """Refuse a login while the address or the account is past its limit of failures, and count
    each wrong password (accounts/lockout.py); the site's login and the admin's share it."""

    def clean(self):
        if self.request is None:
            return super().clean()
        key = lockout.login_key(self.cleaned_data.get("username") or "")
        if lockout.is_throttled(self.request, key):
            raise forms.ValidationError(THROTTLED, code="throttled")
        try:
            return super().clean()
        except forms.ValidationError as error:
            if getattr(error, "code", None) == "invalid_login":
                lockout.record_failure(self.request, key)
            raise


class LoginForm(CleanTextMixin, ThrottledLoginMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("用户名或手机号"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        "invalid_login": _("用户名/手机号或密码不正确。"),
        "inactive": _("该账号已停用。"),
    }


class AdminLoginForm(CleanTextMixin, ThrottledLoginMixin, AdminAuthenticationForm):
    """The admin's login, under the same limits as the site's."""


class ResidentRegistrationForm(CleanTextMixin, forms.Form):
    full_name = forms.CharField(label=_("姓名（可不填）"), max_length=50, required=False)
    mobile = forms.CharField(
        label=_("手机号"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"})
    )
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("再次输入密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_mobile(self):
        # Whether the number is registered already is not told here: the page answers the same
        # either way, so it cannot be used to find out who has an account.
        mobile = normalize_mobile(self.cleaned_data["mobile"])
        validate_mobile(mobile)
        return mobile

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif p1:
            try:
                validate_password(p1)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ChangePasswordForm(CleanTextMixin, PasswordChangeForm):
    """Old password, then the new one twice; Django's validators judge the new one."""
