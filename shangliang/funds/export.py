"""The ledger (协商资金收支台账) as an Excel workbook: every line with the balance after it, then the totals."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from shangliang.core.documents.sheets import BOX, CENTRED, LEFT, Column, safe_cell, workbook_bytes, write_table
from shangliang.funds import selectors
from shangliang.funds.models import FundAccount
from shangliang.funds.states import Direction

MONEY = "#,##0.00"


def _link(line) -> str:
    if line.consultation_id:
        return _("协商：%(title)s") % {"title": line.consultation.topic.title}
    if line.assignment_id:
        return _("交办事项：%(text)s") % {"text": line.assignment.suggestion.text[:60]}
    return ""


def _spending_cell(line):
    """The 支出 column: a paid line's amount, a correcting line's in red ink (negative), so the column adds up
    to the spending net of corrections."""
    if line.direction != Direction.SPENDING:
        return ""
    return -float(line.amount) if line.is_reversal else float(line.amount)


def _status(line) -> str:
    correction = line.correction
    if correction is not None:
        return _("%(status)s（已冲正，见第%(number)d号）") % {
            "status": line.get_status_display(),
            "number": correction.number,
        }
    if line.is_reversal:
        return _("冲正（第%(number)d号）") % {"number": line.reverses.number}
    return line.get_status_display()


def ledger_xlsx(account: FundAccount, *, year: int | None = None, kind: str = "", full_number: bool = False) -> bytes:
    """The account's lines (optionally one year's, one kind's) with income, spending and the running balance.

    The running balance counts every earlier line of the account, so a year's sheet starts from the
    balance carried over. Lines that moved no money (requested, refused, withdrawn) are listed without it.
    A correcting line (冲正) shows its amount negative in the spending column and puts it back in the
    balance; the line it reverses keeps its amount and says 已冲正.
    """
    all_lines = list(selectors.ledger(account))
    balances = {line.pk: balance for line, balance in selectors.running_balance(all_lines)}
    shown = {line.pk for line in selectors.ledger(account, year=year, kind=kind)}
    lines = [line for line in all_lines if line.pk in shown]
    totals = selectors.account_totals(account)

    columns = [
        Column(_("编号"), 7, CENTRED),
        Column(_("日期"), 12, CENTRED),
        Column(_("类别"), 14, CENTRED),
        Column(_("事由"), 30),
        Column(_("对方单位"), 20),
        Column(_("关联协商或交办事项"), 32),
        Column(_("收入（元）"), 14, LEFT),
        Column(_("支出（元）"), 14, LEFT),
        Column(_("余额（元）"), 14, LEFT),
        Column(_("状态"), 14, CENTRED),
        Column(_("凭证"), 8, CENTRED),
    ]
    rows = []
    for line in lines:
        date = line.booked_on or timezone.localdate(line.created_at)
        amount = float(line.amount)
        balance = balances.get(line.pk)
        rows.append(
            [
                line.number,
                date,
                line.get_kind_display(),
                line.purpose,
                line.counterparty,
                _link(line),
                amount if line.direction == Direction.INCOME else "",
                _spending_cell(line),
                float(balance) if balance is not None else "",
                _status(line),
                _("有") if line.voucher else _("无"),
            ]
        )
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("收支台账")
    number = account.account_number if full_number else account.masked_number
    subtitle = "　".join(
        part
        for part in (
            _("村（社区）：%(village)s") % {"village": account.village.name},
            _("开户银行：%(bank)s") % {"bank": account.bank} if account.bank else "",
            _("账号：%(number)s") % {"number": number} if number else "",
            _("年度：%(year)s") % {"year": year} if year else _("全部年度"),
            _("导出日期：%(date)s") % {"date": timezone.localdate().isoformat()},
        )
        if part
    )
    last = write_table(
        sheet,
        title=_("%(name)s收支台账") % {"name": account.name},
        subtitle=subtitle,
        columns=columns,
        rows=rows,
    )
    for row in sheet.iter_rows(min_row=4, max_row=last, min_col=7, max_col=9):
        for cell in row:
            cell.number_format = MONEY
    summary = [
        (_("收入合计（已入账）"), totals.income),
        (_("支出合计（已支付，扣除冲正）"), totals.spent),
        (_("其中冲正"), -totals.reversed),
        (_("账户余额"), totals.balance),
        (_("已批准未支付"), totals.committed),
        (_("可用余额"), totals.available),
        (_("其中成果落实支出"), totals.implementation),
        (_("其中协商活动运作支出"), totals.operation),
    ]
    start = last + 2
    for offset, (label, value) in enumerate(summary):
        label_cell = sheet.cell(row=start + offset, column=8, value=safe_cell(label))
        value_cell = sheet.cell(row=start + offset, column=9, value=float(Decimal(value)))
        label_cell.font = Font(bold=True)
        value_cell.number_format = MONEY
        label_cell.border = value_cell.border = BOX
    return workbook_bytes(workbook)
