"""Reminders before a session (会前提醒): each offset once per start, to every participant who may come,
with their own page's link; only the closest offset when a run comes late; again after a reschedule."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations import services
from shangliang.consultations.models import SessionFormat
from shangliang.consultations.reminders import consultation_reminders_run, session_reminders_run
from shangliang.consultations.states import Mode, ParticipantCategory, Rsvp
from shangliang.consultations.tests.builders import notified
from shangliang.core.models import Channel, Delivery, Notification, OnceStep
from shangliang.orgs.tests.factories import make_platform, make_user
from shangliang.topics.tests.builders import approved

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def remind_hours(settings):
    settings.SHANGLIANG_SESSION_REMIND_HOURS = [24, 2]


@pytest.fixture
def session(district):
    """A notified session in village A1: three residents by number, two units nobody can message, an
    account, one who declined and one removed."""
    consultation = notified(district, days_ahead=10)
    convener = consultation.convener
    account = make_user("jumin", full_name="居民账号")
    people = {
        "account": services.participant_add(
            actor=convener,
            consultation=consultation,
            category=ParticipantCategory.RESIDENT,
            name="居民账号",
            user=account,
        ),
        "declined": services.participant_add(
            actor=convener,
            consultation=consultation,
            category=ParticipantCategory.STAKEHOLDER,
            name="商户",
            mobile="13911110001",
        ),
        "removed": services.participant_add(
            actor=convener,
            consultation=consultation,
            category=ParticipantCategory.STAKEHOLDER,
            name="换人",
            mobile="13911110002",
        ),
    }
    services.participant_rsvp(participant=people["declined"], answer=Rsvp.NO)
    services.participant_remove(people["removed"], actor=convener, reason="换成其他代表")
    consultation.refresh_from_db()
    return consultation, account, people


def other_township_session(district):
    """A notified session of village B1 (township B) three days after the first, with one resident by number."""
    topic = approved(district["b1"], "乙一村垃圾清运")
    starts = timezone.now() + datetime.timedelta(days=13)
    consultation = services.consultation_plan(
        actor=make_user(),
        topic=topic,
        platform=make_platform(district["b1"]),
        session_format=SessionFormat.objects.get(name="居（村）民议事会"),
        mode=Mode.OFFLINE,
        starts_at=starts,
        ends_at=starts + 2 * HOUR,
        place="乙一村村委会",
        agenda=[("自由发言", 60)],
    )
    services.participant_add(
        actor=consultation.convener,
        consultation=consultation,
        category=ParticipantCategory.RESIDENT,
        name="乙村居民",
        mobile="13922220000",
    )
    return services.notice_send(actor=consultation.convener, consultation=consultation, acknowledge_warnings=True)


def run(django_capture_on_commit_callbacks, at) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return session_reminders_run(now=at)


def texted(reason_start: str) -> set[str]:
    return set(
        Delivery.objects.filter(channel=Channel.SMS, reason__startswith=reason_start).values_list(
            "recipient", flat=True
        )
    )


def keys() -> list[str]:
    return list(OnceStep.objects.filter(key__startswith="session.before:").order_by("pk").values_list("key", flat=True))


def test_participants_are_reminded_a_day_and_two_hours_ahead_each_once(session, django_capture_on_commit_callbacks):
    consultation, account, people = session
    starts = consultation.starts_at
    assert run(django_capture_on_commit_callbacks, starts - 30 * HOUR) == 0
    assert run(django_capture_on_commit_callbacks, starts - 23 * HOUR) == 1
    assert run(django_capture_on_commit_callbacks, starts - 22 * HOUR) == 0
    assert len(keys()) == 1 and keys()[0].startswith(f"session.before:24h:{consultation.pk}:")

    assert texted("session.before:24h:") == {"13900000000", "13900000001", "13900000002"}
    message = Notification.objects.get(user=account, title__startswith="会前提醒")
    assert message.title == "会前提醒：集镇电动车乱停放"
    when = timezone.localtime(starts).strftime("%Y-%m-%d %H:%M")
    assert when in message.body and "甲一村党群服务中心" in message.body and "集镇电动车乱停放" in message.body
    assert message.url == reverse("consultations:participant_page", args=[people["account"].token])
    # Someone who said they will not come, and someone taken off the list, are not reminded.
    assert not Delivery.objects.filter(recipient__in=["13911110001", "13911110002"], reason__startswith="session")

    assert run(django_capture_on_commit_callbacks, starts - 90 * datetime.timedelta(minutes=1)) == 1
    assert run(django_capture_on_commit_callbacks, starts - HOUR) == 0
    assert [key.split(":")[1] for key in keys()] == ["24h", "2h"]
    assert texted("session.before:2h:") == {"13900000000", "13900000001", "13900000002"}
    assert Notification.objects.filter(user=account, title__startswith="会前提醒").count() == 2
    # Once the session has started nothing more goes out.
    assert run(django_capture_on_commit_callbacks, starts + HOUR) == 0


def test_a_late_run_sends_only_the_closest_reminder(session, django_capture_on_commit_callbacks):
    consultation, account, _people = session
    assert run(django_capture_on_commit_callbacks, consultation.starts_at - HOUR) == 1
    assert [key.split(":")[1] for key in keys()] == ["2h"]
    assert Notification.objects.filter(user=account, title__startswith="会前提醒").count() == 1


def test_a_rescheduled_session_reminds_its_participants_again(session, django_capture_on_commit_callbacks):
    consultation, account, _people = session
    assert run(django_capture_on_commit_callbacks, consultation.starts_at - 20 * HOUR) == 1
    new_start = consultation.starts_at + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        consultation = services.consultation_reschedule(
            actor=consultation.convener,
            consultation=consultation,
            starts_at=new_start,
            ends_at=new_start + 2 * HOUR,
            reason="村里停电",
        )
    # Nothing goes out for the new start before its window comes; then its own reminder does.
    assert run(django_capture_on_commit_callbacks, new_start - 30 * HOUR) == 0
    assert run(django_capture_on_commit_callbacks, new_start - 20 * HOUR) == 1
    assert run(django_capture_on_commit_callbacks, new_start - 19 * HOUR) == 0
    assert len(keys()) == 2 and all(key.startswith(f"session.before:24h:{consultation.pk}:") for key in keys())
    assert Notification.objects.filter(user=account, title__startswith="会前提醒").count() == 2
    assert Delivery.objects.filter(channel=Channel.SMS, recipient="13900000000", reason__in=keys()).count() == 2


def test_each_session_reminds_only_its_own_participants(district, session, django_capture_on_commit_callbacks):
    consultation, _account, _people = session
    other = other_township_session(district)
    assert run(django_capture_on_commit_callbacks, consultation.starts_at - 20 * HOUR) == 1
    mine = f"session.before:24h:{consultation.pk}:"
    assert texted(mine) == {"13900000000", "13900000001", "13900000002"}
    assert not texted(f"session.before:24h:{other.pk}:")
    assert "13922220000" not in texted("session.before:")
    assert run(django_capture_on_commit_callbacks, other.starts_at - 20 * HOUR) == 1
    assert texted(f"session.before:24h:{other.pk}:") == {"13922220000"}


def test_a_session_nobody_can_be_messaged_sends_nothing_and_records_no_step(
    district, django_capture_on_commit_callbacks
):
    consultation = notified(district, days_ahead=10)
    services.participant_remove(
        consultation.participants.filter(mobile="13900000000").get(), actor=consultation.convener, reason="误加"
    )
    for participant in consultation.participants.exclude(mobile=""):
        services.participant_rsvp(participant=participant, answer=Rsvp.NO)
    assert run(django_capture_on_commit_callbacks, consultation.starts_at - HOUR) == 0
    assert keys() == []


def test_the_periodic_job_runs_the_session_reminders(session, django_capture_on_commit_callbacks):
    consultation, _account, _people = session
    with django_capture_on_commit_callbacks(execute=True):
        assert consultation_reminders_run(now=consultation.starts_at - HOUR) == 1
        assert consultation_reminders_run(now=consultation.starts_at - HOUR) == 0
