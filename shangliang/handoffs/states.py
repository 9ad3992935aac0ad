"""Vocabularies and allowed moves of hand-offs to other channels (制度衔接)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """The channels community consultation links with (003: 加强社区协商与政党协商、人大协商、政府协商、政协协商、
    人民团体协商、社会组织协商的制度衔接), and the 12345 hotline (002)."""

    PARTY = "party", _("政党协商")
    CONGRESS = "congress", _("人大协商")
    # Including a matter handed to a government department to deal with directly (转交政府部门直接办理).
    GOVERNMENT = "government", _("政府协商")
    CPPCC = "cppcc", _("政协提案")
    PEOPLES_ORG = "peoples_org", _("人民团体协商")
    SOCIAL_ORG = "social_org", _("社会组织协商")
    HOTLINE = "hotline", _("12345热线")


# Whom each channel usually goes to, offered as a hint on the form.
CHANNEL_HINTS = {
    Channel.PARTY: _("如：镇党委、村党组织"),
    Channel.CONGRESS: _("如：镇人大主席团、区人大代表联络站"),
    Channel.GOVERNMENT: _("如：镇政府、区住建局（转交政府部门直接办理）"),
    Channel.CPPCC: _("如：区政协提案委员会"),
    Channel.PEOPLES_ORG: _("如：区总工会、团区委、区妇联"),
    Channel.SOCIAL_ORG: _("如：区社会组织服务中心、志愿者协会"),
    Channel.HOTLINE: _("如：12345政务服务便民热线"),
}


class HandoffStatus(models.TextChoices):
    HANDED = "handed", _("已转交，待答复")
    ANSWERED = "answered", _("已答复")
    WITHDRAWN = "withdrawn", _("已撤回")


HANDOFF_MOVES = {
    HandoffStatus.HANDED: {HandoffStatus.ANSWERED, HandoffStatus.WITHDRAWN},
    HandoffStatus.ANSWERED: set(),
    HandoffStatus.WITHDRAWN: set(),
}

# A live hand-off settles the matter through its channel; a withdrawn one gives it back.
LIVE_STATUSES = (HandoffStatus.HANDED, HandoffStatus.ANSWERED)


class Subject(models.TextChoices):
    """What was handed off: exactly one of these is set on a hand-off."""

    SUBMISSION = "submission", _("群众诉求")
    TOPIC = "topic", _("议题")
    SUGGESTION = "suggestion", _("协商建议")


# What a history row says happened (``core.audit``).
AUDIT_REASONS = {
    "handoff.handed": _("转交其他渠道"),
    "handoff.answered": _("记录转交答复"),
    "handoff.withdrawn": _("撤回转交"),
}
