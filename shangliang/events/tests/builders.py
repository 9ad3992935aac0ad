"""Events for the tests, made through the services like the staff make them."""

import datetime

from django.utils import timezone

from shangliang.events import services
from shangliang.events.states import EventKind
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_platform, make_user


def station_head(region, name="甲镇站长"):
    return grant(make_user(full_name=name), Role.STATION_HEAD, region=region)


def convener(region, name="召集人"):
    return grant(make_user(full_name=name), Role.CONVENER, region=region)


def platform_of(region, **fields):
    return make_platform(region, **fields)


def at(days: int = 0, hour: int = 9) -> datetime.datetime:
    """``days`` from today at ``hour`` o'clock, local time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def all_day_today() -> dict:
    """Today from midnight to 23:59 local time: whatever the hour the test runs, it has started and not ended."""
    starts_at = at(0, 0)
    return {"starts_at": starts_at, "ends_at": starts_at + datetime.timedelta(hours=23, minutes=59)}


def planned_event(platform, actor, *, starts_at=None, ends_at=None, hours=2, kind=EventKind.BRIEFING, **fields):
    starts_at = starts_at or at(days=3)
    fields.setdefault("speaker_name", "王律师（区司法局法律顾问）")
    return services.event_create(
        actor=actor,
        platform=platform,
        kind=kind,
        title=fields.pop("title", "医保政策解读"),
        starts_at=starts_at,
        ends_at=ends_at or starts_at + datetime.timedelta(hours=hours),
        **fields,
    )


def held_event(platform, actor, *, starts_at=None, headcount=None, signs=0, **fields):
    """An event that took place (yesterday by default), with ``signs`` sign-ins by QR."""
    starts_at = starts_at or at(days=-1, hour=14)
    event = planned_event(platform, actor, starts_at=starts_at, **fields)
    for n in range(signs):
        services.sign_in_self(
            event=event, name=f"居民{n}", mobile=f"1390000{n:04d}", now=starts_at + datetime.timedelta(minutes=n)
        )
    return services.event_hold(event, actor=actor, headcount=headcount, now=starts_at + datetime.timedelta(hours=2))
