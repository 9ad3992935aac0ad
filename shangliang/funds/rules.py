"""Who approves a spending line of a consultation fund, as each district rules (``FundRule`` rows, in the admin).

Each rule is one step: from its amount up, its approver must agree. A spending line takes every active rule
of its district that its amount reaches, in the order of ``ApproverKind`` (the village first, the district
last). Without any rule the built-in default holds: the village's party organisation approves every line,
the township station head also from 5,000 yuan, the township party committee also from 20,000 yuan.

Each approver is a role held at one level of the account's region: the village's convener or party
organisation, the township's station head or party committee, the district's CPPCC office. ``approvable_q``
is the same rule as one filter, for the approval queue.
"""

from decimal import Decimal

from django.db.models import Q

from shangliang.funds.models import FundRule
from shangliang.funds.states import STEP_ORDER, ApproverKind
from shangliang.orgs.permissions import path_q, roles_of
from shangliang.orgs.selectors import path_ids
from shangliang.orgs.states import RegionLevel, Role

DEFAULT_RULES = (
    (ApproverKind.VILLAGE_PARTY, Decimal("0")),
    (ApproverKind.TOWNSHIP_STATION, Decimal("5000")),
    (ApproverKind.TOWNSHIP_PARTY, Decimal("20000")),
)

# The role, and the level of the region it is held at.
APPROVER_ROLES = {
    ApproverKind.VILLAGE_CONVENER: (Role.CONVENER, RegionLevel.VILLAGE),
    ApproverKind.VILLAGE_PARTY: (Role.APPROVER, RegionLevel.VILLAGE),
    ApproverKind.TOWNSHIP_STATION: (Role.STATION_HEAD, RegionLevel.TOWNSHIP),
    ApproverKind.TOWNSHIP_PARTY: (Role.APPROVER, RegionLevel.TOWNSHIP),
    ApproverKind.DISTRICT_OFFICE: (Role.COMMITTEE_STAFF, RegionLevel.DISTRICT),
}
LEVEL_INDEX = {RegionLevel.DISTRICT: 0, RegionLevel.TOWNSHIP: 1, RegionLevel.VILLAGE: 2}


def rules_of(district_id: int | None) -> list[tuple[str, Decimal]]:
    """(approver, from amount) of the district's active rules, or the default when it has none: one query."""
    rows = list(
        FundRule.objects.filter(district_id=district_id, is_archived=False).values_list("approver", "from_amount")
    )
    return rows or list(DEFAULT_RULES)


def steps_for(village, amount: Decimal) -> list[str]:
    """The approvers a spending line of ``amount`` from ``village``'s account needs, in order (at least one)."""
    ids = path_ids(village.path)
    rules = rules_of(ids[0] if ids else None)
    steps = sorted({approver for approver, start in rules if amount >= start}, key=STEP_ORDER.index)
    if not steps:
        # Every rule starts above this amount: the lowest step still approves it.
        steps = [min((approver for approver, _start in rules), key=STEP_ORDER.index)]
    return steps


def step_region_id(village, approver: str) -> int | None:
    """The region whose holder of the role takes this step for ``village``'s account."""
    _role, level = APPROVER_ROLES[approver]
    ids = path_ids(village.path)
    index = LEVEL_INDEX[level]
    return ids[index] if index < len(ids) else None


def may_take_step(user, village, approver: str) -> bool:
    """Whether ``user`` holds the step's role at the step's region (superusers always)."""
    if not approver:
        return False
    if getattr(user, "is_superuser", False):
        return True
    role, _level = APPROVER_ROLES[approver]
    region_id = step_region_id(village, approver)
    return any(g.role == role and g.region_id == region_id for g in roles_of(user) if region_id)


def approvable_q(user, field: str = "account__village__path") -> Q:
    """Spending lines whose current step ``user`` takes, as one filter (the SQL form of ``may_take_step``)."""
    if getattr(user, "is_superuser", False):
        return ~Q(next_step="")
    q = Q(pk__in=[])
    for approver, (role, level) in APPROVER_ROLES.items():
        paths = [
            g.region.path
            for g in roles_of(user)
            if g.role == role and g.region_id and g.region.level == level and not g.region.is_archived
        ]
        if paths:
            q |= Q(next_step=approver) & path_q(paths, field)
    return q
