"""Correcting a paid line (冲正): a line of its own puts the money back; the paid line stays as it was and reads
已冲正; a line is corrected once; only the account's keepers may; the balance, the Excel ledger and the public
result count it. And the requester's approval outcome is feedback, the approvers' step a reminder."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from shangliang.core.errors import DomainError, TransitionNotAllowed
from shangliang.core.models import Delivery, MessageKind
from shangliang.funds import selectors, services
from shangliang.funds.models import FundEntry
from shangliang.funds.states import EntryStatus
from shangliang.funds.tests.conftest import income, request

pytestmark = pytest.mark.django_db

PAID_ON = datetime.date(2026, 3, 3)


def voucher(name="invoice.pdf"):
    return ContentFile(b"%PDF-1.4\n%%EOF\n", name=name)


def paid(world, amount, *, purpose="购置停车标识牌", assignment=True, day=PAID_ON):
    entry = request(world, amount, purpose=purpose, assignment=assignment)
    services.entry_approve(actor=world.secretary, entry=entry)
    return services.entry_pay(actor=world.convener, entry=entry, paid_on=day, voucher=voucher())


def reverse_line(world, entry, *, reason="收款单位退回多付款项", day=datetime.date(2026, 4, 1), actor=None):
    return services.entry_reverse(actor=actor or world.convener, entry=entry, reason=reason, booked_on=day)


def text(response) -> str:
    return response.content.decode()


# --- the service ---------------------------------------------------------------------------------


def test_a_correction_is_a_line_of_its_own_that_puts_the_money_back(world):
    income(world, "10000", day=datetime.date(2026, 1, 10))
    line = paid(world, "1200.40")
    other = paid(world, "300", purpose="印制通知", assignment=False)
    history_before = list(line.history.values_list("history_id", flat=True))
    correction = reverse_line(world, line)

    assert correction.status == EntryStatus.REVERSAL and correction.reverses == line
    assert correction.number == 4 and correction.amount == Decimal("1200.40")
    assert (correction.kind, correction.assignment, correction.consultation) == (line.kind, line.assignment, None)
    assert correction.purpose == "冲正第2号：购置停车标识牌" and correction.reversal_reason == "收款单位退回多付款项"
    assert correction.booked_on == datetime.date(2026, 4, 1) and correction.created_by == world.convener
    assert [h.history_change_reason for h in correction.history.all()] == ["fund_entry.reversal_recorded"]
    # The paid line is not touched: same status, same history; it reads 已冲正 through the correction.
    line.refresh_from_db()
    assert line.status == EntryStatus.PAID and line.correction == correction
    assert list(line.history.values_list("history_id", flat=True)) == history_before
    assert other.correction is None

    totals = selectors.account_totals(world.account)
    assert totals.spent == Decimal("300.00") and totals.reversed == Decimal("1200.40")
    assert totals.balance == Decimal("9700.00") and totals.available == Decimal("9700.00")
    assert (totals.implementation, totals.operation) == (Decimal("0.00"), Decimal("300.00"))
    # The running balance comes back up on the correcting line.
    balances = [
        (entry.number, balance) for entry, balance in selectors.running_balance(selectors.ledger(world.account))
    ]
    assert balances == [
        (1, Decimal("10000.00")),
        (2, Decimal("8799.60")),
        (3, Decimal("8499.60")),
        (4, Decimal("9700.00")),
    ]


def test_a_line_is_corrected_once_and_only_a_paid_spending_line_can_be(world):
    grant = income(world, "5000")
    line = paid(world, "800")
    waiting = request(world, "100", purpose="尚待审批")
    approved = request(world, "200", purpose="已批准未支付")
    services.entry_approve(actor=world.secretary, entry=approved)
    correction = reverse_line(world, line)
    with pytest.raises(DomainError, match="已经冲正"):
        reverse_line(world, line, reason="再冲一次")
    for entry in (grant, waiting, approved, correction):
        with pytest.raises(DomainError, match="只有已支付的支出才能冲正"):
            reverse_line(world, entry)
    assert FundEntry.objects.filter(status=EntryStatus.REVERSAL).count() == 1
    # A correcting line is final: not withdrawn, no new voucher.
    with pytest.raises(TransitionNotAllowed):
        services.entry_withdraw(actor=world.convener, entry=correction, reason="撤回冲正")
    with pytest.raises(DomainError, match="不能再更换凭证"):
        services.entry_attach_voucher(actor=world.convener, entry=correction, voucher=voucher())


def test_a_correction_needs_its_reason_and_a_day_not_before_the_payment(world):
    income(world, "5000")
    line = paid(world, "800")
    with pytest.raises(DomainError, match="冲正原因") as error:
        reverse_line(world, line, reason="  ")
    assert error.value.field == "reason"
    with pytest.raises(DomainError, match="不能早于原支付日期（2026-03-03）") as error:
        reverse_line(world, line, day=datetime.date(2026, 3, 2))
    assert error.value.field == "booked_on"
    with pytest.raises(DomainError, match="手机号码"):
        reverse_line(world, line, reason="张三13912345678说多付了")
    assert not FundEntry.objects.filter(status=EntryStatus.REVERSAL).exists()
    assert reverse_line(world, line, day=PAID_ON).booked_on == PAID_ON


def test_the_requester_is_given_feedback_and_the_approvers_a_reminder(world):
    income(world, "9000")
    entry = request(world, "6000")
    services.entry_approve(actor=world.secretary, entry=entry)
    services.entry_approve(actor=world.station, entry=entry)
    refused = request(world, "100", purpose="与协商无关的支出")
    services.entry_refuse(actor=world.secretary, entry=refused, opinion="与协商事项无关")

    def kinds(reason):
        return set(Delivery.objects.filter(reason=reason).values_list("kind", flat=True))

    assert kinds(f"fund_entry.approved:{entry.pk}") == {MessageKind.FEEDBACK}
    assert kinds(f"fund_entry.refused:{refused.pk}") == {MessageKind.FEEDBACK}
    assert kinds(f"fund_entry.step:{entry.pk}:village_party") == {MessageKind.REMINDER}
    assert kinds(f"fund_entry.step:{entry.pk}:township_station") == {MessageKind.REMINDER}


# --- the pages -----------------------------------------------------------------------------------


def test_the_keeper_corrects_a_paid_line_on_its_page_and_the_original_links_to_the_correction(client, world):
    income(world, "5000")
    line = paid(world, "1280", purpose="主街停放点划线")
    url = reverse("funds:entry_reverse", args=[line.pk])
    page_url = reverse("funds:entry", args=[line.pk])
    client.force_login(world.convener)
    page = text(client.get(page_url))
    assert 'id="reverse-form"' in page and "冲正这笔支出" in page
    # Without a reason: refused next to the field, nothing written.
    response = client.post(url, {"reason": "", "booked_on": "2026-04-01"})
    assert response.status_code == 400 and "field-error" in text(response)
    response = client.post(url, {"reason": "x", "booked_on": "2026-03-01"})
    assert response.status_code == 400 and "不能早于原支付日期" in text(response)
    assert not FundEntry.objects.filter(status=EntryStatus.REVERSAL).exists()
    response = client.post(url, {"reason": "施工单位退回多收款项", "booked_on": "2026-04-01"})
    assert response.status_code == 302 and response["Location"] == page_url
    correction = FundEntry.objects.get(reverses=line)

    page = text(client.get(page_url))
    assert 'id="reversed-badge"' in page and "已冲正" in page
    assert reverse("funds:entry", args=[correction.pk]) in page and "见第3号冲正记录" in page
    assert 'id="reverse-form"' not in page  # once only
    page = text(client.get(reverse("funds:entry", args=[correction.pk])))
    assert "冲正第2号支出" in page and page_url in page and "施工单位退回多收款项" in page
    assert "-1,280.00" in page and 'id="approvals"' not in page
    # A second post (another tab, a retry) is refused in words, never a second correction.
    response = client.post(url, {"reason": "再冲一次", "booked_on": "2026-04-02"})
    assert response.status_code == 400 and "已经冲正" in text(response)
    assert FundEntry.objects.filter(reverses=line).count() == 1
    ledger = text(client.get(reverse("funds:account", args=[world.account.pk])))
    assert "已冲正（第3号）" in ledger and "-1,280.00" in ledger and "5,000.00" in ledger


def test_only_the_accounts_keepers_may_correct(client, world):
    income(world, "5000")
    line = paid(world, "500")
    url = reverse("funds:entry_reverse", args=[line.pk])
    data = {"reason": "记错了关联事项", "booked_on": "2026-04-01"}
    # Another village's convener and another township's station head: as if it did not exist.
    for outsider in (world.other_convener, world.other_station):
        client.force_login(outsider)
        assert client.post(url, data).status_code == 404
    # Readers who do not keep the account (the CPPCC office, the village approver): no form, refused.
    for reader in (world.cppcc, world.secretary):
        client.force_login(reader)
        assert 'id="reverse-form"' not in text(client.get(reverse("funds:entry", args=[line.pk])))
        assert client.post(url, data).status_code == 404
    client.force_login(world.resident)
    assert client.post(url, data).status_code == 403
    client.logout()
    assert client.post(url, data).status_code == 302  # to the login page
    assert not FundEntry.objects.filter(status=EntryStatus.REVERSAL).exists()
    # The township's station head keeps 甲一村's account too.
    client.force_login(world.station)
    assert client.post(url, data).status_code == 302
    assert FundEntry.objects.get(reverses=line).created_by == world.station


def test_the_excel_ledger_shows_the_correction_in_red_ink_and_the_balance_back(client, world):
    income(world, "10000", day=datetime.date(2026, 1, 5))
    line = paid(world, "1200.40")
    paid(world, "300", purpose="印制通知", assignment=False)
    reverse_line(world, line)
    client.force_login(world.cppcc)
    response = client.get(reverse("funds:ledger_export", args=[world.account.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    lines = {row[0]: row for row in values[3:] if isinstance(row[0], int)}
    assert lines[2][7] == pytest.approx(1200.40) and lines[2][8] == pytest.approx(8799.60)
    assert lines[2][9] == "已支付（已冲正，见第4号）"
    assert lines[4][3] == "冲正第2号：购置停车标识牌"
    assert lines[4][7] == pytest.approx(-1200.40) and lines[4][8] == pytest.approx(9700.00)
    assert lines[4][9] == "冲正（第2号）"
    # The spending column adds up to the spending net of the correction.
    assert sum(row[7] for row in lines.values() if isinstance(row[7], float | int)) == pytest.approx(300)
    summary = {row[7]: row[8] for row in values if row[7] and isinstance(row[8], float | int)}
    assert summary["支出合计（已支付，扣除冲正）"] == pytest.approx(300)
    assert summary["其中冲正"] == pytest.approx(-1200.40)
    assert summary["账户余额"] == pytest.approx(9700) and summary["其中成果落实支出"] == pytest.approx(0)


def test_the_public_result_marks_a_corrected_line_and_leaves_it_out_of_the_total(client, world):
    income(world, "10000")
    kept = paid(world, "1280.00", purpose="主街停放点划线和标识牌")
    wrong = paid(world, "450.00", purpose="误记的材料费", assignment=False, day=datetime.date(2026, 3, 5))
    reverse_line(world, wrong, reason="召集人核对发现记错", day=datetime.date(2026, 3, 9))
    page = text(client.get(reverse("outcomes_public:result", args=[world.consultation.pk])))
    section = page[page.index('id="fund-spending"') :]
    assert "主街停放点划线和标识牌" in section and "1,280.00" in section
    # Shown, struck through, marked; not in the total, no reason, no correcting line of its own.
    assert "误记的材料费" in section and "<del>450.00</del>" in section and "已冲正" in section
    assert "2026-03-09冲正，不计入合计" in section
    assert "合计（已支付，不含已冲正）" in section and "1,280.00</th>" in section and "1,730.00" not in section
    assert "召集人核对发现记错" not in section and "冲正第" not in section
    assert kept.correction is None
