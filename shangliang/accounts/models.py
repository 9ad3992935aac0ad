"""People who log in: staff of every level and residents."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from shangliang.core.audit import history_records
from shangliang.core.constraints import valid_choices
from shangliang.core.phones import mask_mobile, validate_mobile


class User(AbstractUser):
    """An account. ``mobile`` is optional for staff and required for residents who register."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    mobile = models.CharField(
        _("手机号"), max_length=11, null=True, blank=True, unique=True, validators=[validate_mobile]
    )
    # The number a one-time SMS code proved this account holds (accounts.verification); a number
    # changed since then is not verified until a new code is entered.
    verified_mobile = models.CharField(_("已验证手机号"), max_length=11, blank=True)
    mobile_verified_at = models.DateTimeField(_("手机号验证时间"), null=True, blank=True)
    # A resident may turn off texts or WeChat messages for feedback (办理反馈); notices still go.
    sms_feedback = models.BooleanField(_("短信接收办理反馈"), default=True)
    wechat_feedback = models.BooleanField(_("微信接收办理反馈"), default=True)
    must_change_password = models.BooleanField(
        _("下次登录须修改密码"), default=False, help_text=_("管理员重置密码后自动勾选，用户修改密码后取消。")
    )
    history = history_records(excluded_fields=["password", "last_login"])

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique")]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        """The name, else the login name; a resident who registered with a mobile shows it masked."""
        if self.full_name:
            return self.full_name
        if self.mobile and self.username == self.mobile:
            return self.masked_mobile
        return self.username

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile or "")

    @property
    def has_verified_mobile(self) -> bool:
        """The account's current mobile number was proved by an SMS code."""
        return bool(self.mobile) and self.verified_mobile == self.mobile


class CodePurpose(models.TextChoices):
    REGISTER = "register", _("注册")
    VERIFY = "verify", _("验证手机号")  # a logged-in account proves (or changes) its number
    SUBMIT = "submit", _("实名反映")  # a named submission without an account
    SIGN_IN = "sign_in", _("现场签到")  # the door sign-in by number
    PASSWORD = "password", _("找回密码")


class PhoneCode(models.Model):
    """A one-time code sent by SMS to prove a mobile number (see ``accounts.verification``).

    Only a hash of the code is kept. A code lives a few minutes, allows a few tries, and is used once.
    """

    mobile = models.CharField(_("手机号"), max_length=11)
    purpose = models.CharField(_("用途"), max_length=10, choices=CodePurpose.choices)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(_("发送时间"))
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    client_ip = models.CharField(_("请求地址"), max_length=45, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["mobile", "purpose", "created_at"], name="accounts_phonecode_recent")]
        constraints = valid_choices("accounts_phonecode", purpose=CodePurpose)

    def __str__(self):
        return f"{mask_mobile(self.mobile)} {self.get_purpose_display()}"


class WeChatBinding(models.Model):
    """A WeChat official account's openid bound to an account after its holder confirmed it.

    Unbinding stamps ``unbound_at``; the row stays for the record.
    """

    user = models.ForeignKey(User, verbose_name=_("账号"), on_delete=models.PROTECT, related_name="wechat_bindings")
    app_id = models.CharField(_("公众号AppID"), max_length=32)
    openid = models.CharField(_("OpenID"), max_length=64)
    bound_at = models.DateTimeField(_("绑定时间"), auto_now_add=True)
    unbound_at = models.DateTimeField(_("解绑时间"), null=True, blank=True)
    history = history_records()

    class Meta:
        verbose_name = _("微信绑定")
        verbose_name_plural = _("微信绑定")
        ordering = ["-bound_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["app_id", "openid"], condition=Q(unbound_at__isnull=True), name="accounts_wechat_openid_once"
            ),
            models.UniqueConstraint(
                fields=["app_id", "user"], condition=Q(unbound_at__isnull=True), name="accounts_wechat_one_per_user"
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.openid[:6]}…"
