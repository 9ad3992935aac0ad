"""The consultation fund's figures, each defined once here (``docs/figures.md``, 协商资金).

- income: the amounts of income lines recorded (已入账), withdrawn ones left out;
- spent: the amounts of spending lines paid (已支付);
- committed: spending approved and not yet paid (已批准未支付);
- balance = income − spent (the money in the account);
- available = balance − committed (what a new approval may still use);
- spent on implementation vs operation: paid spending by kind (成果落实 / 协商活动运作).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from shangliang.funds.models import FundAccount, FundEntry
from shangliang.funds.states import Direction, EntryKind, EntryStatus

ZERO = Decimal("0.00")

INCOME_Q = Q(direction=Direction.INCOME, status=EntryStatus.RECORDED)
SPENT_Q = Q(direction=Direction.SPENDING, status=EntryStatus.PAID)
COMMITTED_Q = Q(direction=Direction.SPENDING, status=EntryStatus.APPROVED)
IMPLEMENTATION_Q = SPENT_Q & Q(kind=EntryKind.IMPLEMENTATION)
OPERATION_Q = SPENT_Q & Q(kind=EntryKind.OPERATION)
REQUESTED_Q = Q(direction=Direction.SPENDING, status=EntryStatus.REQUESTED)

FIGURES = {
    "income": INCOME_Q,
    "spent": SPENT_Q,
    "committed": COMMITTED_Q,
    "implementation": IMPLEMENTATION_Q,
    "operation": OPERATION_Q,
    "requested": REQUESTED_Q,
}


@dataclass(frozen=True)
class Totals:
    income: Decimal = ZERO
    spent: Decimal = ZERO
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


def _flat(condition: Q) -> dict:
    """The lookups of one of the ``FIGURES`` conditions (each is a plain AND of field lookups)."""
    out = {}
    for child in condition.children:
        if isinstance(child, Q):
            out.update(_flat(child))
        else:
            out[child[0]] = child[1]
    return out


def _annotations(prefix: str) -> dict:
    return {
        name: Coalesce(
            Sum(f"{prefix}amount", filter=Q(**{f"{prefix}{k}": v for k, v in _flat(condition).items()})),
            Value(ZERO),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )
        for name, condition in FIGURES.items()
    }


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
    qs = account.entries.select_related("consultation__topic", "assignment__suggestion", "created_by").order_by(
        "number"
    )
    if year:
        qs = qs.filter(Q(booked_on__year=year) | Q(booked_on__isnull=True, created_at__year=year))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def running_balance(lines) -> list[tuple[FundEntry, Decimal | None]]:
    """Each line with the balance after it, counting only money that moved (recorded income, paid spending).

    The balance runs from the account's first line in the order given; lines that moved no money get None.
    """
    balance = ZERO
    out = []
    for line in lines:
        if line.status in (EntryStatus.RECORDED, EntryStatus.PAID):
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
    """Paid lines tied to the consultation or to one of its items, oldest first: one query.

    Only the purpose, the kind, the amount and the date are shown; never a person, a voucher or an account."""
    return list(
        FundEntry.objects.filter(
            Q(consultation=consultation) | Q(assignment__suggestion__consultation=consultation),
            direction=Direction.SPENDING,
            status=EntryStatus.PAID,
        )
        .select_related("assignment__suggestion")
        .order_by("booked_on", "number", "pk")
    )


def assignment_requests(assignment) -> list[FundEntry]:
    return list(FundEntry.objects.filter(assignment=assignment).select_related("account").order_by("created_at", "pk"))
