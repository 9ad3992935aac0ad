"""The outcome stage's part in the township's legal review (``consultations.legal``).

The review is possible until the resolution moves on: once a report is sent the review is over, and
an item handed to a unit can no longer be corrected. A correction is told to everyone concerned.
"""

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from shangliang.consultations import legal
from shangliang.consultations.models import Consultation, LegalReview, Suggestion
from shangliang.core.limits import EXCERPT_SHORT, excerpt
from shangliang.outcomes import feedback
from shangliang.outcomes.models import Assignment, OutcomeReport
from shangliang.outcomes.states import AssignmentStatus, FeedbackEvent


def _sent_reports():
    return OutcomeReport.objects.filter(sent_at__isnull=False)


def moved_on(consultation: Consultation, suggestions: list[Suggestion]) -> str:
    """Why the review cannot be recorded any more: the report is sent, or an item to correct is assigned."""
    if _sent_reports().filter(consultation=consultation).exists():
        return _("协商结果已经报送，不能再进行合法性审查。")
    assigned = Assignment.objects.filter(suggestion__in=suggestions).exclude(status=AssignmentStatus.RETURNED)
    for assignment in assigned.select_related("suggestion")[:1]:
        return _("建议“%(text)s”已经交办，不能再纠正。") % {"text": excerpt(assignment.suggestion.text, EXCERPT_SHORT)}
    return ""


def not_reported(consultations: QuerySet) -> QuerySet:
    """``consultations`` without a sent report."""
    return consultations.exclude(Exists(_sent_reports().filter(consultation=OuterRef("pk"))))


def tell_corrected(review: LegalReview, corrected: list[Suggestion]) -> None:
    """Tell the people concerned which items the township corrected, and how (once per review)."""
    if corrected:
        feedback.tell_concerned(
            review.consultation,
            FeedbackEvent.CORRECTED,
            key=f"legal_review:{review.pk}",
            detail=legal.corrected_summary(corrected),
        )
