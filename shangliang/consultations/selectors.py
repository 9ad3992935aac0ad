"""Reads of the consultation stage: candidates for participation, lists, the page of one consultation."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from shangliang.consultations.models import Consultation, Dissent, Participant
from shangliang.consultations.permissions import consultations_run_by, consultations_visible_to, topics_plannable_by
from shangliang.consultations.states import ConsultationStatus, ExplanationOutcome, ParticipantCategory
from shangliang.core.models import Delivery
from shangliang.orgs.models import CommitteeSeat, Member, Region, Unit
from shangliang.orgs.states import PlatformKind, RegionLevel, UnitKind
from shangliang.topics.models import Submission, Topic, TopicSupport
from shangliang.topics.selectors import search_terms

# Members proposed as participants: the best matches by sector and specialty, not the whole roll.
MEMBERS_PROPOSED = 12


@dataclass(frozen=True)
class Candidate:
    """Someone the system proposes; ``key`` identifies them when the convener picks them."""

    key: str
    category: str
    name: str
    organisation: str
    reason: str
    score: int = 0

    @property
    def category_label(self) -> str:
        return ParticipantCategory(self.category).label


def _member_score(member: Member, words: set[str], category_name: str) -> int:
    text = f"{member.specialty} {member.sector.name} {member.workplace}"
    return sum(2 for w in words if len(w) > 1 and w in text) + (3 if category_name and category_name in text else 0)


@dataclass(frozen=True)
class _Taken:
    """Who is already on the list, by each way a participant can be identified."""

    users: set
    members: set
    mobiles: set
    units: set
    submissions: set


def _taken(consultation: Consultation) -> _Taken:
    rows = set(consultation.participants.values_list("user_id", "member_id", "mobile", "unit_id", "submission_id"))
    return _Taken(*({row[i] for row in rows if row[i]} for i in range(5)))


def _submission_is_taken(s: Submission, taken: _Taken) -> bool:
    return (
        s.pk in taken.submissions
        or bool(s.submitter_id and s.submitter_id in taken.users)
        or bool(s.submitter_mobile and s.submitter_mobile in taken.mobiles)
    )


def _submitter_candidates(topic: Topic, taken: _Taken) -> list[Candidate]:
    """The named submitters of the topic's submissions (stakeholders)."""
    out = []
    for s in Submission.objects.filter(topic=topic).select_related("submitter", "region"):
        # An anonymous submitter chose not to be named, even to the convener.
        if s.is_anonymous or _submission_is_taken(s, taken):
            continue
        name = s.submitter_name or (s.submitter.display_name if s.submitter else "")
        out.append(Candidate(f"submission:{s.pk}", ParticipantCategory.STAKEHOLDER, name, s.region.name, "反映人"))
    return out


def _supporter_candidates(topic: Topic, taken: _Taken) -> list[Candidate]:
    """Residents who supported the topic."""
    supporters = TopicSupport.objects.filter(topic=topic, user__isnull=False).select_related("user")
    return [
        Candidate(f"user:{s.user.pk}", ParticipantCategory.RESIDENT, s.user.display_name, "", "支持该议题")
        for s in supporters
        if s.user_id not in taken.users
    ]


def _seat_candidates(regions: list[Region], taken: _Taken) -> list[Candidate]:
    """The standing consultation committee of each village concerned."""
    seats = CommitteeSeat.objects.filter(committee__region__in=regions, is_archived=False).select_related("committee")
    return [
        Candidate(
            f"seat:{seat.pk}",
            ParticipantCategory.VILLAGE_CADRE if seat.position == "主任" else ParticipantCategory.RESIDENT,
            seat.name,
            seat.committee.name,
            seat.position,
        )
        for seat in seats
        if not (seat.mobile and seat.mobile in taken.mobiles)
    ]


def _member_candidates(consultation: Consultation, regions: list[Region], taken: _Taken) -> list[Candidate]:
    """Members assigned to the platform or the township station, the best matches for the topic first."""
    topic = consultation.topic
    words = set(search_terms(topic.title))
    township_ids = {r.parent_id for r in regions if r.parent_id} | {topic.convening_region_id}
    members = (
        Member.objects.filter(
            Q(assignments__platform=consultation.platform)
            | Q(
                assignments__platform__kind=PlatformKind.TOWNSHIP_ROOM,
                assignments__platform__region_id__in=township_ids,
            ),
            assignments__ended_on__isnull=True,
            is_archived=False,
        )
        .exclude(pk__in=taken.members)
        .select_related("sector")
        .distinct()
    )
    ranked = sorted(members, key=lambda m: (-_member_score(m, words, topic.category.name), m.name))
    out = []
    for member in ranked[:MEMBERS_PROPOSED]:
        score = _member_score(member, words, topic.category.name)
        reason = f"{member.sector.name} · {member.specialty}" if member.specialty else member.sector.name
        out.append(Candidate(f"member:{member.pk}", ParticipantCategory.MEMBER, member.name, reason, "下沉委员", score))
    return out


def _unit_candidate(unit: Unit) -> Candidate:
    if unit.kind == UnitKind.VILLAGE_COMMITTEE:
        return Candidate(f"unit:{unit.pk}", ParticipantCategory.VILLAGE_CADRE, "", unit.name, "村（居）委会")
    return Candidate(f"unit:{unit.pk}", ParticipantCategory.UNIT, "", unit.name, "责任单位")


def _unit_candidates(topic: Topic, regions: list[Region], taken: _Taken) -> list[Candidate]:
    """The units responsible for the topic's category and the village committees concerned."""
    units = Unit.objects.filter(
        Q(pk__in=topic.category.responsible_units.values("pk"))
        | Q(kind=UnitKind.VILLAGE_COMMITTEE, region__in=regions),
        is_archived=False,
    ).exclude(pk__in=taken.units)
    return [_unit_candidate(unit) for unit in units]


def candidates_for(consultation: Consultation) -> list[Candidate]:
    """Whoever the interest touches (利益涉及谁就和谁商量), minus those already invited.

    Submitters of the topic's submissions (stakeholders), residents who supported it, the standing
    consultation committee of each village concerned, members assigned to the platform or the
    township station (ranked by how well sector and specialty match the topic), the units
    responsible for the category, and the village committees concerned.
    """
    topic = consultation.topic
    taken = _taken(consultation)
    # A villager group or grid convenes under its village: its village's committee and members are asked.
    under = (r.parent if r.level == RegionLevel.GRID else r for r in topic.regions.select_related("parent"))
    regions = list({region.pk: region for region in under}.values())
    return [
        *_submitter_candidates(topic, taken),
        *_supporter_candidates(topic, taken),
        *_seat_candidates(regions, taken),
        *_member_candidates(consultation, regions, taken),
        *_unit_candidates(topic, regions, taken),
    ]


# Members found by the participants page's search, at most.
MEMBERS_FOUND = 20


def _scope_path(region: Region, depth: int) -> str:
    """The path of ``region``'s ancestor ``depth`` levels below the top (0 the district, 1 its township)."""
    parts = [p for p in region.path.split("/") if p]
    return "/" + "/".join(parts[: depth + 1]) + "/"


def _members_under(path: str) -> QuerySet[Member]:
    """Active members attached to a platform in the region at ``path`` or below, or living or working there."""
    return Member.objects.filter(
        Q(
            assignments__ended_on__isnull=True,
            assignments__platform__region__path__startswith=path,
            assignments__platform__is_archived=False,
        )
        | Q(home_region__path__startswith=path)
        | Q(work_region__path__startswith=path),
        is_archived=False,
    )


def members_in_scope(consultation: Consultation) -> QuerySet[Member]:
    """Every member who may be invited by name: those of the convening region's township (its station's
    and platforms' members, and those living or working there); the district's when the township has none
    or the topic is the district's; and those attached to the consultation's own platform."""
    region = consultation.topic.convening_region
    township = _scope_path(region, 1)
    path = township if region.depth >= 1 and _members_under(township).exists() else _scope_path(region, 0)
    attached = Member.objects.filter(
        assignments__platform_id=consultation.platform_id, assignments__ended_on__isnull=True, is_archived=False
    )
    return Member.objects.filter(Q(pk__in=_members_under(path).values("pk")) | Q(pk__in=attached.values("pk")))


def member_search(consultation: Consultation, query: str, *, limit: int = MEMBERS_FOUND) -> list[Member]:
    """Members in scope whose name, sector (界别), specialty or workplace contains each word of ``query``,
    at most ``limit``, by name, each with ``invited``: already on the list. Three queries."""
    members = members_in_scope(consultation).select_related("sector")
    for word in query.split()[:5]:
        members = members.filter(
            Q(name__icontains=word)
            | Q(sector__name__icontains=word)
            | Q(specialty__icontains=word)
            | Q(workplace__icontains=word)
        )
    found = list(members.order_by("name", "pk")[:limit])
    taken = set(consultation.participants.filter(member__in=[m.pk for m in found]).values_list("member_id", flat=True))
    for member in found:
        member.invited = member.pk in taken
    return found


def _member_fields(member: Member) -> dict:
    reason = f"{member.sector.name} · {member.specialty}" if member.specialty else member.sector.name
    return {
        "category": ParticipantCategory.MEMBER,
        "name": member.name,
        "organisation": reason,
        "member": member,
        "user": member.user,
        "mobile": member.mobile,
    }


def resolve_candidate(consultation: Consultation, key: str, candidates: list[Candidate] | None = None) -> dict | None:
    """The fields of a participant for a picked candidate key, or None when it is not a candidate.

    A member (``member:<pk>``) is a candidate when proposed or found by the search: any active member
    in scope (``members_in_scope``) not yet on the list. Pass ``candidates`` when resolving several
    keys, so the list is computed once.
    """
    kind, _sep, pk = key.partition(":")
    if kind == "member" and pk.isdigit():
        member = (
            members_in_scope(consultation)
            .exclude(pk__in=consultation.participants.filter(member__isnull=False).values("member_id"))
            .select_related("sector", "user")
            .filter(pk=pk)
            .first()
        )
        return _member_fields(member) if member is not None else None
    for candidate in candidates if candidates is not None else candidates_for(consultation):
        if candidate.key == key:
            kind, pk = key.split(":")
            fields = {"category": candidate.category, "name": candidate.name, "organisation": candidate.organisation}
            if kind == "submission":
                s = Submission.objects.get(pk=pk)
                fields.update(submission=s, user=s.submitter, mobile=s.submitter_mobile)
            elif kind == "user":
                support = TopicSupport.objects.filter(topic=consultation.topic, user_id=pk).select_related("user").get()
                fields.update(user=support.user, mobile=support.user.mobile or "")
            elif kind == "seat":
                fields.update(mobile=CommitteeSeat.objects.get(pk=pk).mobile)
            elif kind == "member":
                member = Member.objects.get(pk=pk)
                fields.update(member=member, user=member.user, mobile=member.mobile)
            elif kind == "unit":
                unit = Unit.objects.get(pk=pk)
                fields.update(unit=unit, name=unit.name)
            return fields
    return None


def consultation_list_for(user, *, status: str = "") -> QuerySet[Consultation]:
    qs = consultations_visible_to(user).select_related(
        "topic__convening_region", "platform", "session_format", "convener"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(participant_count=Count("participants", distinct=True)).order_by("-starts_at", "-pk")


def topics_awaiting_plan(user) -> QuerySet[Topic]:
    """Topics the user may plan that have no consultation under way (a cancelled one does not count),
    the most recently approved first."""
    under_way = [status for status in ConsultationStatus.values if status != ConsultationStatus.CANCELLED]
    return (
        topics_plannable_by(user)
        .exclude(consultations__status__in=under_way)
        .select_related("convening_region")
        .order_by("-approved_at", "-pk")
    )


def participants_of(consultation: Consultation) -> QuerySet[Participant]:
    return consultation.participants.select_related("user", "member", "unit").prefetch_related("notice_read")


def notice_reason(participant: Participant) -> str:
    """The ``core.notify`` reason of one participant's notice: each carries the participant's own link."""
    return f"consultation.notice:{participant.consultation_id}:{participant.pk}"


def _notice_version(reason: str) -> int | None:
    """0 for the first notice, N for the change notice of the Nth reschedule (``…:moved:N``), None otherwise."""
    parts = reason.split(":")
    if len(parts) == 3:
        return 0
    if len(parts) == 5 and parts[3] == "moved" and parts[4].isdigit():
        return int(parts[4])
    return None


def participants_with_notices(consultation: Consultation) -> list[Participant]:
    """The participants, each with ``notice_deliveries``: the channels their latest notice went out on
    (the change notice after a reschedule, else the first notice)."""
    participants = list(participants_of(consultation))
    latest: dict[str, tuple[int, list]] = {}
    prefix = f"consultation.notice:{consultation.pk}:"
    for delivery in Delivery.objects.filter(reason__startswith=prefix).order_by("pk"):
        version = _notice_version(delivery.reason)
        if version is None:
            continue
        key = prefix + delivery.reason.split(":")[2]
        seen, rows = latest.get(key, (-1, []))
        if version > seen:
            latest[key] = (version, [delivery])
        elif version == seen:
            rows.append(delivery)
    for participant in participants:
        participant.notice_deliveries = latest.get(notice_reason(participant), (0, []))[1]
        participant.is_unreachable = is_unreachable(participant)
    return participants


def is_unreachable(participant: Participant) -> bool:
    """No message reaches them: no mobile number for a text, no account for the inbox or WeChat."""
    return not participant.mobile and not participant.user_id


def unreachable_not_told(participants) -> list[Participant]:
    """Those no message reaches whom nobody has yet told another way (printed, by phone, in person)."""
    return [p for p in participants if is_unreachable(p) and not p.notice_other_at]


def participant_of_account(consultation: Consultation, user) -> Participant | None:
    """The account's place on the list, by account only: bound by staff or claimed through the place's
    own link. A mobile number on an account is not verified, so it never finds a place."""
    if not getattr(user, "is_authenticated", False):
        return None
    return consultation.participants.filter(user=user).first()


def public_consultations() -> QuerySet[Consultation]:
    """Consultations residents may see and join: notified or in session, and those held."""
    return (
        Consultation.objects.exclude(status__in=[ConsultationStatus.PLANNED, ConsultationStatus.CANCELLED])
        .filter(is_archived=False)
        .select_related("topic", "platform", "session_format")
        .order_by("-starts_at")
    )


def members_for(consultation: Consultation) -> QuerySet[Member]:
    """Members who may be named on the consultation's research and suggestions: those taking part
    (as a member or on their own account) and those attached to its platform."""
    taking_part = Participant.objects.filter(consultation=consultation)
    attached = Q(assignments__platform_id=consultation.platform_id, assignments__ended_on__isnull=True)
    return (
        Member.objects.filter(is_archived=False)
        .filter(
            Q(pk__in=taking_part.filter(member__isnull=False).values("member_id"))
            | Q(user__in=taking_part.filter(user__isnull=False).values("user_id"))
            | attached
        )
        .distinct()
        .order_by("name", "pk")
    )


# --- held --------------------------------------------------------------------------------------
# The one definition of a consultation held (举行/已开展). The dashboard, the annual report, the
# stations' assessment and members' points all count through it, so one township never shows two
# numbers for the same year.

# The moment a consultation counts as held, and so the day, month and year it is counted in.
HELD_AT = "in_session_at"


def held_q(prefix: str = "") -> Q:
    """Held: the session has opened (its opening is stamped) and the consultation is neither cancelled
    nor archived. ``prefix`` reaches the consultation from another model (``"consultation__"``).

    Today a session once opened cannot be cancelled; the condition keeps the definition true should
    that move ever be allowed.
    """
    return Q(**{f"{prefix}{HELD_AT}__isnull": False, f"{prefix}is_archived": False}) & ~Q(
        **{f"{prefix}status": ConsultationStatus.CANCELLED}
    )


def held_between(since: datetime.datetime, until: datetime.datetime) -> QuerySet[Consultation]:
    """Consultations held whose session opened from ``since`` up to, not including, ``until``."""
    return Consultation.objects.filter(held_q(), **{f"{HELD_AT}__gte": since, f"{HELD_AT}__lt": until})


def _new_year(year: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, 1, 1))


def held_in(year: int, *, region: Region | None = None) -> QuerySet[Consultation]:
    """Consultations held in ``year``: their session opened in it, in local time. With ``region``, only
    those on a platform in the region or below it."""
    held = held_between(_new_year(year), _new_year(year + 1))
    if region is not None:
        held = held.filter(platform__region__path__startswith=region.path)
    return held


# --- what waits for an organiser (the home page's to-do list) ----------------------------------
# Each is the SQL form of "this user can take the next step now"; the pages the steps are on
# check the same conditions before they show the button.

# The notice is due this many days before the last day it may go out.
NOTICE_DUE_WARNING_DAYS = 2


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def notices_due(user, today: datetime.date | None = None) -> QuerySet[Consultation]:
    """Planned consultations whose notice must go out: the last day to send it (the start less the
    notice period) is within the next two days or has passed."""
    today = today or timezone.localdate()
    days = settings.SHANGLIANG_NOTICE_DAYS
    # Last day to notify <= today + 2  <=>  starts_at < midnight of (today + 3) + the notice period.
    cutoff = _local_midnight(today + datetime.timedelta(days=NOTICE_DUE_WARNING_DAYS + 1)) + datetime.timedelta(
        days=days
    )
    return consultations_run_by(user).filter(status=ConsultationStatus.PLANNED, starts_at__lt=cutoff)


def sessions_today(user, today: datetime.date | None = None) -> QuerySet[Consultation]:
    """Notified consultations that start today (local date): the session is to be opened."""
    today = today or timezone.localdate()
    return consultations_run_by(user).filter(
        status=ConsultationStatus.NOTIFIED,
        starts_at__gte=_local_midnight(today),
        starts_at__lt=_local_midnight(today + datetime.timedelta(days=1)),
    )


def minutes_to_confirm(user) -> QuerySet[Consultation]:
    """Held consultations of this convener whose minutes are not confirmed (only the convener confirms)."""
    return consultations_run_by(user).filter(
        convener=user, status=ConsultationStatus.HELD, minutes_confirmed_at__isnull=True
    )


def resolutions_to_agree(user) -> QuerySet[Consultation]:
    """Held consultations of this convener with confirmed minutes: the resolution is to be agreed."""
    return consultations_run_by(user).filter(
        convener=user, status=ConsultationStatus.HELD, minutes_confirmed_at__isnull=False
    )


def dissents_to_explain(user) -> QuerySet[Dissent]:
    """Dissents (not withdrawn) nobody has explained yet, in consultations the user runs."""
    return Dissent.objects.filter(outcome=ExplanationOutcome.PENDING, consultation__in=consultations_run_by(user))
