"""Base models shared by every stage."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shangliang.core import limits


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
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=JobStatus.values), name="core_backgroundjob_status_valid"
            )
        ]

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
