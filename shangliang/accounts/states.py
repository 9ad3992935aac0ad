"""Reason codes of changes to accounts (``core.audit``)."""

from django.utils.translation import gettext_lazy as _

AUDIT_REASONS = {
    "account.registered": _("注册账号"),
    "account.mobile_verified": _("验证手机号"),
    "account.mobile_verified_by_staff": _("工作人员现场核验手机号"),
    "account.mobile_taken_over": _("手机号已由他人验证，从本账号移除"),
    "account.preferences_changed": _("修改消息接收设置"),
    "account.password_reset_by_code": _("短信验证码重置密码"),
    "wechat.bound": _("绑定微信"),
    "wechat.unbound": _("解除微信绑定"),
}
