"""The consultation fund (协商资金) on the dashboard and in the annual report.

The figures are defined once in ``funds.selectors`` (``period_figures``: income, spending net of corrections,
the balance, by kind, the paid lines tied to consultations and to items); this module only narrows them to
the dashboard's scope and period and registers their drill-down. A line belongs to the period by the day it
was booked (income received, spending paid, a correction recorded).

Scope: a region's figures are those of the accounts of its villages. A platform has no account: its figures
are the spending tied to its consultations and to their items, without income or balance.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from shangliang.dashboard.selectors import Scope, UnknownFigure
from shangliang.funds import selectors as fund_selectors
from shangliang.funds.models import FundEntry
from shangliang.funds.states import EntryKind

# Drill-down values in words (the kinds are added from ``EntryKind``).
VALUES = {
    "income": gettext_lazy("收入"),
    "spent": gettext_lazy("支出（已支付，扣除冲正）"),
    "reversed": gettext_lazy("冲正"),
    "balance": gettext_lazy("期末余额"),
    "consultation": gettext_lazy("关联协商的支出"),
    "assignment": gettext_lazy("关联交办事项的支出"),
}


def fund_entries(scope: Scope) -> QuerySet[FundEntry]:
    """The ledger lines of the scope (any state; the figures pick theirs)."""
    if scope.platform is not None:
        platform = scope.platform
        return FundEntry.objects.filter(
            Q(consultation__platform=platform) | Q(assignment__suggestion__consultation__platform=platform)
        )
    return FundEntry.objects.filter(account__village__path__startswith=scope.region.path)


def fund_figures(scope: Scope) -> fund_selectors.PeriodFigures:
    """The fund's figures of the scope in the period: one query."""
    return fund_selectors.period_figures(
        fund_entries(scope), scope.start, scope.end, with_balance=scope.platform is None
    )


def fund_records(scope: Scope, value: str = "") -> QuerySet[FundEntry]:
    """The lines behind the figure ``value`` (``funds.selectors.period_lines``), each with ``signed``."""
    if scope.platform is not None and value == "balance":
        raise UnknownFigure(value)
    try:
        return fund_selectors.period_lines(fund_entries(scope), scope.start, scope.end, value)
    except LookupError:
        raise UnknownFigure(value) from None


def value_label(value: str) -> str:
    head, _sep, kind = value.partition(":")
    label = str(VALUES.get(head, head))
    if kind:
        label += "：" + str(dict(EntryKind.choices).get(kind, kind))
    return label


def register_figures() -> None:
    """Add the fund's drill-down to the dashboard's tables, once, when the app loads."""
    from shangliang.dashboard import selectors

    selectors.FIGURES["funds"] = selectors.Figure(gettext_lazy("协商资金"), "fund_entries")
    selectors.RECORDS_BY_KIND["fund_entries"] = lambda scope, key, value, today: fund_records(scope, value)
    selectors.VALUE_LABELS["funds"] = value_label
