"""People who log in: staff of every level and residents."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from shangliang.core.audit import history_records
from shangliang.core.phones import mask_mobile, validate_mobile


class User(AbstractUser):
    """An account. ``mobile`` is optional for staff and required for residents who register."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    mobile = models.CharField(
        _("手机号"), max_length=11, null=True, blank=True, unique=True, validators=[validate_mobile]
    )
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
