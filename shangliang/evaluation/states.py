"""Vocabularies of the evaluation stage (评估质效)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class RatingChannel(models.TextChoices):
    ONLINE = "online", _("网上评议")  # the resident rated on their phone
    VISIT = "visit", _("入户走访")  # staff asked at the door
    MEETING = "meeting", _("座谈会")  # gathered at a meeting
    QUESTIONNAIRE = "questionnaire", _("纸质问卷")  # paper questionnaire typed in


# Channels staff type in on the residents' behalf.
STAFF_CHANNELS = frozenset({RatingChannel.VISIT, RatingChannel.MEETING, RatingChannel.QUESTIONNAIRE})


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("回访重办中")  # too many residents were unsatisfied; the matter is taken up again
    DONE = "done", _("已回访")  # the follow-up is finished, with what was done


FOLLOW_UP_MOVES = {
    FollowUpStatus.OPEN: {FollowUpStatus.DONE},
    FollowUpStatus.DONE: set(),
}


class FollowUpReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("到期前提醒")  # N days before the follow-up's deadline, to the convener
    OVERDUE = "overdue", _("逾期提醒")  # the day after it passed, to the convener and the supervisors


# What a history row says happened (``core.audit``): stable codes, translated when shown.
AUDIT_REASONS = {
    "rating.submitted": _("群众评议"),
    "rating.marked_doubtful": _("标记为存疑"),
    "rating.counted_again": _("取消存疑"),
    "follow_up.opened": _("不满意比例超过阈值，启动回访重办"),
    "follow_up.closed": _("回访重办完成"),
    "third_party_evaluation.added": pgettext_lazy("assessment", "第三方评估"),
    "typical_case.published": _("发布典型案例"),
    "typical_case.updated": _("更新典型案例"),
    "typical_case.withdrawn": _("撤回典型案例"),
}
