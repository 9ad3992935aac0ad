from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from shangliang.accounts.models import User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "masked_mobile", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "full_name", "mobile"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("联系信息"), {"fields": ["full_name", "mobile"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("手机号"))
    def masked_mobile(self, obj):
        return obj.masked_mobile
