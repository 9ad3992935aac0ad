"""What waits for a user on the home page.

Each stage contributes a provider: a function (user) -> list of WaitingItem, built from that
stage's selectors. Providers answer with counts, so the home page stays a handful of queries.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.consultations.permissions import ORGANISERS, consultations_visible_to
from shangliang.evaluation.permissions import follow_ups_visible_to
from shangliang.evaluation.states import FollowUpStatus
from shangliang.orgs.permissions import role_names
from shangliang.outcomes import selectors as outcome_selectors
from shangliang.outcomes.permissions import SUPERVISORS, assignments_visible_to, liaison_unit_ids
from shangliang.outcomes.states import AssignmentStatus
from shangliang.topics.selectors import waiting_counts


@dataclass(frozen=True)
class WaitingItem:
    title: str
    url: str
    count: int


def topic_items(user) -> list[WaitingItem]:
    counts = waiting_counts(user)
    queue = reverse("topics:queue")
    items = [
        WaitingItem(_("待筛查的诉求"), f"{queue}?tab=submissions&status=submitted", counts.to_screen),
        WaitingItem(_("待核实拟定"), f"{queue}?tab=submissions&status=accepted", counts.to_draft),
        WaitingItem(_("待我审定的议题"), f"{queue}?tab=approve", counts.to_approve),
    ]
    return [item for item in items if item.count]


def outcome_items(user) -> list[WaitingItem]:
    """Unit liaisons: items to accept and their unit's overdue items. Supervisors: overdue items and
    extension requests. Organisers: entrusted reports still waiting for a written reply."""
    today = timezone.localdate()
    roles = role_names(user)
    is_root = user.is_superuser
    items = []
    units = liaison_unit_ids(user)
    if units:
        desk = reverse("outcomes:unit_desk")
        mine = outcome_selectors.assignments_of_units(units)
        to_accept = mine.filter(status=AssignmentStatus.ASSIGNED, lead_unit_id__in=units).count()
        overdue = mine.filter(outcome_selectors.overdue_q(today)).count()
        items += [
            WaitingItem(_("待签收的交办事项"), f"{desk}?tab=todo", to_accept),
            WaitingItem(_("本单位逾期事项"), f"{desk}?tab=overdue", overdue),
        ]
    if is_root or roles & SUPERVISORS:
        board = reverse("outcomes:board")
        visible = assignments_visible_to(user)
        overdue = visible.filter(outcome_selectors.overdue_q(today)).count()
        extensions = outcome_selectors.pending_extensions(visible).count()
        items += [
            WaitingItem(_("逾期未办结事项"), f"{board}?state=overdue", overdue),
            WaitingItem(_("待审批的延期申请"), f"{board}#extensions", extensions),
        ]
    if is_root or roles & ORGANISERS:
        reports = reverse("outcomes:reports")
        reports_visible = outcome_selectors.reports_of(consultations_visible_to(user))
        late = outcome_selectors.replies_late(reports_visible, today).count()
        items.append(WaitingItem(_("书面答复已超期的委托事项"), f"{reports}?show=late", late))
    return [item for item in items if item.count]


def evaluation_items(user) -> list[WaitingItem]:
    """Organisers and supervisors: follow-ups (回访重办) still open in their regions, and the overdue ones."""
    roles = role_names(user)
    if not (user.is_superuser or roles & (ORGANISERS | SUPERVISORS)):
        return []
    open_ones = follow_ups_visible_to(user).filter(status=FollowUpStatus.OPEN)
    counts = open_ones.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=timezone.localdate())))
    url = reverse("evaluation:follow_ups")
    items = [
        WaitingItem(_("逾期未完成的回访重办"), url, counts["overdue"]),
        WaitingItem(_("进行中的回访重办"), url, counts["open"] - counts["overdue"]),
    ]
    return [item for item in items if item.count]


PROVIDERS = [topic_items, outcome_items, evaluation_items]


def waiting_for(user) -> list[WaitingItem]:
    if not user.is_authenticated:
        return []
    items = []
    for provider in PROVIDERS:
        items.extend(provider(user))
    return items
