"""Vocabularies and allowed moves of submissions and topics."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    RESIDENT = "resident", _("群众出题")  # a resident's submission through the form
    MEMBER = "member", _("委员荐题")  # recommended by a CPPCC member
    GOVERNMENT = "government", _("党政点题")  # assigned by the party committee or government
    GRID = "grid", _("网格上报")  # reported by a grid worker
    OFFLINE = "offline", _("线下收集")  # collected on paper, at a meeting, by a visit
    HOTLINE = "hotline", _("12345热线")  # a common problem from hotline records


STAFF_RECORDED_SOURCES = [Source.GOVERNMENT, Source.GRID, Source.OFFLINE, Source.HOTLINE]


class ExclusionReason(models.TextChoices):
    ILLEGAL = "illegal", _("违反宪法、法律法规或政策")  # (1)
    SECRET = "secret", _("依法应当保密")  # (2)
    LITIGATION = "litigation", _("已进入诉讼、复议或仲裁程序")  # (3)
    PETITION = "petition", _("已交信访部门办理")  # (4)
    ACCUSATION = "accusation", _("实名举报事项")  # (5)
    DISCIPLINE = "discipline", _("纪检监察机关正在调查")  # (6)
    ANSWERED = "answered", _("个人事项已由主管部门答复")  # (7)
    UNSUITABLE = "unsuitable", _("其他不宜协商的事项")  # (8)


# What the submitter reads on the tracking page, in plain words.
EXCLUSION_EXPLANATIONS = {
    ExclusionReason.ILLEGAL: _("您反映的事项与宪法、法律法规或现行政策相抵触，不能通过协商议事办理。"),
    ExclusionReason.SECRET: _("您反映的事项涉及依法应当保密的内容，不能公开协商。"),
    ExclusionReason.LITIGATION: _(
        "您反映的事项已进入诉讼、行政复议或仲裁程序，需要按照相应法定程序解决，协商议事不能替代这些程序。"
    ),
    ExclusionReason.PETITION: _("您反映的事项已作为信访事项交有关部门办理，请关注信访部门的答复。"),
    ExclusionReason.ACCUSATION: _("实名举报请向纪检监察机关或有关部门反映，协商议事不受理举报事项。"),
    ExclusionReason.DISCIPLINE: _("该事项正由纪检监察机关调查处理，不宜在协商议事中讨论。"),
    ExclusionReason.ANSWERED: _("该事项属于个人事项，主管部门已经作出答复；如有异议，请按答复中告知的途径办理。"),
    ExclusionReason.UNSUITABLE: _("经研究，该事项不适宜通过协商议事办理。"),
}


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待筛查")  # received, waiting for the station to screen it
    ACCEPTED = "accepted", _("已受理")  # eligible; waiting for verification and drafting
    EXCLUDED = "excluded", _("不纳入协商")  # ruled out under one of the eight reasons
    MERGED = "merged", _("已合并")  # joined to a similar submission; follows that one
    DRAFTED = "drafted", _("已转为议题")  # a topic was drafted from it; follows the topic
    # Solved directly by the village or station without a consultation (小事即时办结), saying how and by whom;
    # counts among the practical problems solved (docs/figures.md).
    SETTLED = "settled", _("已直接解决")


SUBMISSION_MOVES = {
    SubmissionStatus.SUBMITTED: {
        SubmissionStatus.ACCEPTED,
        SubmissionStatus.EXCLUDED,
        SubmissionStatus.MERGED,
        SubmissionStatus.SETTLED,
    },
    SubmissionStatus.ACCEPTED: {
        SubmissionStatus.DRAFTED,
        SubmissionStatus.EXCLUDED,
        SubmissionStatus.MERGED,
        SubmissionStatus.SETTLED,
    },
    # A wrong exclusion can be screened again.
    SubmissionStatus.EXCLUDED: {SubmissionStatus.SUBMITTED},
    SubmissionStatus.MERGED: set(),
    SubmissionStatus.DRAFTED: set(),
    SubmissionStatus.SETTLED: set(),
}

OPEN_SUBMISSION_STATUSES = [SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED]


class TopicStatus(models.TextChoices):
    DRAFT = "draft", _("拟定中")  # being verified and drafted by the station
    PENDING = "pending", _("待审定")  # waiting for the same-level party organisation
    RETURNED = "returned", _("退回补充")  # sent back for more work
    APPROVED = "approved", _("已审定")  # may go on to a consultation; public
    REJECTED = "rejected", _("不予审定")  # refused with a reason
    ESCALATED = "escalated", _("已提请乡镇协商")  # a village topic handed up; the township topic follows it


TOPIC_MOVES = {
    TopicStatus.DRAFT: {TopicStatus.PENDING, TopicStatus.ESCALATED},
    TopicStatus.PENDING: {
        TopicStatus.APPROVED,
        TopicStatus.REJECTED,
        TopicStatus.RETURNED,
        TopicStatus.ESCALATED,
    },
    TopicStatus.RETURNED: {TopicStatus.PENDING, TopicStatus.ESCALATED},
    # An approved village topic not yet consulted may still be handed up to the township (镇村联动).
    TopicStatus.APPROVED: {TopicStatus.ESCALATED},
    TopicStatus.REJECTED: set(),
    TopicStatus.ESCALATED: set(),
}


class Urgency(models.TextChoices):
    """缓急: how soon the matter must be talked over; urgent topics head the queues."""

    URGENT = "urgent", _("急")
    NORMAL = "normal", _("一般")
    LATER = "later", _("缓")


class Weight(models.TextChoices):
    """大小、轻重: how much the matter weighs for the people it touches."""

    MAJOR = "major", _("重大")
    ORDINARY = "ordinary", _("一般")
    MINOR = "minor", _("较小")


# The topic criteria (选题标准) recorded at drafting and shown to the approver: field → label.
CRITERIA = {
    "meets_party_needs": _("党政所需"),
    "meets_public_wishes": _("群众所盼"),
    "within_cppcc_reach": _("政协所能"),
    "within_members_reach": _("委员所为"),
}


class ConveningLevel(models.TextChoices):
    GRID = "grid", _("村民小组/网格召集")  # a villager group or grid, under its village
    VILLAGE = "village", _("村（社区）召集")  # the matter concerns one village
    TOWNSHIP = "township", _("乡镇（街道）党委召集")  # several villages of one township
    DISTRICT = "district", _("区（县）召集")  # several townships


class ApprovalRouteKind(models.TextChoices):
    """Who approves a topic (议题审定), as each district rules."""

    SAME_LEVEL = "same_level", _("同级党组织审定")  # the party organisation of exactly the convening region
    SAME_OR_HIGHER = "same_or_higher", _("同级或上级党组织审定")  # that one, or one above it
    CPPCC_COMMITTEE = "cppcc_committee", _("政协相关专委会确定")  # the CPPCC committee covering the region


# What a history row says happened (``core.audit``): stable codes, translated when shown.
AUDIT_REASONS = {
    "submission.submitted": _("提交"),
    "submission.screened": _("筛查"),
    "submission.reopened": _("重新筛查"),
    "submission.merged": _("合并"),
    # Solved at once by the village or the station, without a consultation (即时办结).
    "submission.settled": _("直接解决"),
    "submission.drafted": _("转为议题"),
    # The topic it follows was handed up to the township; it follows the township topic (镇村联动).
    "submission.escalated": _("随议题提请乡镇协商"),
    # A named submission joins the account whose mobile number it gave, when that account logs in.
    "submission.claimed": _("关联到账号"),
    "reply.added": _("答复"),
    "topic.drafted": _("拟定议题"),
    "topic.updated": _("修改议题"),
    "verification.added": _("核实"),
    "topic.submitted": _("提交审定"),
    "topic.approved": _("审定"),
    "topic.rejected": _("不予审定"),
    "topic.returned": _("退回补充"),
    "topic.escalated": _("提请乡镇协商"),
    "topic.escalation_received": _("由村（社区）提请的议题"),
    "approval_route.set": _("设置议题审定规则"),
    # Categories have no service: an administrator (or the demo) links the departments to invite.
    "category.units_set": _("设置主管单位"),
}
