"""The demo's briefings, lectures and training: a year of events across kinds and platforms, speakers of every
sort, sign-ins and answered questions, one cancelled, one planned for next week, nothing stamped today."""

import datetime

import pytest
from django.utils import timezone

from shangliang.events.models import Event, EventQuestion, EventSignIn
from shangliang.events.states import EventKind, EventStatus, QuestionStatus, SignInVia
from shangliang.points import selectors as point_selectors
from shangliang.points.states import PointKind

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_year_of_events(seeded):
    events = Event.objects.all()
    today = timezone.localdate()
    assert events.count() >= 12
    assert set(events.values_list("kind", flat=True)) == set(EventKind.values)
    assert events.values("platform").distinct().count() >= 3
    assert events.filter(speaker_unit__isnull=False).exists() and events.filter(speaker_member__isnull=False).exists()
    assert events.filter(status=EventStatus.CANCELLED).count() == 1
    upcoming = events.get(status=EventStatus.PLANNED)
    assert (
        today + datetime.timedelta(days=6)
        <= timezone.localdate(upcoming.starts_at)
        <= today + datetime.timedelta(days=11)
    )
    held = events.filter(status=EventStatus.HELD)
    assert held.count() >= 10
    assert all(timezone.localdate(e.starts_at) > today - datetime.timedelta(days=366) for e in held)
    signs = EventSignIn.objects.filter(event__in=held)
    assert signs.count() >= 100 and signs.filter(via=SignInVia.STAFF).exists()
    assert EventQuestion.objects.filter(status=QuestionStatus.PUBLISHED).count() >= 10
    assert EventQuestion.objects.filter(status=QuestionStatus.PENDING, event=upcoming).count() == 1


def test_nothing_is_stamped_today(seeded):
    today = timezone.localdate()
    for event in Event.objects.all():
        assert timezone.localdate(event.created_at) < today and timezone.localdate(event.updated_at) < today
        assert all(timezone.localdate(h.history_date) < today for h in event.history.all())
    assert not EventSignIn.objects.filter(signed_in_at__date__gte=today).exists()
    assert not EventQuestion.objects.filter(asked_at__date__gte=today).exists()


def test_the_demo_member_earns_event_points(seeded):
    from shangliang.orgs.models import Member

    speakers = Member.objects.filter(events_spoken__status=EventStatus.HELD).distinct()
    assert speakers.exists()
    member = speakers.first()
    year = timezone.localdate().year
    found = point_selectors.occurrences(PointKind.EVENT_SPOKE, member, year) + point_selectors.occurrences(
        PointKind.EVENT_SPOKE, member, year - 1
    )
    assert found


def test_the_builder_runs_on_a_small_district_and_stamps_nothing_today(db):
    """The builder alone, on a small district with the demo's logins (the whole seed runs it in phase 9)."""
    from datetime import datetime, time, timedelta

    from shangliang.demo import events as events_demo
    from shangliang.orgs import services as org_services
    from shangliang.orgs.states import Role, UnitKind
    from shangliang.orgs.tests.factories import grant, make_member, make_platform, make_user, small_district

    d = small_district()
    for region in (d["a"], d["b"]):
        make_platform(region)
    make_platform(d["a1"])
    org_services.unit_create(actor=None, name="区医疗保障局", kind=UnitKind.GOVERNMENT_DEPARTMENT, region=d["district"])
    users = {
        "cppcc": grant(make_user("cppcc"), Role.COMMITTEE_STAFF, region=d["district"]),
        "station": grant(make_user("station"), Role.STATION_HEAD, region=d["a"]),
        "convener": grant(make_user("convener"), Role.CONVENER, region=d["a1"]),
        "member": make_user("member"),
    }
    make_member("演示委员", user=users["member"])
    yesterday = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=1), time(9)))
    made = events_demo.build(users=users, district=d["district"], yesterday=yesterday)
    assert made["events"] == 13 and made["event_sign_ins"] >= 100 and made["event_questions"] >= 12
    today = timezone.localdate()
    assert not Event.objects.filter(created_at__date__gte=today).exists()
    assert Event.objects.filter(status=EventStatus.HELD).count() == 11
    assert Event.objects.values("platform").distinct().count() == 3
    assert Event.objects.filter(speaker_member__user=users["member"], status=EventStatus.HELD).exists()
