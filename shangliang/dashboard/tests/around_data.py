"""Fund lines and hand-offs for the district of ``conftest`` (2025), built through the services, counted by hand.

Accounts: 甲一村 (甲镇) and 乙一村 (乙镇).

甲一村, by the day booked:
    2024-12-20  income  allocation  5,000.00                 before the year: in the balance only
    2024-12-31  paid    operation     400.00  C5 (甲一村议事室)  reversed 2025-02-01 (the correction is in 2025)
    2025-01-10  income  allocation 10,000.00
    2025-03-15  paid    operation     300.00  C1 (甲一村议事室)
    2025-04-01  paid    implementation 1,200.00  C1's item     reversed 2025-05-01
    2025-06-01  income  donation    2,000.00
    2025-11-20  paid    implementation  800.00  C4's item (甲镇协商议事室)
    —           requested             100.00  C1              not paid: counted nowhere
    2026-01-05  income  allocation    999.00                 after the year: nowhere
乙一村:
    2025-02-01  income  donation    3,000.00
    2025-06-10  paid    operation     500.00  C3 (乙一村议事室)

District, 2025: income 15,000.00 (allocation 10,000, donation 5,000); spent 1,200.00 net (300 + 1,200 − 1,200
+ 800 + 500 − 400), operation 400.00, implementation 800.00; reversed 1,600.00; balance at the end 18,400.00
(income to the end 20,000 − spent to the end 1,600); paid lines standing: 2 tied to consultations (C1 300,
C3 500), 1 to an item (C4's 800).
甲镇: income 12,000.00, spent 700.00, reversed 1,600.00, balance 15,900.00, lines 1 + 1.
Platform 乙一村议事室: spent 500.00, 1 line tied to a consultation, no income or balance.

Hand-offs (submissions): 2025-03-01 甲一村 hotline, answered; 2025-05-01 甲一村 congress, awaiting (past the
answer period today); 2025-07-01 乙一村 at 乙一村议事室 hotline, awaiting; 2024-12-01 甲一村 (before the year);
2025-08-01 甲一村 withdrawn. District: 3 handed (hotline 2, congress 1), 1 answered, 2 awaiting, 2 overdue.
甲镇: 2 handed, 1 answered. Platform 乙一村议事室: 1.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from shangliang.dashboard.tests.conftest import YEAR
from shangliang.funds import services as fund_services
from shangliang.handoffs import services as handoff_services
from shangliang.handoffs.states import Channel
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes.models import Assignment
from shangliang.topics.models import Submission
from shangliang.topics.tests.builders import submit


@dataclass
class Around:
    accounts: dict
    lines: dict
    handoffs: dict
    keepers: dict


def _day(year, month, day) -> datetime.date:
    return datetime.date(year, month, day)


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _voucher():
    return ContentFile(b"%PDF-1.4\n%%EOF\n", name="invoice.pdf")


def _paid(account, keeper, approver, amount, *, purpose, day, consultation=None, assignment=None):
    entry = fund_services.spending_request(
        actor=keeper,
        account=account,
        kind="implementation" if assignment else "operation",
        amount=Decimal(amount),
        purpose=purpose,
        counterparty="某某建材店",
        consultation=consultation,
        assignment=assignment,
    )
    fund_services.entry_approve(actor=approver, entry=entry)
    return fund_services.entry_pay(actor=keeper, entry=entry, paid_on=day, voucher=_voucher())


def income(account, keeper, amount, day, kind="allocation"):
    return fund_services.income_record(
        actor=keeper,
        account=account,
        kind=kind,
        amount=Decimal(amount),
        booked_on=day,
        purpose=f"{day.year}年度协商资金",
        counterparty="镇财政所",
    )


def _item(consultation) -> Assignment:
    return Assignment.objects.filter(suggestion__consultation=consultation).exclude(status="returned").first()


def hand(actor, region, title, day, *, channel=Channel.HOTLINE, platform=None):
    submission = submit(region, title)
    Submission.objects.filter(pk=submission.pk).update(created_at=_moment(day) - datetime.timedelta(days=3))
    if platform is not None:
        Submission.objects.filter(pk=submission.pk).update(platform=platform)
    submission.refresh_from_db()
    return handoff_services.handoff_create(
        actor=actor,
        subject=submission,
        channel=channel,
        recipient="12345热线" if channel == Channel.HOTLINE else "镇人大主席团",
        reason="属于其他渠道办理的事项",
        handed_at=_moment(day),
    )


def build_around(world) -> Around:
    d, c = world.district, world.consultations
    keepers = {
        "a1": grant(make_user("around_keeper_a1"), Role.CONVENER, region=d["a1"]),
        "b1": grant(make_user("around_keeper_b1"), Role.CONVENER, region=d["b1"]),
    }
    approvers = {
        "a1": grant(make_user("around_party_a1"), Role.APPROVER, region=d["a1"]),
        "b1": grant(make_user("around_party_b1"), Role.APPROVER, region=d["b1"]),
    }
    accounts = {
        village: fund_services.account_open(
            actor=keepers[village],
            village=d[village],
            name=f"{d[village].name}协商资金专户",
            opened_on=_day(2024, 1, 2),
        )
        for village in ("a1", "b1")
    }
    a1, b1, ka, kb, pa, pb = (
        accounts["a1"],
        accounts["b1"],
        keepers["a1"],
        keepers["b1"],
        approvers["a1"],
        approvers["b1"],
    )
    lines = {}
    income(a1, ka, "5000", _day(YEAR - 1, 12, 20))
    lines["old"] = _paid(a1, ka, pa, "400", purpose="去年的资料印刷", day=_day(YEAR - 1, 12, 31), consultation=c["c5"])
    income(a1, ka, "10000", _day(YEAR, 1, 10))
    lines["c1"] = _paid(a1, ka, pa, "300", purpose="印制协商通知", day=_day(YEAR, 3, 15), consultation=c["c1"])
    lines["wrong"] = _paid(a1, ka, pa, "1200", purpose="接送点护栏", day=_day(YEAR, 4, 1), assignment=_item(c["c1"]))
    income(a1, ka, "2000", _day(YEAR, 6, 1), kind="donation")
    lines["c4"] = _paid(a1, ka, pa, "800", purpose="道路硬化材料", day=_day(YEAR, 11, 20), assignment=_item(c["c4"]))
    fund_services.spending_request(
        actor=ka,
        account=a1,
        kind="operation",
        amount=Decimal("100"),
        purpose="尚待审批的茶水",
        counterparty="小卖部",
        consultation=c["c1"],
    )
    income(a1, ka, "999", _day(YEAR + 1, 1, 5))
    income(b1, kb, "3000", _day(YEAR, 2, 1), kind="donation")
    lines["c3"] = _paid(b1, kb, pb, "500", purpose="老年食堂选址资料", day=_day(YEAR, 6, 10), consultation=c["c3"])
    lines["old_fix"] = fund_services.entry_reverse(
        actor=ka, entry=lines["old"], reason="记错了年度", booked_on=_day(YEAR, 2, 1)
    )
    lines["fix"] = fund_services.entry_reverse(
        actor=ka, entry=lines["wrong"], reason="施工单位退回款项", booked_on=_day(YEAR, 5, 1)
    )

    handoffs = {
        "answered": hand(ka, d["a1"], "路灯不亮", _day(YEAR, 3, 1)),
        "congress": hand(ka, d["a1"], "井盖缺失", _day(YEAR, 5, 1), channel=Channel.CONGRESS),
        "b1": hand(kb, d["b1"], "乙村河道", _day(YEAR, 7, 1), platform=world.platforms["pb1"]),
        "old": hand(ka, d["a1"], "去年的事", _day(YEAR - 1, 12, 1)),
        "withdrawn": hand(ka, d["a1"], "转错了的事", _day(YEAR, 8, 1)),
    }
    handoff_services.handoff_answer(actor=ka, handoff=handoffs["answered"], answer="已修复路灯")
    handoff_services.handoff_withdraw(actor=ka, handoff=handoffs["withdrawn"], reason="应由本村协商")
    return Around(accounts=accounts, lines=lines, handoffs=handoffs, keepers=keepers)
