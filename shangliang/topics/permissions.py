"""Who may see and act on submissions and topics. Scope rules come from the organisation app."""

from django.db.models import Q, QuerySet
from django.http import Http404

from shangliang.orgs.models import Member
from shangliang.orgs.permissions import covers, granted_ids, path_q, region_paths, role_names
from shangliang.orgs.states import Role
from shangliang.topics import routing
from shangliang.topics.models import Submission, SubmissionPhoto, Topic, VerificationPhoto
from shangliang.topics.routing import CPPCC_PLATFORM_KINDS

# The station screens, verifies and drafts: the township station head, the village convener, and
# the CPPCC office staff, who run sector rooms and member studios and help any station in their scope.
SCREENERS = frozenset({Role.STATION_HEAD, Role.CONVENER, Role.COMMITTEE_STAFF})
READERS = SCREENERS | {Role.ADMINISTRATOR, Role.APPROVER, Role.SUPERVISOR, Role.EVALUATOR}
ASSIGNERS = frozenset({Role.APPROVER, Role.ADMINISTRATOR})
# Topics of sector rooms and member studios (``CPPCC_PLATFORM_KINDS``) are approved by the CPPCC committee,
# unless the district rules otherwise (``routing``).


def _is_root(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def submissions_visible_to(user) -> QuerySet[Submission]:
    qs = Submission.objects.all()
    if _is_root(user):
        return qs
    q = path_q(region_paths(user, READERS), "region__path") | Q(platform_id__in=granted_ids(user, READERS, "platform"))
    if getattr(user, "is_authenticated", False):
        q |= Q(member__user=user)
    return qs.filter(q)


def can_screen_submission(user, submission: Submission) -> bool:
    if _is_root(user):
        return True
    return covers(user, SCREENERS, submission.region) or submission.platform_id in granted_ids(
        user, SCREENERS, "platform"
    )


def topics_visible_to(user) -> QuerySet[Topic]:
    qs = Topic.objects.all()
    if _is_root(user):
        return qs
    paths = region_paths(user, READERS)
    q = path_q(paths, "convening_region__path") | Q(platform_id__in=granted_ids(user, READERS, "platform"))
    concerned = Topic.objects.filter(path_q(paths, "regions__path")).values("pk")
    return qs.filter(q | Q(pk__in=concerned))


def can_edit_topic(user, topic: Topic) -> bool:
    if _is_root(user):
        return True
    return covers(user, SCREENERS, topic.convening_region) or topic.platform_id in granted_ids(
        user, SCREENERS, "platform"
    )


def is_cppcc_topic(topic: Topic) -> bool:
    return topic.platform is not None and topic.platform.kind in CPPCC_PLATFORM_KINDS


def can_approve_topic(user, topic: Topic) -> bool:
    """Who decides follows the district's rule (``routing``): by default the party organisation of exactly
    the convening level (a grid's topic: its village's), or the CPPCC committee for its rooms.

    Under the default a village approver cannot decide a township topic, nor a township approver a village
    one; a district may let the level above decide too, or send stations' topics to the CPPCC committee.
    """
    return routing.can_approve(user, topic)


def can_record_submission(user) -> bool:
    return _is_root(user) or bool(role_names(user) & SCREENERS)


def can_assign_topic(user) -> bool:
    return _is_root(user) or bool(role_names(user) & ASSIGNERS)


def member_of(user) -> Member | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.filter(user=user, is_archived=False).first()


def get_submission_for_view(user, pk) -> Submission:
    try:
        return (
            submissions_visible_to(user)
            .select_related(
                "region__parent", "grid", "category", "platform", "member", "assigning_unit", "topic", "merged_into"
            )
            .get(pk=pk)
        )
    except (Submission.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_submission_for_screening(user, pk) -> Submission:
    submission = get_submission_for_view(user, pk)
    if not can_screen_submission(user, submission):
        raise Http404
    return submission


def get_topic_for_view(user, pk) -> Topic:
    try:
        return (
            topics_visible_to(user).select_related("category", "convening_region", "platform", "drafted_by").get(pk=pk)
        )
    except (Topic.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_topic_for_edit(user, pk) -> Topic:
    topic = get_topic_for_view(user, pk)
    if not can_edit_topic(user, topic):
        raise Http404
    return topic


def get_topic_for_approval(user, pk) -> Topic:
    topic = get_topic_for_view(user, pk)
    if not can_approve_topic(user, topic):
        raise Http404
    return topic


# --- photos (served by core.media_views) -----------------------------------------------------


def can_download_submission_photo(user, photo: SubmissionPhoto) -> bool:
    """Staff who see the submission; the public tracking page shows no photos."""
    return submissions_visible_to(user).filter(pk=photo.submission_id).exists()


def can_download_verification_photo(user, photo: VerificationPhoto) -> bool:
    return topics_visible_to(user).filter(verifications=photo.verification_id).exists()
