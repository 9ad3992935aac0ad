"""Residents' ratings of a consultation, the follow-ups they trigger, third-party evaluations, and
typical cases (典型案例) told to the public."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shangliang.consultations.models import Consultation
from shangliang.core import limits
from shangliang.core.audit import history_records
from shangliang.core.constraints import once_per_deadline, valid_choices
from shangliang.core.models import ArchivableModel, ReminderStep
from shangliang.core.phones import mask_mobile, validate_mobile
from shangliang.evaluation.states import FollowUpReminderKind, FollowUpStatus, RatingChannel, Satisfaction


class RatingQuerySet(models.QuerySet):
    def counted(self):
        """The ratings every figure counts: all but those staff marked as doubtful.

        An online rating needs a number proved by SMS and each number rates once, but one person may
        hold several SIM cards; staff who see a burst of ratings mark them doubtful, and they stop
        counting (they are kept).
        """
        return self.filter(is_doubtful=False)


class Rating(models.Model):
    """One resident's rating of a published consultation: the process and the result, rated apart (群众评商)."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("协商"), on_delete=models.PROTECT, related_name="ratings"
    )
    process = models.CharField(_("对协商过程"), max_length=12, choices=Satisfaction.choices)
    result = models.CharField(_("对落实结果"), max_length=12, choices=Satisfaction.choices)
    comment = models.TextField(_("意见建议"), max_length=limits.NOTE, blank=True)
    channel = models.CharField(_("评议方式"), max_length=15, choices=RatingChannel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings"
    )
    mobile = models.CharField(
        _("手机号"), max_length=11, blank=True, validators=[validate_mobile], help_text=_("用于确认每人只评一次")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("评议时间"), auto_now_add=True)
    is_doubtful = models.BooleanField(_("存疑"), default=False, help_text=_("存疑的评议保留但不计入满意度和回访重办"))
    doubtful_reason = models.CharField(_("存疑原因"), max_length=200, blank=True)
    history = history_records()

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("群众评议")
        verbose_name_plural = _("群众评议")
        ordering = ["-created_at"]
        constraints = [
            *valid_choices("evaluation", process=Satisfaction, result=Satisfaction, channel=RatingChannel),
            # One rating per resident per consultation, by account and by mobile number.
            models.UniqueConstraint(
                fields=["consultation", "user"], condition=Q(user__isnull=False), name="evaluation_one_rating_per_user"
            ),
            models.UniqueConstraint(
                fields=["consultation", "mobile"], condition=~Q(mobile=""), name="evaluation_one_rating_per_mobile"
            ),
        ]

    def __str__(self):
        return f"{self.get_process_display()} / {self.get_result_display()}"

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


class FollowUp(models.Model):
    """A matter taken up again (回访/重办) because too many residents were unsatisfied with it."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("协商"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    status = models.CharField(_("状态"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    unsatisfied_share = models.FloatField(_("不满意比例"))
    ratings_counted = models.PositiveIntegerField(_("参评人数"))
    deadline = models.DateField(_("回访时限"))
    open_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result = models.TextField(_("回访重办情况"), max_length=limits.TEXT, blank=True)
    history = history_records()

    class Meta:
        verbose_name = _("回访重办")
        verbose_name_plural = _("回访重办")
        ordering = ["deadline"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=FollowUpStatus.values), name="evaluation_follow_up_valid"),
            models.UniqueConstraint(
                fields=["consultation"], condition=Q(status=FollowUpStatus.OPEN), name="evaluation_one_open_follow_up"
            ),
        ]

    def __str__(self):
        return f"{self.consultation} ({self.get_status_display()})"


class FollowUpReminder(ReminderStep):
    """A reminder step for one deadline of one follow-up."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(_("类别"), max_length=20, choices=FollowUpReminderKind.choices)
    deadline = models.DateField(_("针对的回访时限"))

    class Meta(ReminderStep.Meta):
        verbose_name = _("回访重办提醒")
        verbose_name_plural = _("回访重办提醒")
        constraints = once_per_deadline("follow_up", FollowUpReminderKind, "evaluation")


class ThirdPartyEvaluation(models.Model):
    """An independent third party's evaluation of a consultation (第三方评估)."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("协商"), on_delete=models.PROTECT, related_name="third_party_evaluations"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评估人"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.CharField(_("评估机构"), max_length=100)
    process = models.CharField(_("协商过程评价"), max_length=12, choices=Satisfaction.choices)
    result = models.CharField(_("落实结果评价"), max_length=12, choices=Satisfaction.choices)
    findings = models.TextField(_("评估意见"), max_length=limits.TEXT)
    evaluated_on = models.DateField(_("评估日期"))
    created_at = models.DateTimeField(auto_now_add=True)
    history = history_records()

    class Meta:
        verbose_name = pgettext_lazy("assessment", "第三方评估")
        verbose_name_plural = pgettext_lazy("assessment", "第三方评估")
        ordering = ["-evaluated_on"]

    def __str__(self):
        return f"{self.organisation} {self.evaluated_on}"


class TypicalCase(ArchivableModel):
    """A consultation told as a typical case (典型案例): a short story, photos and its published results.

    Withdrawing keeps the row (``is_published`` off); the history says who did what and why.
    """

    consultation = models.OneToOneField(
        Consultation, verbose_name=_("协商"), on_delete=models.PROTECT, related_name="typical_case"
    )
    title = models.CharField(_("案例标题"), max_length=100)
    story = models.TextField(_("案例故事"), max_length=limits.DOCUMENT)
    is_published = models.BooleanField(_("已发布"), default=False, db_index=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = history_records()

    class Meta:
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")
        ordering = ["-published_at", "-pk"]
        constraints = [
            # A published case always says when it was published.
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="evaluation_case_published_has_time",
            ),
        ]

    def __str__(self):
        return self.title


def case_photo_path(instance, filename):
    return f"cases/{instance.case.consultation_id}/{secrets.token_hex(8)}.jpg"


class TypicalCasePhoto(models.Model):
    """A photo of a typical case; replaced photos are archived, not deleted."""

    case = models.ForeignKey(TypicalCase, verbose_name=_("典型案例"), on_delete=models.PROTECT, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=case_photo_path)
    is_archived = models.BooleanField(_("已归档"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("案例照片")
        verbose_name_plural = _("案例照片")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.case} · {self.pk}"
