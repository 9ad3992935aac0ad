"""A consultation on an approved topic: participants, research, notice, the session and its resolution."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shangliang.consultations.states import (
    AssemblyBody,
    ConsultationStatus,
    ExplanationOutcome,
    LegalReviewMode,
    LegalVerdict,
    Mode,
    NoticeMeans,
    ParticipantCategory,
    Rsvp,
    SignInVia,
    Stance,
    SuggestionDecision,
    VoteResult,
)
from shangliang.core import limits
from shangliang.core.audit import history_records
from shangliang.core.constraints import valid_choices
from shangliang.core.models import ArchivableModel
from shangliang.core.phones import mask_mobile, validate_mobile
from shangliang.orgs.models import Member, Platform, Region, Unit
from shangliang.topics.models import Category, Submission, Topic
from shangliang.topics.states import ConveningLevel


def new_token() -> str:
    return secrets.token_urlsafe(12)


def default_required_categories():
    return [ParticipantCategory.RESIDENT.value]


class SessionFormat(ArchivableModel):
    """A form of session (议事会, 恳谈会, 听证会, 坝坝会 …), configurable in the admin."""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    required_categories = models.JSONField(
        _("必须邀请的类别"), default=default_required_categories, blank=True, help_text=_("参与人员类别代码列表")
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = history_records()

    class Meta:
        verbose_name = _("协商形式")
        verbose_name_plural = _("协商形式")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Consultation(ArchivableModel):
    topic = models.ForeignKey(Topic, verbose_name=_("议题"), on_delete=models.PROTECT, related_name="consultations")
    platform = models.ForeignKey(
        Platform, verbose_name=_("协商平台"), on_delete=models.PROTECT, related_name="consultations"
    )
    session_format = models.ForeignKey(
        SessionFormat, verbose_name=_("协商形式"), on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(_("方式"), max_length=10, choices=Mode.choices, default=Mode.OFFLINE)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    convener = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("召集人"), on_delete=models.PROTECT, related_name="convened"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ConsultationStatus.choices, default=ConsultationStatus.PLANNED
    )
    representativeness = models.JSONField(_("代表性检查"), default=dict, blank=True)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    in_session_at = models.DateTimeField(_("开始协商时间"), null=True, blank=True)
    held_at = models.DateTimeField(_("结束协商时间"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("形成意见时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.TextField(_("取消原因"), max_length=limits.NOTE, blank=True)
    minutes = models.TextField(_("会议纪要"), max_length=limits.DOCUMENT, blank=True)
    minutes_confirmed_at = models.DateTimeField(_("纪要确认时间"), null=True, blank=True)
    minutes_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sign_in_token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    history = history_records()

    class Meta:
        verbose_name = _("协商")
        verbose_name_plural = _("协商")
        ordering = ["-starts_at"]
        constraints = [
            *valid_choices("consultations", status=ConsultationStatus),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="consultations_ends_after_start"
            ),
            # A cancelled consultation may be planned again; otherwise one per topic.
            models.UniqueConstraint(
                fields=["topic"],
                condition=~Q(status=ConsultationStatus.CANCELLED),
                name="consultations_one_active_per_topic",
            ),
        ]

    def __str__(self):
        return self.topic.title

    @property
    def is_online(self) -> bool:
        return self.mode in {Mode.ONLINE, Mode.HYBRID}


class AgendaItem(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    title = models.CharField(_("议程"), max_length=100)
    minutes = models.PositiveSmallIntegerField(_("时长（分钟）"), default=15)
    history = history_records()

    class Meta:
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class CurrentManager(models.Manager):
    """Rows still in force: a removed participant or a withdrawn statement or suggestion is kept, not shown."""

    gone_field = ""

    def get_queryset(self):
        return super().get_queryset().filter(**{f"{self.gone_field}__isnull": True})


class NotRemoved(CurrentManager):
    gone_field = "removed_at"


class NotWithdrawn(CurrentManager):
    gone_field = "withdrawn_at"


class AllRows(models.Manager):
    """Every row, the removed and withdrawn ones too (history, admin look-ups)."""


class Participant(models.Model):
    """Someone taking part: an account, a member, a unit's person or a named person without an account.

    Removed before the session (``removed_at``), the row stays for the record; ``objects`` leaves it out.
    """

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="participants")
    category = models.CharField(_("类别"), max_length=20, choices=ParticipantCategory.choices)
    name = models.CharField(_("姓名"), max_length=50)
    mobile = models.CharField(_("手机号"), max_length=11, blank=True, validators=[validate_mobile])
    organisation = models.CharField(_("单位/身份"), max_length=100, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="participations"
    )
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="participations")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_voluntary = models.BooleanField(_("自愿报名"), default=False)
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    rsvp = models.CharField(_("回复"), max_length=10, choices=Rsvp.choices, default=Rsvp.PENDING)
    rsvp_at = models.DateTimeField(null=True, blank=True)
    signed_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    signed_in_by_staff = models.BooleanField(_("工作人员代签"), default=False)
    signed_in_via = models.CharField(_("签到方式"), max_length=10, choices=SignInVia.choices, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The notice delivered another way (printed, by phone, in person) to someone no message reaches.
    notice_other_means = models.CharField(_("其他通知方式"), max_length=20, choices=NoticeMeans.choices, blank=True)
    notice_other_at = models.DateTimeField(_("其他方式通知时间"), null=True, blank=True)
    notice_other_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    remove_reason = models.CharField(_("移除原因"), max_length=200, blank=True)
    history = history_records()
    objects = NotRemoved()
    all_objects = AllRows()

    class Meta:
        verbose_name = _("参与人员")
        verbose_name_plural = _("参与人员")
        ordering = ["category", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"],
                condition=Q(user__isnull=False, removed_at__isnull=True),
                name="consultations_participant_user_once",
            ),
            models.UniqueConstraint(
                fields=["consultation", "member"],
                condition=Q(member__isnull=False, removed_at__isnull=True),
                name="consultations_participant_member_once",
            ),
            models.UniqueConstraint(
                fields=["consultation", "mobile"],
                condition=~Q(mobile="") & Q(removed_at__isnull=True),
                name="consultations_participant_mobile_once",
            ),
            *valid_choices("consultations_participant", category=ParticipantCategory),
        ]

    def __str__(self):
        return self.name

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


class Research(models.Model):
    """Fact-finding before the session (商前调研); a session cannot open without one."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="research")
    researchers = models.CharField(_("调研人员"), max_length=200)
    # The CPPCC members among them, named so their research counts for their points (履职积分).
    members = models.ManyToManyField(Member, verbose_name=_("参加调研的委员"), blank=True, related_name="research")
    researched_on = models.DateField(_("调研日期"))
    place = models.CharField(_("调研地点"), max_length=200)
    findings = models.TextField(_("调研发现"), max_length=limits.TEXT)
    policies = models.TextField(_("查阅的政策"), max_length=limits.TEXT, blank=True)
    attachment = models.FileField(_("附件"), upload_to="research/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = history_records()

    class Meta:
        verbose_name = _("调研记录")
        verbose_name_plural = _("调研记录")
        ordering = ["researched_on", "pk"]

    def __str__(self):
        return f"{self.consultation} · {self.researched_on}"


class NoticeRead(models.Model):
    participant = models.OneToOneField(Participant, on_delete=models.PROTECT, related_name="notice_read")
    read_at = models.DateTimeField(_("阅读时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("通知阅读")
        verbose_name_plural = _("通知阅读")

    def __str__(self):
        return f"{self.participant} · {self.read_at:%Y-%m-%d %H:%M}"


class SolvedOnSpot(models.Model):
    """A statement or suggestion resolved during the session itself (当场解决), with who solved it: it counts
    among the practical problems solved (``docs/figures.md``)."""

    solved_on_spot_at = models.DateTimeField(_("当场解决时间"), null=True, blank=True)
    solved_by = models.CharField(
        _("当场解决的单位或人员"),
        max_length=100,
        blank=True,
        help_text=_("如：镇城管办（写单位或职务，不写个人姓名，将公开）"),
    )
    solved_note = models.CharField(_("解决情况"), max_length=300, blank=True)
    solved_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def is_solved_on_spot(self) -> bool:
        return self.solved_on_spot_at is not None


class Statement(SolvedOnSpot):
    """What one participant said on one agenda item, with their stance."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="statements")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="statements"
    )
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="statements")
    text = models.TextField(_("发言内容"), max_length=limits.TEXT)
    stance = models.CharField(_("态度"), max_length=10, choices=Stance.choices, default=Stance.NEUTRAL)
    is_dissent = models.BooleanField(_("不同意见"), default=False)
    is_online = models.BooleanField(_("网上意见"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Withdrawn (recorded by mistake): kept for the record, left out of the minutes and figures.
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)
    history = history_records()
    objects = NotWithdrawn()
    all_objects = AllRows()

    class Meta:
        verbose_name = _("发言记录")
        verbose_name_plural = _("发言记录")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.participant}: {self.text[:20]}"


class OnlinePost(models.Model):
    """An opinion posted on the consultation's page; hidden with a reason, never deleted."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.PROTECT, related_name="posts")
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies")
    # The author's verified number when posting: one opinion (not reply) per number and consultation.
    mobile = models.CharField(_("手机号"), max_length=11, blank=True)
    text = models.TextField(_("意见"), max_length=limits.TEXT)
    stance = models.CharField(_("态度"), max_length=10, choices=Stance.choices, default=Stance.NEUTRAL)
    is_hidden = models.BooleanField(_("已隐藏"), default=False)
    hidden_reason = models.CharField(_("隐藏原因"), max_length=200, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = history_records()

    class Meta:
        verbose_name = _("网上意见")
        verbose_name_plural = _("网上意见")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_hidden=False) | ~Q(hidden_reason=""), name="consultations_hidden_post_has_reason"
            ),
            models.UniqueConstraint(
                fields=["consultation", "mobile"],
                condition=Q(reply_to__isnull=True) & ~Q(mobile=""),
                name="consultations_one_opinion_per_mobile",
            ),
        ]

    def __str__(self):
        return self.text[:30]


class Suggestion(SolvedOnSpot):
    """One concrete item of the resolution (协商意见); later stages assign and track it."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="suggestions")
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    text = models.TextField(_("建议内容"), max_length=limits.TEXT)
    # The CPPCC member who put the suggestion forward, when one did (counts for their points).
    proposed_by = models.ForeignKey(
        Member,
        verbose_name=_("提出建议的委员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestions_proposed",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Withdrawn before it was assigned: kept for the record, left out of the resolution and figures.
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)
    # The text as the session agreed it, kept when an assembly vote or a legal correction changed it.
    original_text = models.TextField(_("原建议内容"), max_length=limits.TEXT, blank=True)
    # Contested (较大争议): by the convener, or when a dissent against it is kept after explanation.
    # It cannot be assigned until the assembly's vote (``vote_result``) decides it.
    contested_at = models.DateTimeField(_("列为争议事项时间"), null=True, blank=True)
    contested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contest_reason = models.CharField(_("争议说明"), max_length=200, blank=True)
    vote_result = models.CharField(_("表决结果"), max_length=10, choices=VoteResult.choices, blank=True)
    # The township government's correction (依法纠正): the legal basis; the new text replaces ``text``.
    corrected_at = models.DateTimeField(_("依法纠正时间"), null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    legal_basis = models.TextField(_("纠正依据"), max_length=limits.NOTE, blank=True)
    # The party committee and government's decision (采纳): adopted (then assigned), not adopted, deferred.
    decision = models.CharField(
        _("采纳情况"), max_length=15, choices=SuggestionDecision.choices, default=SuggestionDecision.PENDING
    )
    decision_reason = models.TextField(_("采纳说明"), max_length=limits.NOTE, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = history_records()
    objects = NotWithdrawn()
    all_objects = AllRows()

    class Meta:
        verbose_name = _("协商建议")
        verbose_name_plural = _("协商建议")
        ordering = ["order", "pk"]
        constraints = valid_choices("consultations_suggestion", decision=SuggestionDecision)

    def __str__(self):
        return self.text[:40]

    @property
    def is_contested(self) -> bool:
        return self.contested_at is not None

    @property
    def awaits_vote(self) -> bool:
        """Contested and not yet decided by the assembly: it cannot be assigned."""
        return self.contested_at is not None and not self.vote_result


class Dissent(models.Model):
    """A view that differs from the resolution, and the follow-up explanation to the person who holds it."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="dissents")
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The resolution item the view is against, when it is against one: kept after explanation, it
    # makes that item contested.
    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("针对的建议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dissents",
    )
    # By when the convener must explain (the session's end plus SHANGLIANG_DISSENT_EXPLAIN_DAYS).
    explain_due_on = models.DateField(_("解释期限"), null=True, blank=True)
    # The statement ticked 不同意见 in the session that this dissent was carried over from.
    statement = models.OneToOneField(Statement, null=True, blank=True, on_delete=models.PROTECT, related_name="dissent")
    holder = models.CharField(_("持不同意见者"), max_length=50)
    view = models.TextField(_("不同意见"), max_length=limits.TEXT)
    outcome = models.CharField(
        _("解释结果"), max_length=10, choices=ExplanationOutcome.choices, default=ExplanationOutcome.PENDING
    )
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("解释人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    explained_at = models.DateTimeField(_("解释时间"), null=True, blank=True)
    explanation_method = models.CharField(_("解释方式"), max_length=50, blank=True, help_text=_("如：入户、电话、座谈"))
    explanation = models.TextField(_("解释说明"), max_length=limits.NOTE, blank=True)
    # Withdrawn with the statement it came from (recorded by mistake): kept, left out of the lists.
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    history = history_records()
    objects = NotWithdrawn()
    all_objects = AllRows()

    class Meta:
        verbose_name = _("不同意见")
        verbose_name_plural = _("不同意见")
        ordering = ["pk"]
        constraints = valid_choices("consultations_dissent", outcome=ExplanationOutcome)

    def __str__(self):
        return f"{self.holder}: {self.view[:20]}"


class AssemblyVote(models.Model):
    """A contested matter put to the villagers' (representatives') assembly."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="votes")
    # The contested item the vote decides (older votes recorded the matter in words only).
    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("表决的建议"), null=True, blank=True, on_delete=models.PROTECT, related_name="votes"
    )
    body = models.CharField(_("表决会议"), max_length=20, choices=AssemblyBody.choices)
    held_on = models.DateField(_("表决日期"))
    matter = models.TextField(_("表决事项"), max_length=limits.NOTE)
    attendees = models.PositiveIntegerField(_("到会人数"))
    votes_for = models.PositiveIntegerField(_("赞成"))
    votes_against = models.PositiveIntegerField(_("反对"))
    abstentions = models.PositiveIntegerField(_("弃权"))
    decision = models.TextField(_("表决结果"), max_length=limits.NOTE)
    # Whom the quorum is counted against: the village's registered electorate (村民会议) or its
    # representatives (代表会议), as they stood on the day.
    eligible = models.PositiveIntegerField(_("应到人数"), null=True, blank=True)
    result = models.CharField(_("表决结论"), max_length=10, choices=VoteResult.choices, blank=True)
    changed_text = models.TextField(_("修改后的建议"), max_length=limits.TEXT, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = history_records()

    class Meta:
        verbose_name = _("会议表决")
        verbose_name_plural = _("会议表决")
        constraints = [
            models.CheckConstraint(
                condition=Q(attendees__gte=models.F("votes_for") + models.F("votes_against") + models.F("abstentions")),
                name="consultations_vote_counts_fit_attendance",
            )
        ]

    def __str__(self):
        return f"{self.get_body_display()} {self.held_on}"


class LegalReview(models.Model):
    """The township government's review of a village resolution (协商结果违反法律法规的，依法纠正)."""

    consultation = models.OneToOneField(
        Consultation, verbose_name=_("协商"), on_delete=models.PROTECT, related_name="legal_review"
    )
    verdict = models.CharField(_("审查结论"), max_length=10, choices=LegalVerdict.choices)
    opinion = models.TextField(_("审查意见"), max_length=limits.NOTE, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审查人"), on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审查时间"))
    history = history_records()

    class Meta:
        verbose_name = _("合法性审查")
        verbose_name_plural = _("合法性审查")
        constraints = valid_choices("consultations_legalreview", verdict=LegalVerdict)

    def __str__(self):
        return f"{self.consultation} · {self.get_verdict_display()}"


class ProcedureRules(models.Model):
    """A district's procedural safeguards: when a hearing is required, when the legal review is."""

    district = models.OneToOneField(
        Region,
        verbose_name=_("区（县）"),
        on_delete=models.PROTECT,
        related_name="procedure_rules",
        limit_choices_to={"level": "district"},
    )
    # 涉及面广、关注度高: any one condition met requires one of ``hearing_formats``.
    hearing_from_level = models.CharField(
        _("召集层级达到"),
        max_length=20,
        choices=ConveningLevel.choices,
        blank=True,
        help_text=_("该层级及以上召集的议题须采用下列形式；留空表示不按层级"),
    )
    hearing_min_villages = models.PositiveSmallIntegerField(
        _("涉及村（社区）数达到"), null=True, blank=True, help_text=_("留空表示不按村数")
    )
    hearing_min_supporters = models.PositiveIntegerField(
        _("附议人数达到"), null=True, blank=True, help_text=_("留空表示不按附议人数")
    )
    hearing_formats = models.ManyToManyField(
        SessionFormat,
        verbose_name=_("涉及面广的事项须采用的形式"),
        blank=True,
        related_name="+",
        help_text=_("如：专题议事会、民主听证会"),
    )
    legal_review = models.CharField(
        _("合法性审查"), max_length=15, choices=LegalReviewMode.choices, default=LegalReviewMode.OPTIONAL
    )
    legal_review_categories = models.ManyToManyField(
        Category, verbose_name=_("须审查的议题类别"), blank=True, related_name="+"
    )
    history = history_records(m2m_fields=[hearing_formats, legal_review_categories])

    class Meta:
        verbose_name = _("协商程序规则")
        verbose_name_plural = _("协商程序规则")
        constraints = valid_choices("consultations_procedurerules", legal_review=LegalReviewMode)

    def __str__(self):
        return str(self.district)
