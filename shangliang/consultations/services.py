"""Writes of the consultation stage.

Each service runs in one transaction, checks the consultation's status through the transition
table, and leaves history naming the actor. Messages go out after the commit.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.consultations import selectors
from shangliang.consultations.models import (
    AgendaItem,
    AssemblyVote,
    Consultation,
    Dissent,
    NoticeRead,
    OnlinePost,
    Participant,
    Research,
    SessionFormat,
    Statement,
    Suggestion,
)
from shangliang.consultations.states import (
    AFFECTED_CATEGORIES,
    CONSULTATION_MOVES,
    ConsultationStatus,
    ExplanationOutcome,
    ParticipantCategory,
    Rsvp,
    Stance,
)
from shangliang.core.documents.formats import chinese_date_time
from shangliang.core.errors import DomainError
from shangliang.core.models import Notification
from shangliang.core.notify import Kind, Recipient, notify
from shangliang.core.records import save_record, stamp_history
from shangliang.core.transitions import ensure_move, transition
from shangliang.orgs.models import Platform
from shangliang.topics.models import Topic
from shangliang.topics.states import TopicStatus

OPEN_FOR_PARTICIPANTS = {ConsultationStatus.PLANNED, ConsultationStatus.NOTIFIED}
RECORDING = {ConsultationStatus.IN_SESSION, ConsultationStatus.HELD}
# A participant may bind their place to their account until the session's record is closed.
OPEN_FOR_CLAIMS = {ConsultationStatus.PLANNED, ConsultationStatus.NOTIFIED, ConsultationStatus.IN_SESSION}


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


def _require(consultation: Consultation, statuses, message: str) -> None:
    if consultation.status not in statuses:
        raise DomainError(message)


# --- planning ------------------------------------------------------------------------------


@transaction.atomic
def consultation_plan(
    *,
    actor,
    topic: Topic,
    platform: Platform,
    session_format: SessionFormat,
    mode: str,
    starts_at,
    ends_at,
    place: str = "",
    agenda: list[tuple[str, int]] = (),
) -> Consultation:
    """Plan the consultation of an approved topic; the actor becomes its convener."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.status != TopicStatus.APPROVED:
        raise DomainError(_("只有已审定的议题才能安排协商。"))
    if Consultation.objects.filter(topic=topic).exclude(status=ConsultationStatus.CANCELLED).exists():
        raise DomainError(_("这个议题已经安排了协商。"))
    if ends_at <= starts_at:
        raise DomainError(_("结束时间应晚于开始时间。"), field="ends_at")
    consultation = save_record(
        Consultation(
            topic=topic,
            platform=platform,
            session_format=session_format,
            mode=mode,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place.strip(),
            convener=actor,
        ),
        actor=actor,
        reason="consultation.planned",
    )
    agenda_set(actor=actor, consultation=consultation, agenda=agenda)
    return consultation


@transaction.atomic
def consultation_update(*, actor, consultation: Consultation, agenda=None, **fields) -> Consultation:
    """Change time, place, form or mode while the consultation is being planned, and the agenda with them.

    The consultation and, when ``agenda`` is given, its agenda are saved together with history rows
    by ``actor``: a refused agenda item leaves the consultation as it was. Raises DomainError once
    the notice is out or for an end before the start, ValidationError for a field out of range.
    """
    consultation = _locked(consultation)
    _require(consultation, {ConsultationStatus.PLANNED}, _("通知发出后不能再修改时间地点，如需调整请取消后重新安排。"))
    for name in ("platform", "session_format", "mode", "starts_at", "ends_at", "place"):
        if name in fields:
            setattr(consultation, name, fields[name])
    if consultation.ends_at <= consultation.starts_at:
        raise DomainError(_("结束时间应晚于开始时间。"), field="ends_at")
    save_record(consultation, actor=actor, reason="consultation.updated")
    if agenda is not None:
        agenda_set(actor=actor, consultation=consultation, agenda=agenda)
    return consultation


@transaction.atomic
def agenda_set(*, actor, consultation: Consultation, agenda) -> list[AgendaItem]:
    """Replace the agenda of a consultation that is still being planned."""
    _require(consultation, {ConsultationStatus.PLANNED}, _("通知发出后不能再修改议程。"))
    consultation.agenda.all().delete()
    items = []
    for order, (title, minutes) in enumerate(agenda, start=1):
        if title.strip():
            items.append(
                save_record(
                    AgendaItem(consultation=consultation, order=order, title=title.strip(), minutes=minutes),
                    actor=actor,
                )
            )
    return items


@transaction.atomic
def consultation_cancel(*, actor, consultation: Consultation, reason: str) -> Consultation:
    if not reason.strip():
        raise DomainError(_("请写明取消原因。"), field="reason")
    consultation = _locked(consultation)
    return transition(
        consultation,
        to=ConsultationStatus.CANCELLED,
        moves=CONSULTATION_MOVES,
        actor=actor,
        reason="consultation.cancelled",
        note=reason.strip(),
        changes={"cancel_reason": reason.strip()},
    )


# --- participants --------------------------------------------------------------------------


@transaction.atomic
def participant_add(
    *,
    actor,
    consultation: Consultation,
    category: str,
    name: str,
    mobile: str = "",
    organisation: str = "",
    user=None,
    member=None,
    unit=None,
    submission=None,
    is_voluntary: bool = False,
) -> Participant:
    """Invite someone; refuses the same account, member or mobile twice. Sends the notice if already out."""
    consultation = _locked(consultation)
    _require(consultation, OPEN_FOR_PARTICIPANTS, _("协商已经开始，不能再增加参与人员。"))
    participant = Participant(
        consultation=consultation,
        category=category,
        name=name.strip(),
        mobile=mobile,
        organisation=organisation.strip(),
        user=user,
        member=member,
        unit=unit,
        submission=submission,
        is_voluntary=is_voluntary,
        added_by=actor,
    )
    same = Q(pk__in=[])
    for name, value in (("user", user), ("member", member), ("mobile", mobile)):
        if value:
            same |= Q(**{name: value})
    if consultation.participants.filter(same).exists():
        raise DomainError(_("此人已在参与名单中。"))
    try:
        with transaction.atomic():
            save_record(
                participant, actor=actor, reason="participant.volunteered" if is_voluntary else "participant.invited"
            )
    except IntegrityError:
        raise DomainError(_("此人已在参与名单中。")) from None
    if consultation.status == ConsultationStatus.NOTIFIED:
        _deliver_notice(consultation, [participant])
    return participant


@transaction.atomic
def participants_invite(*, actor, consultation: Consultation, picks) -> list[Participant]:
    """Invite the candidates picked on the participants page (keys of ``selectors.candidates_for``).

    Adds one participant per pick, as ``participant_add`` does (history row by ``actor``, the notice
    if it is already out), all or none: raises DomainError naming the person, and writes nothing,
    when a pick is no longer a candidate or cannot be added.
    """
    consultation = _locked(consultation)
    _require(consultation, OPEN_FOR_PARTICIPANTS, _("协商已经开始，不能再增加参与人员。"))
    candidates = selectors.candidates_for(consultation)
    invited = []
    for key in dict.fromkeys(picks):
        fields = selectors.resolve_candidate(consultation, key, candidates)
        if fields is None:
            raise DomainError(_("所选人员已不在建议名单中，请刷新页面后重新选择。"), field="candidate")
        try:
            invited.append(participant_add(actor=actor, consultation=consultation, **fields))
        except (DomainError, ValidationError) as error:
            reason = error.message if isinstance(error, DomainError) else "".join(error.messages)
            name = fields["name"] or fields["organisation"]
            raise DomainError(
                _("%(name)s：%(reason)s本次没有邀请任何人。") % {"name": name, "reason": reason}, field="candidate"
            ) from None
    return invited


def _unlisted_mobile(consultation: Consultation, user) -> str:
    """The account's mobile number for a new row of its own, or "" when the list already has that number.

    An account's number is not verified, so it never joins or refuses a row by itself: refusing
    would tell whoever typed it that the number is on the list.
    """
    mobile = getattr(user, "mobile", None) or ""
    if mobile and consultation.participants.filter(mobile=mobile).exists():
        return ""
    return mobile


def participant_signup(*, user, consultation: Consultation, name: str, category: str = ParticipantCategory.RESIDENT):
    """A resident signs up on the public page (voluntary participation).

    Adds a row bound to the account, never to a row invited under the same number; raises
    DomainError when not logged in, for an unknown category, or when the account is on the list.
    """
    if not user.is_authenticated:
        raise DomainError(_("请先登录。"))
    if category not in {ParticipantCategory.RESIDENT, ParticipantCategory.STAKEHOLDER}:
        raise DomainError(_("请选择报名身份。"), field="category")
    if Participant.objects.filter(consultation=consultation, user=user).exists():
        raise DomainError(_("您已经报名了。"))
    return participant_add(
        actor=user,
        consultation=consultation,
        category=category,
        name=name or user.display_name,
        mobile=_unlisted_mobile(consultation, user),
        user=user,
        is_voluntary=True,
    )


@transaction.atomic
def participant_claim(*, actor, participant: Participant) -> Participant:
    """Bind a participant to the actor's account; reached only through the participant's own link.

    The link (the participant's secret token, sent with their notice) is the proof of identity; a
    mobile number on an account is not, until numbers are verified. Sets ``participant.user`` and
    records the actor and reason in the history. Nothing changes when the place is already the
    actor's. Raises DomainError when not logged in, once the session is over, when another account
    holds the place, or when the account already holds another place on the list.
    """
    if not getattr(actor, "is_authenticated", False):
        raise DomainError(_("请先登录。"))
    participant = Participant.objects.select_for_update().select_related("consultation").get(pk=participant.pk)
    if participant.user_id == actor.pk:
        return participant
    _require(participant.consultation, OPEN_FOR_CLAIMS, _("协商已经结束或已取消，不能再关联账号。"))
    if participant.user_id:
        raise DomainError(_("这份通知已关联到其他账号。"))
    if participant.consultation.participants.filter(user=actor).exists():
        raise DomainError(_("您的账号已在本次协商的参与名单中。"))
    participant.user = actor
    return save_record(participant, actor=actor, reason="participant.claimed", update_fields=["user"])


# --- representativeness --------------------------------------------------------------------


@dataclass
class Representativeness:
    total: int
    affected: int
    by_category: dict
    min_share: float
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return round(self.affected / self.total, 3) if self.total else 0.0

    def as_record(self, now=None) -> dict:
        return {
            "total": self.total,
            "affected": self.affected,
            "share": self.share,
            "min_share": self.min_share,
            "by_category": self.by_category,
            "missing": self.missing,
            "warnings": self.warnings,
            "checked_at": (now or timezone.now()).isoformat(),
        }


def representativeness_check(consultation: Consultation) -> Representativeness:
    """Residents and stakeholders against everyone else, and the categories the form requires."""
    counts = Counter(consultation.participants.values_list("category", flat=True))
    labels = dict(ParticipantCategory.choices)
    total = sum(counts.values())
    affected = sum(counts[c] for c in AFFECTED_CATEGORIES)
    min_share = settings.SHANGLIANG_MIN_AFFECTED_SHARE
    result = Representativeness(
        total=total, affected=affected, by_category={k: counts[k] for k in counts}, min_share=min_share
    )
    if not total:
        result.warnings.append(_("还没有参与人员。"))
    elif affected / total < min_share:
        result.warnings.append(
            _("群众和利益相关方只占%(share)d%%，低于%(min)d%%：利益涉及谁就和谁商量。")
            % {"share": round(affected * 100 / total), "min": round(min_share * 100)}
        )
    for category in consultation.session_format.required_categories or []:
        if not counts.get(category):
            result.missing.append(category)
            result.warnings.append(_("缺少必须邀请的类别：%(label)s。") % {"label": labels.get(category, category)})
    return result


# --- research ------------------------------------------------------------------------------


@transaction.atomic
def research_add(
    *,
    actor,
    consultation: Consultation,
    researchers: str,
    researched_on,
    place: str,
    findings: str,
    policies: str = "",
    attachment=None,
    members=(),
) -> Research:
    """Record fact-finding before the session (不调研不协商), with the members who took part in it."""
    _require(
        consultation,
        {ConsultationStatus.PLANNED, ConsultationStatus.NOTIFIED},
        _("协商已经开始，调研应在会前完成。"),
    )
    members = list(members)
    require_eligible_members(consultation, members, "members")
    research = Research(
        consultation=consultation,
        researchers=researchers,
        researched_on=researched_on,
        place=place,
        findings=findings,
        policies=policies,
        recorded_by=actor,
    )
    if attachment:
        research.attachment = attachment
    research = save_record(research, actor=actor, reason="research.added")
    if members:
        research.members.set(members)
    return research


def require_eligible_members(consultation: Consultation, members: list, field: str) -> None:
    """Only members taking part in the consultation or attached to its platform may be named."""
    allowed = set(
        selectors.members_for(consultation).filter(pk__in=[m.pk for m in members]).values_list("pk", flat=True)
    )
    if any(member.pk not in allowed for member in members):
        raise DomainError(_("只能选择参加本次协商或下沉到本平台的委员。"), field=field)


# --- advance notice ------------------------------------------------------------------------


def notice_days() -> int:
    return settings.SHANGLIANG_NOTICE_DAYS


def participant_url(participant: Participant) -> str:
    return reverse("consultations:participant_page", args=[participant.token])


def _deliver_notice(consultation: Consultation, participants) -> None:
    """Each participant's notice with their own link: inbox now, text and WeChat after the commit, once each."""
    title = _("协商通知：%(title)s") % {"title": consultation.topic.title}
    body = _(
        "时间：%(when)s；地点：%(place)s。请打开您的个人链接查看背景材料并回复是否参加；链接仅供本人使用，请勿转发。"
    ) % {
        "when": timezone.localtime(consultation.starts_at).strftime("%Y-%m-%d %H:%M"),
        "place": consultation.place or consultation.platform.name,
    }
    for participant in participants:
        notify(
            kind=Kind.NOTICE,
            reason=selectors.notice_reason(participant),
            recipients=[Recipient(participant.user_id, participant.mobile, url=participant_url(participant))],
            title=title,
            body=body,
        )


@transaction.atomic
def notice_send(*, actor, consultation: Consultation, acknowledge_warnings: bool = False, now=None) -> Consultation:
    """Send the advance notice (事先知情通报) to every participant.

    Refuses without participants, later than N days before the start, or while the
    representativeness check warns and the convener has not acknowledged the warnings. The check
    is stored with the consultation.
    """
    consultation = _locked(consultation)
    ensure_move(consultation, to=ConsultationStatus.NOTIFIED, moves=CONSULTATION_MOVES)
    now = now or timezone.now()
    days = notice_days()
    if consultation.starts_at - now < timedelta(days=days):
        raise DomainError(_("通知应至少提前%(days)d天发出；请调整协商时间。") % {"days": days}, field="starts_at")
    check = representativeness_check(consultation)
    if not check.total:
        raise DomainError(_("请先确定参与人员。"))
    if check.warnings and not acknowledge_warnings:
        raise DomainError(_("参与人员代表性检查有提醒，请确认后再发送。"), field="acknowledge_warnings")
    transition(
        consultation,
        to=ConsultationStatus.NOTIFIED,
        moves=CONSULTATION_MOVES,
        actor=actor,
        reason="consultation.notified",
        changes={"representativeness": check.as_record(now)},
        now=now,
    )
    _deliver_notice(consultation, list(consultation.participants.all()))
    return consultation


def notice_mark_read(participant: Participant, *, now=None) -> None:
    """The participant opened their notice (at ``now``, default the clock): record it, and clear it from their inbox."""
    NoticeRead.objects.get_or_create(participant=participant)
    if participant.user_id:
        Notification.objects.filter(
            user_id=participant.user_id, url=participant_url(participant), read_at__isnull=True
        ).update(read_at=now or timezone.now())


@transaction.atomic
def participant_rsvp(*, participant: Participant, answer: str) -> Participant:
    if answer not in {Rsvp.YES, Rsvp.NO}:
        raise DomainError(_("请选择是否参加。"), field="answer")
    participant = Participant.objects.select_for_update().select_related("consultation").get(pk=participant.pk)
    _require(participant.consultation, OPEN_FOR_PARTICIPANTS, _("协商已经开始或已取消，不能再回复。"))
    participant.rsvp = answer
    participant.rsvp_at = timezone.now()
    stamp_history(participant, actor=participant.user, reason="participant.answered")
    participant.save(update_fields=["rsvp", "rsvp_at"])
    return participant


# --- the session ---------------------------------------------------------------------------


@transaction.atomic
def session_open(*, actor, consultation: Consultation) -> Consultation:
    """Open the session. No research, no consultation: refused until a research record exists."""
    consultation = _locked(consultation)
    ensure_move(consultation, to=ConsultationStatus.IN_SESSION, moves=CONSULTATION_MOVES)
    if not consultation.research.exists():
        raise DomainError(_("不调研不协商：请先填写至少一份商前调研记录。"))
    return transition(
        consultation,
        to=ConsultationStatus.IN_SESSION,
        moves=CONSULTATION_MOVES,
        actor=actor,
        reason="consultation.opened",
    )


def sign_in_opens_before() -> timedelta:
    """How long before the start people may sign themselves in (default two hours)."""
    return timedelta(minutes=settings.SHANGLIANG_SIGN_IN_OPENS_MINUTES)


def self_sign_in_refusal(consultation: Consultation, *, now=None) -> str:
    """Why participants cannot sign themselves in now, or "" when they can.

    Self sign-in (the code at the door, the button on the participant's page) opens a while before
    the start and closes at the planned end; a session the convener has opened stays open until it
    is closed, however late it runs.
    """
    if consultation.status == ConsultationStatus.IN_SESSION:
        return ""
    if consultation.status != ConsultationStatus.NOTIFIED:
        return _("现在不能签到。")
    now = now or timezone.now()
    opens = consultation.starts_at - sign_in_opens_before()
    if now < opens:
        return _("签到尚未开始，%(opens)s起开放签到。") % {"opens": chinese_date_time(opens)}
    if now > consultation.ends_at:
        return _("签到已结束，请联系工作人员。")
    return ""


@transaction.atomic
def sign_in(*, participant: Participant, actor=None, now=None) -> Participant:
    """Sign a participant in, by their own phone (actor None or themselves) or by staff.

    Sets ``signed_in_at`` once (a repeat changes nothing) and records who signed. Raises
    DomainError outside the notified or open session, and for self sign-in outside its window
    (``self_sign_in_refusal``); staff at the desk sign people in on their own word.
    """
    participant = Participant.objects.select_for_update().select_related("consultation").get(pk=participant.pk)
    if participant.consultation.status not in {ConsultationStatus.NOTIFIED, ConsultationStatus.IN_SESSION}:
        raise DomainError(_("现在不能签到。"))
    by_staff = actor is not None and actor.pk != participant.user_id
    if not by_staff:
        refusal = self_sign_in_refusal(participant.consultation, now=now)
        if refusal:
            raise DomainError(refusal)
    if participant.signed_in_at:
        return participant
    participant.signed_in_at = now or timezone.now()
    participant.signed_in_by_staff = by_staff
    stamp_history(participant, actor=actor or participant.user, reason="participant.signed_in")
    participant.save(update_fields=["signed_in_at", "signed_in_by_staff"])
    return participant


@transaction.atomic
def statement_add(
    *,
    actor,
    consultation: Consultation,
    participant: Participant,
    text: str,
    stance: str = Stance.NEUTRAL,
    agenda_item: AgendaItem | None = None,
    is_dissent: bool = False,
    is_online: bool = False,
) -> Statement:
    """Record what a participant said on an agenda item, and whether it is a dissenting view."""
    _require(consultation, RECORDING, _("协商开始后才能记录发言。"))
    if participant.consultation_id != consultation.pk or (
        agenda_item and agenda_item.consultation_id != consultation.pk
    ):
        raise DomainError(_("发言人或议程不属于本次协商。"))
    if not text.strip():
        raise DomainError(_("请填写发言内容。"), field="text")
    return save_record(
        Statement(
            consultation=consultation,
            participant=participant,
            agenda_item=agenda_item,
            text=text.strip(),
            stance=stance,
            is_dissent=is_dissent or stance == Stance.OPPOSE,
            is_online=is_online,
            recorded_by=actor,
        ),
        actor=actor,
        reason="statement.added",
    )


def can_post_online(user, consultation: Consultation, *, now=None) -> bool:
    """Invited people and residents with a verified mobile number, while the online window is open (at ``now``)."""
    if not consultation.is_online or not getattr(user, "is_authenticated", False):
        return False
    if consultation.status not in {ConsultationStatus.NOTIFIED, ConsultationStatus.IN_SESSION}:
        return False
    if (now or timezone.now()) > consultation.ends_at:
        return False
    invited = consultation.participants.filter(user=user).exists()
    return invited or bool(getattr(user, "mobile", None))


@transaction.atomic
def online_post(
    *, user, consultation: Consultation, text: str, stance: str = Stance.NEUTRAL, reply_to=None, now=None
) -> OnlinePost:
    """Post an opinion in the online window, open at ``now`` (default the clock)."""
    if not can_post_online(user, consultation, now=now):
        raise DomainError(_("只有受邀人员和实名验证的群众可以在协商期间发表意见。"))
    if not text.strip():
        raise DomainError(_("请填写意见。"), field="text")
    if reply_to is not None and reply_to.consultation_id != consultation.pk:
        raise DomainError(_("回复的意见不属于本次协商。"))
    participant = selectors.participant_of_account(consultation, user)
    return save_record(
        OnlinePost(
            consultation=consultation,
            author=user,
            participant=participant,
            text=text.strip(),
            stance=stance,
            reply_to=reply_to,
        ),
        actor=user,
        reason="post.added",
    )


@transaction.atomic
def post_hide(*, actor, post: OnlinePost, reason: str) -> OnlinePost:
    """Hide a post with a reason; it stays in the record and its history."""
    if not reason.strip():
        raise DomainError(_("请写明隐藏原因。"), field="reason")
    post = OnlinePost.objects.select_for_update().get(pk=post.pk)
    post.is_hidden, post.hidden_reason, post.hidden_by = True, reason.strip(), actor
    return save_record(post, actor=actor, reason="post.hidden", note=reason.strip())


def _join_online_posts(consultation: Consultation) -> None:
    """Visible online opinions join the session record as statements."""
    for post in consultation.posts.filter(is_hidden=False).select_related("author", "participant"):
        participant = post.participant or selectors.participant_of_account(consultation, post.author)
        if participant is None:
            participant = save_record(
                Participant(
                    consultation=consultation,
                    category=ParticipantCategory.RESIDENT,
                    name=post.author.display_name,
                    mobile=_unlisted_mobile(consultation, post.author),
                    user=post.author,
                    is_voluntary=True,
                ),
                actor=None,
                reason="participant.joined_online",
            )
        Statement.objects.create(
            consultation=consultation,
            participant=participant,
            text=post.text,
            stance=post.stance,
            is_dissent=post.stance == Stance.OPPOSE,
            is_online=True,
        )


@transaction.atomic
def session_close(*, actor, consultation: Consultation) -> Consultation:
    """Close the session: online opinions join the record and a draft of the minutes is written."""
    consultation = _locked(consultation)
    ensure_move(consultation, to=ConsultationStatus.HELD, moves=CONSULTATION_MOVES)
    _join_online_posts(consultation)
    return transition(
        consultation,
        to=ConsultationStatus.HELD,
        moves=CONSULTATION_MOVES,
        actor=actor,
        reason="consultation.closed",
        changes={"minutes": minutes_draft(consultation)},
    )


def minutes_draft(consultation: Consultation) -> str:
    """The minutes as the record tells them: who came, what each said per agenda item, the dissent."""
    participants = list(consultation.participants.all())
    attended = [p for p in participants if p.signed_in_at]
    statements = list(consultation.statements.select_related("participant", "agenda_item"))
    stances = dict(Stance.choices)
    lines = [
        _("%(title)s 协商会议纪要") % {"title": consultation.topic.title},
        "",
        _("时间：%(when)s") % {"when": chinese_date_time(consultation.starts_at)},
        _("地点：%(place)s") % {"place": consultation.place or consultation.platform.name},
        _("形式：%(form)s（%(mode)s）")
        % {"form": consultation.session_format.name, "mode": consultation.get_mode_display()},
        _("召集人：%(name)s") % {"name": consultation.convener.display_name},
        _("应到%(invited)d人，实到%(present)d人：%(names)s")
        % {"invited": len(participants), "present": len(attended), "names": "、".join(p.name for p in attended)},
        "",
    ]
    items = list(consultation.agenda.all()) + [None]
    for number, item in enumerate(items, start=1):
        said = [s for s in statements if s.agenda_item_id == (item.pk if item else None)]
        if item is None and not said:
            continue
        heading = item.title if item else _("其他发言")
        lines.append(f"{number}. {heading}")
        for s in said:
            mark = _("（不同意见）") if s.is_dissent else ""
            online = _("［网上］") if s.is_online else ""
            lines.append(f"   {online}{s.participant.name}（{stances.get(s.stance, '')}）{mark}：{s.text}")
        lines.append("")
    dissent = [s for s in statements if s.is_dissent]
    if dissent:
        lines.append(_("不同意见："))
        lines += [f"   {s.participant.name}：{s.text}" for s in dissent]
    return "\n".join(lines).strip() + "\n"


@transaction.atomic
def minutes_update(*, actor, consultation: Consultation, text: str) -> Consultation:
    consultation = _locked(consultation)
    _require(consultation, {ConsultationStatus.HELD}, _("只有会后、形成协商意见前可以修改纪要。"))
    consultation.minutes = text
    consultation.minutes_confirmed_at = None
    consultation.minutes_confirmed_by = None
    return save_record(consultation, actor=actor, reason="consultation.minutes_updated")


@transaction.atomic
def minutes_confirm(*, actor, consultation: Consultation) -> Consultation:
    consultation = _locked(consultation)
    _require(consultation, {ConsultationStatus.HELD}, _("只有会后可以确认纪要。"))
    if actor.pk != consultation.convener_id:
        raise DomainError(_("纪要由召集人确认。"))
    if not consultation.minutes.strip():
        raise DomainError(_("纪要为空。"))
    consultation.minutes_confirmed_at = timezone.now()
    consultation.minutes_confirmed_by = actor
    return save_record(consultation, actor=actor, reason="consultation.minutes_confirmed")


# --- the resolution ------------------------------------------------------------------------


@transaction.atomic
def suggestion_add(*, actor, consultation: Consultation, text: str, proposed_by=None) -> Suggestion:
    _require(consultation, {ConsultationStatus.HELD}, _("会后、形成协商意见前可以整理建议。"))
    if not text.strip():
        raise DomainError(_("请填写建议内容。"), field="text")
    if proposed_by is not None:
        require_eligible_members(consultation, [proposed_by], "proposed_by")
    order = consultation.suggestions.count() + 1
    return save_record(
        Suggestion(
            consultation=consultation, order=order, text=text.strip(), proposed_by=proposed_by, created_by=actor
        ),
        actor=actor,
        reason="suggestion.added",
    )


@transaction.atomic
def dissent_add(*, actor, consultation: Consultation, holder: str, view: str, participant=None) -> Dissent:
    _require(consultation, RECORDING, _("协商开始后才能记录不同意见。"))
    if not view.strip():
        raise DomainError(_("请填写不同意见。"), field="view")
    return save_record(
        Dissent(consultation=consultation, participant=participant, holder=holder.strip(), view=view.strip()),
        actor=actor,
        reason="dissent.added",
    )


@transaction.atomic
def dissent_explain(*, actor, dissent: Dissent, method: str, explanation: str, outcome: str) -> Dissent:
    """Record who explained, when, how, and whether the person accepts it (解释说明)."""
    if outcome not in {ExplanationOutcome.ACCEPTED, ExplanationOutcome.RESERVED}:
        raise DomainError(_("请选择解释结果。"), field="outcome")
    if not explanation.strip():
        raise DomainError(_("请填写解释说明。"), field="explanation")
    dissent = Dissent.objects.select_for_update().get(pk=dissent.pk)
    dissent.explained_by, dissent.explained_at = actor, timezone.now()
    dissent.explanation_method, dissent.explanation, dissent.outcome = method.strip(), explanation.strip(), outcome
    return save_record(dissent, actor=actor, reason="dissent.explained")


@transaction.atomic
def assembly_vote_add(
    *,
    actor,
    consultation: Consultation,
    body: str,
    held_on,
    matter: str,
    attendees: int,
    votes_for: int,
    votes_against: int,
    abstentions: int,
    decision: str,
) -> AssemblyVote:
    """Record the assembly's vote on a matter that stayed contested."""
    _require(consultation, {ConsultationStatus.HELD, ConsultationStatus.CONCLUDED}, _("会后才能记录表决。"))
    if votes_for + votes_against + abstentions > attendees:
        raise DomainError(_("赞成、反对、弃权合计不能超过到会人数。"), field="attendees")
    return save_record(
        AssemblyVote(
            consultation=consultation,
            body=body,
            held_on=held_on,
            matter=matter,
            attendees=attendees,
            votes_for=votes_for,
            votes_against=votes_against,
            abstentions=abstentions,
            decision=decision,
            recorded_by=actor,
        ),
        actor=actor,
        reason="assembly_vote.added",
    )


@transaction.atomic
def resolution_agree(*, actor, consultation: Consultation) -> Consultation:
    """The convener agrees the resolution: confirmed minutes and at least one suggestion are needed."""
    consultation = _locked(consultation)
    ensure_move(consultation, to=ConsultationStatus.CONCLUDED, moves=CONSULTATION_MOVES)
    if actor.pk != consultation.convener_id:
        raise DomainError(_("协商意见由召集人确认。"))
    if not consultation.minutes_confirmed_at:
        raise DomainError(_("请先确认会议纪要。"))
    if not consultation.suggestions.exists():
        raise DomainError(_("协商意见至少包含一条建议。"))
    return transition(
        consultation,
        to=ConsultationStatus.CONCLUDED,
        moves=CONSULTATION_MOVES,
        actor=actor,
        reason="consultation.concluded",
    )
