"""The implemented measures of an item (落实成果): an item may have several results (新增路灯12盏, 修复
路面300米 …), each with the day it was implemented.

The lead unit's liaison (or a co-unit's), or whoever checks the item, records them while the item is
worked or when it is finished. A measure entered by mistake is withdrawn with the reason, never deleted;
withdrawn ones stay in the history and leave the figures. Each done item counts its measures among the
outcomes implemented, or 1 when it has none (``docs/figures.md``).
"""

from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core.errors import DomainError
from shangliang.core.records import save_record
from shangliang.outcomes import permissions
from shangliang.outcomes.models import Assignment, Measure
from shangliang.outcomes.states import AssignmentStatus

# While the unit works the item, when it reports it finished, and after the check.
OPEN_FOR_MEASURES = frozenset({AssignmentStatus.ACCEPTED, AssignmentStatus.FINISHED, AssignmentStatus.DONE})


def can_record_measures(user, assignment: Assignment) -> bool:
    return permissions.can_post_progress(user, assignment) or permissions.can_check(user, assignment)


def measures_of(assignment: Assignment) -> QuerySet[Measure]:
    """The measures that count (not withdrawn), in the order they were implemented."""
    return assignment.measures.filter(withdrawn_at__isnull=True).order_by("implemented_on", "pk")


@transaction.atomic
def measure_add(*, actor, assignment: Assignment, text: str, implemented_on: date) -> Measure:
    """Record one implemented measure of an item.

    Raises DomainError before the unit accepted the item (or once it was returned or deferred), without
    a text, and for a day in the future.
    """
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status not in OPEN_FOR_MEASURES or assignment.is_archived:
        raise DomainError(_("事项签收后、办理中或办结时才能填报落实成果。"), field="text")
    text = (text or "").strip()
    if not text:
        raise DomainError(_("请写明落实成果。"), field="text")
    if implemented_on is None or implemented_on > timezone.localdate():
        raise DomainError(_("落实日期不能晚于今天。"), field="implemented_on")
    return save_record(
        Measure(assignment=assignment, text=text, implemented_on=implemented_on, recorded_by=actor),
        actor=actor,
        reason="measure.added",
    )


@transaction.atomic
def measure_withdraw(*, actor, measure: Measure, reason: str, now=None) -> Measure:
    """Withdraw a measure entered by mistake, with the reason; it is kept and leaves the figures."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请写明撤回原因。"), field="reason")
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if measure.withdrawn_at:
        raise DomainError(_("这项落实成果已经撤回。"), field="reason")
    measure.withdrawn_at = now or timezone.now()
    return save_record(measure, actor=actor, reason="measure.withdrawn", note=reason, update_fields=["withdrawn_at"])


def measures_text(assignment: Assignment, measures=None) -> str:
    """ "新增路灯12盏（2025-05-02）；修复路面300米（2025-05-10）" for printed sheets and lists."""
    rows = measures if measures is not None else measures_of(assignment)
    return "；".join(f"{m.text}（{m.implemented_on:%Y-%m-%d}）" for m in rows)
