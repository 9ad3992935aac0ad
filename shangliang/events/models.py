"""Briefings, lectures and training (我说你听: 知情明政, 公益培训, 专题培训, 法治宣传).

Light event records apart from consultations.

An event never counts as a consultation: it has its own figures (``events.selectors``), its own
sign-ins and its own questions. Official rows are never deleted: events are cancelled or archived,
sign-ins withdrawn, questions hidden, photos and materials archived.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shangliang.core import limits
from shangliang.core.audit import history_records
from shangliang.core.constraints import valid_choices
from shangliang.core.models import ArchivableModel
from shangliang.core.phones import mask_mobile, validate_mobile
from shangliang.events.states import EventKind, EventStatus, QuestionSource, QuestionStatus, SignInVia
from shangliang.orgs.models import Member, Platform, Unit


def new_sign_in_token() -> str:
    """The unguessable part of the sign-in link in the event's QR (128 bits)."""
    return secrets.token_urlsafe(16)


class Event(ArchivableModel):
    kind = models.CharField(_("类型"), max_length=20, choices=EventKind.choices)
    platform = models.ForeignKey(Platform, verbose_name=_("举办平台"), on_delete=models.PROTECT, related_name="events")
    title = models.CharField(_("主题"), max_length=200)
    summary = models.TextField(_("内容简介"), max_length=limits.TEXT, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True, help_text=_("不填则为举办平台的地址"))
    speaker_unit = models.ForeignKey(
        Unit,
        verbose_name=_("宣讲部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events_spoken",
    )
    speaker_member = models.ForeignKey(
        Member,
        verbose_name=_("宣讲委员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events_spoken",
    )
    speaker_name = models.CharField(
        _("主讲人"), max_length=100, blank=True, help_text=_("外请专家、律师等，填写姓名和身份")
    )
    audience = models.CharField(_("面向对象"), max_length=200, blank=True, help_text=_("如：辖区居民、村组干部"))
    status = models.CharField(_("状态"), max_length=20, choices=EventStatus.choices, default=EventStatus.PLANNED)
    held_at = models.DateTimeField(_("记为已举办时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=300, blank=True)
    headcount = models.PositiveIntegerField(
        _("未扫码的现场人数"), null=True, blank=True, help_text=_("没有手机或未扫码签到的到场人数，不含已签到的人")
    )
    record = models.TextField(_("举办情况"), max_length=limits.TEXT, blank=True)
    sign_in_token = models.CharField(max_length=32, unique=True, default=new_sign_in_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    history = history_records()

    class Meta:
        verbose_name = _("宣讲培训活动")
        verbose_name_plural = _("宣讲培训活动")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["status", "starts_at"], name="events_event_status_start")]
        constraints = [
            *valid_choices("events_event", kind=EventKind, status=EventStatus),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="events_event_ends_after_start"),
        ]

    def __str__(self):
        return self.title

    @property
    def where(self) -> str:
        return self.place or self.platform.address or self.platform.name

    @property
    def speakers(self) -> list[str]:
        """Who spoke, as the public pages name them: the department, the member, the named speaker."""
        names = []
        if self.speaker_unit_id:
            names.append(self.speaker_unit.name)
        if self.speaker_member_id:
            names.append(_("%(name)s委员") % {"name": self.speaker_member.name})
        if self.speaker_name:
            names.append(self.speaker_name)
        return names


class EventSignIn(models.Model):
    """One person present: by the QR (name and mobile, or the logged-in account) or added by the staff."""

    event = models.ForeignKey(Event, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="sign_ins")
    name = models.CharField(_("姓名"), max_length=50)
    mobile = models.CharField(_("手机号"), max_length=11, blank=True, validators=[validate_mobile])
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    via = models.CharField(_("签到方式"), max_length=20, choices=SignInVia.choices)
    signed_in_at = models.DateTimeField(_("签到时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("补录人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    history = history_records()

    class Meta:
        verbose_name = _("活动签到")
        verbose_name_plural = _("活动签到")
        ordering = ["signed_in_at", "pk"]
        constraints = [
            *valid_choices("events_sign_in", via=SignInVia),
            # One sign-in per mobile number per event (a withdrawn one frees the number).
            models.UniqueConstraint(
                fields=["event", "mobile"],
                condition=Q(withdrawn_at__isnull=True) & ~Q(mobile=""),
                name="events_sign_in_once_per_mobile",
            ),
        ]

    def __str__(self):
        return f"{self.event} · {self.name}"

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


class EventQuestion(models.Model):
    """A resident's question and the answer given; public only once the staff answered or let it through."""

    event = models.ForeignKey(Event, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="questions")
    source = models.CharField(_("来源"), max_length=20, choices=QuestionSource.choices)
    text = models.TextField(_("问题"), max_length=limits.NOTE)
    asker_name = models.CharField(_("提问人"), max_length=50, blank=True, help_text=_("不公开"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.TextField(_("答复"), max_length=limits.NOTE, blank=True)
    answered_by = models.CharField(_("答复人（单位）"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=QuestionStatus.choices, default=QuestionStatus.PENDING)
    asked_at = models.DateTimeField(_("提问时间"))
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("不予公开时间"), null=True, blank=True)
    hide_reason = models.CharField(_("不予公开原因"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = history_records()

    class Meta:
        verbose_name = _("活动问答")
        verbose_name_plural = _("活动问答")
        ordering = ["asked_at", "pk"]
        constraints = valid_choices("events_question", source=QuestionSource, status=QuestionStatus)

    def __str__(self):
        return self.text[:40]


def event_photo_path(instance, filename):
    return f"events/photos/{instance.event_id}/{secrets.token_hex(8)}.jpg"


def event_material_path(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"events/materials/{instance.event_id}/{secrets.token_hex(8)}.{extension}"


class EventPhoto(models.Model):
    """A photo of the event (checked and re-encoded by ``core.images``); taken down by archiving."""

    event = models.ForeignKey(Event, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=event_photo_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_archived = models.BooleanField(_("已撤下"), default=False)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = history_records()

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.event} · {self.pk}"


class EventMaterial(models.Model):
    """A handout, slides or a policy text given out at the event (``core.uploads`` checks the type)."""

    event = models.ForeignKey(Event, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="materials")
    title = models.CharField(_("材料名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=event_material_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_archived = models.BooleanField(_("已撤下"), default=False)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = history_records()

    class Meta:
        verbose_name = _("活动材料")
        verbose_name_plural = _("活动材料")
        ordering = ["pk"]

    def __str__(self):
        return self.title
