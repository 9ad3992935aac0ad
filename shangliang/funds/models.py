"""The consultation fund (协商资金): each village's account, its income and its spending on consultations and outcomes.

003: 鼓励设立嘎查村(社区)协商资金,开立专门账户,专款专用于社区协商事务的运作和协商成果的落实.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shangliang.consultations.models import Consultation
from shangliang.core import limits
from shangliang.core.audit import history_records
from shangliang.core.constraints import valid_choices
from shangliang.core.models import ArchivableModel
from shangliang.funds.states import ApproverKind, Decision, Direction, EntryKind, EntryStatus
from shangliang.orgs.models import Region, Unit
from shangliang.outcomes.models import Assignment

# Yuan with fen; up to 9,999,999,999.99.
AMOUNT = {"max_digits": 12, "decimal_places": 2}
MIN_AMOUNT = Decimal("0.01")


class FundAccount(ArchivableModel):
    """A village's (community's) dedicated account for consultation money (协商资金专户): one open account each."""

    village = models.ForeignKey(
        Region,
        verbose_name=_("村（社区）"),
        on_delete=models.PROTECT,
        related_name="fund_accounts",
        limit_choices_to={"level": "village"},
    )
    name = models.CharField(_("账户名称"), max_length=100, help_text=_("如：某某村协商资金专户"))
    bank = models.CharField(_("开户银行"), max_length=100, blank=True)
    account_name = models.CharField(_("户名"), max_length=100, blank=True)
    account_number = models.CharField(_("账号"), max_length=40, blank=True, help_text=_("仅账户管理人员可见完整账号"))
    opened_on = models.DateField(_("开户日期"))
    keeper_unit = models.ForeignKey(
        Unit, verbose_name=_("管理单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("说明"), max_length=limits.NOTE, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = history_records()

    class Meta:
        verbose_name = _("协商资金账户")
        verbose_name_plural = _("协商资金账户")
        ordering = ["village__path", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["village"], condition=Q(is_archived=False), name="funds_one_open_account_per_village"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def masked_number(self) -> str:
        """The account number with all but its last four digits hidden: 6222 **** 1234."""
        digits = "".join(ch for ch in self.account_number if ch.isalnum())
        if not digits:
            return ""
        if len(digits) <= 4:
            return "****"
        return f"{digits[:4]} **** {digits[-4:]}"


class FundRule(ArchivableModel):
    """One approval step of a district's rules: from ``from_amount`` yuan up, ``approver`` must agree.

    The steps of a spending line are every active rule of its district whose amount it reaches, in the
    order of ``ApproverKind``. Without any rule the built-in default applies (``funds/rules.py``).
    """

    district = models.ForeignKey(
        Region,
        verbose_name=_("区（县）"),
        on_delete=models.PROTECT,
        related_name="fund_rules",
        limit_choices_to={"level": "district"},
    )
    approver = models.CharField(_("审批人"), max_length=30, choices=ApproverKind.choices)
    from_amount = models.DecimalField(
        _("起始金额（元）"),
        **AMOUNT,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("支出金额达到此数（含）时须经该审批人同意；填0表示每笔都须同意"),
    )
    history = history_records()

    class Meta:
        verbose_name = _("协商资金审批规则")
        verbose_name_plural = _("协商资金审批规则")
        ordering = ["district", "from_amount", "approver"]
        constraints = [
            *valid_choices("funds_rule", approver=ApproverKind),
            models.CheckConstraint(condition=Q(from_amount__gte=0), name="funds_rule_amount_not_negative"),
            models.UniqueConstraint(
                fields=["district", "approver"],
                condition=Q(archived_at__isnull=True),
                name="funds_rule_one_per_approver",
            ),
        ]

    def __str__(self):
        return f"{self.get_approver_display()} ≥ {self.from_amount}"


class FundEntry(models.Model):
    """One line of the ledger (台账): money received, or money spent on one consultation or one assigned item."""

    account = models.ForeignKey(FundAccount, verbose_name=_("账户"), on_delete=models.PROTECT, related_name="entries")
    # The line's number in its account, given in order as lines are entered (记账号).
    number = models.PositiveIntegerField(_("编号"))
    direction = models.CharField(_("收支"), max_length=10, choices=Direction.choices)
    kind = models.CharField(_("类别"), max_length=20, choices=EntryKind.choices)
    amount = models.DecimalField(_("金额（元）"), **AMOUNT, validators=[MinValueValidator(MIN_AMOUNT)])
    purpose = models.CharField(_("事由"), max_length=200)
    counterparty = models.CharField(
        _("对方单位"), max_length=100, help_text=_("付款或收款的单位名称，不填写个人姓名和电话")
    )
    # Income: the day it arrived. Spending: the day it was paid (empty until then).
    booked_on = models.DateField(_("记账日期"), null=True, blank=True)
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("关联协商"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_entries",
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("关联交办事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_entries",
    )
    voucher = models.FileField(_("凭证"), upload_to="funds/vouchers/%Y/%m/", blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=EntryStatus.choices)
    # The approval steps the district's rules required when it was requested, in order, and the one now due.
    steps = models.JSONField(_("审批步骤"), default=list, blank=True)
    next_step = models.CharField(_("待审批环节"), max_length=30, choices=ApproverKind.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    recorded_at = models.DateTimeField(_("入账时间"), null=True, blank=True)
    requested_at = models.DateTimeField(_("申请时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("支付登记时间"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refused_at = models.DateTimeField(_("未批准时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.TextField(_("撤回原因"), max_length=limits.NOTE, blank=True)
    # A correcting line (冲正) names the paid line it reverses; one-to-one, so a line is reversed once at most.
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲正的记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    reversal_reason = models.TextField(_("冲正原因"), max_length=limits.NOTE, blank=True)
    history = history_records()

    class Meta:
        verbose_name = _("收支记录")
        verbose_name_plural = _("收支记录")
        ordering = ["account", "number"]
        constraints = [
            *valid_choices("funds_entry", direction=Direction, kind=EntryKind, status=EntryStatus),
            models.UniqueConstraint(fields=["account", "number"], name="funds_entry_number_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_entry_amount_positive"),
            # Income is tied to nothing; spending to exactly one consultation or one assigned item.
            models.CheckConstraint(
                condition=(
                    Q(direction=Direction.INCOME, consultation__isnull=True, assignment__isnull=True)
                    | Q(direction=Direction.SPENDING, consultation__isnull=False, assignment__isnull=True)
                    | Q(direction=Direction.SPENDING, consultation__isnull=True, assignment__isnull=False)
                ),
                name="funds_entry_spending_is_tied",
            ),
            models.CheckConstraint(
                condition=~Q(status=EntryStatus.PAID) | Q(booked_on__isnull=False) & ~Q(voucher=""),
                name="funds_entry_paid_has_voucher_and_date",
            ),
            # A correcting line is a spending line naming the line it reverses, with its reason and date;
            # no other line names one.
            models.CheckConstraint(
                condition=(
                    Q(
                        status=EntryStatus.REVERSAL,
                        direction=Direction.SPENDING,
                        reverses__isnull=False,
                        booked_on__isnull=False,
                    )
                    & ~Q(reversal_reason="")
                )
                | (~Q(status=EntryStatus.REVERSAL) & Q(reverses__isnull=True)),
                name="funds_entry_reversal_names_its_line",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_step"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} {self.purpose}"

    def delete(self, *args, **kwargs):
        raise PermissionError("Official records are withdrawn, never deleted.")

    @property
    def is_income(self) -> bool:
        return self.direction == Direction.INCOME

    @property
    def is_reversal(self) -> bool:
        return self.status == EntryStatus.REVERSAL

    @property
    def signed_amount(self) -> Decimal:
        """What the line does to the balance: income and a correcting line add, spending takes away."""
        return self.amount if self.is_income or self.is_reversal else -self.amount

    @property
    def correction(self) -> "FundEntry | None":
        """The line that reversed this one (冲正), or None (no query after ``select_related("reversal")``)."""
        try:
            return self.reversal
        except FundEntry.DoesNotExist:
            return None


class FundApproval(models.Model):
    """One approval step taken on a spending line: who, when, their opinion (审批意见)."""

    entry = models.ForeignKey(FundEntry, on_delete=models.PROTECT, related_name="approvals")
    step = models.PositiveSmallIntegerField(_("环节"))
    approver_kind = models.CharField(_("审批环节"), max_length=30, choices=ApproverKind.choices)
    decision = models.CharField(_("意见"), max_length=10, choices=Decision.choices)
    opinion = models.TextField(_("审批意见"), max_length=limits.NOTE, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"))
    history = history_records()

    class Meta:
        verbose_name = _("审批记录")
        verbose_name_plural = _("审批记录")
        ordering = ["entry", "step"]
        constraints = [
            *valid_choices("funds_approval", approver_kind=ApproverKind, decision=Decision),
            models.UniqueConstraint(fields=["entry", "step"], name="funds_approval_once_per_step"),
        ]

    def __str__(self):
        return f"{self.get_approver_kind_display()} {self.get_decision_display()}"

    def delete(self, *args, **kwargs):
        raise PermissionError("Official records are never deleted.")
