"""Who may see and run consultations. A convener runs only topics of their level and scope."""

from django.db.models import Q, QuerySet
from django.http import Http404

from shangliang.consultations.models import Consultation, Research
from shangliang.orgs.permissions import covers, granted_ids, path_q, region_paths
from shangliang.orgs.states import Role
from shangliang.topics import elsewhere
from shangliang.topics.models import Topic
from shangliang.topics.permissions import READERS, SCREENERS
from shangliang.topics.states import TopicStatus

# Those who organise: the same people who screen and draft topics.
ORGANISERS = SCREENERS


def _is_root(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def can_plan_consultation(user, topic: Topic) -> bool:
    """Only for an approved topic, and only by an organiser whose scope covers its convening region.

    A village convener covers their village, so a township-level topic is out of their reach.
    """
    if topic.status != TopicStatus.APPROVED:
        return False
    return _is_root(user) or covers(user, ORGANISERS, topic.convening_region)


def topics_plannable_by(user) -> QuerySet[Topic]:
    """The topics ``can_plan_consultation`` allows, as one query: approved, convened in the user's scope."""
    # A topic handed to another channel (topics.elsewhere) is settled there, not planned here.
    qs = Topic.objects.filter(status=TopicStatus.APPROVED).exclude(elsewhere.handed_off_q("topic"))
    if _is_root(user):
        return qs
    return qs.filter(path_q(region_paths(user, ORGANISERS), "convening_region__path"))


def consultations_visible_to(user) -> QuerySet[Consultation]:
    qs = Consultation.objects.all()
    if _is_root(user):
        return qs
    # Access follows the roles held now: having convened a consultation grants nothing once the
    # convener has moved to another village or lost the role.
    q = path_q(region_paths(user, READERS), "topic__convening_region__path") | Q(
        platform_id__in=granted_ids(user, READERS, "platform")
    )
    return qs.filter(q)


def can_run_consultation(user, consultation: Consultation) -> bool:
    return _is_root(user) or covers(user, ORGANISERS, consultation.topic.convening_region)


def get_consultation_for_view(user, pk) -> Consultation:
    try:
        return (
            consultations_visible_to(user)
            .select_related(
                "topic__convening_region", "topic__category", "platform__region", "session_format", "convener"
            )
            .get(pk=pk)
        )
    except (Consultation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_consultation_for_running(user, pk) -> Consultation:
    consultation = get_consultation_for_view(user, pk)
    if not can_run_consultation(user, consultation):
        raise Http404
    return consultation


def can_download_research_attachment(user, research: Research) -> bool:
    """The attachment of a research record: whoever may see its consultation."""
    return consultations_visible_to(user).filter(pk=research.consultation_id).exists()


def consultations_run_by(user) -> QuerySet[Consultation]:
    """The consultations (not archived) ``can_run_consultation`` allows, as one query."""
    qs = Consultation.objects.filter(is_archived=False)
    if _is_root(user):
        return qs
    return qs.filter(path_q(region_paths(user, ORGANISERS), "topic__convening_region__path"))


# --- the township's legal review of village resolutions (consultations/legal.py) ------------

# The township government's reviewer, granted at the township: covers the villages (and grids) under it.
LEGAL_REVIEWERS = frozenset({Role.LEGAL_REVIEWER})


def can_review_legality(user, consultation: Consultation) -> bool:
    """Whether ``user`` may record the legal review of this consultation's resolution."""
    return _is_root(user) or covers(user, LEGAL_REVIEWERS, consultation.topic.convening_region)


def consultations_reviewable_by(user) -> QuerySet[Consultation]:
    """The consultations ``can_review_legality`` allows, as one query (any state: the service checks it)."""
    qs = Consultation.objects.filter(is_archived=False)
    if _is_root(user):
        return qs
    return qs.filter(path_q(region_paths(user, LEGAL_REVIEWERS), "topic__convening_region__path"))


def get_consultation_for_legal_review(user, pk) -> Consultation:
    """The review page: its reviewer, and whoever may see the consultation (to read the result); else 404."""
    visible = consultations_visible_to(user) | consultations_reviewable_by(user)
    try:
        return (
            Consultation.objects.filter(pk__in=visible.values("pk"))
            .select_related("topic__convening_region", "topic__category", "platform", "session_format", "convener")
            .get(pk=pk)
        )
    except (Consultation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
