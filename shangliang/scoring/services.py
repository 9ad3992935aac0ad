"""Writes of the assessment: the year's targets, the scoring scheme, and the committees' inspections.

Each service runs in one transaction, locks the row it changes, validates it (fields and database
constraints) and saves it with a history row naming the actor. Nothing is deleted: a target or an
inspection entered by mistake is archived.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core.errors import DomainError
from shangliang.core.records import save_record
from shangliang.orgs.models import ContactLink, Platform, Region, Unit
from shangliang.orgs.states import RegionLevel, UnitKind
from shangliang.scoring.models import AnnualTarget, Inspection, ScoringScheme
from shangliang.scoring.states import InspectionKind


def _domain_error(error: ValidationError) -> DomainError:
    if hasattr(error, "error_dict"):
        field, messages = next(iter(error.message_dict.items()))
        return DomainError(messages[0], field=None if field == "__all__" else field)
    return DomainError(error.messages[0])


@transaction.atomic
def target_set(
    *,
    actor,
    year: int,
    region: Region | None = None,
    platform: Platform | None = None,
    min_consultations: int,
    min_on_time_rate: int | None = None,
    min_satisfaction_rate: int | None = None,
    note: str = "",
) -> AnnualTarget:
    """Set (create or change) the year's target of a township or a platform; an archived row comes back.

    Records a history row by ``actor``. Raises DomainError for a region that is not a township,
    for both or neither subject, and for values out of range.
    """
    if (region is None) == (platform is None):
        raise DomainError(_("目标任务须针对一个乡镇（街道）或一个协商平台。"))
    if region is not None and region.level != RegionLevel.TOWNSHIP:
        raise DomainError(_("年度目标只能设在乡镇（街道）一级。"), field="region")
    lookup = {"region": region} if region is not None else {"platform": platform}
    target = AnnualTarget.objects.select_for_update(of=("self",)).filter(year=year, **lookup).first()
    is_new = target is None
    if is_new:
        target = AnnualTarget(year=year, **lookup)
    target.min_consultations = min_consultations
    target.min_on_time_rate = min_on_time_rate
    target.min_satisfaction_rate = min_satisfaction_rate
    target.note = note.strip()
    target.is_archived = False
    target.archived_at = None
    try:
        save_record(target, actor=actor, reason="target.set" if is_new else "target.changed")
    except ValidationError as error:
        raise _domain_error(error) from None
    return target


@transaction.atomic
def township_targets_set(*, actor, year: int, targets) -> list[AnnualTarget]:
    """Set the year's targets of several townships together (the table on the targets page).

    ``targets`` gives (township, minimum, on-time rate, satisfaction rate) per row. Each row is set as
    ``target_set`` sets one, with a history row by ``actor``; a refused row refuses the table, so no
    target changes. Raises DomainError naming the township of the refused row.
    """
    saved = []
    for township, minimum, on_time, satisfaction in targets:
        try:
            saved.append(
                target_set(
                    actor=actor,
                    year=year,
                    region=township,
                    min_consultations=minimum,
                    min_on_time_rate=on_time,
                    min_satisfaction_rate=satisfaction,
                )
            )
        except DomainError as error:
            raise DomainError(
                _("%(township)s：%(reason)s本次没有保存任何目标。")
                % {"township": township.name, "reason": error.message}
            ) from None
    return saved


@transaction.atomic
def scheme_set(
    *,
    actor,
    year: int,
    weight_consultations: int,
    weight_on_time: int,
    weight_replies: int,
    weight_satisfaction: int,
    full_points: Decimal = Decimal("5.0"),
) -> ScoringScheme:
    """Set the year's scoring scheme. Raises DomainError when the weights do not sum to 100."""
    scheme = ScoringScheme.objects.select_for_update().filter(year=year).first() or ScoringScheme(year=year)
    is_new = scheme.pk is None
    scheme.weight_consultations = weight_consultations
    scheme.weight_on_time = weight_on_time
    scheme.weight_replies = weight_replies
    scheme.weight_satisfaction = weight_satisfaction
    scheme.full_points = full_points
    scheme.is_archived = False
    try:
        save_record(scheme, actor=actor, reason="scheme.set" if is_new else "scheme.changed")
    except ValidationError as error:
        raise _domain_error(error) from None
    return scheme


def link_in_force(committee: Unit, platform: Platform, on: date) -> ContactLink | None:
    return (
        ContactLink.objects.filter(committee=committee, platform=platform, started_on__lte=on)
        .exclude(ended_on__lt=on)
        .order_by("-started_on")
        .first()
    )


@transaction.atomic
def inspection_record(
    *,
    actor,
    committee: Unit,
    platform: Platform,
    kind: str,
    visited_on: date,
    findings: str,
    problems: str = "",
    attachment=None,
    today: date | None = None,
) -> Inspection:
    """Record a committee's research visit or full inspection of a station linked to it.

    Records a history row by ``actor``. Raises DomainError when the unit is not a CPPCC committee,
    when the committee was not linked to the station on that day, for a date in the future, or an
    unknown kind.
    """
    today = today or timezone.localdate()
    if committee.kind != UnitKind.CPPCC_COMMITTEE:
        raise DomainError(_("请选择政协专委会。"), field="committee")
    if kind not in InspectionKind.values:
        raise DomainError(_("请选择督导类型。"), field="kind")
    if visited_on > today:
        raise DomainError(_("督导日期不能晚于今天。"), field="visited_on")
    if link_in_force(committee, platform, visited_on) is None:
        raise DomainError(_("该专委会在督导日期与此站点没有联系关系，不能录入。"), field="link")
    if not findings.strip():
        raise DomainError(_("请填写调研督导情况。"), field="findings")
    inspection = Inspection(
        committee=committee,
        platform=platform,
        kind=kind,
        visited_on=visited_on,
        findings=findings.strip(),
        problems=problems.strip(),
        recorded_by=actor,
    )
    if attachment:
        inspection.attachment = attachment
    try:
        save_record(inspection, actor=actor, reason="inspection.recorded")
    except ValidationError as error:
        raise _domain_error(error) from None
    return inspection
