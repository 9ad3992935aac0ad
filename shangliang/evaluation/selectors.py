"""Reads of the evaluation stage: satisfaction figures are computed from the ratings, never stored."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from shangliang.consultations.states import ConsultationStatus
from shangliang.evaluation.models import FollowUp, Rating, ThirdPartyEvaluation, TypicalCase, TypicalCasePhoto
from shangliang.evaluation.states import FollowUpStatus, Satisfaction


@dataclass
class SatisfactionFigures:
    total: int
    process: dict[str, int]
    result: dict[str, int]

    def rate(self, aspect: str) -> float | None:
        """满意率: satisfied and basically satisfied over all ratings (None when nobody rated)."""
        counts = getattr(self, aspect)
        if not self.total:
            return None
        return (counts[Satisfaction.SATISFIED] + counts[Satisfaction.BASIC]) / self.total

    @property
    def process_rate(self) -> float | None:
        return self.rate("process")

    @property
    def result_rate(self) -> float | None:
        return self.rate("result")

    @property
    def unsatisfied_share(self) -> float | None:
        return self.result[Satisfaction.UNSATISFIED] / self.total if self.total else None


def satisfaction_of(ratings: QuerySet[Rating]) -> SatisfactionFigures:
    """Counts per level for the process and the result, in one query."""
    aggregates = {}
    for aspect in ("process", "result"):
        for level in Satisfaction.values:
            aggregates[f"{aspect}_{level}"] = Count("pk", filter=Q(**{aspect: level}))
    row = ratings.aggregate(total=Count("pk"), **aggregates)
    return SatisfactionFigures(
        total=row["total"],
        process={level: row[f"process_{level}"] for level in Satisfaction.values},
        result={level: row[f"result_{level}"] for level in Satisfaction.values},
    )


def ratings_for(consultation) -> QuerySet[Rating]:
    return consultation.ratings.select_related("user", "recorded_by").order_by("-created_at")


def rating_of(consultation, user) -> Rating | None:
    """The user's own rating, given on their account.

    A rating staff typed in with a mobile number is not shown to an account with that number: the
    number on an account is not verified. The one-rating-per-number constraint still counts it.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    return consultation.ratings.filter(user=user).order_by("created_at").first()


def _open_first(follow_ups: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    is_done = Case(When(status=FollowUpStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return follow_ups.order_by(is_done, "deadline", "-pk")


def follow_ups_of(consultation) -> QuerySet[FollowUp]:
    return _open_first(consultation.follow_ups.select_related("done_by"))


def follow_ups_open_first(follow_ups: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    """A list of follow-ups with what it shows, the open ones first, nearest deadline first."""
    return _open_first(follow_ups.select_related("consultation__topic", "consultation__platform", "done_by"))


def is_follow_up_overdue(follow_up: FollowUp, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return follow_up.status == FollowUpStatus.OPEN and follow_up.deadline < today


def third_party_evaluations_of(consultation) -> QuerySet[ThirdPartyEvaluation]:
    return consultation.third_party_evaluations.select_related("evaluator").order_by("-evaluated_on", "-pk")


def _shown_photos() -> Prefetch:
    """The photos a case shows (replaced ones are archived), as ``case.shown_photos``."""
    return Prefetch("photos", queryset=TypicalCasePhoto.objects.filter(is_archived=False), to_attr="shown_photos")


def case_of(consultation) -> TypicalCase | None:
    """The consultation's typical case, published or not, with its shown photos (staff page)."""
    return (
        TypicalCase.objects.filter(consultation=consultation)
        .select_related("published_by")
        .prefetch_related(_shown_photos())
        .first()
    )


def typical_cases_public() -> QuerySet[TypicalCase]:
    """Published cases whose consultation's results are still public, newest first, with what the list shows."""
    return (
        TypicalCase.objects.filter(
            is_published=True,
            is_archived=False,
            consultation__status=ConsultationStatus.CONCLUDED,
            consultation__is_archived=False,
            consultation__publication__isnull=False,
        )
        .select_related("consultation__platform", "consultation__topic")
        .prefetch_related(_shown_photos())
        .order_by("-published_at", "-pk")
    )
