"""Writes of the evaluation stage: residents' ratings, follow-ups, third-party evaluations, typical cases.

A rating opens when the consultation's results are published. Each service runs in one
transaction; the database enforces one rating per person (account and mobile number). When the
share of residents unsatisfied with the result passes the threshold, the matter is taken up again
(回访/重办) and the convener is told.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.consultations.models import Consultation
from shangliang.consultations.states import ConsultationStatus
from shangliang.core.errors import DomainError
from shangliang.core.images import clean_photo
from shangliang.core.notify import Kind, Recipient, notify
from shangliang.core.phones import normalize_mobile
from shangliang.core.records import save_record
from shangliang.core.transitions import transition
from shangliang.core.workdays import deadline_on
from shangliang.evaluation.models import FollowUp, Rating, ThirdPartyEvaluation, TypicalCase, TypicalCasePhoto
from shangliang.evaluation.states import FOLLOW_UP_MOVES, STAFF_CHANNELS, FollowUpStatus, RatingChannel, Satisfaction


def unsatisfied_threshold() -> float:
    """Share of 'unsatisfied' result ratings above which the matter is followed up (default 30%)."""
    return settings.SHANGLIANG_UNSATISFIED_THRESHOLD


def min_ratings() -> int:
    """Ratings needed before the share counts, so one early voice does not reopen a matter (default 5)."""
    return settings.SHANGLIANG_MIN_RATINGS


def follow_up_days() -> int:
    return settings.SHANGLIANG_FOLLOW_UP_DAYS


def is_rating_open(consultation: Consultation) -> bool:
    """Rating opens once the results are published."""
    if consultation.status != ConsultationStatus.CONCLUDED:
        return False
    return type(consultation).objects.filter(pk=consultation.pk, publication__isnull=False).exists()


def _check_levels(process: str, result: str) -> None:
    if process not in Satisfaction.values:
        raise DomainError(_("请评价协商过程。"), field="process")
    if result not in Satisfaction.values:
        raise DomainError(_("请评价落实结果。"), field="result")


def _save_rating(rating: Rating, actor, now=None) -> Rating:
    duplicate = _("每人对同一协商只能评议一次，您已经评过了。")
    try:
        with transaction.atomic():
            save_record(rating, actor=actor, reason="rating.submitted", now=now)
    except IntegrityError:  # a concurrent request by the same person won the race
        raise DomainError(duplicate) from None
    except ValidationError as error:
        errors = error.message_dict
        if "__all__" in errors:  # the one-rating-per-person constraints
            raise DomainError(duplicate) from None
        field, messages = next(iter(errors.items()))
        raise DomainError(messages[0], field=field) from None
    follow_up_check(consultation=rating.consultation, today=timezone.localdate(now) if now else None)
    return rating


@transaction.atomic
def rating_mark_doubtful(*, actor, rating: Rating, is_doubtful: bool, reason: str = "") -> Rating:
    """Mark a rating doubtful (it stops counting in every figure) or count it again.

    Records who and why in the rating's history. Marking needs a reason (DomainError otherwise).
    Counting a rating again may open a follow-up, as a new rating would.
    """
    rating = Rating.objects.select_for_update().get(pk=rating.pk)
    reason = reason.strip()
    if is_doubtful and not reason:
        raise DomainError(_("请说明存疑的原因，例如：同一时间大量新注册账号评议。"), field="reason")
    rating.is_doubtful = is_doubtful
    rating.doubtful_reason = reason if is_doubtful else ""
    save_record(
        rating,
        actor=actor,
        reason="rating.marked_doubtful" if is_doubtful else "rating.counted_again",
        note=reason,
        update_fields=["is_doubtful", "doubtful_reason"],
    )
    if not is_doubtful:
        follow_up_check(consultation=rating.consultation)
    return rating


@transaction.atomic
def rating_submit(
    *, user, consultation: Consultation, process: str, result: str, comment: str = "", now=None
) -> Rating:
    """A resident rates on their phone at ``now``, once per account and once per verified mobile number.

    The account needs a number proved by an SMS code (or by staff in person); the rating keeps that
    number, so an account that later proves the same number cannot rate again. Records
    "rating.submitted"; raises DomainError (not logged in, number not verified, not open, rated).
    """
    if not getattr(user, "is_authenticated", False):
        raise DomainError(_("请先登录后再评议。"))
    if not user.has_verified_mobile:
        raise DomainError(_("请先验证手机号后再评议。"))
    if not is_rating_open(consultation):
        raise DomainError(_("结果公开后才能评议。"))
    _check_levels(process, result)
    mobile = user.verified_mobile
    if consultation.ratings.filter(mobile=mobile).exclude(user=user).exists():
        raise DomainError(_("这个手机号已经对本次协商评议过，每个手机号只能评议一次。"))
    rating = Rating(
        consultation=consultation,
        process=process,
        result=result,
        comment=comment.strip(),
        channel=RatingChannel.ONLINE,
        user=user,
        mobile=mobile,
    )
    return _save_rating(rating, user, now)


@transaction.atomic
def rating_record(
    *,
    actor,
    consultation: Consultation,
    channel: str,
    process: str,
    result: str,
    comment: str = "",
    mobile: str = "",
    now=None,
) -> Rating:
    """Staff type in a rating gathered by a visit, a meeting or a paper questionnaire, marked with that channel.

    ``now`` is when it is typed in (default the clock): it dates the rating and a follow-up it opens."""
    if not is_rating_open(consultation):
        raise DomainError(_("结果公开后才能录入评议。"))
    if channel not in STAFF_CHANNELS:
        raise DomainError(_("请选择评议方式。"), field="channel")
    _check_levels(process, result)
    mobile = normalize_mobile(mobile) if mobile.strip() else ""
    rating = Rating(
        consultation=consultation,
        process=process,
        result=result,
        comment=comment.strip(),
        channel=channel,
        mobile=mobile,
        recorded_by=actor,
    )
    return _save_rating(rating, actor, now)


def follow_up_check(*, consultation: Consultation, today: date | None = None) -> FollowUp | None:
    """Open a follow-up when enough residents rated since the last one and too many are unsatisfied."""
    if consultation.follow_ups.filter(status=FollowUpStatus.OPEN).exists():
        return None
    ratings = consultation.ratings.counted()
    last = consultation.follow_ups.filter(status=FollowUpStatus.DONE).order_by("-done_at").first()
    if last is not None:
        ratings = ratings.filter(created_at__gt=last.done_at)
    total = ratings.count()
    if total < min_ratings():
        return None
    unsatisfied = ratings.filter(result=Satisfaction.UNSATISFIED).count()
    share = unsatisfied / total
    if share <= unsatisfied_threshold():
        return None
    today = today or timezone.localdate()
    follow_up = FollowUp(
        consultation=consultation,
        unsatisfied_share=round(share, 4),
        ratings_counted=total,
        deadline=deadline_on("follow_up", today, follow_up_days()),
    )
    try:
        with transaction.atomic():
            save_record(follow_up, actor=None, reason="follow_up.opened")
    except IntegrityError:  # a concurrent rating opened it first
        return None
    notify(
        kind=Kind.FOLLOW_UP,
        reason=f"follow_up.opened:{follow_up.pk}",
        recipients=[Recipient(user_id=consultation.convener_id)],
        title=_("【回访重办】%(topic)s") % {"topic": consultation.topic.title},
        body=_("%(total)d位群众参评，%(share)d%%对落实结果不满意，请在%(deadline)s前回访并重新办理。")
        % {"total": total, "share": round(share * 100), "deadline": follow_up.deadline.isoformat()},
        url=reverse("evaluation:consultation", args=[consultation.pk]),
    )
    return follow_up


@transaction.atomic
def follow_up_close(*, actor, follow_up: FollowUp, result: str, now=None) -> FollowUp:
    """Record what the follow-up did (回访重办情况) and close it at ``now``; later ratings may open another."""
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if not result.strip():
        raise DomainError(_("请填写回访重办情况。"), field="result")
    return transition(
        follow_up,
        to=FollowUpStatus.DONE,
        moves=FOLLOW_UP_MOVES,
        actor=actor,
        reason="follow_up.closed",
        changes={"result": result.strip(), "done_by": actor},
        now=now,
    )


@transaction.atomic
def third_party_evaluation_add(
    *,
    actor,
    consultation: Consultation,
    organisation: str,
    process: str,
    result: str,
    findings: str,
    evaluated_on: date,
) -> ThirdPartyEvaluation:
    """An independent evaluator records a third-party evaluation of the process and the result (第三方评估)."""
    if consultation.status != ConsultationStatus.CONCLUDED:
        raise DomainError(_("协商意见形成后才能评估。"))
    _check_levels(process, result)
    if not organisation.strip():
        raise DomainError(_("请填写评估机构。"), field="organisation")
    if not findings.strip():
        raise DomainError(_("请填写评估意见。"), field="findings")
    return save_record(
        ThirdPartyEvaluation(
            consultation=consultation,
            evaluator=actor,
            organisation=organisation.strip(),
            process=process,
            result=result,
            findings=findings.strip(),
            evaluated_on=evaluated_on,
        ),
        actor=actor,
        reason="third_party_evaluation.added",
    )


MAX_CASE_PHOTOS = 3
# A withdrawal's reason is a line, not a letter (the form says the same); kept whole in the history's note.
WITHDRAW_REASON_MAX = 80


def _case_photos(photos) -> list:
    """Each photo re-encoded by ``clean_photo`` (EXIF and GPS dropped), at most ``MAX_CASE_PHOTOS``."""
    photos = [p for p in photos if p]
    if len(photos) > MAX_CASE_PHOTOS:
        raise DomainError(_("最多上传%(count)d张照片。") % {"count": MAX_CASE_PHOTOS}, field="photos")
    try:
        return [clean_photo(photo) for photo in photos]
    except ValidationError as error:
        raise DomainError(error.messages[0], field="photos") from None


@transaction.atomic
def typical_case_publish(*, actor, consultation: Consultation, title: str, story: str, photos=()) -> TypicalCase:
    """Publish a consultation as a typical case (典型案例), or update the one it has, and publish it again.

    Changes the case's title, story and publication stamp; new photos replace the shown ones (the old
    ones are archived). Records a history row. Raises DomainError before the results are published,
    for an archived case, or when the title, the story or the photos are missing or wrong.
    """
    # Locking the consultation serialises two publishes of the same case.
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not is_rating_open(consultation):
        raise DomainError(_("协商结果公开后才能发布典型案例。"))
    title, story = title.strip(), story.strip()
    if not title:
        raise DomainError(_("请填写案例标题。"), field="title")
    if not story:
        raise DomainError(_("请填写案例故事。"), field="story")
    cleaned = _case_photos(photos)
    case = TypicalCase.objects.filter(consultation=consultation).first()
    is_new = case is None
    if is_new:
        case = TypicalCase(consultation=consultation)
    elif case.is_archived:
        raise DomainError(_("该典型案例已归档，不能再发布。"))
    case.title, case.story = title, story
    if not case.is_published:
        case.is_published = True
        case.published_at = timezone.now()
        case.published_by = actor
    save_record(case, actor=actor, reason="typical_case.published" if is_new else "typical_case.updated")
    if cleaned:
        case.photos.filter(is_archived=False).update(is_archived=True)
        for photo in cleaned:
            TypicalCasePhoto.objects.create(case=case, image=photo)
    return case


@transaction.atomic
def typical_case_withdraw(*, actor, case: TypicalCase, reason: str) -> TypicalCase:
    """Take a typical case off the public pages; the row and its photos stay.

    Changes ``is_published``; the history row names the actor and the reason. Raises DomainError when
    the case is not published or the reason is missing or too long.
    """
    case = TypicalCase.objects.select_for_update().get(pk=case.pk)
    if not case.is_published:
        raise DomainError(_("该典型案例未在发布中。"))
    reason = reason.strip()
    if not reason:
        raise DomainError(_("请填写撤回原因。"), field="reason")
    if len(reason) > WITHDRAW_REASON_MAX:
        raise DomainError(_("撤回原因不能超过%(count)d个字。") % {"count": WITHDRAW_REASON_MAX}, field="reason")
    case.is_published = False
    return save_record(
        case,
        actor=actor,
        reason="typical_case.withdrawn",
        note=reason,
        update_fields=["is_published", "updated_at"],
    )
