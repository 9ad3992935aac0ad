"""Writes of the consultation fund: the account, income, spending requests, approval steps, payment, withdrawal,
and the correction (冲正) of a paid line.

Every action that moves money or commits it locks the account's row first, so two approvals or payments
at the same moment cannot both pass the balance check: the money never goes negative. Refusals raise
``DomainError`` in words, next to the field they concern.
"""

import re
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core.errors import DomainError
from shangliang.core.notify import Kind, active_users, notify
from shangliang.core.records import save_record
from shangliang.core.transitions import ensure_move, transition
from shangliang.funds import permissions, rules, selectors
from shangliang.funds.models import FundAccount, FundApproval, FundEntry
from shangliang.funds.states import (
    ENTRY_MOVES,
    INCOME_KINDS,
    SPENDING_KINDS,
    Decision,
    Direction,
    EntryStatus,
)
from shangliang.orgs.models import ScopedRole
from shangliang.orgs.states import RegionLevel

# An eleven-digit mobile number: the ledger names organisations, never a private person's phone.
MOBILE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def _no_phone(**texts) -> None:
    for field, text in texts.items():
        if MOBILE_IN_TEXT.search(text or ""):
            raise DomainError(_("请不要填写个人手机号码，台账只记录单位名称和事由。"), field=field)


def _locked(account: FundAccount) -> FundAccount:
    """The account row, locked until the end of the transaction (PostgreSQL; SQLite writes one at a time)."""
    return FundAccount.objects.select_for_update(of=("self",)).select_related("village").get(pk=account.pk)


def _locked_entry(entry: FundEntry) -> tuple[FundAccount, FundEntry]:
    account = _locked(entry.account)
    fresh = FundEntry.objects.select_for_update(of=("self",)).get(pk=entry.pk)
    fresh.account = account
    return account, fresh


def _next_number(account: FundAccount) -> int:
    last = account.entries.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def entry_url(entry: FundEntry) -> str:
    return reverse("funds:entry", args=[entry.pk])


# --- the account ---------------------------------------------------------------------------


@transaction.atomic
def account_open(
    *,
    actor,
    village,
    name: str,
    opened_on,
    bank: str = "",
    account_name: str = "",
    account_number: str = "",
    keeper_unit=None,
    note: str = "",
) -> FundAccount:
    """Open a village's dedicated account (开立专门账户); a village has one open account at a time."""
    if village.level != RegionLevel.VILLAGE:
        raise DomainError(_("协商资金账户只能为村（社区）开立。"), field="village")
    if FundAccount.objects.filter(village=village, is_archived=False).exists():
        raise DomainError(_("该村（社区）已有协商资金账户。"), field="village")
    account = FundAccount(
        village=village,
        name=name,
        opened_on=opened_on,
        bank=bank,
        account_name=account_name,
        account_number=account_number,
        keeper_unit=keeper_unit,
        note=note,
        created_by=actor,
    )
    return save_record(account, actor=actor, reason="fund_account.opened")


ACCOUNT_FIELDS = ("name", "bank", "account_name", "account_number", "opened_on", "keeper_unit", "note")


@transaction.atomic
def account_update(*, actor, account: FundAccount, **changes) -> FundAccount:
    account = _locked(account)
    for field, value in changes.items():
        if field not in ACCOUNT_FIELDS:
            raise ValueError(f"{field} cannot be changed here")
        setattr(account, field, value)
    return save_record(account, actor=actor, reason="fund_account.updated")


# --- income --------------------------------------------------------------------------------


@transaction.atomic
def income_record(
    *, actor, account: FundAccount, kind: str, amount: Decimal, booked_on, purpose: str, counterparty: str, voucher=None
) -> FundEntry:
    """Record money received (财政拨付, 社会捐赠, 其他): it counts in the balance at once."""
    if kind not in INCOME_KINDS:
        raise DomainError(_("请选择收入类别。"), field="kind")
    _no_phone(purpose=purpose, counterparty=counterparty)
    account = _locked(account)
    now = timezone.now()
    entry = FundEntry(
        account=account,
        number=_next_number(account),
        direction=Direction.INCOME,
        kind=kind,
        amount=amount,
        booked_on=booked_on,
        purpose=purpose,
        counterparty=counterparty,
        status=EntryStatus.RECORDED,
        created_by=actor,
        recorded_at=now,
    )
    if voucher:
        entry.voucher = voucher
    return save_record(entry, actor=actor, reason="fund_entry.income_recorded")


# --- spending ------------------------------------------------------------------------------


def _check_link(account: FundAccount, consultation, assignment) -> None:
    if (consultation is None) == (assignment is None):
        raise DomainError(_("每笔支出须关联一场协商或一项交办事项（只选一项）。"), field="link")
    village = account.village
    if consultation is not None and not permissions.village_consultations(village).filter(pk=consultation.pk).exists():
        raise DomainError(_("只能关联本村（社区）召集的协商。"), field="link")
    if assignment is not None and not permissions.village_assignments(village).filter(pk=assignment.pk).exists():
        raise DomainError(_("只能关联本村（社区）协商的交办事项。"), field="link")


def step_holders(account: FundAccount, approver: str) -> list:
    """The accounts that take step ``approver`` for ``account``'s village."""
    role, _level = rules.APPROVER_ROLES[approver]
    region_id = rules.step_region_id(account.village, approver)
    grants = ScopedRole.objects.filter(role=role, region_id=region_id, revoked_at__isnull=True).select_related("user")
    return active_users(g.user for g in grants)


def _ask_step(entry: FundEntry) -> None:
    """Tell the holders of the line's current step that it waits for them (also on their home page)."""
    notify(
        kind=Kind.REMINDER,
        reason=f"fund_entry.step:{entry.pk}:{entry.next_step}",
        recipients=step_holders(entry.account, entry.next_step),
        title=_("协商资金支出待审批：%(purpose)s") % {"purpose": entry.purpose},
        body=_("%(village)s申请支出%(amount)s元（%(kind)s）。")
        % {"village": entry.account.village.name, "amount": _yuan(entry.amount), "kind": entry.get_kind_display()},
        url=entry_url(entry),
    )


def _tell_requester(entry: FundEntry, title: str) -> None:
    """Tell whoever asked what became of the request: feedback on their own request, not a to-do."""
    notify(
        kind=Kind.FEEDBACK,
        reason=f"fund_entry.{entry.status}:{entry.pk}",
        recipients=active_users([entry.created_by]),
        title=title,
        body=entry.purpose,
        url=entry_url(entry),
    )


@transaction.atomic
def spending_request(
    *,
    actor,
    account: FundAccount,
    kind: str,
    amount: Decimal,
    purpose: str,
    counterparty: str,
    consultation=None,
    assignment=None,
    voucher=None,
) -> FundEntry:
    """Ask to spend on one consultation (its running) or one assigned item (carrying out an outcome).

    The district's rules at this moment fix the approval steps; the first step's approvers are told.
    A request may exceed the money in hand (it may wait for an allocation); approval may not.
    """
    if kind not in SPENDING_KINDS:
        raise DomainError(_("请选择支出用途。"), field="kind")
    _no_phone(purpose=purpose, counterparty=counterparty)
    account = _locked(account)
    _check_link(account, consultation, assignment)
    steps = rules.steps_for(account.village, amount)
    entry = FundEntry(
        account=account,
        number=_next_number(account),
        direction=Direction.SPENDING,
        kind=kind,
        amount=amount,
        purpose=purpose,
        counterparty=counterparty,
        consultation=consultation,
        assignment=assignment,
        status=EntryStatus.REQUESTED,
        steps=steps,
        next_step=steps[0],
        created_by=actor,
        requested_at=timezone.now(),
    )
    if voucher:
        entry.voucher = voucher
    save_record(entry, actor=actor, reason="fund_entry.requested")
    _ask_step(entry)
    return entry


def _check_available(account: FundAccount, entry: FundEntry) -> None:
    """Refuse committing ``entry`` when the money not yet paid out or committed elsewhere does not cover it."""
    totals = selectors.account_totals(account, exclude_pk=entry.pk)
    if entry.amount > totals.available:
        raise DomainError(
            _(
                "账户余额不足：可用余额%(available)s元（余额%(balance)s元，已批准未支付%(committed)s元），本笔%(amount)s元。"
            )
            % {
                "available": _yuan(totals.available),
                "balance": _yuan(totals.balance),
                "committed": _yuan(totals.committed),
                "amount": _yuan(entry.amount),
            }
        )


def _check_approver(actor, entry: FundEntry) -> None:
    if not rules.may_take_step(actor, entry.account.village, entry.next_step):
        raise DomainError(_("这一环节应由%(step)s审批。") % {"step": entry.get_next_step_display()})
    if actor.pk == entry.created_by_id:
        raise DomainError(_("申请人不能审批自己的申请，请由其他审批人审批。"))
    if entry.approvals.filter(decided_by=actor).exists():
        raise DomainError(_("同一笔支出的各审批环节须由不同的人审批。"))


@transaction.atomic
def entry_approve(*, actor, entry: FundEntry, opinion: str = "", now=None) -> FundEntry:
    """Agree at the line's current step; after the last step the line is approved (the money committed)."""
    account, entry = _locked_entry(entry)
    ensure_move(entry, to=EntryStatus.APPROVED, moves=ENTRY_MOVES)
    _check_approver(actor, entry)
    _check_available(account, entry)
    now = now or timezone.now()
    index = entry.steps.index(entry.next_step)
    approval = FundApproval(
        entry=entry,
        step=index + 1,
        approver_kind=entry.next_step,
        decision=Decision.APPROVED,
        opinion=opinion,
        decided_by=actor,
        decided_at=now,
    )
    save_record(approval, actor=actor, reason="fund_approval.recorded", note=opinion)
    if index + 1 < len(entry.steps):
        entry.next_step = entry.steps[index + 1]
        save_record(entry, actor=actor, reason="fund_entry.step_approved", note=opinion)
        _ask_step(entry)
        return entry
    transition(
        entry,
        to=EntryStatus.APPROVED,
        moves=ENTRY_MOVES,
        actor=actor,
        reason="fund_entry.approved",
        note=opinion,
        changes={"next_step": ""},
        now=now,
    )
    _tell_requester(entry, _("协商资金支出已批准：%(purpose)s") % {"purpose": entry.purpose})
    return entry


@transaction.atomic
def entry_refuse(*, actor, entry: FundEntry, opinion: str, now=None) -> FundEntry:
    """Refuse at the line's current step, with the reason; the line stops there."""
    if not (opinion or "").strip():
        raise DomainError(_("请写明不同意的理由。"), field="opinion")
    _account, entry = _locked_entry(entry)
    ensure_move(entry, to=EntryStatus.REFUSED, moves=ENTRY_MOVES)
    _check_approver(actor, entry)
    now = now or timezone.now()
    save_record(
        FundApproval(
            entry=entry,
            step=entry.steps.index(entry.next_step) + 1,
            approver_kind=entry.next_step,
            decision=Decision.REFUSED,
            opinion=opinion,
            decided_by=actor,
            decided_at=now,
        ),
        actor=actor,
        reason="fund_approval.recorded",
        note=opinion,
    )
    transition(
        entry,
        to=EntryStatus.REFUSED,
        moves=ENTRY_MOVES,
        actor=actor,
        reason="fund_entry.refused",
        note=opinion,
        changes={"next_step": ""},
        now=now,
    )
    _tell_requester(entry, _("协商资金支出未获批准：%(purpose)s") % {"purpose": entry.purpose})
    return entry


@transaction.atomic
def entry_pay(*, actor, entry: FundEntry, paid_on, voucher=None, now=None) -> FundEntry:
    """Register the payment of an approved line, with its voucher (凭证): the money leaves the balance."""
    account, entry = _locked_entry(entry)
    ensure_move(entry, to=EntryStatus.PAID, moves=ENTRY_MOVES)
    if not voucher and not entry.voucher:
        raise DomainError(_("支付前须上传凭证（发票、收据或转账凭证）。"), field="voucher")
    totals = selectors.account_totals(account, exclude_pk=entry.pk)
    if entry.amount > totals.balance:
        raise DomainError(
            _("账户余额不足：余额%(balance)s元，本笔%(amount)s元。")
            % {"balance": _yuan(totals.balance), "amount": _yuan(entry.amount)}
        )
    changes = {"booked_on": paid_on, "paid_by": actor}
    if voucher:
        changes["voucher"] = voucher
    return transition(
        entry, to=EntryStatus.PAID, moves=ENTRY_MOVES, actor=actor, reason="fund_entry.paid", changes=changes, now=now
    )


@transaction.atomic
def entry_attach_voucher(*, actor, entry: FundEntry, voucher) -> FundEntry:
    """Attach or replace the voucher of a line still standing (the history keeps the earlier file's name)."""
    _account, entry = _locked_entry(entry)
    if entry.status not in (EntryStatus.RECORDED, EntryStatus.REQUESTED, EntryStatus.APPROVED):
        raise DomainError(_("已支付、已撤回或未批准的记录不能再更换凭证。"), field="voucher")
    entry.voucher = voucher
    return save_record(entry, actor=actor, reason="fund_entry.voucher_attached")


@transaction.atomic
def entry_withdraw(*, actor, entry: FundEntry, reason: str, now=None) -> FundEntry:
    """Withdraw a spending request not yet paid, or an income line entered by mistake, with the reason.

    An income line may go only while the rest of the income still covers what was paid and committed."""
    if not (reason or "").strip():
        raise DomainError(_("请写明撤回原因。"), field="reason")
    account, entry = _locked_entry(entry)
    ensure_move(entry, to=EntryStatus.WITHDRAWN, moves=ENTRY_MOVES)
    if entry.is_income:
        totals = selectors.account_totals(account, exclude_pk=entry.pk)
        if totals.available < 0:
            raise DomainError(_("撤回这笔收入后余额将不足以支付已支付和已批准的支出，不能撤回。"), field="reason")
    return transition(
        entry,
        to=EntryStatus.WITHDRAWN,
        moves=ENTRY_MOVES,
        actor=actor,
        reason="fund_entry.withdrawn",
        note=reason,
        changes={"withdraw_reason": reason, "next_step": ""},
        now=now,
    )


# --- correction (冲正) ------------------------------------------------------------------------


@transaction.atomic
def entry_reverse(*, actor, entry: FundEntry, reason: str, booked_on=None, voucher=None, now=None) -> FundEntry:
    """Correct a paid spending line (冲正, red-ink reversal) with a line of its own, and return that line.

    The new line has the kind, the link (consultation or item), the payee and the amount of the paid line,
    and puts the money back: the balance and the spending count it against the paid line. The paid line is
    never changed (its page and the ledger read 已冲正 through the new line). A line is reversed once at
    most, and only a paid spending line can be; a correcting line cannot be withdrawn or reversed.
    Records the reason on the new line and in its history. Raises DomainError (the reason, the date,
    a line that is not paid or already reversed).
    """
    if not (reason or "").strip():
        raise DomainError(_("请写明冲正原因。"), field="reason")
    _no_phone(reason=reason)
    account, entry = _locked_entry(entry)
    if entry.direction != Direction.SPENDING or entry.status != EntryStatus.PAID:
        raise DomainError(_("只有已支付的支出才能冲正。"))
    if FundEntry.objects.filter(reverses=entry).exists():
        raise DomainError(_("这笔支出已经冲正，不能重复冲正。"))
    now = now or timezone.now()
    booked_on = booked_on or timezone.localdate(now)
    if booked_on < entry.booked_on:
        raise DomainError(
            _("冲正日期不能早于原支付日期（%(day)s）。") % {"day": entry.booked_on.isoformat()}, field="booked_on"
        )
    purpose = _("冲正第%(number)d号：%(purpose)s") % {"number": entry.number, "purpose": entry.purpose}
    correction = FundEntry(
        account=account,
        number=_next_number(account),
        direction=Direction.SPENDING,
        kind=entry.kind,
        amount=entry.amount,
        purpose=purpose[: FundEntry._meta.get_field("purpose").max_length],
        counterparty=entry.counterparty,
        consultation=entry.consultation,
        assignment=entry.assignment,
        status=EntryStatus.REVERSAL,
        reverses=entry,
        reversal_reason=reason,
        booked_on=booked_on,
        created_by=actor,
        recorded_at=now,
    )
    if voucher:
        correction.voucher = voucher
    return save_record(correction, actor=actor, reason="fund_entry.reversal_recorded", note=reason)
