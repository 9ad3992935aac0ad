"""Vocabularies and allowed moves of the consultation fund (协商资金).

003: 鼓励设立嘎查村(社区)协商资金,开立专门账户,专款专用于社区协商事务的运作和协商成果的落实.
Income (allocations, donations) is recorded as it arrives; spending is requested for one consultation or one
assigned item, approved by each step the district's rules name (``funds/rules.py``), then paid with its
voucher. Nothing is deleted: a line entered by mistake is withdrawn with a reason, and a paid line found wrong
afterwards is corrected by a line of its own (冲正, red-ink reversal) that puts the money back; the paid line
stays as it was and reads 已冲正.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    INCOME = "income", _("收入")
    SPENDING = "spending", _("支出")


class EntryKind(models.TextChoices):
    # Income
    ALLOCATION = "allocation", _("财政拨付")  # from the township or district budget
    DONATION = "donation", _("社会捐赠")  # from a company or a social organisation
    OTHER_INCOME = "other_income", _("其他收入")
    # Spending (专款专用: only these two uses)
    OPERATION = "operation", _("协商活动运作")  # running consultations: notices, materials, venue, experts
    IMPLEMENTATION = "implementation", _("成果落实")  # carrying out what a consultation decided


INCOME_KINDS = (EntryKind.ALLOCATION, EntryKind.DONATION, EntryKind.OTHER_INCOME)
SPENDING_KINDS = (EntryKind.OPERATION, EntryKind.IMPLEMENTATION)
KIND_DIRECTION = {**dict.fromkeys(INCOME_KINDS, Direction.INCOME), **dict.fromkeys(SPENDING_KINDS, Direction.SPENDING)}


class EntryStatus(models.TextChoices):
    RECORDED = "recorded", _("已入账")  # income, recorded as it arrived
    REQUESTED = "requested", _("待审批")  # spending asked for; its approval steps are under way
    APPROVED = "approved", _("已批准")  # every step approved; the money is committed, not yet paid
    PAID = "paid", _("已支付")  # paid, with its voucher
    REFUSED = "refused", _("未批准")  # a step refused it, with an opinion
    WITHDRAWN = "withdrawn", _("已撤回")  # withdrawn by the village (or an income line entered by mistake)
    # A correcting line (红字冲正): reverses one paid spending line, same kind, link and amount, with a reason.
    # It counts against the spending (the money comes back); the paid line it reverses is never changed.
    REVERSAL = "reversal", _("冲正")


ENTRY_MOVES = {
    EntryStatus.RECORDED: {EntryStatus.WITHDRAWN},
    EntryStatus.REQUESTED: {EntryStatus.APPROVED, EntryStatus.REFUSED, EntryStatus.WITHDRAWN},
    EntryStatus.APPROVED: {EntryStatus.PAID, EntryStatus.WITHDRAWN},
    EntryStatus.PAID: set(),
    EntryStatus.REFUSED: set(),
    EntryStatus.WITHDRAWN: set(),
    EntryStatus.REVERSAL: set(),
}

# Spending that holds money: approved and not yet paid (committed), and paid.
OPEN_SPENDING = frozenset({EntryStatus.REQUESTED, EntryStatus.APPROVED})


class ApproverKind(models.TextChoices):
    """Who takes one approval step; each is a role held at one level above (or at) the account's village.

    The order of the choices is the order of the steps."""

    VILLAGE_CONVENER = "village_convener", _("村（社区）召集人")
    VILLAGE_PARTY = "village_party", _("村（社区）党组织")
    TOWNSHIP_STATION = "township_station", _("乡镇（街道）联络站负责人")
    TOWNSHIP_PARTY = "township_party", _("乡镇（街道）党（工）委")
    DISTRICT_OFFICE = "district_office", _("区政协机关")


STEP_ORDER = list(ApproverKind.values)


class Decision(models.TextChoices):
    APPROVED = "approved", _("同意")
    REFUSED = "refused", _("不同意")


# What a history row says happened (``core.audit``): stable codes, translated when shown.
AUDIT_REASONS = {
    "fund_account.opened": _("开立协商资金账户"),
    "fund_account.updated": _("修改账户信息"),
    "fund_entry.income_recorded": _("登记收入"),
    "fund_entry.requested": _("申请支出"),
    "fund_entry.step_approved": _("审批同意"),
    "fund_entry.approved": _("审批通过"),
    "fund_entry.refused": _("审批不同意"),
    "fund_entry.paid": _("支付"),
    "fund_entry.voucher_attached": _("上传凭证"),
    "fund_entry.withdrawn": _("撤回"),
    "fund_entry.reversal_recorded": _("登记冲正"),
    "fund_approval.recorded": _("记录审批意见"),
    "fund_rule.changed": _("修改审批规则"),
}
