"""Builders for consultations, through the services."""

import datetime

from django.utils import timezone

from shangliang.consultations import services
from shangliang.consultations.models import Consultation, SessionFormat
from shangliang.consultations.states import Mode, ParticipantCategory
from shangliang.orgs.tests.factories import make_platform, make_user
from shangliang.topics.tests.builders import approved


def planned(district, *, convener=None, days_ahead=10, mode=Mode.OFFLINE, title="集镇电动车乱停放", regions=None):
    convener = convener or make_user()
    topic = approved(district["a1"], title, regions=regions)
    platform = topic.platform or make_platform(district["a1"], name=f"{title}议事室")
    starts = timezone.now() + datetime.timedelta(days=days_ahead)
    return services.consultation_plan(
        actor=convener,
        topic=topic,
        platform=platform,
        session_format=SessionFormat.objects.get(name="居（村）民议事会"),
        mode=mode,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="甲一村党群服务中心",
        agenda=[("通报调研情况", 10), ("自由发言", 60)],
    )


def with_people(consultation, residents=3, others=2):
    people = []
    for i in range(residents):
        people.append(
            services.participant_add(
                actor=consultation.convener,
                consultation=consultation,
                category=ParticipantCategory.RESIDENT,
                name=f"居民{i}",
                mobile=f"1390000{i:04d}",
            )
        )
    for i in range(others):
        people.append(
            services.participant_add(
                actor=consultation.convener,
                consultation=consultation,
                category=ParticipantCategory.UNIT,
                name=f"部门{i}",
                organisation="区住建局",
            )
        )
    return people


def researched(consultation):
    services.research_add(
        actor=consultation.convener,
        consultation=consultation,
        researchers="林站长、陈委员",
        researched_on=datetime.date.today(),
        place="集镇主街",
        findings="赶集日人行道被占",
    )
    return consultation


def notified(district, **kwargs):
    consultation = planned(district, **kwargs)
    with_people(consultation)
    return services.notice_send(actor=consultation.convener, consultation=consultation)


def in_session(district, **kwargs):
    """A consultation whose session is open. A session may not open days before its notified start, so:
    with ``days_ahead`` (the test cares about the date) it opens at that start; otherwise the session day
    is taken to have come (``starting_soon``) and it opens now, so "held this year" is this year's even in
    the last days of December."""
    consultation = researched(notified(district, **kwargs))
    if "days_ahead" in kwargs:
        return services.session_open(actor=consultation.convener, consultation=consultation, now=consultation.starts_at)
    return services.session_open(actor=consultation.convener, consultation=starting_soon(consultation))


def starting_soon(consultation, *, minutes=30):
    """The day of the session has come: its notified start moved to ``minutes`` from now, so pages using
    the clock may open it (a test's shortcut for the days between the notice and the session)."""
    starts = timezone.now() + datetime.timedelta(minutes=minutes)
    moved = Consultation.objects.filter(pk=consultation.pk)
    moved.update(starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))
    consultation.refresh_from_db()
    return consultation
