"""Writes of the points stage: only the rules are written; points are computed, never stored."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core.records import save_record
from shangliang.points.models import PointRule


@transaction.atomic
def rule_save(*, actor, rule: PointRule, reason: str = "") -> PointRule:
    """Create or change a rule.

    Changes the rule row; the history row names ``actor`` and ``reason``. Every ledger and ranking
    follows the new values at once, for past years too. Raises ValidationError for a negative value
    or a second rule in force for the same activity.
    """
    return save_record(rule, actor=actor, reason=reason or (_("修改积分规则") if rule.pk else _("新增积分规则")))


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
    return save_record(rule, actor=actor, reason=_("归档积分规则"))
