"""Who may enter ratings, close follow-ups and record third-party evaluations.

Residents rate on the public page with their own account. Organisers of the consultation (who
may run it) type in ratings gathered offline and close follow-ups; an evaluator (第三方评估)
covering the convening region records third-party evaluations. Organisers and CPPCC committee staff
covering the convening region publish and withdraw typical cases.
"""

from django.db.models import QuerySet
from django.http import Http404

from shangliang.consultations.models import Consultation
from shangliang.consultations.permissions import (
    can_run_consultation,
    consultations_visible_to,
    get_consultation_for_view,
)
from shangliang.evaluation.models import FollowUp, TypicalCasePhoto
from shangliang.evaluation.selectors import typical_cases_public
from shangliang.orgs.permissions import covers
from shangliang.orgs.states import Role


def can_record_ratings(user, consultation: Consultation) -> bool:
    return can_run_consultation(user, consultation)


def can_evaluate(user, consultation: Consultation) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return covers(user, {Role.EVALUATOR}, consultation.topic.convening_region)


def follow_ups_visible_to(user) -> QuerySet[FollowUp]:
    """Follow-ups of the consultations the user may see."""
    return FollowUp.objects.filter(consultation__in=consultations_visible_to(user))


def get_follow_up_for_view(user, pk) -> FollowUp:
    """A follow-up through its consultation's access: 404 for "does not exist" and "not yours"."""
    try:
        follow_up = FollowUp.objects.get(pk=pk)
    except (FollowUp.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    follow_up.consultation = get_consultation_for_view(user, follow_up.consultation_id)
    return follow_up


def can_publish_case(user, consultation: Consultation) -> bool:
    """Publish, update or withdraw the consultation's typical case (典型案例)."""
    if can_record_ratings(user, consultation):
        return True
    return covers(user, {Role.COMMITTEE_STAFF}, consultation.topic.convening_region)


def can_download_case_photo(user, photo: TypicalCasePhoto) -> bool:
    """Anyone while the case is on the public pages; otherwise those who may see the consultation."""
    if not photo.is_archived and typical_cases_public().filter(pk=photo.case_id).exists():
        return True
    return consultations_visible_to(user).filter(typical_case__pk=photo.case_id).exists()
