"""A consultation's public result shows the fund's spending on it and its items, once paid; nobody's name."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from shangliang.funds import services
from shangliang.funds.tests.conftest import income, request

pytestmark = pytest.mark.django_db


def test_paid_spending_is_on_the_public_result_and_requested_is_not(client, world):
    income(world, "10000")
    paid = request(world, "1280.00", purpose="主街停放点划线和标识牌")
    services.entry_approve(actor=world.secretary, entry=paid)
    services.entry_pay(
        actor=world.convener,
        entry=paid,
        paid_on=datetime.date(2026, 5, 8),
        voucher=ContentFile(b"%PDF-1.4\n%%EOF\n", name="invoice.pdf"),
    )
    operation = request(world, "300.00", purpose="印制协商通知", assignment=False)
    services.entry_approve(actor=world.secretary, entry=operation)
    services.entry_pay(
        actor=world.convener,
        entry=operation,
        paid_on=datetime.date(2026, 4, 2),
        voucher=ContentFile(b"%PDF-1.4\n%%EOF\n", name="receipt.pdf"),
    )
    request(world, "999.00", purpose="尚在审批的采购")
    paid.refresh_from_db()
    page = client.get(reverse("outcomes_public:result", args=[world.consultation.pk])).content.decode()
    assert 'id="fund-spending"' in page
    assert "主街停放点划线和标识牌" in page and "1,280.00" in page and "2026-05-08" in page and "第1项建议" in page
    assert "印制协商通知" in page and "协商活动运作" in page
    assert "1,580.00" in page  # the total paid
    assert "尚在审批的采购" not in page and "999" not in page
    for private in ("召集人王明", "村书记李红", "6230520010001234567", "甲镇建材店", paid.voucher.url):
        assert private not in page


def test_a_result_without_spending_has_no_fund_section(client, world):
    request(world, "100", purpose="尚在审批")
    page = client.get(reverse("outcomes_public:result", args=[world.consultation.pk])).content.decode()
    assert 'id="fund-spending"' not in page
