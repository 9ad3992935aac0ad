"""Submissions settled directly (直接解决 / 即时办结): a small matter the village or the station solved
at once, without a consultation, saying by whom and how.

It leaves the screening queue, the resident reads how it was solved on the tracking page and is told
(inbox, text or WeChat as the messages' policy says), and it counts among the practical problems
solved (``docs/figures.md``).
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core.errors import DomainError
from shangliang.core.notify import Kind, Recipient, notify
from shangliang.core.transitions import ensure_move, transition
from shangliang.topics.models import Submission
from shangliang.topics.states import SUBMISSION_MOVES, SubmissionStatus


def track_path(submission: Submission) -> str:
    return reverse("topics:track_detail", args=[submission.tracking_code])


def _submitter(submission: Submission) -> list[Recipient]:
    """The submitter: by account, and by the number a named submission gave (an anonymous one gave none)."""
    mobile = "" if submission.is_anonymous else submission.submitter_mobile
    if not submission.submitter_id and not mobile:
        return []
    return [Recipient(submission.submitter_id, mobile)]


@transaction.atomic
def submission_settle(*, actor, submission: Submission, settlement: str, now=None) -> Submission:
    """Record that the matter was solved directly, with who solved it and how (the resident reads it).

    Raises TransitionNotAllowed once the submission has left screening (drafted, merged, excluded or
    already settled), DomainError without the account of how it was solved.
    """
    settlement = (settlement or "").strip()
    if not settlement:
        raise DomainError(_("请写明由谁、怎样解决的，群众将在查询页看到。"), field="settlement")
    submission = Submission.objects.select_for_update(of=("self",)).get(pk=submission.pk)
    ensure_move(submission, to=SubmissionStatus.SETTLED, moves=SUBMISSION_MOVES)
    submission = transition(
        submission,
        to=SubmissionStatus.SETTLED,
        moves=SUBMISSION_MOVES,
        actor=actor,
        reason="submission.settled",
        changes={"settlement": settlement, "screened_by": actor},
        now=now or timezone.now(),
    )
    notify(
        kind=Kind.FEEDBACK,
        reason=f"submission.settled:{submission.pk}",
        recipients=_submitter(submission),
        title=_("【已直接解决】%(title)s") % {"title": submission.title},
        body=_("您反映的事项已直接解决：%(how)s") % {"how": settlement},
        url=track_path(submission),
    )
    return submission
