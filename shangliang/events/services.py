"""Writes of briefings, lectures and training: one transaction per user action, a history row for each.

Sign-in works in the event's window only: from ``SIGN_IN_OPENS_BEFORE`` before the start to the end of
the day it ends (local time), and never for a cancelled or archived event. One sign-in per mobile number
per event (the database guards it too). The staff may add people by hand, marked as such.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core.errors import DomainError
from shangliang.core.images import clean_photo
from shangliang.core.limits import excerpt
from shangliang.core.notify import Kind, active_users, notify
from shangliang.core.phones import normalize_mobile
from shangliang.core.records import save_record
from shangliang.core.transitions import ensure_move, transition
from shangliang.core.uploads import validate_attachment
from shangliang.events.models import Event, EventMaterial, EventPhoto, EventQuestion, EventSignIn
from shangliang.events.permissions import platform_organisers
from shangliang.events.states import (
    EVENT_MOVES,
    QUESTION_MOVES,
    EventStatus,
    QuestionSource,
    QuestionStatus,
    SignInVia,
)

SIGN_IN_OPENS_BEFORE = datetime.timedelta(hours=1)
MAX_PHOTOS_AT_ONCE = 9
EDITABLE_FIELDS = (
    "kind",
    "platform",
    "title",
    "summary",
    "starts_at",
    "ends_at",
    "place",
    "speaker_unit",
    "speaker_member",
    "speaker_name",
    "audience",
)


def _check_details(*, starts_at, ends_at, speaker_unit, speaker_member, speaker_name) -> None:
    if ends_at <= starts_at:
        raise DomainError(_("结束时间应晚于开始时间。"), field="ends_at")
    if timezone.localdate(ends_at) != timezone.localdate(starts_at):
        raise DomainError(_("活动应在同一天内开始和结束；连续几天的培训请按天分别登记。"), field="ends_at")
    if speaker_unit is None and speaker_member is None and not (speaker_name or "").strip():
        raise DomainError(_("请至少填写一位宣讲人：部门、委员或主讲人姓名。"), field="speaker_name")


@transaction.atomic
def event_create(
    *,
    actor,
    platform,
    kind,
    title,
    starts_at,
    ends_at,
    summary="",
    place="",
    speaker_unit=None,
    speaker_member=None,
    speaker_name="",
    audience="",
    now=None,
) -> Event:
    """Register a planned event at ``platform``. Raises DomainError for an impossible time or no speaker."""
    _check_details(
        starts_at=starts_at,
        ends_at=ends_at,
        speaker_unit=speaker_unit,
        speaker_member=speaker_member,
        speaker_name=speaker_name,
    )
    event = Event(
        kind=kind,
        platform=platform,
        title=title,
        summary=summary,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        speaker_unit=speaker_unit,
        speaker_member=speaker_member,
        speaker_name=speaker_name,
        audience=audience,
        created_by=actor,
    )
    return save_record(event, actor=actor, reason="event.created", now=now)


@transaction.atomic
def event_edit(event: Event, *, actor, **changes) -> Event:
    """Change an event's details; a cancelled one stays as it was. Time and speakers are checked again."""
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    if event.status == EventStatus.CANCELLED:
        raise DomainError(_("活动已取消，不能再修改。"))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(event, name, value)
    _check_details(
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        speaker_unit=event.speaker_unit,
        speaker_member=event.speaker_member,
        speaker_name=event.speaker_name,
    )
    return save_record(event, actor=actor, reason="event.edited")


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update(of=("self",)).get(pk=event.pk)


@transaction.atomic
def event_hold(event: Event, *, actor, headcount=None, record="", now=None) -> Event:
    """Record that the event took place (计为已举办), with the people present who did not sign in.

    Refused before the event has started.
    """
    event = _locked(event)
    now = now or timezone.now()
    ensure_move(event, to=EventStatus.HELD, moves=EVENT_MOVES)
    if event.starts_at > now:
        raise DomainError(_("活动还没有开始，开始后才能记为已举办。"))
    return transition(
        event,
        to=EventStatus.HELD,
        moves=EVENT_MOVES,
        actor=actor,
        reason="event.held",
        now=now,
        changes={"headcount": headcount, "record": record},
    )


@transaction.atomic
def event_cancel(event: Event, *, actor, reason: str, now=None) -> Event:
    """Call off a planned event, with the reason residents will read on the public page."""
    event = _locked(event)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写取消原因。"), field="reason")
    return transition(
        event,
        to=EventStatus.CANCELLED,
        moves=EVENT_MOVES,
        actor=actor,
        reason="event.cancelled",
        note=reason,
        now=now,
        changes={"cancel_reason": reason},
    )


@transaction.atomic
def event_record(event: Event, *, actor, headcount=None, record="") -> Event:
    """Correct what a held event's record says: the headcount without sign-in and how it went."""
    event = _locked(event)
    if event.status != EventStatus.HELD:
        raise DomainError(_("活动记为已举办后才能填写举办情况。"))
    event.headcount, event.record = headcount, record
    return save_record(event, actor=actor, reason="event.recorded", update_fields=["headcount", "record", "updated_at"])


# --- sign-in ------------------------------------------------------------------------------------


def sign_in_window(event: Event) -> tuple[datetime.datetime, datetime.datetime]:
    """From an hour before the start to the end of the local day the event ends."""
    last_day = timezone.localdate(event.ends_at) + datetime.timedelta(days=1)
    closes = timezone.make_aware(datetime.datetime.combine(last_day, datetime.time.min))
    return event.starts_at - SIGN_IN_OPENS_BEFORE, closes


def sign_in_refusal(event: Event, *, now=None) -> str:
    """Why nobody can sign in to ``event`` by its QR now, or "" when they can."""
    now = now or timezone.now()
    if event.is_archived:
        return _("该活动已归档，不能签到。")
    if event.status == EventStatus.CANCELLED:
        return _("该活动已取消，不能签到。")
    opens, closes = sign_in_window(event)
    if now < opens:
        return _("签到尚未开始：活动开始前1小时开放签到（%(time)s起）。") % {
            "time": timezone.localtime(opens).strftime("%m-%d %H:%M")
        }
    if now >= closes:
        return _("活动已经结束，签到已关闭。")
    return ""


def _save_sign_in(sign_in: EventSignIn, *, actor, reason: str, now) -> EventSignIn:
    try:
        with transaction.atomic():
            return save_record(sign_in, actor=actor, reason=reason, now=now)
    except (IntegrityError, ValidationError):
        if sign_in.mobile and sign_in.event.sign_ins.filter(mobile=sign_in.mobile, withdrawn_at__isnull=True).exists():
            raise DomainError(_("这个手机号已经签到过了。"), field="mobile") from None
        raise


@transaction.atomic
def sign_in_self(*, event: Event, name: str, mobile: str, user=None, now=None) -> tuple[EventSignIn, bool]:
    """Sign in by the QR: returns the sign-in and whether it is new (the same number again is not a second one).

    Raises DomainError outside the window.
    """
    event = _locked(event)
    now = now or timezone.now()
    refusal = sign_in_refusal(event, now=now)
    if refusal:
        raise DomainError(refusal)
    mobile = normalize_mobile(mobile)
    existing = event.sign_ins.filter(withdrawn_at__isnull=True, mobile=mobile).first() if mobile else None
    if existing is None and user is not None:
        existing = event.sign_ins.filter(withdrawn_at__isnull=True, user=user).first()
    if existing is not None:
        return existing, False
    via = SignInVia.ACCOUNT if user is not None else SignInVia.FORM
    sign_in = EventSignIn(event=event, name=name.strip(), mobile=mobile, user=user, via=via, signed_in_at=now)
    actor = user if user is not None else None
    return _save_sign_in(sign_in, actor=actor, reason="event.sign_in", now=now), True


@transaction.atomic
def sign_in_add(*, actor, event: Event, name: str, mobile: str = "", now=None) -> EventSignIn:
    """The staff add someone present by hand (marked 工作人员补录): from the window's opening on, not for a
    cancelled event. A mobile number already signed in is refused."""
    event = _locked(event)
    now = now or timezone.now()
    if event.status == EventStatus.CANCELLED:
        raise DomainError(_("该活动已取消，不能签到。"))
    opens, _closes = sign_in_window(event)
    if now < opens:
        raise DomainError(_("活动开始前1小时才能登记签到。"))
    sign_in = EventSignIn(
        event=event,
        name=name.strip(),
        mobile=normalize_mobile(mobile),
        via=SignInVia.STAFF,
        signed_in_at=now,
        recorded_by=actor,
    )
    return _save_sign_in(sign_in, actor=actor, reason="event.sign_in_added", now=now)


@transaction.atomic
def sign_in_withdraw(sign_in: EventSignIn, *, actor, reason: str, now=None) -> EventSignIn:
    """Strike a sign-in made by mistake (a duplicate, a test); the row and the reason are kept."""
    sign_in = EventSignIn.objects.select_for_update(of=("self",)).get(pk=sign_in.pk)
    if sign_in.withdrawn_at is not None:
        raise DomainError(_("这条签到已经撤销。"))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写撤销原因。"), field="reason")
    sign_in.withdrawn_at, sign_in.withdraw_reason = now or timezone.now(), reason
    return save_record(
        sign_in,
        actor=actor,
        reason="event.sign_in_withdrawn",
        note=reason,
        update_fields=["withdrawn_at", "withdraw_reason"],
    )


# --- questions and answers ----------------------------------------------------------------------


def _tell_organisers(question: EventQuestion) -> None:
    """The staff nearest to the event's platform learn that a question waits (it is on their home page too)."""
    event = question.event
    notify(
        kind=Kind.REMINDER,
        reason=f"event_question.asked:{question.pk}",
        recipients=platform_organisers(event.platform),
        title=_("宣讲培训活动有群众提问待答复：%(event)s") % {"event": event.title},
        body=excerpt(question.text),
        url=reverse("events:detail", args=[event.pk]) + f"#question-{question.pk}",
    )


def _tell_asker(question: EventQuestion) -> None:
    """The account that asked learns the answer, once (a corrected answer is not sent again)."""
    if question.user_id is None or not question.answer:
        return
    event = question.event
    notify(
        kind=Kind.FEEDBACK,
        reason=f"event_question.answered:{question.pk}",
        recipients=active_users([question.user]),
        title=_("您在“%(event)s”的提问已答复") % {"event": event.title},
        body=excerpt(question.answer),
        url=reverse("events:public_detail", args=[event.pk]) + "#questions",
    )


@transaction.atomic
def question_ask(*, event: Event, text: str, asker_name: str = "", user=None, now=None) -> EventQuestion:
    """A resident asks on the public page; it waits for the staff before anyone else sees it. The staff
    nearest to the event's platform are told (``permissions.platform_organisers``)."""
    if event.is_archived or event.status == EventStatus.CANCELLED:
        raise DomainError(_("该活动已取消，不能再提问。"), field="text")
    now = now or timezone.now()
    question = EventQuestion(
        event=event,
        source=QuestionSource.PUBLIC,
        text=text.strip(),
        asker_name=asker_name.strip(),
        user=user,
        asked_at=now,
    )
    question = save_record(question, actor=user, reason="event.question_asked", now=now)
    _tell_organisers(question)
    return question


@transaction.atomic
def question_record(*, actor, event: Event, text: str, answer: str, answered_by: str = "", now=None) -> EventQuestion:
    """The staff record a question asked on the spot and the answer given: public at once."""
    if event.status == EventStatus.CANCELLED:
        raise DomainError(_("该活动已取消。"), field="text")
    if not answer.strip():
        raise DomainError(_("请填写现场的答复。"), field="answer")
    now = now or timezone.now()
    question = EventQuestion(
        event=event,
        source=QuestionSource.STAFF,
        text=text.strip(),
        answer=answer.strip(),
        answered_by=answered_by.strip(),
        status=QuestionStatus.PUBLISHED,
        asked_at=now,
        published_at=now,
        recorded_by=actor,
    )
    return save_record(question, actor=actor, reason="event.question_recorded", now=now)


@transaction.atomic
def question_answer(question: EventQuestion, *, actor, answer: str = "", answered_by: str = "", now=None):
    """Answer a question (or let it through unanswered) so it shows on the public page; an answer already
    public may be corrected. The account that asked is told of the first answer given."""
    question = EventQuestion.objects.select_for_update(of=("self",)).select_related("event", "user").get(pk=question.pk)
    changes = {"answer": answer.strip(), "answered_by": answered_by.strip(), "recorded_by": actor}
    if question.status == QuestionStatus.PENDING:
        question = transition(
            question,
            to=QuestionStatus.PUBLISHED,
            moves=QUESTION_MOVES,
            actor=actor,
            reason="event.question_answered",
            changes=changes,
            now=now,
        )
    elif question.status != QuestionStatus.PUBLISHED:
        raise DomainError(_("这条提问已不予公开，不能再答复。"))
    else:
        for name, value in changes.items():
            setattr(question, name, value)
        question = save_record(question, actor=actor, reason="event.question_answered", update_fields=list(changes))
    _tell_asker(question)
    return question


@transaction.atomic
def question_hide(question: EventQuestion, *, actor, reason: str, now=None) -> EventQuestion:
    """Keep a question off the public page (personal data, abuse, off-topic), with the reason."""
    question = EventQuestion.objects.select_for_update(of=("self",)).get(pk=question.pk)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写不予公开的原因。"), field="reason")
    return transition(
        question,
        to=QuestionStatus.HIDDEN,
        moves=QUESTION_MOVES,
        actor=actor,
        reason="event.question_hidden",
        note=reason,
        changes={"hide_reason": reason},
        now=now,
    )


# --- photos and materials -----------------------------------------------------------------------


@transaction.atomic
def photos_add(*, actor, event: Event, photos) -> list[EventPhoto]:
    """Add photos, each checked and re-encoded by ``core.images.clean_photo`` (EXIF and GPS dropped)."""
    photos = [p for p in photos if p]
    if not photos:
        raise DomainError(_("请选择照片。"), field="photos")
    if len(photos) > MAX_PHOTOS_AT_ONCE:
        raise DomainError(_("一次最多上传%(count)d张照片。") % {"count": MAX_PHOTOS_AT_ONCE}, field="photos")
    try:
        cleaned = [clean_photo(photo) for photo in photos]
    except ValidationError as error:
        raise DomainError(error.messages[0], field="photos") from None
    return [
        save_record(EventPhoto(event=event, image=photo, uploaded_by=actor), actor=actor, reason="event.photo_added")
        for photo in cleaned
    ]


@transaction.atomic
def photo_archive(photo: EventPhoto, *, actor) -> EventPhoto:
    photo.is_archived = True
    return save_record(photo, actor=actor, reason="event.photo_archived", update_fields=["is_archived"])


@transaction.atomic
def material_add(*, actor, event: Event, title: str, file) -> EventMaterial:
    """Add a handout (PDF, Word, Excel or a picture; the type is read from the content)."""
    try:
        file_type = validate_attachment(file)
    except ValidationError as error:
        raise DomainError(error.messages[0], field="file") from None
    file.name = f"material.{file_type.extension}"
    material = EventMaterial(event=event, title=title.strip(), file=file, uploaded_by=actor)
    return save_record(material, actor=actor, reason="event.material_added")


@transaction.atomic
def material_archive(material: EventMaterial, *, actor) -> EventMaterial:
    material.is_archived = True
    return save_record(material, actor=actor, reason="event.material_archived", update_fields=["is_archived"])
