"""Base models shared by every stage."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shangliang.core import limits
from shangliang.core.constraints import valid_choices


class ArchivableModel(models.Model):
    """An official record: never deleted, archived instead."""

    is_archived = models.BooleanField(_("已归档"), default=False, db_index=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise PermissionError("Official records are archived, never deleted.")


class ReminderStep(models.Model):
    """One reminder step for one deadline of one item (an assignment, a follow-up); the row makes it once-only.

    A concrete model adds the item's foreign key, ``kind`` (its steps) and ``deadline`` with their
    labels, and ``core.constraints.once_per_deadline`` as its constraints.
    """

    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(_("接收人数"), default=0)

    class Meta:
        abstract = True
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.deadline}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")  # created, not started
    RUNNING = "running", _("进行中")  # a worker is on it
    SUCCEEDED = "succeeded", _("已完成")  # finished and committed
    FAILED = "failed", _("失败")  # refused or crashed; nothing committed


class BackgroundJob(models.Model):
    """A long job (an import, a recomputation) whose progress a page can poll."""

    kind = models.CharField(_("类型"), max_length=40)
    status = models.CharField(_("状态"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    payload = models.JSONField(_("参数"), default=dict, blank=True)
    upload = models.FileField(_("文件"), upload_to="jobs/%Y/%m/", blank=True)
    total = models.PositiveIntegerField(_("总数"), default=0)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]
        constraints = valid_choices("core_backgroundjob", status=JobStatus)

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == JobStatus.SUCCEEDED else 0
        return min(100, round(self.done * 100 / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}


class Notification(models.Model):
    """A message in a user's in-app inbox (notices, reminders, feedback)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), max_length=limits.TEXT, blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title


class FormToken(models.Model):
    """A staff form's one-time token, claimed by the first POST that carries it (see ``core.form_tokens``).

    The claim is written in the same transaction as what the form creates, so a second POST of the
    same form (a double click, a retry) hits the unique token and is sent where the first one went.
    """

    token = models.UUIDField(_("令牌"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.CASCADE, related_name="+"
    )
    url = models.CharField(_("提交后的页面"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("表单令牌")
        verbose_name_plural = _("表单令牌")

    def __str__(self):
        return str(self.token)


class Channel(models.TextChoices):
    APP = "app", _("站内消息")  # the account's in-app inbox (Notification)
    SMS = "sms", _("短信")  # a text to a mobile number
    WECHAT = "wechat", _("微信")  # a WeChat message to the account


class DeliveryStatus(models.TextChoices):
    DELIVERED = "delivered", _("已送达")  # in the inbox, or accepted by the gateway
    FAILED = "failed", _("未送达")  # refused or raised; not retried


class Delivery(models.Model):
    """One message to one recipient on one channel for one reason (see ``core.notify``).

    The unique row makes each message once-only: a retried or concurrent run stops at it.
    """

    reason = models.CharField(_("事由"), max_length=120, help_text="stable key, e.g. consultation.notice:12")
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("接收人"), max_length=40, help_text="account id (app, wechat) or mobile (sms)")
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryStatus.choices)
    detail = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息送达")
        verbose_name_plural = _("消息送达")
        constraints = [
            models.UniqueConstraint(fields=["reason", "channel", "recipient"], name="core_delivery_once"),
            *valid_choices("core_delivery", status=DeliveryStatus, channel=Channel),
        ]

    def __str__(self):
        return f"{self.reason} → {self.channel}"

    @property
    def is_delivered(self) -> bool:
        return self.status == DeliveryStatus.DELIVERED
