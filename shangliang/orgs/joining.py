"""Members and stations: which stations suit a member, and a member's request to join one (自主下沉).

按照"就近、自主"的原则: stations are suggested by proximity (the member's home and work regions: the
same village, then the same township, then the district) and by the member's specialty against the
station's kind, sector and description. A member asks to join a station (``JoinRequest``); the station
head of the station's township or the CPPCC office decides; approval makes the ``MemberAssignment``
through ``services.member_assign``. The member is told either way.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core.errors import DomainError
from shangliang.core.notify import Kind, notify
from shangliang.core.records import save_record
from shangliang.core.transitions import ensure_move, transition
from shangliang.orgs import services
from shangliang.orgs.models import JoinRequest, Member, MemberAssignment, Platform, Region
from shangliang.orgs.permissions import covers, path_q, region_paths
from shangliang.orgs.states import JOIN_REQUEST_MOVES, JoinRequestStatus, RegionLevel, Role

# Who decides a request: the station head covering the station (its township), or the CPPCC office.
DECIDERS = frozenset({Role.STATION_HEAD, Role.COMMITTEE_STAFF, Role.ADMINISTRATOR})


# --- suggestions ---------------------------------------------------------------------------------


@dataclass
class Suggested:
    platform: Platform
    score: int
    reasons: list[str] = field(default_factory=list)


def _ancestor_path(region: Region, levels_up: int) -> str:
    parts = [p for p in region.path.split("/") if p]
    return "/" + "".join(f"{p}/" for p in parts[: len(parts) - levels_up])


def _township_path(region: Region | None) -> str:
    """The path of the township a region lies in ("" above townships)."""
    up = {RegionLevel.TOWNSHIP: 0, RegionLevel.VILLAGE: 1, RegionLevel.GRID: 2}
    if region is None or region.level not in up:
        return ""
    return _ancestor_path(region, up[region.level])


def _village_path(region: Region | None) -> str:
    up = {RegionLevel.VILLAGE: 0, RegionLevel.GRID: 1}
    if region is None or region.level not in up:
        return ""
    return _ancestor_path(region, up[region.level])


WORD = re.compile(r"[\u4e00-\u9fff]{2,}|[A-Za-z]{3,}")


def _words(text: str) -> set[str]:
    """Two-character pieces of the Chinese runs (专长 "城乡规划" meets "规划"), and Latin words."""
    found = set()
    for run in WORD.findall(text or ""):
        if run.isascii():
            found.add(run.lower())
        else:
            found |= {run[i : i + 2] for i in range(len(run) - 1)}
    return found


def suggest_platforms(member: Member, platforms: QuerySet[Platform], limit: int = 8) -> list[Suggested]:
    """``platforms`` ranked for ``member``: nearest first (home or work village, township), then by the
    specialty's fit; each with the reasons in words. Stations the member already serves are left out.
    One query for the platforms (with their region and sector), one for the member's assignments."""
    serving = set(
        MemberAssignment.objects.filter(member=member, ended_on__isnull=True).values_list("platform_id", flat=True)
    )
    places = [(member.home_region, _("居住地")), (member.work_region, _("工作地"))]
    specialty = _words(member.specialty)
    ranked = []
    for platform in platforms.select_related("region", "sector"):
        if platform.pk in serving:
            continue
        score, reasons = 0, []
        path = platform.region.path
        for region, label in places:
            if region is None:
                continue
            village, township = _village_path(region), _township_path(region)
            if village and path.startswith(village):
                score, reason = max(score, 30), _("与委员%(place)s同在%(name)s") % {"place": label, "name": region.name}
            elif township and path.startswith(township):
                score, reason = max(score, 20), _("与委员%(place)s在同一乡镇（街道）") % {"place": label}
            elif township and township.startswith(path):
                score, reason = max(score, 20), _("服务委员%(place)s所在乡镇（街道）") % {"place": label}
            else:
                continue
            if reason not in reasons:
                reasons.append(reason)
        if not reasons:
            score, reasons = 5, [_("同在本区（县）")]
        if member.sector_id and platform.sector_id == member.sector_id:
            score += 10
            reasons.append(_("界别相同（%(sector)s）") % {"sector": platform.sector.name})
        text = " ".join([platform.name, platform.get_kind_display(), platform.description or ""])
        shared = sorted(specialty & _words(text))
        if shared:
            score += 5 * min(len(shared), 3)
            reasons.append(_("专长相近：%(words)s") % {"words": "、".join(shared[:3])})
        ranked.append(Suggested(platform, score, reasons))
    ranked.sort(key=lambda s: (-s.score, s.platform.region.path, s.platform.name))
    return ranked[:limit]


# --- permissions ---------------------------------------------------------------------------------


def can_decide(user, join_request: JoinRequest) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return covers(user, DECIDERS, join_request.platform.region)


def requests_to_decide(user) -> QuerySet[JoinRequest]:
    """Pending requests to stations in the user's scope (station head, CPPCC office), oldest first."""
    qs = JoinRequest.objects.filter(status=JoinRequestStatus.PENDING)
    if not getattr(user, "is_superuser", False):
        qs = qs.filter(path_q(region_paths(user, DECIDERS), "platform__region__path"))
    return qs.select_related("member__sector", "platform__region").order_by("requested_at", "pk")


def get_for_decision(user, pk) -> JoinRequest:
    join_request = (
        JoinRequest.objects.select_related("member__sector", "member__home_region", "platform__region")
        .filter(pk=pk)
        .first()
    )
    if join_request is None or not can_decide(user, join_request):
        raise Http404
    return join_request


# --- writes --------------------------------------------------------------------------------------


def _member_user(member: Member) -> list:
    return [member.user] if member.user_id else []


@transaction.atomic
def join_request_make(*, actor, member: Member, platform: Platform, reason: str = "") -> JoinRequest:
    """A member asks to join ``platform``; refuses one they serve or one already asked."""
    if platform.is_archived:
        raise DomainError(_("该站点已归档。"), field="platform")
    if MemberAssignment.objects.filter(member=member, platform=platform, ended_on__isnull=True).exists():
        raise DomainError(_("您已下沉到这个站点。"), field="platform")
    if JoinRequest.objects.filter(member=member, platform=platform, status=JoinRequestStatus.PENDING).exists():
        raise DomainError(_("您已申请加入这个站点，请等待审核。"), field="platform")
    return save_record(
        JoinRequest(member=member, platform=platform, reason=reason.strip()), actor=actor, reason="join_request.made"
    )


def _locked(join_request: JoinRequest) -> JoinRequest:
    return (
        JoinRequest.objects.select_for_update(of=("self",)).select_related("member", "platform").get(pk=join_request.pk)
    )


@transaction.atomic
def join_request_approve(*, actor, join_request: JoinRequest, note: str = "", now=None) -> JoinRequest:
    """Approve: the member is assigned (下沉) to the station from today, and told."""
    now = now or timezone.now()
    join_request = _locked(join_request)
    ensure_move(join_request, to=JoinRequestStatus.APPROVED, moves=JOIN_REQUEST_MOVES)
    assignment = services.member_assign(
        actor=actor, member=join_request.member, platform=join_request.platform, started_on=timezone.localdate(now)
    )
    transition(
        join_request,
        to=JoinRequestStatus.APPROVED,
        moves=JOIN_REQUEST_MOVES,
        actor=actor,
        reason="join_request.approved",
        note=note.strip(),
        changes={"decided_by": actor, "decision_note": note.strip(), "assignment": assignment},
        now=now,
    )
    notify(
        kind=Kind.FEEDBACK,
        reason=f"join_request.approved:{join_request.pk}",
        recipients=_member_user(join_request.member),
        title=_("下沉申请已同意：%(name)s") % {"name": join_request.platform.name},
        body=note.strip() or _("欢迎到站点开展履职活动。"),
        url=reverse("orgs:join_home"),
    )
    return join_request


@transaction.atomic
def join_request_refuse(*, actor, join_request: JoinRequest, note: str, now=None) -> JoinRequest:
    """Refuse with the reason the member reads."""
    if not note.strip():
        raise DomainError(_("请说明未同意的原因，委员将看到这段说明。"), field="note")
    join_request = _locked(join_request)
    transition(
        join_request,
        to=JoinRequestStatus.REFUSED,
        moves=JOIN_REQUEST_MOVES,
        actor=actor,
        reason="join_request.refused",
        note=note.strip(),
        changes={"decided_by": actor, "decision_note": note.strip()},
        now=now,
    )
    notify(
        kind=Kind.FEEDBACK,
        reason=f"join_request.refused:{join_request.pk}",
        recipients=_member_user(join_request.member),
        title=_("下沉申请未同意：%(name)s") % {"name": join_request.platform.name},
        body=note.strip(),
        url=reverse("orgs:join_home"),
    )
    return join_request


@transaction.atomic
def join_request_withdraw(*, actor, join_request: JoinRequest) -> JoinRequest:
    join_request = _locked(join_request)
    return transition(
        join_request,
        to=JoinRequestStatus.WITHDRAWN,
        moves=JOIN_REQUEST_MOVES,
        actor=actor,
        reason="join_request.withdrawn",
    )


def requests_of(member: Member) -> QuerySet[JoinRequest]:
    return member.join_requests.select_related("platform__region").order_by("-requested_at", "-pk")


def unassigned_q() -> Q:
    """Members without an open assignment (the district's filter on the member list)."""
    return ~Q(pk__in=MemberAssignment.objects.filter(ended_on__isnull=True).values("member_id"))
