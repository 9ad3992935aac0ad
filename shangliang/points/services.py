"""Writes of the points stage: only the rules are written; points are computed, never stored."""

from django.db import transaction
from django.utils import timezone

from shangliang.core.records import save_record
from shangliang.points.models import PointRule


@transaction.atomic
def rule_save(*, actor, rule: PointRule, note: str = "") -> PointRule:
    """Create or change a rule.

    Changes the rule row; the history row names ``actor`` and the person's ``note``. Every ledger and ranking
    follows the new values at once, for past years too. Raises ValidationError for a negative value
    or a second rule in force for the same activity.
    """
    return save_record(rule, actor=actor, reason="point_rule.changed" if rule.pk else "point_rule.created", note=note)


@transaction.atomic
def rule_archive(*, actor, rule: PointRule) -> PointRule:
    """Retire a rule: it stops counting and stays on record.

    Sets ``is_archived``, ``archived_at`` and clears ``is_active``; the history row names ``actor``.
    Raises nothing for a rule already archived (it is returned unchanged).
    """
    rule = PointRule.objects.select_for_update().get(pk=rule.pk)
    if rule.is_archived:
        return rule
    rule.is_archived, rule.archived_at, rule.is_active = True, timezone.now(), False
    return save_record(rule, actor=actor, reason="point_rule.archived")
