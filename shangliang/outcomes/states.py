"""Vocabularies and allowed moves of outcomes (报送成果 → 转化落实 → 公开)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    CONSULTATION_REPORT = "consultation_report", _("协商报告")  # to the party committee / government
    PROPOSAL = "proposal", _("政协提案")  # a formal CPPCC proposal
    OPINION_BULLETIN = "opinion_bulletin", _("社情民意信息")  # a CPPCC public-opinion bulletin


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")  # written, not yet sent
    SENT = "sent", _("已报送")  # sent to the recipient; a reply may be due
    REPLIED = "replied", _("已书面答复")  # the written reply is recorded


REPORT_MOVES = {
    ReportStatus.DRAFT: {ReportStatus.SENT},
    ReportStatus.SENT: {ReportStatus.REPLIED},
    ReportStatus.REPLIED: set(),
}


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("已交办")  # handed to the unit, waiting for it to accept
    ACCEPTED = "accepted", _("办理中")  # the unit accepted and is working on it
    FINISHED = "finished", _("办结待验收")  # the unit reports it finished; waiting for the check (验收)
    DONE = "done", _("已办结")  # finished, with evidence, and accepted on check
    DEFERRED = "deferred", _("暂缓办理")  # cannot be done now; explained to the people concerned
    RETURNED = "returned", _("已退回")  # the unit returned a wrongly assigned item, with a reason


ASSIGNMENT_MOVES = {
    AssignmentStatus.ASSIGNED: {AssignmentStatus.ACCEPTED, AssignmentStatus.RETURNED},
    AssignmentStatus.ACCEPTED: {AssignmentStatus.FINISHED, AssignmentStatus.DEFERRED},
    # The check: accepted as done, or sent back to the unit with a reason.
    AssignmentStatus.FINISHED: {AssignmentStatus.DONE, AssignmentStatus.ACCEPTED},
    AssignmentStatus.DEFERRED: {AssignmentStatus.ACCEPTED},
    AssignmentStatus.DONE: set(),
    AssignmentStatus.RETURNED: set(),
}

# An item still owed by its unit: reminders and the overdue board look at these.
OPEN_ASSIGNMENT = frozenset({AssignmentStatus.ASSIGNED, AssignmentStatus.ACCEPTED})
# An item whose unit has answered for good or explained why not (counts towards completion).
CLOSED_ASSIGNMENT = frozenset({AssignmentStatus.DONE, AssignmentStatus.DEFERRED})


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")  # asked by the unit
    APPROVED = "approved", _("已同意")  # the deadline moved
    REFUSED = "refused", _("未同意")  # the deadline stays


EXTENSION_MOVES = {
    ExtensionStatus.PENDING: {ExtensionStatus.APPROVED, ExtensionStatus.REFUSED},
    ExtensionStatus.APPROVED: set(),
    ExtensionStatus.REFUSED: set(),
}


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("到期前提醒")  # N days before the deadline, to the unit's liaisons
    OVERDUE = "overdue", _("逾期提醒")  # the day after the deadline passed, to liaisons and supervisor
    HEAD_NOTICE = "head_notice", _("督办通知（单位负责人）")  # still overdue: to the unit's head
    DISTRICT_BOARD = "district_board", _("列入全区逾期通报")  # still overdue: listed on the district board


# Escalation order; each step is sent once per deadline.
ESCALATION = [ReminderKind.DUE_SOON, ReminderKind.OVERDUE, ReminderKind.HEAD_NOTICE, ReminderKind.DISTRICT_BOARD]


class PublicChannel(models.TextChoices):
    BOARD = "board", _("公开栏")
    ONLINE = "online", _("网上公开")
    PRINT = "print", _("印发材料")
    RADIO = "radio", _("广播")
    TV = "tv", _("电视")
    MEETING = "meeting", _("会议通报")


class FeedbackEvent(models.TextChoices):
    ASSIGNED = "assigned", _("已交办")
    PROGRESS = "progress", _("有新进展")
    DONE = "done", _("已办结")
    DEFERRED = "deferred", _("暂缓办理")
    PUBLISHED = "published", _("结果已公开")
    # The decision on a suggestion (outcomes/decisions.py).
    ADOPTED = "adopted", _("建议已采纳")
    NOT_ADOPTED = "not_adopted", _("不予采纳")
    DECISION_DEFERRED = "decision_deferred", _("暂缓采纳")
    # The township government corrected items of the resolution (consultations/legal.py).
    CORRECTED = "corrected", _("建议经依法纠正")


# What a history row says happened (``core.audit``): stable codes, translated when shown.
AUDIT_REASONS = {
    "report.drafted": _("起草成果报送"),
    "report.updated": _("修改成果报送"),
    "report.sent": _("报送"),
    "report.replied": _("记录书面答复"),
    "assignment.assigned": _("交办"),
    "assignment.accepted": _("签收"),
    "assignment.returned": _("退回"),
    "progress.added": _("填报进展"),
    "measure.added": _("填报落实成果"),
    "measure.withdrawn": _("撤回落实成果"),
    "assignment.done": _("办结"),
    "assignment.checked": _("验收通过"),
    "assignment.sent_back": _("验收退回"),
    "assignment.deferred": _("暂缓办理"),
    "assignment.resumed": _("恢复办理"),
    "assignment.extended": _("同意延期"),
    "extension.requested": _("申请延期"),
    "extension.approved": ExtensionStatus.APPROVED.label,
    "extension.refused": ExtensionStatus.REFUSED.label,
    "publication.published": _("公开结果"),
    "publication.updated": _("更新公开内容"),
}
