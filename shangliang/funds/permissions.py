"""Who may see and keep a village's consultation fund.

The keepers (the village's convener, the township station head covering it) record income, request
spending, register payments, withdraw lines and correct paid ones (冲正); they alone see the full account
number. The CPPCC office, the party organisations and the administrators covering the village read the
account and its ledger. Approving is a step of the district's rules (``funds/rules.py``). Access functions
answer 404 for "missing" and "not yours" alike.
"""

from django.db.models import QuerySet
from django.http import Http404

from shangliang.consultations.models import Consultation
from shangliang.consultations.states import ConsultationStatus
from shangliang.funds import rules
from shangliang.funds.models import FundAccount, FundEntry
from shangliang.orgs.models import Region
from shangliang.orgs.permissions import covers, path_q, region_paths, role_names
from shangliang.orgs.states import RegionLevel, Role
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.states import AssignmentStatus

KEEPERS = frozenset({Role.CONVENER, Role.STATION_HEAD})
READERS = KEEPERS | {Role.COMMITTEE_STAFF, Role.APPROVER, Role.ADMINISTRATOR}
OPENERS = KEEPERS | {Role.ADMINISTRATOR}


def _is_root(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def accounts_visible_to(user) -> QuerySet[FundAccount]:
    qs = FundAccount.objects.filter(is_archived=False)
    if _is_root(user):
        return qs
    return qs.filter(path_q(region_paths(user, READERS), "village__path"))


def can_view_account(user, account: FundAccount) -> bool:
    return _is_root(user) or covers(user, READERS, account.village)


def can_keep_account(user, account: FundAccount) -> bool:
    """Record income, request spending, register payments, withdraw and correct lines, see the full account number."""
    return _is_root(user) or covers(user, KEEPERS, account.village)


def can_open_account(user, village: Region) -> bool:
    return village.level == RegionLevel.VILLAGE and (_is_root(user) or covers(user, OPENERS, village))


def villages_to_open(user) -> QuerySet[Region]:
    """Villages in the user's scope without an open account."""
    qs = Region.objects.filter(level=RegionLevel.VILLAGE, is_archived=False).exclude(fund_accounts__is_archived=False)
    if _is_root(user):
        return qs
    return qs.filter(path_q(region_paths(user, OPENERS), "path"))


def can_approve(user, entry: FundEntry) -> bool:
    """The user takes the line's current approval step (the service checks the state and the rest)."""
    return bool(entry.next_step) and rules.may_take_step(user, entry.account.village, entry.next_step)


def entries_to_approve(user) -> QuerySet[FundEntry]:
    """Spending lines waiting for this user's step: the SQL form of ``can_approve``."""
    if not getattr(user, "is_authenticated", False):
        return FundEntry.objects.none()
    return FundEntry.objects.filter(rules.approvable_q(user), account__is_archived=False, status="requested")


def _get_or_404(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_account_for_view(user, pk) -> FundAccount:
    return _get_or_404(accounts_visible_to(user).select_related("village__parent", "keeper_unit"), pk)


def get_account_for_keeping(user, pk) -> FundAccount:
    account = get_account_for_view(user, pk)
    if not can_keep_account(user, account):
        raise Http404
    return account


def get_entry_for_view(user, pk) -> FundEntry:
    visible = FundEntry.objects.filter(account__in=accounts_visible_to(user))
    return _get_or_404(
        visible.select_related(
            "account__village",
            "consultation__topic",
            "assignment__suggestion",
            "assignment__lead_unit",
            "created_by",
            "reversal",
            "reverses",
        ),
        pk,
    )


def can_view_voucher(user, entry: FundEntry) -> bool:
    """A voucher may show bank details and signatures: staff who read the account only, never the public."""
    return can_view_account(user, entry.account)


# --- what a spending line may be tied to: the village's own consultations and items -------------


def village_consultations(village: Region) -> QuerySet[Consultation]:
    """The consultations convened in the village (or a group or grid under it), not cancelled."""
    return Consultation.objects.filter(
        topic__convening_region__path__startswith=village.path, is_archived=False
    ).exclude(status=ConsultationStatus.CANCELLED)


def village_assignments(village: Region) -> QuerySet[Assignment]:
    """The items of the village's consultations, not returned by their unit."""
    return Assignment.objects.filter(
        suggestion__consultation__topic__convening_region__path__startswith=village.path, is_archived=False
    ).exclude(status=AssignmentStatus.RETURNED)


def account_of_village_region(region: Region) -> FundAccount | None:
    """The open account of the village of ``region`` (a village, or a group or grid under one), or None."""
    if region.level == RegionLevel.VILLAGE:
        village_id = region.pk
    elif region.level == RegionLevel.GRID:
        village_id = region.parent_id
    else:
        return None
    return FundAccount.objects.filter(village_id=village_id, is_archived=False).select_related("village").first()


def entries_to_pay(user) -> QuerySet[FundEntry]:
    """Approved spending in the accounts this user keeps, waiting for its payment to be registered."""
    qs = FundEntry.objects.filter(status="approved", account__is_archived=False)
    if _is_root(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(path_q(region_paths(user, KEEPERS), "account__village__path"))


def can_use_funds(user) -> bool:
    """Whether the menu shows 协商资金: the roles that read accounts (no query: the roles are cached)."""
    return _is_root(user) or bool(role_names(user) & READERS)
