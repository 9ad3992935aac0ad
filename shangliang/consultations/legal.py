"""The township government's legal review of a village resolution (003: 协商结果违反法律法规的，基层政府应当依法纠正).

A resolution agreed by a village (or a villager group, a grid) may be reviewed once by the township
government (``Role.LEGAL_REVIEWER`` held at the township) before it is reported: passed, or with
items corrected, each with its legal basis. A corrected item keeps the text the session agreed in
``original_text``; its new text is what is reported, assigned and published. Where the district's
``ProcedureRules`` require the review, the report and the assignments wait for it
(``safeguards.report_refusal`` / ``assign_refusal``).

The outcome stage, above this one, registers what it must add (``register_outcome_stage``): whether
the resolution has already moved on (a report sent, an item assigned) and the telling of the people
concerned about a correction.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.consultations.models import Consultation, LegalReview, Suggestion
from shangliang.consultations.permissions import consultations_reviewable_by
from shangliang.consultations.safeguards import VILLAGE_LEVELS, legal_review_required
from shangliang.consultations.states import ConsultationStatus, LegalVerdict
from shangliang.core.errors import DomainError
from shangliang.core.limits import EXCERPT_SHORT, excerpt
from shangliang.core.notify import Kind, notify
from shangliang.core.records import save_record

# (consultation, suggestions to correct) -> why the review may not be recorded now, or "".
MovedOnCheck = Callable[[Consultation, list[Suggestion]], str]
# (review, corrected suggestions), inside the review's transaction.
AfterReview = Callable[[LegalReview, list[Suggestion]], None]
# consultations -> those of them that have not moved on (for the reviewers' to-do list, one query).
NotMovedOn = Callable[[QuerySet], QuerySet]
_moved_on_checks: list[MovedOnCheck] = []
_after_review: list[AfterReview] = []
_not_moved_on: list[NotMovedOn] = []


def register_outcome_stage(*, moved_on: MovedOnCheck, not_moved_on: NotMovedOn, after_review: AfterReview) -> None:
    """The outcome stage's part (from its ``AppConfig.ready``): see the module's docstring."""
    for hooks, hook in ((_moved_on_checks, moved_on), (_not_moved_on, not_moved_on), (_after_review, after_review)):
        if hook not in hooks:
            hooks.append(hook)


def review_refusal(consultation: Consultation, suggestions: Iterable[Suggestion] = ()) -> str:
    """Why the review of ``consultation`` cannot be recorded now (empty when it can)."""
    if consultation.topic.convening_level not in VILLAGE_LEVELS:
        return _("只有村（社区）、村民小组（网格）召集的协商结果由乡镇（街道）政府进行合法性审查。")
    if consultation.status != ConsultationStatus.CONCLUDED:
        return _("协商意见形成后才能进行合法性审查。")
    if LegalReview.objects.filter(consultation=consultation).exists():
        return _("这次协商的结果已经审查过，不能重复审查。")
    for check in _moved_on_checks:
        if refusal := check(consultation, list(suggestions)):
            return refusal
    return ""


@dataclass(frozen=True)
class Correction:
    text: str
    legal_basis: str


@transaction.atomic
def legal_review_record(
    *,
    actor,
    consultation: Consultation,
    opinion: str,
    corrections: dict[Suggestion, tuple[str, str]] | None = None,
    verdict: str | None = None,
    now=None,
) -> LegalReview:
    """Record the township's review: items corrected (``corrections`` maps an item to its new text and
    legal basis), verdict CORRECTED when any is, else PASSED. A ``verdict`` given must agree.

    Raises DomainError (next to the item's field, ``text_<pk>`` / ``basis_<pk>``) for a correction
    without new text or basis, or one that changes nothing; for a second review; for a resolution not
    agreed, not of a village, or already reported."""
    consultation = Consultation.objects.select_for_update().select_related("topic").get(pk=consultation.pk)
    corrections = dict(corrections or {})
    items = {s.pk: s for s in Suggestion.objects.select_for_update().filter(consultation=consultation)}
    if refusal := review_refusal(consultation, [items[s.pk] for s in corrections if s.pk in items]):
        raise DomainError(refusal)
    opinion = (opinion or "").strip()
    if not opinion:
        raise DomainError(_("请填写审查意见。"), field="opinion")
    cleaned: list[tuple[Suggestion, Correction]] = []
    for suggestion, (text, basis) in corrections.items():
        item = items.get(suggestion.pk)
        if item is None:
            raise DomainError(_("只能纠正本次协商意见中的建议。"))
        text, basis = (text or "").strip(), (basis or "").strip()
        if not text:
            raise DomainError(_("请填写纠正后的表述。"), field=f"text_{item.pk}")
        if text == item.text:
            raise DomainError(_("纠正后的表述与原建议相同。"), field=f"text_{item.pk}")
        if not basis:
            raise DomainError(_("请写明纠正所依据的法律法规条款。"), field=f"basis_{item.pk}")
        cleaned.append((item, Correction(text, basis)))
    expected = LegalVerdict.CORRECTED if cleaned else LegalVerdict.PASSED
    if verdict and verdict != expected:
        raise DomainError(
            _("选择“依法纠正”时须至少纠正一项建议。")
            if verdict == LegalVerdict.CORRECTED
            else _("已纠正建议的，审查结论应为“已依法纠正”。"),
            field="verdict",
        )
    now = now or timezone.now()
    corrected = []
    for item, correction in cleaned:
        if not item.original_text:
            item.original_text = item.text
        item.text, item.legal_basis = correction.text, correction.legal_basis
        item.corrected_at, item.corrected_by = now, actor
        save_record(
            item,
            actor=actor,
            reason="suggestion.corrected",
            note=correction.legal_basis,
            update_fields=["original_text", "text", "legal_basis", "corrected_at", "corrected_by"],
        )
        corrected.append(item)
    try:
        with transaction.atomic():
            review = save_record(
                LegalReview(
                    consultation=consultation, verdict=expected, opinion=opinion, reviewed_by=actor, reviewed_at=now
                ),
                actor=actor,
                reason="legal_review.recorded",
            )
    except IntegrityError:
        raise DomainError(_("这次协商的结果已经审查过，不能重复审查。")) from None
    _tell_convener(review, corrected, actor=actor)
    for hook in _after_review:
        hook(review, corrected)
    return review


def _tell_convener(review: LegalReview, corrected: list[Suggestion], *, actor) -> None:
    convener = review.consultation.convener
    if convener is None or not convener.is_active or convener.pk == getattr(actor, "pk", None):
        return
    values = {"topic": review.consultation.topic.title, "verdict": review.get_verdict_display(), "n": len(corrected)}
    if corrected:
        body = _("乡镇（街道）政府依法纠正了%(n)d条建议，报送、交办和公开均以纠正后的表述为准。") % values
    else:
        body = _("协商结果经乡镇（街道）政府合法性审查通过，可以报送。") % values
    notify(
        kind=Kind.FEEDBACK,
        reason=f"legal_review.recorded:{review.pk}",
        recipients=[convener],
        title=_("【合法性审查】%(topic)s：%(verdict)s") % values,
        body=body,
        url=reverse("consultations:legal_review", args=[review.consultation_id]),
    )


def corrected_summary(corrected: list[Suggestion]) -> str:
    """One text naming each corrected item, its new wording and basis, for the people concerned."""
    lines = [
        _("“%(old)s”依法纠正为“%(new)s”（依据：%(basis)s）")
        % {
            "old": excerpt(s.original_text, EXCERPT_SHORT),
            "new": excerpt(s.text, EXCERPT_SHORT),
            "basis": excerpt(s.legal_basis, EXCERPT_SHORT),
        }
        for s in corrected
    ]
    return "；".join(lines)


# --- selectors -------------------------------------------------------------------------------


def reviews_due(user) -> QuerySet[Consultation]:
    """Village resolutions agreed in the reviewer's township, not yet reviewed and not yet reported
    (the outcome stage's ``moved_on`` check): the required ones and the optional ones alike, since a
    review is possible until the report goes out."""
    qs = (
        consultations_reviewable_by(user)
        .filter(status=ConsultationStatus.CONCLUDED, topic__convening_level__in=VILLAGE_LEVELS)
        .exclude(Exists(LegalReview.objects.filter(consultation=OuterRef("pk"))))
    )
    for narrow in _not_moved_on:
        qs = narrow(qs)
    return qs


@dataclass(frozen=True)
class ReviewStatus:
    """What the pages say about the review: required or not, and the review once done."""

    applies: bool  # a village resolution: the township may review it
    required: bool
    review: LegalReview | None


def review_status(consultation: Consultation) -> ReviewStatus:
    applies = consultation.topic.convening_level in VILLAGE_LEVELS
    review = LegalReview.objects.filter(consultation=consultation).select_related("reviewed_by").first()
    return ReviewStatus(applies, applies and legal_review_required(consultation), review)
