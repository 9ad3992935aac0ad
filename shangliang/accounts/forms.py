from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from shangliang.accounts import lockout
from shangliang.accounts.models import CodePurpose
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


class MobileField(forms.CharField):
    """An 11-digit mainland number, spaces, dashes and +86 allowed; anything else is a field error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("手机号"))
        kwargs.setdefault("error_messages", {"required": _("请输入11位手机号码，例如 13800000000。")})
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel", "maxlength": 20}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_mobile(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value:
            validate_mobile(value)


class CodeField(forms.CharField):
    """The 6-digit code of an SMS; whether it is right is decided by ``accounts.verification.code_check``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("短信验证码"))
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6, "pattern": "[0-9]*"}
            ),
        )
        kwargs.setdefault("error_messages", {"required": _("请输入短信验证码。")})
        super().__init__(**kwargs)

    def to_python(self, value):
        return "".join(super().to_python(value).split())


class NewPasswordMixin:
    """Two password fields that must match and pass Django's validators."""

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


def _password_field(label):
    return forms.CharField(label=label, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class CodeRequestForm(CleanTextMixin, forms.Form):
    """Asking for an SMS code: the number and what the code is for."""

    mobile = MobileField()
    purpose = forms.ChoiceField(choices=CodePurpose.choices)

    def __init__(self, *args, purposes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [(value, label) for value, label in CodePurpose.choices if value in purposes]
        for error in ("required", "invalid_choice"):
            self.fields["purpose"].error_messages[error] = _("验证码用途不正确。")


class ResidentRegistrationForm(CleanTextMixin, NewPasswordMixin, forms.Form):
    mobile = MobileField()
    code = CodeField()
    password1 = _password_field(_("密码"))
    password2 = _password_field(_("再次输入密码"))
    full_name = forms.CharField(label=_("姓名（可不填）"), max_length=50, required=False)


class PasswordResetByCodeForm(CleanTextMixin, NewPasswordMixin, forms.Form):
    mobile = MobileField(help_text=_("注册账号时用的手机号"))
    code = CodeField()
    password1 = _password_field(_("新密码"))
    password2 = _password_field(_("再次输入新密码"))


class MobileVerifyForm(CleanTextMixin, forms.Form):
    mobile = MobileField()
    code = CodeField()


class PreferencesForm(CleanTextMixin, forms.Form):
    sms_feedback = forms.BooleanField(label=_("短信接收办理反馈"), required=False)
    wechat_feedback = forms.BooleanField(
        label=_("微信接收办理反馈"),
        required=False,
        help_text=_("事先知情通报和会前提醒不受此设置影响，依规必须送达。"),
    )


class ChangePasswordForm(CleanTextMixin, PasswordChangeForm):
    """Old password, then the new one twice; Django's validators judge the new one."""
