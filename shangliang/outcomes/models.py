"""Outcomes of a consultation: reports sent up, the items assigned to units, their progress and publication."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shangliang.consultations.models import Consultation, Suggestion
from shangliang.core import limits
from shangliang.core.audit import history_records
from shangliang.core.constraints import once_per_deadline, valid_choices
from shangliang.core.models import ArchivableModel, ReminderStep
from shangliang.core.phones import mask_mobile, validate_mobile
from shangliang.orgs.models import Member, Unit
from shangliang.outcomes.states import (
    AssignmentStatus,
    ExtensionStatus,
    ReminderKind,
    ReportKind,
    ReportStatus,
)


class OutcomeReport(ArchivableModel):
    """The outcome sent up (报送): a consultation report, a CPPCC proposal or a public-opinion bulletin."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("协商"), on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(_("报送形式"), max_length=30, choices=ReportKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), max_length=limits.DOCUMENT)
    recipient = models.CharField(_("报送对象"), max_length=100, help_text=_("如：镇党委、镇政府"))
    recipient_unit = models.ForeignKey(
        Unit, verbose_name=_("报送单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_entrusted = models.BooleanField(_("政府委托事项"), default=False, help_text=_("委托事项须在规定期限内书面答复"))
    # The CPPCC members who put their names to a proposal or bulletin (提案人); counts for their points.
    members = models.ManyToManyField(Member, verbose_name=_("署名委员"), blank=True, related_name="reports")
    # The first signatory (提案人 / 反映人); the other signing members are the seconders (附议人).
    lead_member = models.ForeignKey(
        Member, verbose_name=_("提案人（反映人）"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposal_category = models.CharField(
        _("提案类别"), max_length=30, blank=True, help_text=_("如：经济建设、社会事业")
    )
    suggested_handlers = models.CharField(_("建议承办单位"), max_length=200, blank=True)
    # The number the CPPCC office gives a proposal or bulletin when it is sent, counted per kind and year.
    serial_year = models.PositiveSmallIntegerField(_("编号年度"), null=True, blank=True)
    serial_seq = models.PositiveIntegerField(_("编号"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reply_due_on = models.DateField(_("答复期限"), null=True, blank=True)
    reply_text = models.TextField(_("书面答复"), max_length=limits.DOCUMENT, blank=True)
    reply_attachment = models.FileField(_("答复附件"), upload_to="outcomes/replies/%Y/%m/", blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reply_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The written reply's quality (答复质量, ``core.reply_scoring``): 0–100 and its parts, set when recorded.
    reply_score = models.FloatField(_("答复质量得分"), null=True, blank=True, editable=False)
    reply_parts = models.JSONField(default=dict, blank=True, editable=False)
    history = history_records(excluded_fields=["reply_parts"])

    class Meta:
        verbose_name = _("成果报送")
        verbose_name_plural = _("成果报送")
        ordering = ["-created_at"]
        constraints = [
            *valid_choices("outcomes_report", kind=ReportKind, status=ReportStatus),
            models.UniqueConstraint(
                fields=["kind", "serial_year", "serial_seq"],
                condition=Q(serial_seq__isnull=False),
                name="outcomes_report_one_serial_per_kind_year",
            ),
        ]

    def __str__(self):
        return self.title


class Assignment(ArchivableModel):
    """One line of the responsibility list (工作责任清单): a suggestion handed to a unit with a deadline."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("协商建议"), on_delete=models.PROTECT, related_name="assignments"
    )
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="lead_assignments"
    )
    co_units = models.ManyToManyField(Unit, verbose_name=_("配合单位"), blank=True, related_name="co_assignments")
    responsible_person = models.CharField(_("责任人"), max_length=50)
    responsible_mobile = models.CharField(_("责任人电话"), max_length=11, blank=True, validators=[validate_mobile])
    deadline = models.DateField(_("办理时限"))
    cppcc_committee = models.ForeignKey(
        Unit,
        verbose_name=_("政协责任委室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followed_assignments",
        limit_choices_to={"kind": "cppcc_committee"},
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办负责人"),
        on_delete=models.PROTECT,
        related_name="supervised_assignments",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("交办时间"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    deferred_at = models.DateTimeField(_("暂缓时间"), null=True, blank=True)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), max_length=limits.NOTE, blank=True)
    result = models.TextField(_("落实效果"), max_length=limits.TEXT, blank=True, help_text=_("做了什么、解决了什么"))
    evidence = models.FileField(_("佐证材料"), upload_to="outcomes/evidence/%Y/%m/", blank=True)
    # The unit answers for what the photo shows (faces, plates); only then is it on the public result.
    evidence_public = models.BooleanField(_("佐证照片可公开"), default=False)
    # The check (验收) of a finished item: by the supervisor, or the convener for a village's items.
    checked_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("验收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    check_note = models.TextField(_("验收意见"), max_length=limits.NOTE, blank=True)
    deferral_reason = models.TextField(_("暂缓原因"), max_length=limits.NOTE, blank=True, help_text=_("将告知相关群众"))
    # The quality of the unit's answer (its 落实效果 to the suggestion, ``core.reply_scoring``), set when it
    # reports the item finished.
    result_score = models.FloatField(_("答复质量得分"), null=True, blank=True, editable=False)
    result_parts = models.JSONField(default=dict, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    history = history_records(m2m_fields=[co_units], excluded_fields=["result_parts"])

    class Meta:
        verbose_name = _("交办事项")
        verbose_name_plural = _("交办事项")
        ordering = ["deadline", "pk"]
        constraints = [
            *valid_choices("outcomes_assignment", status=AssignmentStatus),
            # A suggestion is owned by one unit at a time; a returned assignment makes room for the next.
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=~Q(status=AssignmentStatus.RETURNED),
                name="outcomes_one_live_assignment_per_suggestion",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return f"{self.lead_unit} · {self.suggestion}"

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.responsible_mobile)


class Measure(models.Model):
    """One implemented measure of an item (落实成果): an item may have several, and each counts among the
    outcomes implemented (``docs/figures.md``)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="measures")
    text = models.CharField(_("落实成果"), max_length=300, help_text=_("如：新增路灯12盏"))
    implemented_on = models.DateField(_("落实日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Entered by mistake: kept for the record, left out of the figures.
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    history = history_records()

    class Meta:
        verbose_name = _("落实成果")
        verbose_name_plural = _("落实成果")
        ordering = ["implemented_on", "pk"]

    def __str__(self):
        return self.text

    def delete(self, *args, **kwargs):
        raise PermissionError("Official records are archived, never deleted.")


class ProgressUpdate(models.Model):
    """A progress report from the unit: progress, problems, next steps (进展情况/存在问题/解决思路)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="updates")
    unit = models.ForeignKey(Unit, verbose_name=_("填报单位"), on_delete=models.PROTECT, related_name="+")
    reported_on = models.DateField(_("填报日期"))
    progress = models.TextField(_("进展情况"), max_length=limits.TEXT)
    problems = models.TextField(_("存在问题"), max_length=limits.TEXT, blank=True)
    next_steps = models.TextField(_("解决思路"), max_length=limits.TEXT, blank=True)
    attachment = models.FileField(_("附件"), upload_to="outcomes/progress/%Y/%m/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = history_records()

    class Meta:
        verbose_name = _("进展情况")
        verbose_name_plural = _("进展情况")
        ordering = ["-reported_on", "-pk"]

    def __str__(self):
        return f"{self.reported_on} {self.progress[:20]}"


class ExtensionRequest(models.Model):
    """A unit asks for a later deadline; the supervisor or the assigning office decides."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="extensions")
    current_deadline = models.DateField(_("原办理时限"))
    requested_deadline = models.DateField(_("申请延期至"))
    reason = models.TextField(_("延期理由"), max_length=limits.NOTE)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    refused_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), max_length=limits.NOTE, blank=True)
    history = history_records()

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at"]
        constraints = [
            *valid_choices("outcomes_extension", status=ExtensionStatus),
            models.CheckConstraint(
                condition=Q(requested_deadline__gt=models.F("current_deadline")),
                name="outcomes_extension_is_later",
            ),
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status=ExtensionStatus.PENDING),
                name="outcomes_one_pending_extension",
            ),
        ]

    def __str__(self):
        return f"{self.current_deadline} → {self.requested_deadline}"


class Reminder(ReminderStep):
    """A reminder or escalation step (督办提醒) for one deadline of one assignment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(_("类别"), max_length=20, choices=ReminderKind.choices)
    deadline = models.DateField(_("针对的办理时限"))

    class Meta(ReminderStep.Meta):
        verbose_name = _("督办提醒")
        verbose_name_plural = _("督办提醒")
        constraints = once_per_deadline("assignment", ReminderKind, "outcomes")


def default_channels():
    return ["board"]


class Publication(models.Model):
    """The results of a consultation made public (公开) for residents: what was decided and done."""

    consultation = models.OneToOneField(
        Consultation, verbose_name=_("协商"), on_delete=models.PROTECT, related_name="publication"
    )
    summary = models.TextField(
        _("公开内容"), max_length=limits.DOCUMENT, help_text=_("面向群众的结果说明，不含姓名和电话")
    )
    channels = models.JSONField(_("公开方式"), default=default_channels)
    published_at = models.DateTimeField(_("公开时间"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = history_records()

    class Meta:
        verbose_name = _("结果公开")
        verbose_name_plural = _("结果公开")

    def __str__(self):
        return str(self.consultation)
