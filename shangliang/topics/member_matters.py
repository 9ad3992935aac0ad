"""Matters brought to a member (委员群众面对面): a resident sends one from the member's page (履职码), or the
member logs one for a resident they met (代群众反映).

Either way it is an ordinary ``Submission`` with ``via_member``: it goes to the station the member serves
(their open assignment's platform; the resident picks when there are several; with none, the
township room of the member's home township), where it is screened like any other (the eight
exclusions, merging, drafting). A resident's sending goes through ``services.submission_submit``, so
the rate limits, the verification of a named number and the tracking code all apply; the member is
told and follows it on their home page. A member's logging is recorded by the member's account
(``recorded_by``) and earns points once accepted (``points.selectors``: ``PointKind.PROBLEM_LOGGED``).
"""

import uuid

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from shangliang.core.errors import DomainError
from shangliang.core.notify import Kind, notify
from shangliang.orgs.models import Member, MemberAssignment, Platform, Region
from shangliang.orgs.states import PlatformKind, RegionLevel
from shangliang.topics import services
from shangliang.topics.models import Category, Submission
from shangliang.topics.states import Source


def member_by_code(code: str) -> Member | None:
    return Member.objects.filter(code=code, is_archived=False).select_related("sector", "home_region").first()


def own_member(user) -> Member | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.filter(user=user, is_archived=False).select_related("home_region").first()


def _home_township(member: Member) -> Region | None:
    region = member.home_region
    while region is not None and region.level not in (RegionLevel.TOWNSHIP, RegionLevel.DISTRICT):
        region = region.parent
    return region if region is not None and region.level == RegionLevel.TOWNSHIP else None


def routes(member: Member) -> list[Platform]:
    """Where a matter brought to ``member`` goes: the stations they serve, or else their home township's room."""
    serving = list(
        Platform.objects.filter(
            is_archived=False,
            pk__in=MemberAssignment.objects.filter(member=member, ended_on__isnull=True).values("platform_id"),
        )
        .select_related("region")
        .order_by("region__path", "name")
    )
    if serving:
        return serving
    township = _home_township(member)
    if township is None:
        return []
    room = (
        Platform.objects.filter(region=township, kind=PlatformKind.TOWNSHIP_ROOM, is_archived=False)
        .select_related("region")
        .order_by("pk")
        .first()
    )
    return [room] if room else []


def _route(member: Member, platform: Platform | None) -> Platform:
    choices = routes(member)
    if not choices:
        raise DomainError(_("这位委员暂未联系站点，事项无法经委员转交，请直接向所在村（社区）反映。"))
    if platform is None and len(choices) == 1:
        return choices[0]
    if platform is None or platform.pk not in {p.pk for p in choices}:
        raise DomainError(_("请选择委员联系的站点。"), field="platform")
    return platform


def _tell_member(member: Member, submission: Submission) -> None:
    if not member.user_id:
        return
    notify(
        kind=Kind.FEEDBACK,
        reason=f"submission.via_member:{submission.pk}",
        recipients=[member.user],
        title=_("群众向您反映：%(title)s") % {"title": submission.title},
        body=_("已转%(platform)s筛查办理，您可在工作台跟进。")
        % {"platform": submission.platform.name if submission.platform else ""},
        url=reverse("topics:relayed"),
    )


def matter_send(
    *, actor, member: Member, platform: Platform | None, code: str = "", client_token: uuid.UUID | None = None, **fields
) -> services.Created:
    """A resident sends a matter from the member's page: the public submission with ``via_member``."""
    platform = _route(member, platform)
    created = services.submission_submit(
        actor=actor, code=code, client_token=client_token, platform=platform, via_member=member, **fields
    )
    if created.is_new:
        _tell_member(member, created.submission)
    return created


def problem_log(
    *,
    actor,
    member: Member,
    platform: Platform | None,
    region: Region,
    category: Category,
    title: str,
    content: str = "",
    location_detail: str = "",
    resident_name: str = "",
    resident_mobile: str = "",
    client_token: uuid.UUID | None = None,
) -> services.Created:
    """The member logs a resident's problem (代群众反映): recorded by the member's own account, the resident's
    name and number optional (staff see them; the tracking code goes to the member to pass on)."""
    if member.user_id is None or actor is None or actor.pk != member.user_id:
        raise DomainError(_("只有委员本人可以代群众反映。"))
    platform = _route(member, platform)
    return services.submission_create(
        actor=actor,
        source=Source.OFFLINE,
        platform=platform,
        region=region,
        category=category,
        title=title,
        content=content,
        location_detail=location_detail,
        is_anonymous=not resident_mobile,
        submitter_name=resident_name,
        submitter_mobile=resident_mobile,
        client_token=client_token,
        via_member=member,
    )


def relayed_to(member: Member) -> QuerySet[Submission]:
    """Matters brought to the member, newest first: "群众向我反映的事项"."""
    return (
        Submission.objects.filter(via_member=member, is_archived=False)
        .select_related("platform", "region", "topic")
        .order_by("-created_at", "-pk")
    )
