"""Vocabularies of the assessment (考核) and the committees' inspections (督导)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionKind(models.TextChoices):
    RESEARCH_VISIT = "research_visit", _("月度调研")  # a committee's research visit, due every month
    FULL_INSPECTION = "full_inspection", _("半年全面督导")  # a full inspection, due every half year


class Component(models.TextChoices):
    """The four parts of a station's score; each is a real outcome, never a count of documents filed."""

    CONSULTATIONS = "consultations", _("开展协商")  # consultations concluded in the year against the target
    ON_TIME = "on_time", _("建议按期落实")  # items due in the year implemented by their deadline
    REPLIES = "replies", _("十日内书面答复")  # entrusted reports answered in writing by the due date
    SATISFACTION = "satisfaction", _("群众满意度")  # residents' satisfaction with the result


class MonthState(models.TextChoices):
    """What one month (or half year) of a contact link's schedule shows."""

    DONE = "done", _("已完成")  # at least one inspection of the kind was recorded in it
    GAP = "gap", _("缺失")  # the period is over and nothing was recorded
    DUE = "due", _("进行中")  # the current period: still time to go
    FUTURE = "future", _("未到")  # not yet begun
    NOT_LINKED = "not_linked", _("未联系")  # the link did not exist during the period


# What a history row says happened (``core.audit``): stable codes, translated when shown.
AUDIT_REASONS = {
    "target.set": _("设定年度目标任务"),
    "target.changed": _("修改年度目标任务"),
    "scheme.set": _("设定考核办法"),
    "scheme.changed": _("修改考核办法"),
    "inspection.recorded": _("录入督导记录"),
}
