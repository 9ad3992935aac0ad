"""Base models shared by every stage."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shangliang.core import limits
from shangliang.core.audit import history_records
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


class MessageKind(models.TextChoices):
    """What a message is; ``core.notify.CHANNEL_POLICY`` says which channels each kind takes."""

    NOTICE = "notice", _("事先知情通报")  # to a consultation's participants
    SESSION_REMINDER = "session_reminder", _("会前提醒")  # to participants shortly before the session
    FEEDBACK = "feedback", _("办理反馈")  # to the people a consultation concerns, at each step of its outcome
    REMINDER = "reminder", _("督办提醒")  # before and after a deadline (assignments, replies, planning, publication)
    ESCALATION = "escalation", _("督办通知")  # to a unit's head or the supervision board
    FOLLOW_UP = "follow_up", _("回访重办")  # a follow-up opened: the convener is told
    FOLLOW_UP_REMINDER = "follow_up_reminder", _("回访提醒")  # before and after a follow-up's deadline
    CODE = "code", _("验证码")  # a one-time code that verifies a mobile number


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")  # written with the step it belongs to; goes out after the commit
    SENDING = "sending", _("发送中")  # claimed by a sender; the gateway has not answered yet
    SENT = "sent", _("已提交")  # the gateway accepted it; its receipt (回执) has not come yet
    DELIVERED = "delivered", _("已送达")  # in the inbox, or the receipt says it reached the phone
    FAILED = "failed", _("未送达")  # refused by the gateway or the receipt says it did not arrive
    UNKNOWN = "unknown", _("结果不明")  # the send was cut off after it may have gone out; never sent again


class Provider(models.TextChoices):
    CONSOLE = "console", _("不发送（写入日志）")
    ALIYUN = "aliyun", _("阿里云短信")
    TENCENT = "tencent", _("腾讯云短信")
    WECHAT = "wechat", _("微信公众号")


class Delivery(models.Model):
    """One message to one recipient on one channel for one reason (see ``core.notify``).

    The unique row makes each message once-only: a retried or concurrent run stops at it. Texts and
    WeChat messages are rows first (``queued``) and go out after the commit; a sender claims a row
    (``sending``) in its own committed transaction before it calls the gateway, so a process that
    dies between the gateway's answer and the next commit leaves the row claimed, never sent again.
    """

    reason = models.CharField(_("事由"), max_length=120, help_text="stable key, e.g. consultation.notice:12")
    kind = models.CharField(_("消息类型"), max_length=20, choices=MessageKind.choices, blank=True)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("接收人"), max_length=40, help_text="account id (app, wechat) or mobile (sms)")
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryStatus.choices)
    detail = models.CharField(_("说明"), max_length=200, blank=True)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("内容"), max_length=limits.TEXT, blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    # Template parameters beyond title, body and link (a verification code); emptied once sent.
    params = models.JSONField(_("模板参数"), default=dict, blank=True)
    provider = models.CharField(_("服务商"), max_length=10, choices=Provider.choices, blank=True)
    provider_id = models.CharField(_("服务商流水号"), max_length=64, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    receipt_at = models.DateTimeField(_("回执时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息送达")
        verbose_name_plural = _("消息送达")
        constraints = [
            models.UniqueConstraint(fields=["reason", "channel", "recipient"], name="core_delivery_once"),
            *valid_choices("core_delivery", status=DeliveryStatus, channel=Channel),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="core_delivery_due")]

    def __str__(self):
        return f"{self.reason} → {self.channel}"

    @property
    def is_delivered(self) -> bool:
        return self.status == DeliveryStatus.DELIVERED

    @property
    def is_logged_only(self) -> bool:
        """The console sender wrote it to the log: no gateway is configured, so nobody received it."""
        return self.provider == Provider.CONSOLE

    @property
    def outcome(self) -> str:
        """For a badge: "ok" (reached the person), "pending" (on its way or awaiting its receipt) or
        "no" (refused, cut off, or only written to the log)."""
        if self.is_logged_only or self.status in (DeliveryStatus.FAILED, DeliveryStatus.UNKNOWN):
            return "no"
        return "ok" if self.status == DeliveryStatus.DELIVERED else "pending"

    @property
    def outcome_label(self) -> str:
        return _("未发送（未配置服务商，仅写入日志）") if self.is_logged_only else self.get_status_display()


class MessageTemplate(models.Model):
    """An approved template (模板) of a provider for one kind of message, with its variables.

    ``params`` names each template variable and what fills it, one per line (``name=field``); the
    fields are title, body, url, path (the link without the site's address, for templates whose
    fixed text holds the address, as Tencent requires), code and minutes. Tencent's variables are
    numbered in order (``1=code``); Alibaba's and WeChat's are named (``code=code``, ``thing1=title``).
    """

    provider = models.CharField(_("服务商"), max_length=10, choices=Provider.choices)
    kind = models.CharField(_("消息类型"), max_length=20, choices=MessageKind.choices)
    template_code = models.CharField(_("模板编号"), max_length=64, help_text=_("服务商审核通过的模板ID/模板CODE"))
    sign_name = models.CharField(_("短信签名"), max_length=30, blank=True, help_text=_("短信必填，如：某某区政协"))
    params = models.TextField(
        _("模板变量"),
        max_length=1000,
        blank=True,
        help_text=_("每行一个：变量名=内容；内容为 title、body、url、path（链接不含网址）、code、minutes"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    history = history_records()

    class Meta:
        verbose_name = _("消息模板")
        verbose_name_plural = _("消息模板")
        ordering = ["provider", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "kind"], name="core_messagetemplate_one_per_kind"),
            *valid_choices("core_messagetemplate", provider=Provider, kind=MessageKind),
        ]

    def __str__(self):
        return f"{self.get_provider_display()} {self.get_kind_display()}"


class OnceStep(models.Model):
    """A reminder step sent once: its key names the item, step and deadline (``core.notify.notify_step``)."""

    key = models.CharField(_("提醒"), max_length=160, unique=True)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(_("接收人数"), default=0)

    class Meta:
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        ordering = ["-sent_at"]

    def __str__(self):
        return self.key


class WorkdayOverride(models.Model):
    """A local day that differs from the official holiday table (``core.workdays``): a day off the district
    gives (a local holiday) or a working day the package does not know (a year not in its table yet).

    It takes precedence over the table; saving or deleting one is seen by every deadline computed after."""

    day = models.DateField(_("日期"), unique=True)
    is_working = models.BooleanField(_("工作日"), help_text=_("勾选：当天上班（工作日）；不勾选：当天放假（休息日）"))
    note = models.CharField(_("说明"), max_length=200, blank=True, help_text=_("如：某某节地方放假、某年调休安排"))
    history = history_records()

    class Meta:
        verbose_name = _("本地工作日调整")
        verbose_name_plural = _("本地工作日调整")
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day.isoformat()} {_('工作日') if self.is_working else _('休息日')}"
