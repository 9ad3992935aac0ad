"""What the fund adds to outcomes' pages (``outcomes.page_sections``, registered in ``FundsConfig.ready``).

- The public result of a consultation: the spending paid for it and for its items (the purpose, the kind,
  the amount, the day paid). Never a person, an account number or a voucher; requested or approved lines are
  not shown until paid. A paid line later corrected (冲正) stays listed, struck through and marked 已冲正,
  and is left out of the total.
- An item's staff page: the fund requests tied to it and their state, and for the keepers of its village's
  account a link "申请协商资金" while the item is open (an item stalled for 资金尚未落实 is said so).
"""

from decimal import Decimal

from django.urls import reverse

from shangliang.funds import permissions, selectors
from shangliang.funds.states import EntryStatus
from shangliang.outcomes.page_sections import Section
from shangliang.outcomes.states import AssignmentStatus

# Words in a deferral reason or a progress report's problems that say the money is missing.
MONEY_WORDS = ("资金", "经费", "缺钱", "费用")
OPEN_FOR_REQUESTS = frozenset({AssignmentStatus.ASSIGNED, AssignmentStatus.ACCEPTED, AssignmentStatus.DEFERRED})


def public_spending(consultation) -> Section | None:
    lines = selectors.public_spending(consultation)
    if not lines:
        return None
    numbers = {s.pk: n for n, s in enumerate(consultation.suggestions.all(), start=1)}
    # A corrected line is shown, marked and not added up, rather than dropped: residents who saw it on this
    # page before should see that it was corrected (and that the money went back), not that it vanished.
    # The reason is not shown: it is the keepers' note and may name people.
    rows = [
        {
            "date": line.booked_on,
            "kind": line.get_kind_display(),
            "purpose": line.purpose,
            "amount": line.amount,
            "item": numbers.get(line.assignment.suggestion_id) if line.assignment_id else None,
            "is_reversed": line.correction is not None,
            "reversed_on": line.correction.booked_on if line.correction is not None else None,
        }
        for line in lines
    ]
    total = sum((line.amount for line in lines if line.correction is None), Decimal("0"))
    reversed_any = any(row["is_reversed"] for row in rows)
    return Section("funds/public/_spending.html", {"rows": rows, "total": total, "reversed_any": reversed_any})


def waits_for_money(assignment) -> bool:
    """The item is stalled for want of money (资金尚未落实): its deferral reason or its latest problems say so."""
    texts = [assignment.deferral_reason]
    latest = assignment.updates.order_by("-reported_on", "-pk").values_list("problems", flat=True).first()
    texts.append(latest or "")
    return any(word in text for text in texts for word in MONEY_WORDS)


def assignment_requests(user, assignment) -> Section | None:
    region = assignment.suggestion.consultation.topic.convening_region
    account = permissions.account_of_village_region(region)
    entries = selectors.assignment_requests(assignment)
    if account is None and not entries:
        return None
    may_read = account is not None and permissions.can_view_account(user, account)
    may_request = (
        account is not None and assignment.status in OPEN_FOR_REQUESTS and permissions.can_keep_account(user, account)
    )
    return Section(
        "funds/_assignment_requests.html",
        {
            "entries": entries,
            "may_read": may_read,
            "request_url": reverse("funds:assignment_request", args=[assignment.pk]) if may_request else "",
            "account": account,
            "stalled": assignment.status in OPEN_FOR_REQUESTS and waits_for_money(assignment),
            "open_statuses": (EntryStatus.REQUESTED, EntryStatus.APPROVED),
        },
    )
