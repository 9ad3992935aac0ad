from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from shangliang.accounts.forms import AdminLoginForm
from shangliang.accounts.models import User, WeChatBinding
from shangliang.accounts.services import mobile_verify_in_person, password_reset_by_admin
from shangliang.core.admin import BoundedLookupsMixin, HistoryAdmin
from shangliang.core.errors import DomainError


@admin.register(User)
class UserAdmin(HistoryAdmin, BaseUserAdmin):
    list_display = [
        "username",
        "full_name",
        "masked_mobile",
        "is_mobile_verified",
        "is_active",
        "is_staff",
        "last_login",
    ]
    search_fields = ["username", "full_name", "mobile"]
    actions = ["reset_password", "verify_mobile_in_person"]
    readonly_fields = ["verified_mobile", "mobile_verified_at"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("联系信息"),
            {"fields": ["full_name", "mobile", "verified_mobile", "mobile_verified_at", "must_change_password"]},
        ),
        (_("消息接收"), {"fields": ["sms_feedback", "wechat_feedback"]}),
    ]

    @admin.action(description=_("重置密码（生成临时密码，登录后须修改）"))
    def reset_password(self, request, queryset):
        for user in queryset.order_by("pk")[:20]:
            temporary = password_reset_by_admin(actor=request.user, user=user)
            self.message_user(
                request,
                _("%(user)s 的临时密码：%(password)s（只显示这一次，请当面或电话告知本人）")
                % {"user": user.username, "password": temporary},
                messages.WARNING,
            )

    @admin.action(description=_("现场核验手机号"))
    def verify_mobile_in_person(self, request, queryset):
        """Staff saw the person and the phone showing the number (a district without SMS)."""
        verified = []
        for user in queryset.order_by("pk")[:50]:
            try:
                mobile_verify_in_person(actor=request.user, user=user)
            except PermissionDenied:
                self.message_user(request, _("只有系统管理员可以现场核验手机号。"), messages.ERROR)
                return
            except DomainError as error:
                self.message_user(request, f"{user.username}：{error.message}", messages.WARNING)
            else:
                verified.append(user.username)
        if verified:
            self.message_user(request, _("已核验手机号：%(users)s") % {"users": "、".join(verified)}, messages.SUCCESS)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("手机号"))
    def masked_mobile(self, obj):
        return obj.masked_mobile

    @admin.display(description=_("手机号已验证"), boolean=True)
    def is_mobile_verified(self, obj):
        return obj.has_verified_mobile


admin.site.login_form = AdminLoginForm


# django-axes names two computed columns after their methods, which no catalog can reach: name them here.
@admin.display(description=_("状态"))
def _attempt_status(model_admin, obj):
    return axes_admin.AccessAttemptAdmin.status(model_admin, obj)


@admin.display(description=_("锁定到期时间"))
def _attempt_expiration(model_admin, obj):
    return axes_admin.AccessAttemptAdmin.expiration(model_admin, obj)


# django-axes' own lists of login failures, with the same guard on hostile filter values as ours.
for model, model_admin, named in [
    (AccessAttempt, axes_admin.AccessAttemptAdmin, {"status": _attempt_status, "expiration": _attempt_expiration}),
    (AccessLog, axes_admin.AccessLogAdmin, {}),
    (AccessFailureLog, axes_admin.AccessFailureLogAdmin, {}),
]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, type(model_admin.__name__, (BoundedLookupsMixin, model_admin), named))


@admin.register(WeChatBinding)
class WeChatBindingAdmin(admin.ModelAdmin):
    """Who bound which WeChat, read only: only the account holder binds and unbinds (我的设置)."""

    list_display = ["user", "app_id", "openid_start", "bound_at", "unbound_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__full_name"]
    ordering = ["-bound_at"]

    @admin.display(description=_("OpenID"))
    def openid_start(self, binding):
        return f"{binding.openid[:6]}…"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
