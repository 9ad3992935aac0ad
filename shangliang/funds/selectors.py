"""The consultation fund's figures, each defined once here (``docs/figures.md``, 协商资金).

- income: the amounts of income lines recorded (已入账), withdrawn ones left out;
- spent: the amounts of spending lines paid (已支付), less the correcting lines (冲正) that reversed some:
  a paid line and its correction add up to nothing, each counted on its own day;
- reversed: the amounts of the correcting lines (冲正);
- committed: spending approved and not yet paid (已批准未支付);
- balance = income − spent (the money in the account);
- available = balance − committed (what a new approval may still use);
- spent on implementation vs operation: spent (net of corrections) by kind (成果落实 / 协商活动运作).

``period_figures`` counts the same figures over the lines booked in a period (the dashboard, the report).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from shangliang.funds.models import FundAccount, FundEntry
from shangliang.funds.states import INCOME_KINDS, SPENDING_KINDS, Direction, EntryKind, EntryStatus

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)

INCOME_Q = Q(direction=Direction.INCOME, status=EntryStatus.RECORDED)
PAID_Q = Q(direction=Direction.SPENDING, status=EntryStatus.PAID)
REVERSAL_Q = Q(direction=Direction.SPENDING, status=EntryStatus.REVERSAL)
# Money that left, net: a correcting line counts against the spending (``signed_amount``).
SPENT_Q = Q(direction=Direction.SPENDING, status__in=(EntryStatus.PAID, EntryStatus.REVERSAL))
COMMITTED_Q = Q(direction=Direction.SPENDING, status=EntryStatus.APPROVED)
IMPLEMENTATION_Q = SPENT_Q & Q(kind=EntryKind.IMPLEMENTATION)
OPERATION_Q = SPENT_Q & Q(kind=EntryKind.OPERATION)
REQUESTED_Q = Q(direction=Direction.SPENDING, status=EntryStatus.REQUESTED)
# Lines that moved money: the ledger's running balance counts these.
MOVED_STATUSES = (EntryStatus.RECORDED, EntryStatus.PAID, EntryStatus.REVERSAL)

FIGURES = {
    "income": INCOME_Q,
    "spent": SPENT_Q,
    "reversed": REVERSAL_Q,
    "committed": COMMITTED_Q,
    "implementation": IMPLEMENTATION_Q,
    "operation": OPERATION_Q,
    "requested": REQUESTED_Q,
}
# Figures summed net: a correcting line takes its amount off.
NET = frozenset({"spent", "implementation", "operation"})


@dataclass(frozen=True)
class Totals:
    income: Decimal = ZERO
    spent: Decimal = ZERO
    reversed: Decimal = ZERO
    committed: Decimal = ZERO
    implementation: Decimal = ZERO
    operation: Decimal = ZERO
    requested: Decimal = ZERO

    @property
    def balance(self) -> Decimal:
        return self.income - self.spent

    @property
    def available(self) -> Decimal:
        return self.balance - self.committed


def prefixed(condition: Q, prefix: str) -> Q:
    """``condition`` with each lookup reached through ``prefix`` (``entries__``); ANDs, ORs and NOTs kept."""
    if not prefix:
        return condition
    out = Q()
    out.connector, out.negated = condition.connector, condition.negated
    out.children = [
        prefixed(child, prefix) if isinstance(child, Q) else (f"{prefix}{child[0]}", child[1])
        for child in condition.children
    ]
    return out


def signed_amount(prefix: str = ""):
    """The amount as it moves the spending: a correcting line's counts negative (``FundEntry.signed_amount``
    for spending lines, in SQL)."""
    return Case(
        When(Q(**{f"{prefix}status": EntryStatus.REVERSAL}), then=-F(f"{prefix}amount")),
        default=F(f"{prefix}amount"),
        output_field=MONEY,
    )


def money_sum(condition: Q, *, net: bool = False, prefix: str = ""):
    """The sum of the amounts of the lines matching ``condition`` (0 when none); ``net`` takes corrections off."""
    amount = signed_amount(prefix) if net else F(f"{prefix}amount")
    return Coalesce(Sum(amount, filter=prefixed(condition, prefix)), Value(ZERO), output_field=MONEY)


def _annotations(prefix: str) -> dict:
    return {name: money_sum(condition, net=name in NET, prefix=prefix) for name, condition in FIGURES.items()}


def totals_of(entries: QuerySet[FundEntry]) -> Totals:
    """The figures over ``entries`` (one account, or all the accounts a user sees): one query."""
    return Totals(**entries.aggregate(**_annotations("")))


def account_totals(account: FundAccount, *, exclude_pk=None) -> Totals:
    entries = FundEntry.objects.filter(account=account)
    if exclude_pk is not None:
        entries = entries.exclude(pk=exclude_pk)
    return totals_of(entries)


def with_totals(accounts: QuerySet[FundAccount]) -> list[tuple[FundAccount, Totals]]:
    """Each account with its figures (per village income, spending and balance): one query."""
    rows = accounts.select_related("village__parent").annotate(
        **{f"t_{k}": v for k, v in _annotations("entries__").items()}
    )
    return [(a, Totals(**{name: getattr(a, f"t_{name}") for name in FIGURES})) for a in rows]


def ledger(account: FundAccount, *, year: int | None = None, kind: str = "") -> QuerySet[FundEntry]:
    """The account's lines in order, filtered by the year of the line (booked, else requested) and kind."""
    qs = account.entries.select_related(
        "consultation__topic", "assignment__suggestion", "created_by", "reversal", "reverses"
    ).order_by("number")
    if year:
        qs = qs.filter(Q(booked_on__year=year) | Q(booked_on__isnull=True, created_at__year=year))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def running_balance(lines) -> list[tuple[FundEntry, Decimal | None]]:
    """Each line with the balance after it, counting only money that moved (recorded income, paid spending,
    corrections).

    The balance runs from the account's first line in the order given; lines that moved no money get None.
    """
    balance = ZERO
    out = []
    for line in lines:
        if line.status in MOVED_STATUSES:
            balance += line.signed_amount
            out.append((line, balance))
        else:
            out.append((line, None))
    return out


def years_of(account: FundAccount) -> list[int]:
    years = {d.year for d in account.entries.exclude(booked_on=None).values_list("booked_on", flat=True)}
    years |= {d.year for d in account.entries.values_list("created_at", flat=True)}
    return sorted(years, reverse=True)


# --- what residents see: paid spending tied to a consultation and its items ------------------


def public_spending(consultation) -> list[FundEntry]:
    """Paid lines tied to the consultation or to one of its items, oldest first, each with its correction
    (``correction``) if it was reversed: one query. The correcting lines themselves are not listed.

    Only the purpose, the kind, the amount and the date are shown; never a person, a voucher or an account."""
    return list(
        FundEntry.objects.filter(
            Q(consultation=consultation) | Q(assignment__suggestion__consultation=consultation),
            direction=Direction.SPENDING,
            status=EntryStatus.PAID,
        )
        .select_related("assignment__suggestion", "reversal")
        .order_by("booked_on", "number", "pk")
    )


def assignment_requests(assignment) -> list[FundEntry]:
    return list(FundEntry.objects.filter(assignment=assignment).select_related("account").order_by("created_at", "pk"))


# --- a period's figures over many accounts (the dashboard, the annual report) ------------------


@dataclass
class PeriodFigures:
    """The fund's figures over the lines booked in a period (``period_figures``).

    ``balance`` is the money in the accounts at the period's end (every line booked up to it), None when the
    lines are not whole accounts (a platform's share of the spending has no balance)."""

    income: Decimal = ZERO
    spent: Decimal = ZERO
    reversed: Decimal = ZERO
    balance: Decimal | None = ZERO
    # (kind, label, amount) in the order of ``EntryKind``; spending net of corrections
    income_by_kind: list[tuple[str, str, Decimal]] = field(default_factory=list)
    spent_by_kind: list[tuple[str, str, Decimal]] = field(default_factory=list)
    # Paid lines of the period, not reversed by its end, tied to a consultation (its running) / an item
    consultation_lines: int = 0
    assignment_lines: int = 0

    @property
    def lines(self) -> int:
        return self.consultation_lines + self.assignment_lines


def booked_q(start: date, end: date) -> Q:
    return Q(booked_on__gte=start, booked_on__lte=end)


def standing_q(end: date) -> Q:
    """Not reversed by ``end``: no correcting line, or one booked after it."""
    return Q(reversal__isnull=True) | Q(reversal__booked_on__gt=end)


# Drill-down values of ``period_lines`` besides the kinds (``income:<kind>``, ``spent:<kind>``).
LINE_LINKS = {"consultation": Q(consultation__isnull=False), "assignment": Q(assignment__isnull=False)}


def period_figures(entries: QuerySet[FundEntry], start: date, end: date, *, with_balance: bool = True) -> PeriodFigures:
    """The figures of ``entries`` (the lines of a scope) booked from ``start`` to ``end``: one query."""
    period = booked_q(start, end)
    sums = {
        "income": money_sum(INCOME_Q & period),
        "spent": money_sum(SPENT_Q & period, net=True),
        "reversed": money_sum(REVERSAL_Q & period),
        "income_to_end": money_sum(INCOME_Q & Q(booked_on__lte=end)),
        "spent_to_end": money_sum(SPENT_Q & Q(booked_on__lte=end), net=True),
        **{f"in_{kind}": money_sum(INCOME_Q & period & Q(kind=kind)) for kind in INCOME_KINDS},
        **{f"out_{kind}": money_sum(SPENT_Q & period & Q(kind=kind), net=True) for kind in SPENDING_KINDS},
        **{
            f"lines_{link}": Count("pk", filter=PAID_Q & period & standing_q(end) & condition)
            for link, condition in LINE_LINKS.items()
        },
    }
    row = entries.aggregate(**sums)
    return PeriodFigures(
        income=row["income"],
        spent=row["spent"],
        reversed=row["reversed"],
        balance=row["income_to_end"] - row["spent_to_end"] if with_balance else None,
        income_by_kind=[(kind.value, str(kind.label), row[f"in_{kind}"]) for kind in INCOME_KINDS],
        spent_by_kind=[(kind.value, str(kind.label), row[f"out_{kind}"]) for kind in SPENDING_KINDS],
        consultation_lines=row["lines_consultation"],
        assignment_lines=row["lines_assignment"],
    )


def period_lines(entries: QuerySet[FundEntry], start: date, end: date, value: str = "") -> QuerySet[FundEntry]:
    """The lines behind each of ``period_figures`` (``value``), each with ``signed`` (what it did to the money):
    their amounts (or, for ``consultation`` and ``assignment``, their number) make the figure.

    ``""`` every line that moved money in the period; ``income`` / ``income:<kind>``; ``spent`` /
    ``spent:<kind>`` (paid lines and corrections); ``reversed``; ``balance`` (every line that moved money up
    to the end); ``consultation`` / ``assignment``. Raises LookupError for any other value.
    """
    period = booked_q(start, end)
    head, _sep, kind = value.partition(":")
    if kind and not ((head == "income" and kind in INCOME_KINDS) or (head == "spent" and kind in SPENDING_KINDS)):
        raise LookupError(value)
    conditions = {
        "": (INCOME_Q | SPENT_Q) & period,
        "income": INCOME_Q & period,
        "spent": SPENT_Q & period,
        "reversed": REVERSAL_Q & period,
        "balance": (INCOME_Q | SPENT_Q) & Q(booked_on__lte=end),
        **{link: PAID_Q & period & standing_q(end) & condition for link, condition in LINE_LINKS.items()},
    }
    if head not in conditions:
        raise LookupError(value)
    qs = entries.filter(conditions[head])
    if kind:
        qs = qs.filter(kind=kind)
    return (
        qs.annotate(signed=Case(When(INCOME_Q, then=F("amount")), default=signed_amount(), output_field=MONEY))
        .select_related("account__village", "consultation__topic", "assignment__suggestion", "reversal", "reverses")
        .order_by("booked_on", "account__village__path", "number", "pk")
    )
