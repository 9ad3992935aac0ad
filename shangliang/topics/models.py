"""What residents, members and the party and government bring, and the topics drafted from it."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shangliang.core import limits
from shangliang.core.audit import history_records
from shangliang.core.constraints import valid_choices
from shangliang.core.models import ArchivableModel
from shangliang.core.phones import mask_mobile, validate_mobile
from shangliang.orgs.models import Member, Platform, Region, Unit
from shangliang.orgs.states import PlatformKind
from shangliang.topics.states import (
    ApprovalRouteKind,
    ConveningLevel,
    ExclusionReason,
    Source,
    SubmissionStatus,
    TopicStatus,
    Urgency,
    Weight,
)

# No 0/O, 1/I/L: a resident reads the code aloud or types it from a slip of paper.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))


class Category(ArchivableModel):
    """A category of matters (configurable in the admin)."""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    is_livelihood = models.BooleanField(
        _("民生类"), default=False, help_text=_("学有所教、劳有所得、病有所医、老有所养、住有所居、弱有所扶")
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    responsible_units = models.ManyToManyField(
        Unit, verbose_name=_("主管单位"), blank=True, related_name="categories", help_text=_("协商时建议邀请的职能部门")
    )
    history = history_records()

    class Meta:
        verbose_name = _("议题类别")
        verbose_name_plural = _("议题类别")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class ExclusionRule(models.Model):
    """A keyword that flags a likely exclusion for the screener to confirm; it never excludes by itself."""

    keyword = models.CharField(_("关键词"), max_length=30, unique=True)
    reason = models.CharField(_("可能的排除情形"), max_length=20, choices=ExclusionReason.choices)
    is_active = models.BooleanField(_("启用"), default=True)
    history = history_records()

    class Meta:
        verbose_name = _("排除提示规则")
        verbose_name_plural = _("排除提示规则")
        ordering = ["reason", "keyword"]

    def __str__(self):
        return self.keyword


class Topic(ArchivableModel):
    """A matter drafted for consultation (议题); approved topics are public."""

    title = models.CharField(_("议题名称"), max_length=100)
    background = models.TextField(_("背景情况"), max_length=limits.TEXT, blank=True)
    category = models.ForeignKey(Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="topics")
    is_livelihood = models.BooleanField(_("民生议题"), default=False)
    small_cut_reason = models.TextField(_("切口小、关联广的理由"), max_length=limits.NOTE, blank=True)
    urgency = models.CharField(_("缓急"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    weight = models.CharField(_("大小轻重"), max_length=10, choices=Weight.choices, default=Weight.ORDINARY)
    meets_party_needs = models.BooleanField(_("党政所需"), default=False)
    meets_public_wishes = models.BooleanField(_("群众所盼"), default=False)
    within_cppcc_reach = models.BooleanField(_("政协所能"), default=False)
    within_members_reach = models.BooleanField(_("委员所为"), default=False)
    regions = models.ManyToManyField(Region, verbose_name=_("涉及区划"), related_name="topics")
    convening_region = models.ForeignKey(
        Region, verbose_name=_("召集层级所在区划"), on_delete=models.PROTECT, related_name="convened_topics"
    )
    convening_level = models.CharField(_("召集层级"), max_length=20, choices=ConveningLevel.choices)
    platform = models.ForeignKey(
        Platform, verbose_name=_("协商平台"), null=True, blank=True, on_delete=models.PROTECT, related_name="topics"
    )
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    status = models.CharField(_("状态"), max_length=20, choices=TopicStatus.choices, default=TopicStatus.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("拟定人"), on_delete=models.PROTECT, related_name="+"
    )
    pending_at = models.DateTimeField(_("提交审定时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审定通过时间"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("不予审定时间"), null=True, blank=True)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.TextField(_("审定意见"), max_length=limits.NOTE, blank=True)
    # Set at approval: a wide-reaching, much-watched matter that needs a hearing (涉及面广、关注度高).
    needs_hearing = models.BooleanField(_("涉及面广、关注度高"), default=False)
    # The party committee meeting that discussed the topic, when the district's rule asks for one.
    party_meeting_on = models.DateField(_("党委会召开日期"), null=True, blank=True)
    party_meeting_name = models.CharField(
        _("会议名称"), max_length=100, blank=True, help_text=_("如：镇党委会第12次会议")
    )
    party_meeting_ref = models.CharField(_("会议纪要编号"), max_length=50, blank=True)
    # 镇村联动: a village topic handed up; the township topic drafted from it points back to it.
    escalated_from = models.OneToOneField(
        "self",
        verbose_name=_("提请自村（社区）议题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalated_to",
    )
    escalated_at = models.DateTimeField(_("提请乡镇协商时间"), null=True, blank=True)
    escalation_reason = models.TextField(_("提请理由"), max_length=limits.NOTE, blank=True)
    history = history_records(m2m_fields=[regions])

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["-created_at"]
        constraints = valid_choices(
            "topics_topic",
            status=TopicStatus,
            source=Source,
            urgency=Urgency,
            weight=Weight,
            convening_level=ConveningLevel,
        )

    def __str__(self):
        return self.title


class ApprovalRoute(ArchivableModel):
    """A district's rule for who approves topics of one platform kind and convening level (议题审定).

    The most specific rule applies: kind and level, then kind, then level, then the district's
    catch-all; without any, the same-level party organisation approves (the CPPCC committee for
    sector rooms and member studios).
    """

    district = models.ForeignKey(
        Region,
        verbose_name=_("区（县）"),
        on_delete=models.PROTECT,
        related_name="approval_routes",
        limit_choices_to={"level": "district"},
    )
    platform_kind = models.CharField(
        _("平台类型"), max_length=30, choices=PlatformKind.choices, blank=True, help_text=_("留空表示所有类型")
    )
    convening_level = models.CharField(
        _("召集层级"), max_length=20, choices=ConveningLevel.choices, blank=True, help_text=_("留空表示所有层级")
    )
    route = models.CharField(_("审定方式"), max_length=20, choices=ApprovalRouteKind.choices)
    party_meeting_required = models.BooleanField(
        _("须记录党委会讨论"), default=False, help_text=_("审定时须填写党委会日期、会议名称和纪要编号")
    )
    history = history_records()

    class Meta:
        verbose_name = _("议题审定规则")
        verbose_name_plural = _("议题审定规则")
        ordering = ["district", "platform_kind", "convening_level"]
        constraints = [
            *valid_choices("topics_approvalroute", route=ApprovalRouteKind),
            models.UniqueConstraint(
                fields=["district", "platform_kind", "convening_level"],
                condition=Q(archived_at__isnull=True),
                name="topics_approvalroute_one_per_case",
            ),
        ]

    def __str__(self):
        return f"{self.district} · {self.get_platform_kind_display() or '*'} · {self.get_route_display()}"


class Submission(ArchivableModel):
    """Something brought in (诉求/建议/荐题/点题) that may become a topic."""

    tracking_code = models.CharField(_("查询码"), max_length=12, unique=True, default=new_tracking_code, editable=False)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, default=Source.RESIDENT)
    platform = models.ForeignKey(
        Platform,
        verbose_name=_("协商平台"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所在村（社区）"), on_delete=models.PROTECT, related_name="submissions"
    )
    grid = models.ForeignKey(
        Region, verbose_name=_("网格/小组/楼栋"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    location_detail = models.CharField(_("具体位置"), max_length=100, blank=True)
    category = models.ForeignKey(Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="submissions")
    title = models.CharField(_("反映的问题"), max_length=60)
    content = models.TextField(_("详细情况"), max_length=limits.TEXT, blank=True)
    is_anonymous = models.BooleanField(_("匿名"), default=True)
    submitter_name = models.CharField(_("姓名"), max_length=50, blank=True)
    submitter_mobile = models.CharField(_("手机号"), max_length=11, blank=True, validators=[validate_mobile])
    # A named submission counts as named once its number is proved (an SMS code, or the submitter's
    # verified account); until then it is handled as anonymous.
    mobile_verified_at = models.DateTimeField(_("手机号验证时间"), null=True, blank=True)
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("荐题委员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    # The member the matter was brought to: a resident sent it from the member's page (履职码), or the member
    # logged it for the resident (委员收集群众诉求; then ``recorded_by`` is the member's account).
    # The member follows it.
    via_member = models.ForeignKey(
        Member,
        verbose_name=_("经委员反映"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="relayed_submissions",
    )
    assigning_unit = models.ForeignKey(
        Unit,
        verbose_name=_("点题单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_submissions",
    )
    client_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    exclusion_reason = models.CharField(_("排除情形"), max_length=20, choices=ExclusionReason.choices, blank=True)
    screening_note = models.TextField(_("筛查说明"), max_length=limits.NOTE, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("筛查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    excluded_at = models.DateTimeField(_("排除时间"), null=True, blank=True)
    merged_at = models.DateTimeField(_("合并时间"), null=True, blank=True)
    drafted_at = models.DateTimeField(_("转为议题时间"), null=True, blank=True)
    settled_at = models.DateTimeField(_("直接解决时间"), null=True, blank=True)
    settlement = models.TextField(_("解决情况"), max_length=limits.NOTE, blank=True, help_text=_("谁、怎样解决的"))
    merged_into = models.ForeignKey(
        "self", verbose_name=_("合并到"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("议题"), null=True, blank=True, on_delete=models.PROTECT, related_name="submissions"
    )
    history = history_records()

    class Meta:
        verbose_name = _("诉求与建议")
        verbose_name_plural = _("诉求与建议")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            *valid_choices("topics_submission", status=SubmissionStatus, source=Source),
            models.CheckConstraint(
                condition=~Q(status=SubmissionStatus.EXCLUDED) | ~Q(exclusion_reason=""),
                name="topics_submission_excluded_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(is_anonymous=True) | ~Q(submitter_mobile=""), name="topics_submission_named_has_mobile"
            ),
        ]

    def __str__(self):
        return f"{self.tracking_code} {self.title}"

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.submitter_mobile)


def submission_photo_path(instance, filename):
    return f"submissions/{instance.submission.created_at:%Y/%m}/{secrets.token_hex(8)}.jpg"


class SubmissionPhoto(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=submission_photo_path)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("诉求照片")
        verbose_name_plural = _("诉求照片")

    def __str__(self):
        return f"{self.submission} · {self.pk}"


class Reply(models.Model):
    """A reply to the submitter, shown on the tracking page."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("答复内容"), max_length=limits.TEXT)
    created_at = models.DateTimeField(_("答复时间"), auto_now_add=True)
    history = history_records()

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.submission} · {self.created_at:%Y-%m-%d}"


class Verification(models.Model):
    """Facts checked by the station before drafting (核实)."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="verifications")
    checked_by = models.CharField(_("核实人员"), max_length=100)
    checked_on = models.DateField(_("核实日期"))
    findings = models.TextField(_("核实情况"), max_length=limits.TEXT)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = history_records()

    class Meta:
        verbose_name = _("核实记录")
        verbose_name_plural = _("核实记录")
        ordering = ["checked_on", "pk"]

    def __str__(self):
        return f"{self.topic} · {self.checked_on}"


def verification_photo_path(instance, filename):
    return f"verifications/{instance.verification.topic_id}/{secrets.token_hex(8)}.jpg"


class VerificationPhoto(models.Model):
    verification = models.ForeignKey(Verification, on_delete=models.PROTECT, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=verification_photo_path)

    def __str__(self):
        return f"{self.verification} · {self.pk}"


class TopicSupport(models.Model):
    """One supporter of a topic: a resident's account, or a submission merged into it."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("议题支持")
        verbose_name_plural = _("议题支持")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "user"], condition=Q(user__isnull=False), name="topics_support_once_per_user"
            ),
            models.UniqueConstraint(
                fields=["topic", "submission"],
                condition=Q(submission__isnull=False),
                name="topics_support_once_per_submission",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(submission__isnull=False), name="topics_support_has_supporter"
            ),
        ]

    def __str__(self):
        return f"{self.topic} · {self.user or self.submission}"


class TopicFollow(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_topics")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("议题关注")
        verbose_name_plural = _("议题关注")
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="topics_follow_once")]

    def __str__(self):
        return f"{self.topic} · {self.user}"
