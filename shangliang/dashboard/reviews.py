"""Writes of the chair council's half-yearly review (主席会议每半年专题研究"有事好商量"工作)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core.errors import DomainError
from shangliang.core.records import save_record
from shangliang.dashboard.models import ChairCouncilReview
from shangliang.dashboard.states import Half
from shangliang.orgs.models import Region
from shangliang.orgs.states import RegionLevel


def _check(*, year: int, half: int, held_on: date, reviewed: str, decisions: str) -> None:
    if half not in Half.values:
        raise DomainError(_("请选择上半年或下半年。"), field="half")
    if held_on is None or held_on > timezone.localdate():
        raise DomainError(_("会议日期不能晚于今天。"), field="held_on")
    # A half-year's review is held during it or soon after (the second half's in the next January).
    if not (year <= held_on.year <= year + 1):
        raise DomainError(_("会议日期应在该年度内或次年年初。"), field="held_on")
    if not (reviewed or "").strip():
        raise DomainError(_("请写明听取和研究的内容。"), field="reviewed")
    if not (decisions or "").strip():
        raise DomainError(_("请写明研究决定的事项。"), field="decisions")


@transaction.atomic
def review_record(
    *,
    actor,
    region: Region,
    year: int,
    half: int,
    held_on: date,
    title: str,
    reviewed: str,
    decisions: str,
    findings: str = "",
    attachment=None,
) -> ChairCouncilReview:
    """Record one meeting of the district's chair council that reviewed the work. Raises DomainError for a
    region other than a district, a future date, and without what it heard or decided."""
    if region.level != RegionLevel.DISTRICT:
        raise DomainError(_("主席会议专题研究按区（县）记录。"))
    _check(year=year, half=half, held_on=held_on, reviewed=reviewed, decisions=decisions)
    review = ChairCouncilReview(
        region=region,
        year=year,
        half=half,
        held_on=held_on,
        title=(title or "").strip(),
        reviewed=reviewed.strip(),
        findings=(findings or "").strip(),
        decisions=decisions.strip(),
        recorded_by=actor,
    )
    if attachment:
        review.attachment = attachment
    return save_record(review, actor=actor, reason="chair_review.recorded")


@transaction.atomic
def review_update(*, actor, review: ChairCouncilReview, note: str, **fields) -> ChairCouncilReview:
    """Correct a recorded review, with the reason; the history keeps what it said before."""
    note = (note or "").strip()
    if not note:
        raise DomainError(_("请写明修改原因。"), field="note")
    review = ChairCouncilReview.objects.select_for_update().get(pk=review.pk)
    attachment = fields.pop("attachment", None)
    merged = {name: getattr(review, name) for name in ("year", "half", "held_on", "reviewed", "decisions")}
    merged.update({k: v for k, v in fields.items() if k in merged})
    _check(**merged)
    for name, value in fields.items():
        setattr(review, name, value.strip() if isinstance(value, str) else value)
    if attachment:
        review.attachment = attachment
    return save_record(review, actor=actor, reason="chair_review.updated", note=note)
