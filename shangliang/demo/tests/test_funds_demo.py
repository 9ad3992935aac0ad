"""The demo's consultation funds: accounts, income, spending through their approvals, the public result."""

from datetime import datetime, time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shangliang.funds import selectors
from shangliang.funds.models import FundAccount, FundEntry
from shangliang.funds.states import Direction, EntryStatus

pytestmark = pytest.mark.django_db


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.mark.usefixtures("seeded")
class TestDemoFunds:
    def test_accounts_with_income_spending_and_a_balance_never_negative(self):
        accounts = list(FundAccount.objects.all())
        assert 3 <= len(accounts) <= 4
        for account in accounts:
            totals = selectors.account_totals(account)
            assert totals.income > 0 and totals.available >= 0
        lines = FundEntry.objects.all()
        kinds = set(lines.values_list("kind", flat=True))
        assert {"allocation", "donation", "operation", "implementation"} <= kinds
        statuses = set(lines.filter(direction=Direction.SPENDING).values_list("status", flat=True))
        assert {EntryStatus.PAID, EntryStatus.REQUESTED, EntryStatus.REFUSED, EntryStatus.WITHDRAWN} <= statuses
        paid = lines.filter(status=EntryStatus.PAID)
        assert paid.count() >= 4 and not paid.filter(voucher="").exists()
        for line in paid:
            assert line.approvals.count() == len(line.steps) >= 1

    def test_nothing_is_stamped_today(self):
        today = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
        assert not FundEntry.objects.filter(created_at__gte=today).exists()
        assert not FundEntry.objects.filter(booked_on__gte=today.date()).exists()
        assert not FundAccount.objects.filter(created_at__gte=today).exists()

    def test_paid_spending_is_on_the_public_result(self):
        line = FundEntry.objects.filter(status=EntryStatus.PAID, consultation__isnull=False).first()
        page = Client().get(reverse("outcomes_public:result", args=[line.consultation_id])).content.decode()
        assert 'id="fund-spending"' in page and line.purpose in page

    def test_a_stalled_item_waits_on_the_station_heads_home_page(self):
        waiting = FundEntry.objects.get(status=EntryStatus.REQUESTED, assignment__isnull=False)
        client = Client()
        client.force_login(user("station"))
        home = client.get(reverse("portal:home")).content.decode()
        assert "待审批的协商资金支出" in home and reverse("funds:entry", args=[waiting.pk]) in home
        # The station head can take the step: the requester is someone else.
        assert waiting.created_by != user("station")
        entry = client.get(reverse("funds:entry", args=[waiting.pk])).content.decode()
        assert "提交审批意见" in entry
        item = client.get(reverse("outcomes:assignment", args=[waiting.assignment_id])).content.decode()
        assert waiting.purpose in item
