"""Vocabularies and allowed moves of a consultation (明确主体 → 商前调研 → 开展协商)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    OFFLINE = "offline", _("线下")  # in the consultation room
    ONLINE = "online", _("线上")  # on the consultation's page (云协商)
    HYBRID = "hybrid", _("线上线下结合")  # both


class ConsultationStatus(models.TextChoices):
    PLANNED = "planned", _("筹备中")  # planning, picking participants, research
    NOTIFIED = "notified", _("已通知")  # advance notice sent to every participant
    IN_SESSION = "in_session", _("协商中")  # the session is open: sign-in, statements, online posts
    HELD = "held", _("已召开")  # the session is closed; minutes and resolution being written
    CONCLUDED = "concluded", _("已形成协商意见")  # the resolution is agreed by the convener
    CANCELLED = "cancelled", _("已取消")  # called off, with a reason


CONSULTATION_MOVES = {
    ConsultationStatus.PLANNED: {ConsultationStatus.NOTIFIED, ConsultationStatus.CANCELLED},
    ConsultationStatus.NOTIFIED: {ConsultationStatus.IN_SESSION, ConsultationStatus.CANCELLED},
    ConsultationStatus.IN_SESSION: {ConsultationStatus.HELD},
    ConsultationStatus.HELD: {ConsultationStatus.CONCLUDED},
    ConsultationStatus.CONCLUDED: set(),
    ConsultationStatus.CANCELLED: set(),
}


class ParticipantCategory(models.TextChoices):
    RESIDENT = "resident", _("居（村）民代表")  # registered or non-registered residents
    STAKEHOLDER = "stakeholder", _("利益相关方")  # those the matter touches directly
    VILLAGE_CADRE = "village_cadre", _("村（社区）两委成员")  # village party and committee members
    GRID_HEAD = "grid_head", _("村民小组长/网格长")  # group and grid heads
    TOWNSHIP = "township", _("乡镇（街道）干部")  # township government
    UNIT = "unit", _("职能部门/驻村单位")  # departments and units based in the village
    MEMBER = "member", _("政协委员")  # CPPCC members
    DEPUTY = "deputy", _("党代表/人大代表")  # party and people's congress deputies
    EXPERT = "expert", _("专家/第三方")  # experts and third-party bodies
    SOCIAL = "social", _("社会组织/业委会/物业/合作社")  # social and economic organisations
    ELDER = "elder", _("老党员/老干部/乡贤")  # respected old party members and cadres


# Residents and stakeholders are whom the matter touches; the check compares them with the rest.
AFFECTED_CATEGORIES = frozenset({ParticipantCategory.RESIDENT, ParticipantCategory.STAKEHOLDER})


class SignInVia(models.TextChoices):
    """How a participant's attendance was recorded; 实到 and attendance points count only these."""

    STAFF = "staff", _("工作人员代签")  # at the desk, on the staff member's word
    OWN_LINK = "own_link", _("本人通知链接")  # the participant's own notice link, in the window
    ACCOUNT = "account", _("本人账号")  # the account bound to the participant, at the door in the window
    CODE = "code", _("短信验证码")  # the door QR, by number with a code sent to that number


class NoticeMeans(models.TextChoices):
    """How a notice reached someone no message can reach (no mobile, no account)."""

    PRINTED = "printed", _("纸质通知送达")
    PHONE = "phone", _("电话通知")
    IN_PERSON = "in_person", _("当面告知")
    OTHER = "other", _("其他方式")


class Rsvp(models.TextChoices):
    PENDING = "pending", _("未回复")
    YES = "yes", _("参加")
    NO = "no", _("不参加")


class Stance(models.TextChoices):
    SUPPORT = "support", _("赞成")
    OPPOSE = "oppose", _("反对")
    NEUTRAL = "neutral", _("中立")
    SUGGEST = "suggest", _("提出建议")


class ExplanationOutcome(models.TextChoices):
    PENDING = "pending", _("待解释")  # nobody has explained yet
    ACCEPTED = "accepted", _("已理解认可")  # the person accepts the explanation
    RESERVED = "reserved", _("仍保留意见")  # the person keeps their view; may go to a vote
    # No explanation could be given (the person refused to meet, moved away); the convener records why.
    UNABLE = "unable", _("未能解释（已说明原因）")


# An explanation is given once: accepted, kept (the item may go to a vote) or not possible, with why.
EXPLANATION_MOVES = {
    ExplanationOutcome.PENDING: {ExplanationOutcome.ACCEPTED, ExplanationOutcome.RESERVED, ExplanationOutcome.UNABLE},
    ExplanationOutcome.ACCEPTED: set(),
    ExplanationOutcome.RESERVED: set(),
    ExplanationOutcome.UNABLE: set(),
}

# Answered: the matter may move on (report, publication) once no dissent is still PENDING.
ANSWERED_OUTCOMES = frozenset({ExplanationOutcome.ACCEPTED, ExplanationOutcome.RESERVED, ExplanationOutcome.UNABLE})


class VoteResult(models.TextChoices):
    """What the assembly's vote decided for a contested item (提交村（居）民会议或代表会议决定)."""

    ADOPTED = "adopted", _("表决通过")  # the item stands as written
    CHANGED = "changed", _("修改后通过")  # the item stands as the assembly changed it
    DROPPED = "dropped", _("表决未通过，不予实施")  # the item is dropped


class SuggestionDecision(models.TextChoices):
    """The party committee and government's decision on a suggestion (采纳、落实和反馈机制)."""

    PENDING = "pending", _("待决定")
    ADOPTED = "adopted", _("采纳")  # then assigned to a unit
    NOT_ADOPTED = "not_adopted", _("不予采纳")  # with the reason, told to the people concerned
    DEFERRED = "deferred", _("暂缓采纳")  # with the reason; may be decided again later


# A deferred item is decided again later; adopted and not adopted are final.
DECISION_MOVES = {
    SuggestionDecision.PENDING: {
        SuggestionDecision.ADOPTED,
        SuggestionDecision.NOT_ADOPTED,
        SuggestionDecision.DEFERRED,
    },
    SuggestionDecision.DEFERRED: {SuggestionDecision.ADOPTED, SuggestionDecision.NOT_ADOPTED},
    SuggestionDecision.ADOPTED: set(),
    SuggestionDecision.NOT_ADOPTED: set(),
}


class LegalReviewMode(models.TextChoices):
    """Whether the township's legal review of village resolutions is required (依法纠正)."""

    OPTIONAL = "optional", _("可选")
    ALL = "all", _("村（社区）协商结果均须审查")
    CATEGORIES = "categories", _("指定类别须审查")


class LegalVerdict(models.TextChoices):
    PASSED = "passed", _("审查通过")
    CORRECTED = "corrected", _("已依法纠正")


class AssemblyBody(models.TextChoices):
    VILLAGERS = "villagers", _("村（居）民会议")
    REPRESENTATIVES = "representatives", _("村（居）民代表会议")


# What a history row says happened (``core.audit``): stable codes, translated when shown.
AUDIT_REASONS = {
    "consultation.planned": _("安排协商"),
    "consultation.updated": _("修改协商安排"),
    "consultation.cancelled": _("取消协商"),
    "consultation.rescheduled": _("协商改期并重新通知"),
    "participant.notified_other_means": _("已通过其他方式通知"),
    "participant.volunteered": _("自愿报名"),
    "participant.invited": _("邀请参与"),
    "participant.claimed": _("通过个人通知链接关联账号"),
    "participant.removed": _("移除参与人员"),
    "participant.member_confirmed": _("确认为政协委员"),
    "research.added": _("商前调研"),
    "consultation.notified": _("发出事先知情通报"),
    "participant.answered": _("回复是否参加"),
    "consultation.opened": _("开始协商"),
    "participant.signed_in": _("签到"),
    "statement.added": _("记录发言"),
    "statement.updated": _("更正发言记录"),
    "statement.withdrawn": _("撤回发言记录"),
    "statement.solved_on_spot": _("标记当场解决"),
    "statement.solve_undone": _("撤销当场解决标记"),
    "suggestion.solved_on_spot": _("标记当场解决"),
    "suggestion.solve_undone": _("撤销当场解决标记"),
    "post.added": _("网上发表意见"),
    "post.hidden": _("隐藏网上意见"),
    "participant.joined_online": _("网上参与"),
    "consultation.closed": _("结束协商"),
    "consultation.minutes_updated": _("修改纪要"),
    "consultation.minutes_confirmed": _("确认纪要"),
    "suggestion.added": _("整理协商建议"),
    "suggestion.updated": _("修改协商建议"),
    "suggestion.withdrawn": _("撤回协商建议"),
    "dissent.added": _("记录不同意见"),
    "dissent.carried": _("发言中的不同意见转入"),
    "dissent.view_updated": _("随发言修改不同意见"),
    "dissent.withdrawn": _("随发言撤回不同意见"),
    "dissent.explained": _("解释说明"),
    "assembly_vote.added": _("会议表决"),
    "dissent.due_set": _("确定解释期限"),
    "suggestion.contested": _("列为争议事项"),
    "suggestion.uncontested": _("取消争议标记"),
    "suggestion.voted": _("按表决结果处理建议"),
    "suggestion.corrected": _("依法纠正"),
    "legal_review.recorded": _("合法性审查"),
    "procedure_rules.set": _("设置协商程序规则"),
    "suggestion.decided": _("采纳决定"),
    "consultation.concluded": _("形成协商意见"),
}
