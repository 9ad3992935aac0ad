"""Writes of the topic stage: submissions, screening, merging, verification, drafting, approval.

Every service runs in one transaction, locks the rows it moves, checks the current status through
the transition table and leaves a history row naming the actor. Nothing is deleted.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.accounts.models import CodePurpose
from shangliang.accounts.verification import code_check
from shangliang.core.errors import DomainError, TransitionNotAllowed
from shangliang.core.records import save_record
from shangliang.core.transitions import ensure_move, transition
from shangliang.orgs.models import Member, Platform, Region, Unit
from shangliang.orgs.selectors import path_ids
from shangliang.orgs.states import RegionLevel
from shangliang.topics import elsewhere, routing
from shangliang.topics.models import (
    Category,
    Reply,
    Submission,
    SubmissionPhoto,
    Topic,
    TopicFollow,
    TopicSupport,
    Verification,
    VerificationPhoto,
)
from shangliang.topics.states import (
    CRITERIA,
    SUBMISSION_MOVES,
    TOPIC_MOVES,
    ConveningLevel,
    ExclusionReason,
    Source,
    SubmissionStatus,
    TopicStatus,
)

# --- submissions ---------------------------------------------------------------------------


@dataclass
class Created:
    submission: Submission
    is_new: bool


def submission_create(
    *,
    actor,
    source: str,
    region: Region,
    category: Category,
    title: str,
    content: str = "",
    grid: Region | None = None,
    location_detail: str = "",
    platform: Platform | None = None,
    is_anonymous: bool = True,
    submitter_name: str = "",
    submitter_mobile: str = "",
    photos=(),
    client_token: uuid.UUID | None = None,
    member: Member | None = None,
    assigning_unit: Unit | None = None,
    mobile_verified_at: datetime | None = None,
    via_member: Member | None = None,
) -> Created:
    """Record a submission; the same client token (a double tap, a retry) returns the first record.

    ``actor`` is the logged-in resident, the member or the staff member recording it (None for an
    anonymous visitor). ``mobile_verified_at``: when the named submitter's number was proved (the
    public form: ``submission_submit``); staff who record a named matter took the number from the
    person (a call, a visit), so theirs counts as proved when recorded. Raises DomainError for a
    region or grid that does not fit.
    """
    if client_token:
        existing = Submission.objects.filter(client_token=client_token).first()
        if existing:
            return Created(existing, False)
    if region.level != RegionLevel.VILLAGE:
        raise DomainError(_("请选择所在的村（社区）。"), field="region")
    if grid is not None and grid.parent_id != region.pk:
        raise DomainError(_("所选网格不属于该村（社区）。"), field="grid")
    is_staff_record = source in {Source.GOVERNMENT, Source.GRID, Source.OFFLINE, Source.HOTLINE}
    is_named = not is_anonymous and bool(submitter_mobile)
    if is_named and is_staff_record and mobile_verified_at is None:
        mobile_verified_at = timezone.now()
    submission = Submission(
        source=source,
        region=region,
        grid=grid,
        category=category,
        title=title.strip(),
        content=content.strip(),
        location_detail=location_detail.strip(),
        platform=platform,
        is_anonymous=is_anonymous,
        submitter_name="" if is_anonymous else submitter_name.strip(),
        submitter_mobile="" if is_anonymous else submitter_mobile,
        mobile_verified_at=mobile_verified_at if is_named else None,
        submitter=actor if (actor is not None and source == Source.RESIDENT) else None,
        recorded_by=actor if is_staff_record else None,
        member=member,
        assigning_unit=assigning_unit,
        client_token=client_token,
        via_member=via_member,
    )
    try:
        with transaction.atomic():
            save_record(submission, actor=actor, reason="submission.submitted")
            for photo in photos:
                SubmissionPhoto.objects.create(submission=submission, image=photo)
    except IntegrityError:
        # Two requests with one token raced past the check above; the first one won.
        existing = Submission.objects.filter(client_token=client_token).first() if client_token else None
        if existing is None:
            raise
        return Created(existing, False)
    return Created(submission, True)


def submission_submit(*, actor, code: str = "", client_token: uuid.UUID | None = None, **fields) -> Created:
    """A resident's submission through the public form (群众出题); a named one needs its number proved.

    A named submission counts as named only with its number proved: by the logged-in account whose
    verified number it is, or else by the SMS code sent to it (purpose submit, used up here). A named
    choice without a valid code is refused on ``code`` (DomainError), never recorded as anonymous.
    A repeated client token returns the first record without asking for the code again. The other
    arguments are ``submission_create``'s; records "submission.submitted".
    """
    if client_token:
        existing = Submission.objects.filter(client_token=client_token).first()
        if existing:
            return Created(existing, False)
    verified_at = None
    if not fields.get("is_anonymous", True):
        mobile = fields.get("submitter_mobile", "")
        if not mobile:
            raise DomainError(_("实名反映请填写手机号，方便工作人员联系您。"), field="submitter_mobile")
        if not _holds_verified(actor, mobile):
            code_check(mobile=mobile, purpose=CodePurpose.SUBMIT, code=code)
        verified_at = timezone.now()
    return submission_create(
        actor=actor, source=Source.RESIDENT, client_token=client_token, mobile_verified_at=verified_at, **fields
    )


def _holds_verified(user, mobile: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_verified_mobile and user.mobile == mobile)


@transaction.atomic
def submissions_claim(*, user) -> list[Submission]:
    """Attach to ``user`` the named submissions given with the account's verified number and no account.

    Called after the owner of the account logs in and after the account proves a number
    (``accounts.services.after_login``); "我反映的事项" then lists them. Only submissions whose number
    was proved (``mobile_verified_at``: an SMS code, a verified account, staff who took it from the
    person) join, and only an account holding that number verified: a number typed by someone else
    reveals nothing. Anonymous submissions never join an account. Each one gets a history row
    naming the account.
    """
    if not getattr(user, "is_authenticated", False) or not user.has_verified_mobile:
        return []
    claimed = list(
        Submission.objects.select_for_update().filter(
            is_anonymous=False,
            submitter__isnull=True,
            submitter_mobile=user.verified_mobile,
            mobile_verified_at__isnull=False,
        )
    )
    for submission in claimed:
        submission.submitter = user
        save_record(submission, actor=user, reason="submission.claimed", update_fields=["submitter", "updated_at"])
    return claimed


def _locked(submission: Submission) -> Submission:
    return Submission.objects.select_for_update().get(pk=submission.pk)


def _refuse_handed_off(submission: Submission) -> None:
    """A submission handed to another channel (``elsewhere``) is settled there: withdraw the hand-off first."""
    if Submission.objects.filter(elsewhere.handed_off_q("submission"), pk=submission.pk).exists():
        raise DomainError(_("这件诉求已转交其他渠道办理；如需在本级办理，请先撤回转交。"))


@transaction.atomic
def submission_screen(*, actor, submission: Submission, eligible: bool, reason: str = "", note: str = "") -> Submission:
    """Record the screening: eligible (accepted) or excluded under one of the eight reasons.

    An exclusion needs the reason and a text the submitter will read. Raises TransitionNotAllowed
    when the submission is no longer waiting for screening, DomainError for a missing reason.
    """
    submission = _locked(submission)
    _refuse_handed_off(submission)
    target = SubmissionStatus.ACCEPTED if eligible else SubmissionStatus.EXCLUDED
    ensure_move(submission, to=target, moves=SUBMISSION_MOVES)
    if not eligible:
        if reason not in ExclusionReason.values:
            raise DomainError(_("请选择不纳入协商的情形。"), field="reason")
        if not note.strip():
            raise DomainError(_("请写明不纳入的理由，群众将在查询页看到。"), field="note")
    changes = {"exclusion_reason": "" if eligible else reason, "screening_note": note.strip(), "screened_by": actor}
    return transition(
        submission, to=target, moves=SUBMISSION_MOVES, actor=actor, reason="submission.screened", changes=changes
    )


@transaction.atomic
def submission_reopen(*, actor, submission: Submission, note: str) -> Submission:
    """Put a wrongly excluded submission back in the screening queue."""
    submission = _locked(submission)
    return transition(
        submission,
        to=SubmissionStatus.SUBMITTED,
        moves=SUBMISSION_MOVES,
        actor=actor,
        reason="submission.reopened",
        note=note.strip(),
        changes={"exclusion_reason": "", "screening_note": note.strip()},
    )


def _root(submission: Submission) -> Submission:
    seen = set()
    while submission.merged_into_id and submission.pk not in seen:
        seen.add(submission.pk)
        submission = submission.merged_into
    return submission


@transaction.atomic
def submission_merge(*, actor, submission: Submission, into: Submission) -> Submission:
    """Join a submission to a similar one; its submitter then follows and supports that one's topic.

    Raises DomainError when merging into itself or into an excluded or merged-away submission.
    """
    submission = _locked(submission)
    target = _root(Submission.objects.select_for_update().get(pk=into.pk))
    if target.pk == submission.pk:
        raise DomainError(_("不能合并到自身。"), field="into")
    if target.status == SubmissionStatus.EXCLUDED:
        raise DomainError(_("不能合并到已排除的诉求。"), field="into")
    transition(
        submission,
        to=SubmissionStatus.MERGED,
        moves=SUBMISSION_MOVES,
        actor=actor,
        reason="submission.merged",
        changes={"merged_into": target, "topic": target.topic},
    )
    # Submissions already merged into this one move along with it.
    Submission.objects.filter(merged_into=submission).update(merged_into=target, topic=target.topic)
    if target.topic_id:
        _add_submission_supports(target.topic, [submission, *Submission.objects.filter(merged_into=target)])
    return submission


@transaction.atomic
def reply_add(*, actor, submission: Submission, text: str) -> Reply:
    """A reply the submitter reads on the tracking page."""
    if not text.strip():
        raise DomainError(_("请填写答复内容。"), field="text")
    return save_record(Reply(submission=submission, author=actor, text=text.strip()), actor=actor, reason="reply.added")


# --- topics --------------------------------------------------------------------------------


def convening_for(regions) -> tuple[Region, str]:
    """Who convenes: one grid (villager group) → the grid, under its village (003: 村民小组…召集协商);
    one village → the village; one township → the township; wider → the district."""
    chains = [path_ids(r.path) for r in regions]
    if not chains:
        raise DomainError(_("请至少选择一个涉及的区划。"), field="regions")
    levels = ((3, ConveningLevel.GRID), (2, ConveningLevel.VILLAGE), (1, ConveningLevel.TOWNSHIP))
    for depth, level in levels:
        heads = {tuple(chain[: depth + 1]) for chain in chains}
        if len(heads) == 1 and all(len(chain) > depth for chain in chains):
            return Region.objects.get(pk=chains[0][depth]), level
    return Region.objects.get(pk=chains[0][0]), ConveningLevel.DISTRICT


def _add_submission_supports(topic: Topic, submissions) -> None:
    for submission in submissions:
        TopicSupport.objects.get_or_create(topic=topic, submission=submission)


@transaction.atomic
def topic_draft_from_submission(*, actor, submission: Submission) -> Topic:
    """Start drafting a topic from an accepted submission (核实, 拟定议题).

    The submission and every submission merged into it follow the new topic and count as its
    supporters. Raises TransitionNotAllowed unless the submission was accepted.
    """
    submission = _locked(submission)
    _refuse_handed_off(submission)
    if submission.status != SubmissionStatus.ACCEPTED:
        raise TransitionNotAllowed(_("只有已受理的诉求才能拟定议题。"))
    region, level = convening_for([submission.region])
    topic = Topic(
        title=submission.title,
        background=submission.content,
        category=submission.category,
        is_livelihood=submission.category.is_livelihood,
        convening_region=region,
        convening_level=level,
        platform=submission.platform,
        source=submission.source,
        drafted_by=actor,
    )
    save_record(topic, actor=actor, reason="topic.drafted", m2m={"regions": [submission.region]})
    transition(
        submission,
        to=SubmissionStatus.DRAFTED,
        moves=SUBMISSION_MOVES,
        actor=actor,
        reason="submission.drafted",
        changes={"topic": topic},
    )
    merged = list(Submission.objects.filter(merged_into=submission))
    Submission.objects.filter(merged_into=submission).update(topic=topic)
    _add_submission_supports(topic, [submission, *merged])
    return topic


def _editable(topic: Topic) -> Topic:
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.status not in {TopicStatus.DRAFT, TopicStatus.RETURNED}:
        raise DomainError(_("议题已提交审定，不能再修改。"))
    return topic


@transaction.atomic
def topic_update(
    *,
    actor,
    topic: Topic,
    title: str,
    background: str,
    category: Category,
    is_livelihood: bool,
    small_cut_reason: str,
    regions,
    platform: Platform | None,
    **priority,
) -> Topic:
    """Edit a draft; the convening level follows the regions concerned.

    ``priority`` may set ``urgency``, ``weight`` (大小、轻重、缓急) and the criteria of ``states.CRITERIA``
    (党政所需、群众所盼、政协所能、委员所为); what is not given stays as it was.
    """
    unknown = set(priority) - {"urgency", "weight", *CRITERIA}
    if unknown:
        raise TypeError(f"topic_update() got unexpected fields {sorted(unknown)}")
    topic = _editable(topic)
    regions = list(regions)
    topic.convening_region, topic.convening_level = convening_for(regions)
    topic.title, topic.background, topic.category = title.strip(), background.strip(), category
    topic.is_livelihood, topic.small_cut_reason, topic.platform = is_livelihood, small_cut_reason.strip(), platform
    for name, value in priority.items():
        setattr(topic, name, value)
    save_record(topic, actor=actor, reason="topic.updated", m2m={"regions": regions})
    return topic


@transaction.atomic
def verification_add(*, actor, topic: Topic, checked_by: str, checked_on, findings: str, photos=()) -> Verification:
    """Record facts checked for a draft topic (who went, when, what they found, photos)."""
    topic = _editable(topic)
    verification = save_record(
        Verification(topic=topic, checked_by=checked_by, checked_on=checked_on, findings=findings, recorded_by=actor),
        actor=actor,
        reason="verification.added",
    )
    for photo in photos:
        VerificationPhoto.objects.create(verification=verification, image=photo)
    return verification


@transaction.atomic
def topic_submit(*, actor, topic: Topic) -> Topic:
    """Send a draft to the same-level approver. Needs background and at least one verification."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.status in {TopicStatus.DRAFT, TopicStatus.RETURNED}:
        if not topic.verifications.exists():
            raise DomainError(_("请先填写核实记录：不核实不拟题。"))
        if not topic.background.strip():
            raise DomainError(_("请填写议题的背景情况。"))
    return transition(topic, to=TopicStatus.PENDING, moves=TOPIC_MOVES, actor=actor, reason="topic.submitted")


def _topic_decide(*, actor, topic: Topic, to: str, reason: str, note: str, note_required: bool) -> Topic:
    """The approver's decision on a pending topic: moves it to ``to``, stamps who decided and the note.

    The history row gets the decision's code (``reason``) and the note.
    """
    if note_required and not note.strip():
        raise DomainError(_("不予审定或退回时，请写明理由。"), field="note")
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    return transition(
        topic,
        to=to,
        moves=TOPIC_MOVES,
        actor=actor,
        reason=reason,
        note=note.strip(),
        changes={"decided_by": actor, "decision_note": note.strip()},
    )


def _party_meeting(topic: Topic, on, name: str, ref: str) -> dict:
    """The party committee meeting that discussed the topic (党委会讨论), checked against the district's rule.

    Required when the topic's approval route asks for it (``routing.route_for``); a date is never in the future.
    """
    name, ref = (name or "").strip(), (ref or "").strip()
    if on is not None and on > timezone.localdate():
        raise DomainError(_("党委会召开日期不能晚于今天。"), field="party_meeting_on")
    if routing.route_for(topic)[1]:
        if on is None:
            raise DomainError(_("本区规定议题须经党委会讨论通过，请填写党委会召开日期。"), field="party_meeting_on")
        if not name:
            raise DomainError(_("请填写讨论该议题的党委会会议名称。"), field="party_meeting_name")
        if not ref:
            raise DomainError(_("请填写党委会会议纪要编号。"), field="party_meeting_ref")
    return {"party_meeting_on": on, "party_meeting_name": name, "party_meeting_ref": ref}


@transaction.atomic
def topic_approve(
    *,
    actor,
    topic: Topic,
    note: str = "",
    needs_hearing: bool = False,
    party_meeting_on=None,
    party_meeting_name: str = "",
    party_meeting_ref: str = "",
) -> Topic:
    """Approve a pending topic (审定), which opens it for planning a consultation.

    Records the approver, the optional note, whether the matter is wide-reaching (``needs_hearing``: 涉及面广、
    关注度高, a hearing or similar form is then required) and the party committee meeting that discussed it,
    which the district's approval rule may require (``DomainError`` next to the missing field). Raises
    ``TransitionNotAllowed`` if the topic is not pending.
    """
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    ensure_move(topic, to=TopicStatus.APPROVED, moves=TOPIC_MOVES)
    meeting = _party_meeting(topic, party_meeting_on, party_meeting_name, party_meeting_ref)
    note = note.strip()
    return transition(
        topic,
        to=TopicStatus.APPROVED,
        moves=TOPIC_MOVES,
        actor=actor,
        reason="topic.approved",
        note=note,
        changes={"decided_by": actor, "decision_note": note, "needs_hearing": bool(needs_hearing), **meeting},
    )


@transaction.atomic
def topic_reject(*, actor, topic: Topic, note: str) -> Topic:
    """Refuse a pending topic for good (不予审定); the reason is required and shown to its drafter.

    Records the approver and the reason with an audit row; raises ``DomainError`` without a reason and
    ``TransitionNotAllowed`` if the topic is not pending.
    """
    return _topic_decide(
        actor=actor, topic=topic, to=TopicStatus.REJECTED, reason="topic.rejected", note=note, note_required=True
    )


@transaction.atomic
def topic_return(*, actor, topic: Topic, note: str) -> Topic:
    """Send a pending topic back to its drafter (退回补充) with what is missing, to be submitted again.

    Records the approver and the note with an audit row; raises ``DomainError`` without a note and
    ``TransitionNotAllowed`` if the topic is not pending.
    """
    return _topic_decide(
        actor=actor, topic=topic, to=TopicStatus.RETURNED, reason="topic.returned", note=note, note_required=True
    )


# --- supporters and followers --------------------------------------------------------------


def topic_support(*, user, topic: Topic) -> TopicSupport:
    """A resident supports an approved topic once; the database refuses a second time."""
    if topic.status != TopicStatus.APPROVED:
        raise DomainError(_("只能支持已审定公开的议题。"))
    try:
        with transaction.atomic():
            return TopicSupport.objects.create(topic=topic, user=user)
    except IntegrityError:
        raise DomainError(_("您已经支持过这个议题。")) from None


def topic_follow(*, user, topic: Topic) -> TopicFollow:
    follow, _created = TopicFollow.objects.get_or_create(topic=topic, user=user)
    return follow


def topic_unfollow(*, user, topic: Topic) -> None:
    TopicFollow.objects.filter(topic=topic, user=user).delete()
