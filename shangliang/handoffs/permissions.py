"""Who may hand a matter to another channel, record the answer, and see hand-offs.

Handing off is part of deciding what becomes of the matter, so it belongs to whoever decides that now:
a submission to those who may screen it, a topic to those who may draft or approve it, a suggestion to
those who may assign it (the party committee and government of the convening region). The same people
record the answer or withdraw the hand-off. Another village's or township's staff are refused (404).
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from shangliang.consultations.models import Suggestion
from shangliang.handoffs.models import Handoff
from shangliang.orgs.permissions import path_q, region_paths
from shangliang.outcomes import permissions as outcome_permissions
from shangliang.topics import permissions as topic_permissions
from shangliang.topics.models import Submission, Topic

# Who reads hand-offs in scope: the topic stage's readers (stations, approvers, supervisors, evaluators…).
READERS = topic_permissions.READERS | outcome_permissions.ASSIGNERS


def _is_root(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def can_hand_off(user, subject) -> bool:
    """Whether ``user`` decides what becomes of ``subject`` (a submission, topic or suggestion) now."""
    if isinstance(subject, Submission):
        return topic_permissions.can_screen_submission(user, subject)
    if isinstance(subject, Topic):
        return topic_permissions.can_edit_topic(user, subject) or topic_permissions.can_approve_topic(user, subject)
    if isinstance(subject, Suggestion):
        return outcome_permissions.can_assign(user, subject.consultation)
    return False


def can_follow_up(user, handoff: Handoff) -> bool:
    """Record the answer or withdraw: who may hand the matter off, or who handed it."""
    return handoff.handed_by_id == getattr(user, "pk", None) or can_hand_off(user, handoff.subject)


def handoffs_visible_to(user) -> QuerySet[Handoff]:
    qs = Handoff.objects.all()
    if _is_root(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(path_q(region_paths(user, READERS), "region__path") | Q(handed_by=user))


def get_handoff_for_view(user, pk) -> Handoff:
    try:
        return (
            handoffs_visible_to(user)
            .select_related(
                "unit",
                "region",
                "handed_by",
                "answer_recorded_by",
                "withdrawn_by",
                "submission__region",
                "topic__convening_region",
                "suggestion__consultation__topic__convening_region",
            )
            .get(pk=pk)
        )
    except (Handoff.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_handoff_for_follow_up(user, pk) -> Handoff:
    handoff = get_handoff_for_view(user, pk)
    if not can_follow_up(user, handoff):
        raise Http404
    return handoff


def can_download_answer(user, handoff: Handoff) -> bool:
    """The answer's attachment: staff who may see the hand-off (the public pages show the answer's text only)."""
    return handoffs_visible_to(user).filter(pk=handoff.pk).exists()
