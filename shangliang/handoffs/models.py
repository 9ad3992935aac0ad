"""Hand-off to other channels (制度衔接): a matter handed to the party, people's congress, government, CPPCC,
people's and social organisations, or 12345, and their answer."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shangliang.consultations.models import Suggestion
from shangliang.core import limits
from shangliang.core.audit import history_records
from shangliang.core.constraints import valid_choices
from shangliang.handoffs.states import Channel, HandoffStatus, Subject
from shangliang.orgs.models import Region, Unit
from shangliang.topics.models import Submission, Topic

# A live hand-off (not withdrawn): at most one per matter.
_LIVE = ~Q(status=HandoffStatus.WITHDRAWN)


class Handoff(models.Model):
    """One matter handed to another channel: to whom, when, why, and the answer when it comes back.

    Exactly one of ``submission``, ``topic`` and ``suggestion`` is set. ``region`` is the region the
    matter belongs to (the submission's village, the topic's convening region, the consultation's),
    copied when handed so scope and lists filter on one column. An official record: never deleted;
    a hand-off made in error is withdrawn with a reason, which gives the matter back.
    """

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("群众诉求"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handoffs",
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("议题"), null=True, blank=True, on_delete=models.PROTECT, related_name="handoffs"
    )
    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("协商建议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handoffs",
    )
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("转交渠道"), max_length=20, choices=Channel.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("接收单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handoffs_received",
    )
    recipient = models.CharField(
        _("接收对象"), max_length=100, blank=True, help_text=_("系统中没有该单位时填写，如：镇人大主席团")
    )
    reason = models.TextField(_("转交理由"), max_length=limits.NOTE)
    reference = models.CharField(_("对方编号"), max_length=50, blank=True, help_text=_("如提案号、工单号"))
    handed_at = models.DateTimeField(_("转交时间"))
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("转交人"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=20, choices=HandoffStatus.choices, default=HandoffStatus.HANDED)
    answer = models.TextField(_("答复内容"), max_length=limits.TEXT, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answer_attachment = models.FileField(_("答复附件"), upload_to="handoffs/answers/%Y/%m/", blank=True)
    answer_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.TextField(_("撤回原因"), max_length=limits.NOTE, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = history_records()

    class Meta:
        verbose_name = _("转交其他渠道")
        verbose_name_plural = _("转交其他渠道")
        ordering = ["-handed_at", "-pk"]
        indexes = [models.Index(fields=["status", "handed_at"])]
        constraints = [
            *valid_choices("handoffs_handoff", channel=Channel, status=HandoffStatus),
            models.CheckConstraint(
                condition=(
                    Q(submission__isnull=False, topic__isnull=True, suggestion__isnull=True)
                    | Q(submission__isnull=True, topic__isnull=False, suggestion__isnull=True)
                    | Q(submission__isnull=True, topic__isnull=True, suggestion__isnull=False)
                ),
                name="handoffs_handoff_exactly_one_subject",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="handoffs_handoff_has_reason"),
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | ~Q(recipient=""), name="handoffs_handoff_has_recipient"
            ),
            models.CheckConstraint(
                condition=~Q(status=HandoffStatus.ANSWERED) | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="handoffs_handoff_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=~Q(status=HandoffStatus.WITHDRAWN) | ~Q(withdraw_reason=""),
                name="handoffs_handoff_withdrawn_has_reason",
            ),
            models.UniqueConstraint(
                fields=["submission"],
                condition=_LIVE & Q(submission__isnull=False),
                name="handoffs_one_live_per_submission",
            ),
            models.UniqueConstraint(
                fields=["topic"], condition=_LIVE & Q(topic__isnull=False), name="handoffs_one_live_per_topic"
            ),
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=_LIVE & Q(suggestion__isnull=False),
                name="handoffs_one_live_per_suggestion",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.to_whom}"

    def delete(self, *args, **kwargs):
        raise PermissionError("Official records are withdrawn, never deleted.")

    @property
    def to_whom(self) -> str:
        """The body it went to: the unit's name, else the text given."""
        return self.unit.name if self.unit_id else self.recipient

    @property
    def subject_kind(self) -> str:
        if self.submission_id:
            return Subject.SUBMISSION
        if self.topic_id:
            return Subject.TOPIC
        return Subject.SUGGESTION

    @property
    def subject_label(self) -> str:
        return Subject(self.subject_kind).label

    @property
    def subject(self):
        return self.submission or self.topic or self.suggestion

    @property
    def is_live(self) -> bool:
        return self.status != HandoffStatus.WITHDRAWN
