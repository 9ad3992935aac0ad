"""Builders for the records members earn points with, through the services of each stage."""

import datetime

from django.utils import timezone

from shangliang.consultations import services as consultation_services
from shangliang.consultations.models import Consultation, SessionFormat
from shangliang.consultations.states import Mode, ParticipantCategory
from shangliang.consultations.tests.builders import researched, starting_soon, with_people
from shangliang.orgs.tests.factories import make_platform, make_user
from shangliang.topics import services as topic_services
from shangliang.topics.models import Topic
from shangliang.topics.states import Source
from shangliang.topics.tests.builders import approved, pending, submit


def recommended(district, member, title, *, decision="approve", region=None) -> Topic:
    """A topic drafted from ``member``'s recommendation (委员荐题) and decided: approve, reject or return."""
    region = region or district["a1"]
    if decision == "approve":
        return approved(region, title, source=Source.MEMBER, member=member)
    topic = pending(region, title, source=Source.MEMBER, member=member)
    decide = {"reject": topic_services.topic_reject, "return": topic_services.topic_return}[decision]
    return decide(actor=make_user(), topic=topic, note="材料不足")


def excluded_recommendation(district, member, title):
    """A recommendation ruled out at screening (不纳入协商)."""
    submission = submit(district["a1"], title, source=Source.MEMBER, member=member)
    return topic_services.submission_screen(
        actor=make_user(), submission=submission, eligible=False, reason="unsuitable", note="不宜协商"
    )


def planned_on(district, topic, *, convener=None) -> Consultation:
    convener = convener or make_user()
    starts = timezone.now() + datetime.timedelta(days=10)
    return consultation_services.consultation_plan(
        actor=convener,
        topic=topic,
        platform=make_platform(district["a1"], name=f"{topic.title}议事室"),
        session_format=SessionFormat.objects.get(name="居（村）民议事会"),
        mode=Mode.OFFLINE,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="甲一村党群服务中心",
        agenda=[("自由发言", 60)],
    )


def invite(consultation, member, *, by_account=False):
    """Invite ``member``: as the member (the usual way), or on their own login account (as a resident)."""
    if by_account:
        return consultation_services.participant_add(
            actor=consultation.convener,
            consultation=consultation,
            category=ParticipantCategory.RESIDENT,
            name=member.name,
            user=member.user,
        )
    return consultation_services.participant_add(
        actor=consultation.convener,
        consultation=consultation,
        category=ParticipantCategory.MEMBER,
        name=member.name,
        member=member,
    )


def in_session_on(district, topic, *, attend=(), speak=(), absent=(), by_account=()) -> Consultation:
    """A consultation on ``topic`` in session: members in ``attend`` signed in, those in ``speak`` also
    spoke twice, those in ``absent`` invited but never signed in; ``by_account`` were invited on their
    login account rather than as members."""
    consultation = planned_on(district, topic)
    with_people(consultation, residents=3, others=0)
    people = {}
    for member in {*attend, *speak, *absent}:
        people[member.pk] = invite(consultation, member, by_account=member in by_account)
    consultation = consultation_services.notice_send(actor=consultation.convener, consultation=consultation)
    consultation = starting_soon(researched(consultation))
    # The session day has come: it opens now, so the points count in this year.
    consultation = consultation_services.session_open(actor=consultation.convener, consultation=consultation)
    for member in {*attend, *speak}:
        consultation_services.sign_in(participant=people[member.pk], actor=consultation.convener)
    for member in speak:
        for text in ("建议划定停放点", "建议赶集日安排值守"):
            consultation_services.statement_add(
                actor=consultation.convener, consultation=consultation, participant=people[member.pk], text=text
            )
    return consultation


def conclude(consultation, suggestions=("规划电动车停放点", "安排赶集日值守", "设置提示牌")) -> Consultation:
    actor = consultation.convener
    consultation = consultation_services.session_close(actor=actor, consultation=consultation)
    consultation_services.minutes_confirm(actor=actor, consultation=consultation)
    for text in suggestions:
        consultation_services.suggestion_add(actor=actor, consultation=consultation, text=text)
    return consultation_services.resolution_agree(actor=actor, consultation=consultation)


def held_in(consultation, year: int, month: int = 6) -> Consultation:
    """Move the session to a day of ``year``, and its opening when it was opened (which year a session
    counts for is the subject of some tests)."""
    starts = timezone.make_aware(datetime.datetime(year, month, 1, 9, 0))
    moved = Consultation.objects.filter(pk=consultation.pk)
    moved.update(starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))
    moved.filter(in_session_at__isnull=False).update(in_session_at=starts)
    consultation.refresh_from_db()
    return consultation
