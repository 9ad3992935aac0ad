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

from shangliang.consultations import dissents, hearings, selectors
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
    NoticeMeans,
    ParticipantCategory,
    Rsvp,
    SignInVia,
    Stance,
)
from shangliang.core.documents.formats import chinese_date_time
from shangliang.core.errors import DomainError
from shangliang.core.models import Notification
from shangliang.core.notify import Kind, Recipient, notify
from shangliang.core.records import save_record, stamp_history
from shangliang.core.transitions import ensure_move, transition
from shangliang.orgs.models import Member, Platform
from shangliang.topics import elsewhere
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
    if Topic.objects.filter(elsewhere.handed_off_q("topic"), pk=topic.pk).exists():
        raise DomainError(_("这个议题已转交其他渠道办理，不再安排协商；如需协商，请先撤回转交。"))
    if Consultation.objects.filter(topic=topic).exclude(status=ConsultationStatus.CANCELLED).exists():
        raise DomainError(_("这个议题已经安排了协商。"))
    if ends_at <= starts_at:
        raise DomainError(_("结束时间应晚于开始时间。"), field="ends_at")
    if refusal := hearings.format_refusal(topic, session_format):
        raise DomainError(refusal, field="session_format")
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
    if refusal := hearings.format_refusal(consultation.topic, consultation.session_format):
        raise DomainError(refusal, field="session_format")
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


def member_of(*, user=None, mobile: str = "") -> Member | None:
    """The active member an account is linked to, else the one a (trusted) mobile number belongs to, or None."""
    active = Member.objects.filter(is_archived=False)
    if user is not None and getattr(user, "pk", None):
        member = active.filter(user=user).first()
        if member is not None:
            return member
    if mobile:
        return active.filter(mobile=mobile).order_by("pk").first()
    return None


@transaction.atomic
def participant_add_by_hand(
    *, actor, consultation: Consultation, category: str, name: str, mobile: str = "", organisation: str = ""
) -> Participant:
    """Staff add someone not among the proposals. A mobile number staff typed that is a member's makes the
    row that member's (category MEMBER, ``member`` and the member's account set), so it counts for their points."""
    member = member_of(mobile=mobile) if mobile else None
    if member is None:
        return participant_add(
            actor=actor,
            consultation=consultation,
            category=category,
            name=name,
            mobile=mobile,
            organisation=organisation,
        )
    return participant_add(
        actor=actor,
        consultation=consultation,
        category=ParticipantCategory.MEMBER,
        name=member.name,
        mobile=mobile,
        organisation=organisation or member.workplace,
        member=member,
        user=member.user,
    )


@transaction.atomic
def participant_remove(participant: Participant, *, actor, reason: str, now=None) -> Participant:
    """Take someone off the list before the session opens (invited by mistake, cannot come, replaced).

    The row stays with who removed it, when and why (``removed_at/by``, ``remove_reason``, a history
    row); lists, the representativeness check, notices and the minutes leave it out. Raises
    DomainError without a reason, once the session has opened or the consultation is cancelled,
    for someone already signed in, or already removed.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请写明移除原因。"), field="reason")
    consultation = _locked(participant.consultation)
    _require(consultation, OPEN_FOR_PARTICIPANTS, _("协商开始后不能再移除参与人员。"))
    participant = Participant.all_objects.select_for_update().get(pk=participant.pk)
    if participant.removed_at:
        raise DomainError(_("此人已经移除。"))
    if participant.signed_in_at:
        raise DomainError(_("此人已经签到，不能移除。"))
    participant.removed_at = now or timezone.now()
    participant.removed_by = actor
    participant.remove_reason = reason
    save_record(
        participant,
        actor=actor,
        reason="participant.removed",
        note=reason,
        update_fields=["removed_at", "removed_by", "remove_reason"],
        now=now,
    )
    if consultation.status == ConsultationStatus.NOTIFIED:
        # They had the notice: tell them they need not come (their personal link no longer opens).
        notify(
            kind=Kind.NOTICE,
            reason=f"{selectors.notice_reason(participant)}:removed",
            recipients=[Recipient(participant.user_id, participant.mobile)],
            title=_("协商参加人员调整：%(title)s") % {"title": consultation.topic.title},
            body=_("您无需参加%(when)s的这次协商，此前的通知作废。如有疑问请联系协商组织者。")
            % {"when": timezone.localtime(consultation.starts_at).strftime("%Y-%m-%d %H:%M")},
        )
    return participant


# A member's place may be confirmed until the record is closed, so their points count.
OPEN_FOR_MEMBER_CONFIRMATION = OPEN_FOR_CLAIMS | {ConsultationStatus.HELD}


def members_matching(participants) -> dict[int, Member]:
    """Participants not taken as members whose mobile number is an active member's: ``{participant pk: member}``.

    A member signing up on an account not linked to them is recorded as a resident, since an account's
    number is not verified; staff who know the member confirm it (``participant_confirm_member``).
    """
    unlinked = {p.mobile: p.pk for p in participants if not p.member_id and p.mobile}
    if not unlinked:
        return {}
    members = Member.objects.filter(is_archived=False, mobile__in=list(unlinked)).order_by("-pk")
    return {unlinked[m.mobile]: m for m in members}


@transaction.atomic
def participant_confirm_member(participant: Participant, *, actor) -> Participant:
    """Staff confirm that a participant whose mobile number is a member's is that member: the row becomes
    the member's (category MEMBER, ``member`` set), so it counts for their points, with a history row.

    Raises DomainError once the record is closed, when the number matches no active member, when the
    member is already on the list, or when the member's own account is not the participant's.
    """
    consultation = _locked(participant.consultation)
    _require(consultation, OPEN_FOR_MEMBER_CONFIRMATION, _("协商意见形成后不能再修改参与人员。"))
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.member_id:
        raise DomainError(_("此人已经是以委员身份参加。"))
    member = members_matching([participant]).get(participant.pk)
    if member is None:
        raise DomainError(_("此人的手机号与任何委员都不相符。"))
    if consultation.participants.filter(member=member).exists():
        raise DomainError(_("这位委员已在参与名单中。"))
    if member.user_id and participant.user_id and member.user_id != participant.user_id:
        raise DomainError(_("这位委员已关联其他账号，不能确认。"))
    participant.member = member
    participant.category = ParticipantCategory.MEMBER
    return save_record(
        participant, actor=actor, reason="participant.member_confirmed", update_fields=["member", "category"]
    )


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
    DomainError when not logged in, without a verified mobile number (an SMS code proved it,
    ``accounts.verification``), for an unknown category, or when the account is on the list.
    """
    if not user.is_authenticated:
        raise DomainError(_("请先登录。"))
    if not user.has_verified_mobile:
        raise DomainError(_("报名前请先验证手机号。"))
    if category not in {ParticipantCategory.RESIDENT, ParticipantCategory.STAKEHOLDER}:
        raise DomainError(_("请选择报名身份。"), field="category")
    if Participant.objects.filter(consultation=consultation, user=user).exists():
        raise DomainError(_("您已经报名了。"))
    # A member signing up on the account linked to them takes part as the member (their points count).
    # The account's mobile number is not verified, so it never makes anyone a member by itself.
    member = member_of(user=user)
    if member is not None:
        category, name = ParticipantCategory.MEMBER, member.name
    return participant_add(
        actor=user,
        consultation=consultation,
        category=category,
        name=name or user.display_name,
        mobile=_unlisted_mobile(consultation, user),
        user=user,
        member=member,
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
    return save_record(research, actor=actor, reason="research.added", m2m={"members": members})


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


def earliest_start(*, now=None):
    """The earliest start a notice sent at ``now`` (default the clock) still reaches in time, to the minute."""
    earliest = (now or timezone.now()) + timedelta(days=notice_days())
    if earliest.second or earliest.microsecond:
        earliest = earliest.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return earliest


def notice_period_refusal(starts_at, *, now=None) -> str:
    """Why a session starting at ``starts_at`` is too close for a notice sent at ``now``, or "" when it is not.

    The one statement of the notice period (通知应至少提前N天发出): sending the notice, rescheduling,
    the plan form and its early warning all ask here.
    """
    now = now or timezone.now()
    days = notice_days()
    if starts_at - now >= timedelta(days=days):
        return ""
    return _("距开始不足%(days)d天，最早可安排在%(earliest)s（通知应至少提前%(days)d天发出）。") % {
        "days": days,
        "earliest": timezone.localtime(earliest_start(now=now)).strftime("%Y-%m-%d %H:%M"),
    }


def participant_url(participant: Participant) -> str:
    return reverse("consultations:participant_page", args=[participant.token])


def _deliver_notice(consultation: Consultation, participants, *, moved_from=None, change: int = 0) -> None:
    """Each participant's notice with their own link: inbox now, text and WeChat after the commit, once each.

    With ``moved_from`` (the start before a reschedule) it is the change notice (协商时间变更通知),
    once per participant and ``change`` (the reschedule's number).
    """
    title = _("协商通知：%(title)s") % {"title": consultation.topic.title}
    body = _(
        "时间：%(when)s；地点：%(place)s。请打开您的个人链接查看背景材料并回复是否参加；链接仅供本人使用，请勿转发。"
    ) % {
        "when": timezone.localtime(consultation.starts_at).strftime("%Y-%m-%d %H:%M"),
        "place": consultation.place or consultation.platform.name,
    }
    if moved_from is not None:
        title = _("协商时间变更通知：%(title)s") % {"title": consultation.topic.title}
        before = timezone.localtime(moved_from).strftime("%Y-%m-%d %H:%M")
        body = _("原定%(before)s的协商改期。") % {"before": before} + body
    for participant in participants:
        reason = selectors.notice_reason(participant)
        if moved_from is not None:
            reason = f"{reason}:moved:{change}"
        notify(
            kind=Kind.NOTICE,
            reason=reason,
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
    refusal = notice_period_refusal(consultation.starts_at, now=now)
    if refusal:
        raise DomainError(refusal, field="starts_at")
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


@transaction.atomic
def consultation_reschedule(*, actor, consultation: Consultation, starts_at, ends_at, reason: str, now=None):
    """Move a notified consultation to a new time (改期) and tell every participant again.

    Checks the notice period for the new start as the first notice did (``notice_period_refusal``),
    saves the new times with a history row (``consultation.rescheduled``, the reason as its note),
    clears the notices delivered another way (those people must be told the new time too) and sends
    each participant the change notice (协商时间变更通知) through the notice path. Raises DomainError,
    writing nothing, without a reason, unless the notice is out and the session not yet open, for an
    end before the start, an unchanged time or a start inside the notice period.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请写明改期原因。"), field="reason")
    consultation = _locked(consultation)
    _require(consultation, {ConsultationStatus.NOTIFIED}, _("只有已发出通知、尚未开始的协商可以改期。"))
    if ends_at <= starts_at:
        raise DomainError(_("结束时间应晚于开始时间。"), field="ends_at")
    if (starts_at, ends_at) == (consultation.starts_at, consultation.ends_at):
        raise DomainError(_("新的时间与原定时间相同。"), field="starts_at")
    refusal = notice_period_refusal(starts_at, now=now)
    if refusal:
        raise DomainError(refusal, field="starts_at")
    moved_from = consultation.starts_at
    consultation.starts_at, consultation.ends_at = starts_at, ends_at
    save_record(
        consultation,
        actor=actor,
        reason="consultation.rescheduled",
        note=reason,
        update_fields=["starts_at", "ends_at", "updated_at"],
        now=now,
    )
    participants = list(consultation.participants.all())
    for participant in participants:
        if participant.notice_other_at:
            participant.notice_other_means, participant.notice_other_at, participant.notice_other_by = "", None, None
            save_record(
                participant,
                actor=actor,
                reason="consultation.rescheduled",
                note=reason,
                update_fields=["notice_other_means", "notice_other_at", "notice_other_by"],
                now=now,
            )
    change = consultation.history.filter(history_change_reason="consultation.rescheduled").count()
    _deliver_notice(consultation, participants, moved_from=moved_from, change=change)
    return consultation


def last_rescheduled_at(consultation: Consultation):
    """When the consultation was last rescheduled (its change notice went out), or None."""
    row = (
        consultation.history.filter(history_change_reason="consultation.rescheduled")
        .order_by("-history_date")
        .only("history_date")
        .first()
    )
    return row.history_date if row else None


@transaction.atomic
def participant_notice_other(*, actor, participant: Participant, means: str, note: str = "", now=None) -> Participant:
    """Record that the notice reached someone no message reaches another way (printed, by phone, in person).

    Sets ``notice_other_means/at/by`` with a history row (``participant.notified_other_means``, the
    note kept); recording again replaces the earlier way. Raises DomainError for an unknown way, for
    someone a text or the inbox reaches, and unless the notice is out and the session not yet closed.
    """
    if means not in NoticeMeans.values:
        raise DomainError(_("请选择通知方式。"), field="means")
    participant = Participant.objects.select_for_update().select_related("consultation").get(pk=participant.pk)
    _require(
        participant.consultation,
        {ConsultationStatus.NOTIFIED, ConsultationStatus.IN_SESSION},
        _("发出通知后、协商结束前可以记录其他方式通知。"),
    )
    if not selectors.is_unreachable(participant):
        raise DomainError(_("此人有手机号或账号，通知已通过短信或站内消息发送。"))
    participant.notice_other_means = means
    participant.notice_other_at = now or timezone.now()
    participant.notice_other_by = actor
    return save_record(
        participant,
        actor=actor,
        reason="participant.notified_other_means",
        note=(note or "").strip(),
        update_fields=["notice_other_means", "notice_other_at", "notice_other_by"],
        now=now,
    )


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


def session_opens_at(consultation: Consultation):
    """The earliest moment the session may open: the notified start less the margin (default two hours)."""
    return consultation.starts_at - timedelta(hours=settings.SHANGLIANG_SESSION_OPEN_MARGIN_HOURS)


def session_open_refusal(consultation: Consultation, *, now=None) -> str:
    """Why the session cannot open at ``now`` (default the clock) for its time, or "" when the time allows it.

    Participants were told the notified start; a session held days before it is not the one they
    were called to. An earlier session is rescheduled with a new notice (``consultation_reschedule``).
    """
    opens = session_opens_at(consultation)
    if (now or timezone.now()) >= opens:
        return ""
    return _("还不能开始协商：通知的开始时间是%(starts)s，%(opens)s起才能开始。如需提前，请先改期并重新通知。") % {
        "starts": chinese_date_time(consultation.starts_at),
        "opens": chinese_date_time(opens),
    }


@transaction.atomic
def session_open(*, actor, consultation: Consultation, now=None) -> Consultation:
    """Open the session at ``now`` (default the clock), stamping ``in_session_at``.

    No research, no consultation: refused until a research record exists. Refused (DomainError,
    nothing written) before ``session_opens_at``, the notified start less the margin.
    """
    consultation = _locked(consultation)
    ensure_move(consultation, to=ConsultationStatus.IN_SESSION, moves=CONSULTATION_MOVES)
    if not consultation.research.exists():
        raise DomainError(_("不调研不协商：请先填写至少一份商前调研记录。"))
    refusal = session_open_refusal(consultation, now=now)
    if refusal:
        raise DomainError(refusal)
    return transition(
        consultation,
        to=ConsultationStatus.IN_SESSION,
        moves=CONSULTATION_MOVES,
        actor=actor,
        reason="consultation.opened",
        now=now,
    )


def sign_in_opens_before() -> timedelta:
    """How long before the start people may sign themselves in (``SHANGLIANG_SIGN_IN_OPENS_MINUTES``, default 60)."""
    return timedelta(minutes=settings.SHANGLIANG_SIGN_IN_OPENS_MINUTES)


def sign_in_opens_at(consultation: Consultation):
    return consultation.starts_at - sign_in_opens_before()


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
    opens = sign_in_opens_at(consultation)
    if now < opens:
        return _("签到尚未开始，%(opens)s起开放签到。") % {"opens": chinese_date_time(opens)}
    if now > consultation.ends_at:
        return _("签到已结束，请联系工作人员。")
    return ""


# How a participant may sign themselves in; staff at the desk sign people in as SignInVia.STAFF.
SELF_SIGN_IN = frozenset({SignInVia.OWN_LINK, SignInVia.ACCOUNT, SignInVia.CODE})


@transaction.atomic
def sign_in(*, participant: Participant, actor=None, via: str | None = None, now=None) -> Participant:
    """Sign a participant in, by staff at the desk or by the participant themselves, recording how.

    Staff (an ``actor`` other than the participant's own account) sign in as ``SignInVia.STAFF`` on
    their own word. Anyone else signs themselves in ``via`` their own link (``OWN_LINK``, the default
    without an actor), their bound account at the door (``ACCOUNT``, the default with one) or their
    number proved by an SMS code at the door (``CODE``); the view has checked that proof (and the
    door's code). Sets ``signed_in_at`` and ``signed_in_via`` once (a repeat changes nothing) and
    records who signed. Raises DomainError outside the notified or open session, and for self
    sign-in outside its window (``self_sign_in_refusal``).
    """
    participant = Participant.objects.select_for_update().select_related("consultation").get(pk=participant.pk)
    if participant.consultation.status not in {ConsultationStatus.NOTIFIED, ConsultationStatus.IN_SESSION}:
        raise DomainError(_("现在不能签到。"))
    by_staff = actor is not None and actor.pk != participant.user_id
    if by_staff:
        via = SignInVia.STAFF
    else:
        via = via or (SignInVia.ACCOUNT if actor is not None else SignInVia.OWN_LINK)
        if via not in SELF_SIGN_IN:
            raise ValueError(f"not a way to sign oneself in: {via!r}")
        refusal = self_sign_in_refusal(participant.consultation, now=now)
        if refusal:
            raise DomainError(refusal)
    if participant.signed_in_at:
        return participant
    participant.signed_in_at = now or timezone.now()
    participant.signed_in_by_staff = by_staff
    participant.signed_in_via = via
    stamp_history(participant, actor=actor or participant.user, reason="participant.signed_in")
    participant.save(update_fields=["signed_in_at", "signed_in_by_staff", "signed_in_via"])
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
    statement = save_record(
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
    dissent_sync_from_statement(statement, actor=actor)
    return statement


# --- corrections of the record ----------------------------------------------------------------
# A statement recorded wrongly is corrected or withdrawn from the opening of the session until the
# minutes are confirmed; a suggestion until the resolution is agreed (a suggestion is assigned to a
# unit only after that, so none is ever changed under a unit's feet). Each correction is a history
# row naming who, when and why; a withdrawn row is kept, and left out of lists, minutes and figures.


def _statement_correction_refusal(consultation: Consultation) -> str:
    if consultation.status not in RECORDING:
        return _("只有协商开始后、纪要确认前可以更正发言记录。")
    if consultation.minutes_confirmed_at:
        return _("纪要已经确认，不能再更正发言记录。")
    return ""


def statement_correctable(consultation: Consultation) -> bool:
    return not _statement_correction_refusal(consultation)


def _locked_statement(statement: Statement) -> tuple[Consultation, Statement]:
    consultation = _locked(statement.consultation)
    refusal = _statement_correction_refusal(consultation)
    if refusal:
        raise DomainError(refusal)
    statement = Statement.all_objects.select_for_update().get(pk=statement.pk)
    if statement.withdrawn_at:
        raise DomainError(_("这条发言已经撤回。"))
    return consultation, statement


def _minutes_follow(consultation: Consultation, draft_before: str | None, *, actor, note: str, now=None) -> None:
    """Minutes not yet edited by hand (still the draft written at the close) are drafted again from the
    corrected record; minutes someone has edited are left for them to correct."""
    if draft_before is None or consultation.minutes != draft_before:
        return
    draft = minutes_draft(consultation)
    if draft != consultation.minutes:
        consultation.minutes = draft
        save_record(consultation, actor=actor, reason="consultation.minutes_updated", note=note, now=now)


def _draft_if_held(consultation: Consultation) -> str | None:
    return minutes_draft(consultation) if consultation.status == ConsultationStatus.HELD else None


@transaction.atomic
def statement_update(
    statement: Statement,
    *,
    actor,
    text: str,
    stance: str,
    is_dissent: bool = False,
    note: str,
    now=None,
) -> Statement:
    """Correct what a statement says, its stance or its dissent mark, with the reason for the correction.

    Allowed from the opening of the session until the minutes are confirmed. The dissent list follows
    the statement (``dissent_sync_from_statement``) and untouched draft minutes are drafted again.
    Raises DomainError without a reason or text, outside that window, for a withdrawn statement and
    when nothing changes.
    """
    note, text = (note or "").strip(), (text or "").strip()
    if not text:
        raise DomainError(_("请填写发言内容。"), field="text")
    if not note:
        raise DomainError(_("请写明更正原因。"), field="note")
    if stance not in Stance.values:
        raise DomainError(_("请选择态度。"), field="stance")
    consultation, statement = _locked_statement(statement)
    is_dissent = bool(is_dissent) or stance == Stance.OPPOSE
    if (statement.text, statement.stance, statement.is_dissent) == (text, stance, is_dissent):
        raise DomainError(_("发言记录没有改动。"), field="text")
    draft_before = _draft_if_held(consultation)
    statement.text, statement.stance, statement.is_dissent = text, stance, is_dissent
    save_record(
        statement,
        actor=actor,
        reason="statement.updated",
        note=note,
        update_fields=["text", "stance", "is_dissent"],
        now=now,
    )
    dissent_sync_from_statement(statement, actor=actor, now=now)
    _minutes_follow(consultation, draft_before, actor=actor, note=note, now=now)
    return statement


@transaction.atomic
def statement_withdraw(statement: Statement, *, actor, reason: str, now=None) -> Statement:
    """Withdraw a statement recorded by mistake, with the reason; it is kept, and left out of the
    session's list, the minutes and the dissent list (its dissent is withdrawn with it).

    Same window as ``statement_update``. Raises DomainError without a reason, outside the window,
    or when already withdrawn.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请写明撤回原因。"), field="reason")
    consultation, statement = _locked_statement(statement)
    draft_before = _draft_if_held(consultation)
    statement.withdrawn_at = now or timezone.now()
    statement.withdraw_reason = reason
    save_record(
        statement,
        actor=actor,
        reason="statement.withdrawn",
        note=reason,
        update_fields=["withdrawn_at", "withdraw_reason"],
        now=now,
    )
    dissent_sync_from_statement(statement, actor=actor, now=now)
    _minutes_follow(consultation, draft_before, actor=actor, note=reason, now=now)
    return statement


def can_post_online(user, consultation: Consultation, *, now=None) -> bool:
    """Invited people and residents with a verified mobile number, while the online window is open (at ``now``)."""
    if not consultation.is_online or not getattr(user, "is_authenticated", False):
        return False
    if consultation.status not in {ConsultationStatus.NOTIFIED, ConsultationStatus.IN_SESSION}:
        return False
    if (now or timezone.now()) > consultation.ends_at:
        return False
    if getattr(user, "has_verified_mobile", False):
        return True
    return consultation.participants.filter(user=user).exists()


def _number_has_opinion(consultation: Consultation, mobile: str) -> bool:
    return consultation.posts.filter(mobile=mobile, reply_to__isnull=True).exists()


def _one_opinion_per_number() -> DomainError:
    return DomainError(
        _("这个手机号已经在本次协商发表过意见，每个手机号只能发表一条意见；可以回复其他人的意见。"), field="text"
    )


@transaction.atomic
def online_post(
    *, user, consultation: Consultation, text: str, stance: str = Stance.NEUTRAL, reply_to=None, now=None
) -> OnlinePost:
    """Post an opinion in the online window, open at ``now`` (default the clock).

    Listed participants and accounts with a verified mobile number may post. An opinion (not a
    reply) by a verified account keeps the number (``OnlinePost.mobile``), and the database allows
    one opinion per number and consultation, whichever account holds the number now. Raises
    DomainError when the author may not post, for an empty text, a reply to another consultation's
    post, and for a second opinion from the same number.
    """
    if not can_post_online(user, consultation, now=now):
        raise DomainError(_("只有受邀人员和实名验证的群众可以在协商期间发表意见。"))
    if not text.strip():
        raise DomainError(_("请填写意见。"), field="text")
    if reply_to is not None and reply_to.consultation_id != consultation.pk:
        raise DomainError(_("回复的意见不属于本次协商。"))
    participant = selectors.participant_of_account(consultation, user)
    mobile = user.verified_mobile if user.has_verified_mobile and reply_to is None else ""
    if mobile and _number_has_opinion(consultation, mobile):
        raise _one_opinion_per_number()
    post = OnlinePost(
        consultation=consultation,
        author=user,
        participant=participant,
        mobile=mobile,
        text=text.strip(),
        stance=stance,
        reply_to=reply_to,
    )
    try:
        # Two posts racing past the check above: the unique constraint refuses the second.
        with transaction.atomic():
            return save_record(post, actor=user, reason="post.added")
    except IntegrityError:
        raise _one_opinion_per_number() from None


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
        statement = Statement.objects.create(
            consultation=consultation,
            participant=participant,
            text=post.text,
            stance=post.stance,
            is_dissent=post.stance == Stance.OPPOSE,
            is_online=True,
        )
        dissent_sync_from_statement(statement, actor=None)


@transaction.atomic
def session_close(*, actor, consultation: Consultation) -> Consultation:
    """Close the session: online opinions join the record and a draft of the minutes is written."""
    consultation = _locked(consultation)
    ensure_move(consultation, to=ConsultationStatus.HELD, moves=CONSULTATION_MOVES)
    _join_online_posts(consultation)
    consultation = transition(
        consultation,
        to=ConsultationStatus.HELD,
        moves=CONSULTATION_MOVES,
        actor=actor,
        reason="consultation.closed",
        changes={"minutes": minutes_draft(consultation)},
    )
    # Each dissent is due its explanation within the set days of the session's end.
    dissents.dissents_set_due(actor=actor, consultation=consultation)
    return consultation


def session_when(consultation: Consultation) -> str:
    """When the session took place, for the minutes: the moment it opened as recorded, or the notified
    (possibly rescheduled) start while it has not opened."""
    return chinese_date_time(consultation.in_session_at or consultation.starts_at)


def minutes_draft(consultation: Consultation) -> str:
    """The minutes as the record tells them: who came, what each said per agenda item, the dissent."""
    participants = list(consultation.participants.all())
    # 实到 counts sign-in records only: staff at the desk, the own link, the account or the SMS code.
    attended = [p for p in participants if p.signed_in_at and p.signed_in_via]
    statements = list(consultation.statements.select_related("participant", "agenda_item"))
    stances = dict(Stance.choices)
    lines = [
        _("%(title)s 协商会议纪要") % {"title": consultation.topic.title},
        "",
        _("时间：%(when)s") % {"when": session_when(consultation)},
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
            solved = (
                _("（当场解决：%(by)s，%(note)s）") % {"by": s.solved_by, "note": s.solved_note}
                if s.solved_on_spot_at
                else ""
            )
            lines.append(f"   {online}{s.participant.name}（{stances.get(s.stance, '')}）{mark}：{s.text}{solved}")
        lines.append("")
    # The same list as the resolution's and the printed minutes': the dissent rows, carried from the
    # statements ticked 不同意见 and any recorded on their own.
    dissents = list(consultation.dissents.all())
    if dissents:
        lines.append(_("不同意见："))
        lines += [f"   {d.holder}：{d.view}" for d in dissents]
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


def suggestion_correctable(consultation: Consultation) -> bool:
    return consultation.status == ConsultationStatus.HELD


def _locked_suggestion(suggestion: Suggestion) -> tuple[Consultation, Suggestion]:
    consultation = _locked(suggestion.consultation)
    _require(consultation, {ConsultationStatus.HELD}, _("协商意见形成后不能再修改或撤回建议。"))
    suggestion = Suggestion.all_objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.withdrawn_at:
        raise DomainError(_("这条建议已经撤回。"))
    return consultation, suggestion


@transaction.atomic
def suggestion_update(suggestion: Suggestion, *, actor, text: str, proposed_by=None, note: str, now=None) -> Suggestion:
    """Correct a suggestion's text or the member who put it forward, with the reason.

    Allowed until the resolution is agreed: a suggestion is assigned to a unit only after that.
    Raises DomainError without a reason or text, once agreed, for a withdrawn suggestion, for a
    member who may not be named, and when nothing changes.
    """
    note, text = (note or "").strip(), (text or "").strip()
    if not text:
        raise DomainError(_("请填写建议内容。"), field="text")
    if not note:
        raise DomainError(_("请写明修改原因。"), field="note")
    consultation, suggestion = _locked_suggestion(suggestion)
    if proposed_by is not None and proposed_by.pk != suggestion.proposed_by_id:
        require_eligible_members(consultation, [proposed_by], "proposed_by")
    proposed_by_id = proposed_by.pk if proposed_by is not None else None
    if (suggestion.text, suggestion.proposed_by_id) == (text, proposed_by_id):
        raise DomainError(_("建议没有改动。"), field="text")
    suggestion.text, suggestion.proposed_by = text, proposed_by
    return save_record(
        suggestion,
        actor=actor,
        reason="suggestion.updated",
        note=note,
        update_fields=["text", "proposed_by"],
        now=now,
    )


@transaction.atomic
def suggestion_withdraw(suggestion: Suggestion, *, actor, reason: str, now=None) -> Suggestion:
    """Withdraw a suggestion before the resolution is agreed, with the reason; it is kept, left out of
    the resolution, and the suggestions after it move up one number (each with a history row)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请写明撤回原因。"), field="reason")
    consultation, suggestion = _locked_suggestion(suggestion)
    suggestion.withdrawn_at = now or timezone.now()
    suggestion.withdraw_reason = reason
    save_record(
        suggestion,
        actor=actor,
        reason="suggestion.withdrawn",
        note=reason,
        update_fields=["withdrawn_at", "withdraw_reason"],
        now=now,
    )
    for later in consultation.suggestions.filter(order__gt=suggestion.order).order_by("order", "pk"):
        later.order -= 1
        save_record(later, actor=actor, reason="suggestion.updated", note=reason, update_fields=["order"], now=now)
    return suggestion


@transaction.atomic
def dissent_add(
    *, actor, consultation: Consultation, holder: str, view: str, participant=None, suggestion=None
) -> Dissent:
    """Record a dissenting view (after the close it is due its explanation at once); ``suggestion`` is the
    resolution item it is against, when it is against one."""
    _require(consultation, RECORDING, _("协商开始后才能记录不同意见。"))
    if not view.strip():
        raise DomainError(_("请填写不同意见。"), field="view")
    item = dissents.item_of(consultation, suggestion, "suggestion")
    return save_record(
        Dissent(
            consultation=consultation,
            participant=participant,
            suggestion=item,
            holder=holder.strip(),
            view=view.strip(),
            explain_due_on=dissents.explain_due_on(consultation),
        ),
        actor=actor,
        reason="dissent.added",
    )


def _carry_dissent(statement: Statement, *, actor, now=None) -> Dissent:
    participant = statement.participant
    return save_record(
        Dissent(
            consultation_id=statement.consultation_id,
            participant=participant,
            statement=statement,
            holder=participant.name[: Dissent._meta.get_field("holder").max_length],
            view=statement.text,
            explain_due_on=dissents.explain_due_on(statement.consultation),
        ),
        actor=actor,
        reason="dissent.carried",
        now=now,
    )


@transaction.atomic
def dissent_sync_from_statement(statement: Statement, *, actor, now=None) -> Dissent | None:
    """Keep the dissent list in step with a statement ticked 不同意见, as recorded or as corrected.

    Ticked (and not withdrawn) without a dissent: creates one carried from it (``statement`` set,
    holder the speaker's name, view the text). Ticked again after an untick: the withdrawn dissent
    is in force again. Text changed while the explanation is still pending: the view follows it
    (once explained, the view stays the one that was explained). Unticked or withdrawn: the dissent
    is withdrawn (``withdrawn_at``), kept for the record. Each change is a history row by ``actor``.
    Returns the statement's dissent, or None when it has none.
    """
    dissent = Dissent.all_objects.select_for_update().filter(statement_id=statement.pk).first()
    in_force = statement.is_dissent and statement.withdrawn_at is None
    if dissent is None:
        return _carry_dissent(statement, actor=actor, now=now) if in_force else None
    if not in_force:
        if dissent.withdrawn_at is None:
            dissent.withdrawn_at = now or timezone.now()
            save_record(dissent, actor=actor, reason="dissent.withdrawn", update_fields=["withdrawn_at"], now=now)
        return dissent
    changed, restored = [], dissent.withdrawn_at is not None
    if restored:
        dissent.withdrawn_at = None
        changed.append("withdrawn_at")
    if dissent.outcome == ExplanationOutcome.PENDING:
        holder = statement.participant.name[: Dissent._meta.get_field("holder").max_length]
        for name, value in (("view", statement.text), ("holder", holder), ("participant_id", statement.participant_id)):
            if getattr(dissent, name) != value:
                setattr(dissent, name, value)
                changed.append(name.removesuffix("_id"))
    if restored:
        save_record(dissent, actor=actor, reason="dissent.carried", update_fields=changed, now=now)
    elif changed:
        save_record(dissent, actor=actor, reason="dissent.view_updated", update_fields=changed, now=now)
    return dissent


def dissent_explain(*, actor, dissent: Dissent, method: str, explanation: str, outcome: str, suggestion=None):
    """Record the explanation of a dissent, or why none could be given (``dissents.dissent_explain``)."""
    return dissents.dissent_explain(
        actor=actor, dissent=dissent, method=method, explanation=explanation, outcome=outcome, suggestion=suggestion
    )


def suggestion_contest(*, actor, suggestion: Suggestion, reason: str) -> Suggestion:
    """The convener marks an item contested: it waits for the assembly's vote (``dissents``)."""
    return dissents.suggestion_contest(actor=actor, suggestion=suggestion, reason=reason)


def suggestion_uncontest(*, actor, suggestion: Suggestion, reason: str) -> Suggestion:
    """The convener takes the contested mark off while no vote is recorded (``dissents``)."""
    return dissents.suggestion_uncontest(actor=actor, suggestion=suggestion, reason=reason)


def assembly_vote_add(*, actor, consultation: Consultation, **vote) -> AssemblyVote:
    """Record the assembly's vote on a contested item, quorum checked; it decides the item (``dissents``)."""
    return dissents.assembly_vote_add(actor=actor, consultation=consultation, **vote)


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
