"""The fund's rules as the services apply them: steps by amount, who approves, the balance never negative."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from shangliang.core.errors import DomainError, TransitionNotAllowed
from shangliang.funds import selectors, services
from shangliang.funds.models import FundRule
from shangliang.funds.states import ApproverKind, EntryStatus
from shangliang.funds.tests.conftest import income, request

pytestmark = pytest.mark.django_db


def voucher():
    return ContentFile(b"%PDF-1.4\n%%EOF\n", name="invoice.pdf")


def test_income_counts_at_once_and_spending_only_when_paid(world):
    income(world, "10000.00")
    entry = request(world, "1250.50")
    assert selectors.account_totals(world.account).balance == Decimal("10000.00")
    services.entry_approve(actor=world.secretary, entry=entry, opinion="同意")
    totals = selectors.account_totals(world.account)
    assert (totals.balance, totals.committed, totals.available) == (
        Decimal("10000.00"),
        Decimal("1250.50"),
        Decimal("8749.50"),
    )
    services.entry_pay(actor=world.convener, entry=entry, paid_on=datetime.date.today(), voucher=voucher())
    totals = selectors.account_totals(world.account)
    assert (totals.balance, totals.spent, totals.implementation, totals.operation) == (
        Decimal("8749.50"),
        Decimal("1250.50"),
        Decimal("1250.50"),
        Decimal("0"),
    )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PAID and entry.paid_by == world.convener
    assert [h.history_change_reason for h in entry.history.order_by("history_id")] == [
        "fund_entry.requested",
        "fund_entry.approved",
        "fund_entry.paid",
    ]


def test_default_steps_grow_with_the_amount(world):
    income(world, "50000")
    assert request(world, "4999.99").steps == [ApproverKind.VILLAGE_PARTY]
    assert request(world, "5000").steps == [ApproverKind.VILLAGE_PARTY, ApproverKind.TOWNSHIP_STATION]
    assert request(world, "20000").steps == [
        ApproverKind.VILLAGE_PARTY,
        ApproverKind.TOWNSHIP_STATION,
        ApproverKind.TOWNSHIP_PARTY,
    ]


def test_the_districts_rules_replace_the_default(world):
    FundRule.objects.create(district=world.district["district"], approver=ApproverKind.TOWNSHIP_STATION)
    FundRule.objects.create(
        district=world.district["district"], approver=ApproverKind.DISTRICT_OFFICE, from_amount=Decimal("3000")
    )
    income(world, "9000")
    assert request(world, "800").steps == [ApproverKind.TOWNSHIP_STATION]
    entry = request(world, "3000")
    assert entry.steps == [ApproverKind.TOWNSHIP_STATION, ApproverKind.DISTRICT_OFFICE]
    services.entry_approve(actor=world.station, entry=entry)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REQUESTED and entry.next_step == ApproverKind.DISTRICT_OFFICE
    services.entry_approve(actor=world.cppcc, entry=entry, opinion="符合专款专用")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.APPROVED and entry.next_step == ""
    assert [(a.approver_kind, a.decided_by) for a in entry.approvals.all()] == [
        (ApproverKind.TOWNSHIP_STATION, world.station),
        (ApproverKind.DISTRICT_OFFICE, world.cppcc),
    ]


def test_each_step_by_its_own_approver_in_order(world):
    income(world, "30000")
    entry = request(world, "6000")
    with pytest.raises(DomainError, match="村（社区）党组织"):
        services.entry_approve(actor=world.station, entry=entry)
    with pytest.raises(DomainError, match="村（社区）党组织"):
        services.entry_approve(actor=world.other_station, entry=entry)
    services.entry_approve(actor=world.secretary, entry=entry)
    with pytest.raises(DomainError, match="联络站负责人"):
        services.entry_approve(actor=world.other_station, entry=entry)
    services.entry_approve(actor=world.station, entry=entry)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.APPROVED


def test_the_requester_does_not_approve_their_own_request(world):
    income(world, "30000")
    entry = request(world, "6000", actor=world.station)
    services.entry_approve(actor=world.secretary, entry=entry)
    with pytest.raises(DomainError, match="申请人不能审批"):
        services.entry_approve(actor=world.station, entry=entry)


def test_approval_beyond_the_available_balance_is_refused(world):
    income(world, "1000")
    first = request(world, "800")
    second = request(world, "300")  # a request may exceed what is in hand
    services.entry_approve(actor=world.secretary, entry=first)
    with pytest.raises(DomainError, match="账户余额不足：可用余额200.00元"):
        services.entry_approve(actor=world.secretary, entry=second)
    second.refresh_from_db()
    assert second.status == EntryStatus.REQUESTED and not second.approvals.exists()
    income(world, "100", kind="donation", purpose="企业捐赠")
    services.entry_approve(actor=world.secretary, entry=second)


def test_payment_needs_its_voucher(world):
    income(world, "1000")
    entry = request(world, "500")
    services.entry_approve(actor=world.secretary, entry=entry)
    with pytest.raises(DomainError, match="须上传凭证"):
        services.entry_pay(actor=world.convener, entry=entry, paid_on=datetime.date.today())
    services.entry_attach_voucher(actor=world.convener, entry=entry, voucher=voucher())
    services.entry_pay(actor=world.convener, entry=entry, paid_on=datetime.date.today())
    with pytest.raises(TransitionNotAllowed):
        services.entry_pay(actor=world.convener, entry=entry, paid_on=datetime.date.today())


def test_refusal_needs_a_reason_and_stops_the_line(world):
    income(world, "1000")
    entry = request(world, "500")
    with pytest.raises(DomainError, match="理由"):
        services.entry_refuse(actor=world.secretary, entry=entry, opinion=" ")
    services.entry_refuse(actor=world.secretary, entry=entry, opinion="与协商事项无关")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REFUSED and entry.approvals.get().opinion == "与协商事项无关"
    with pytest.raises(TransitionNotAllowed):
        services.entry_approve(actor=world.secretary, entry=entry)


def test_income_withdrawn_only_while_the_rest_covers_what_is_committed(world):
    grant = income(world, "1000")
    other = income(world, "200", kind="donation")
    entry = request(world, "900")
    services.entry_approve(actor=world.secretary, entry=entry)
    with pytest.raises(DomainError, match="不能撤回"):
        services.entry_withdraw(actor=world.convener, entry=grant, reason="重复登记")
    services.entry_withdraw(actor=world.convener, entry=other, reason="重复登记")
    assert selectors.account_totals(world.account).balance == Decimal("1000")


def test_spending_is_tied_to_the_villages_own_records(world):
    from shangliang.outcomes.tests.builders import assigned, concluded

    other = concluded(world.district, title="乙村道路", convener=world.convener)
    # Moved to another village: its consultations are not 甲一村's.
    other.topic.convening_region = world.district["b1"]
    other.topic.save(update_fields=["convening_region"])
    with pytest.raises(DomainError, match="本村"):
        services.spending_request(
            actor=world.convener,
            account=world.account,
            kind="operation",
            amount=Decimal("10"),
            purpose="资料印刷",
            counterparty="印刷厂",
            consultation=other,
        )
    with pytest.raises(DomainError, match="本村"):
        services.spending_request(
            actor=world.convener,
            account=world.account,
            kind="implementation",
            amount=Decimal("10"),
            purpose="材料",
            counterparty="建材店",
            assignment=assigned(other),
        )
    with pytest.raises(DomainError, match="只选一项"):
        services.spending_request(
            actor=world.convener,
            account=world.account,
            kind="operation",
            amount=Decimal("10"),
            purpose="资料印刷",
            counterparty="印刷厂",
        )


def test_no_private_phone_numbers_in_the_ledger(world):
    with pytest.raises(DomainError, match="手机号码"):
        services.income_record(
            actor=world.convener,
            account=world.account,
            kind="donation",
            amount=Decimal("100"),
            booked_on=datetime.date.today(),
            purpose="捐赠",
            counterparty="张三 13912345678",
        )


def test_one_open_account_per_village(world):
    with pytest.raises(DomainError, match="已有协商资金账户"):
        services.account_open(
            actor=world.station, village=world.district["a1"], name="重复账户", opened_on=datetime.date.today()
        )
    with pytest.raises(DomainError, match="只能为村"):
        services.account_open(
            actor=world.station, village=world.district["a"], name="镇账户", opened_on=datetime.date.today()
        )


def test_approvers_are_told(world):
    from shangliang.core.models import Notification

    income(world, "9000")
    entry = request(world, "6000")
    assert Notification.objects.filter(user=world.secretary, url=f"/funds/entry/{entry.pk}/").exists()
    assert not Notification.objects.filter(user=world.station, url=f"/funds/entry/{entry.pk}/").exists()
    services.entry_approve(actor=world.secretary, entry=entry)
    assert Notification.objects.filter(user=world.station, url=f"/funds/entry/{entry.pk}/").exists()
