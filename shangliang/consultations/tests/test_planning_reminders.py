"""Reminders to conveners: an approved topic not planned after N days, dissents not explained N days after the
session. Each once per due day, to the conveners of that topic's level only; again when the day moves.

(The planning reminder spans topics and consultations, so it lives in the later stage, like the
waiting list's "topics to plan".)"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations import services
from shangliang.consultations.models import SessionFormat
from shangliang.consultations.reminders import consultation_reminders_run, conveners_of
from shangliang.consultations.states import ExplanationOutcome, Mode
from shangliang.consultations.tests.builders import in_session
from shangliang.core.models import Channel, Delivery, Notification, OnceStep
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_platform, make_user
from shangliang.topics.tests.builders import approved

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def days(settings):
    settings.SHANGLIANG_PLAN_REMIND_DAYS = 14
    settings.SHANGLIANG_DISSENT_EXPLAIN_DAYS = 7
    settings.SHANGLIANG_SESSION_REMIND_HOURS = [24, 2]


@pytest.fixture
def conveners(district):
    return {
        "a1": grant(
            make_user("cun", full_name="甲一村召集人", mobile="13930000001"), Role.CONVENER, region=district["a1"]
        ),
        "a": grant(
            make_user("zhan", full_name="甲镇站长", mobile="13930000002"), Role.STATION_HEAD, region=district["a"]
        ),
        "b1": grant(
            make_user("yicun", full_name="乙一村召集人", mobile="13930000003"), Role.CONVENER, region=district["b1"]
        ),
    }


def run(django_capture_on_commit_callbacks, at) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return consultation_reminders_run(now=at)


def titles(user, start: str) -> list[str]:
    return list(Notification.objects.filter(user=user, title__startswith=start).values_list("title", flat=True))


def plan(topic):
    starts = timezone.now() + datetime.timedelta(days=10)
    return services.consultation_plan(
        actor=make_user(),
        topic=topic,
        platform=topic.platform or make_platform(topic.convening_region, name=f"{topic.title}议事室"),
        session_format=SessionFormat.objects.get(name="居（村）民议事会"),
        mode=Mode.OFFLINE,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="村委会",
        agenda=[("自由发言", 60)],
    )


# --- approved topics not yet planned ----------------------------------------------------------


def test_the_villages_convener_is_reminded_once_when_the_topic_waits_too_long(
    district, conveners, django_capture_on_commit_callbacks
):
    topic = approved(district["a1"], "村口路灯维修")
    approved_at = topic.approved_at
    assert run(django_capture_on_commit_callbacks, approved_at + 13 * DAY) == 0
    assert run(django_capture_on_commit_callbacks, approved_at + 14 * DAY) == 1
    assert run(django_capture_on_commit_callbacks, approved_at + 15 * DAY) == 0
    assert titles(conveners["a1"], "【安排协商提醒】") == [
        "【安排协商提醒】议题“村口路灯维修”审定已超过14天，尚未安排协商"
    ]
    message = Notification.objects.get(user=conveners["a1"])
    assert message.url == reverse("consultations:plan", args=[topic.pk])
    assert Delivery.objects.filter(channel=Channel.SMS, recipient="13930000001", reason__startswith="topic.plan:")
    # The township's station above it is not told while the village has its own convener; another
    # township's convener never is.
    assert not Notification.objects.filter(user__in=[conveners["a"], conveners["b1"]]).exists()
    assert not Delivery.objects.filter(recipient__in=["13930000002", "13930000003"]).exists()


def test_a_planned_topic_is_not_reminded_and_a_cancelled_one_is_again_from_the_cancellation(
    district, conveners, django_capture_on_commit_callbacks
):
    topic = approved(district["a1"], "村口路灯维修")
    consultation = plan(topic)
    assert run(django_capture_on_commit_callbacks, topic.approved_at + 20 * DAY) == 0
    consultation = services.consultation_cancel(
        actor=consultation.convener, consultation=consultation, reason="改期另议"
    )
    cancelled = consultation.cancelled_at
    assert run(django_capture_on_commit_callbacks, cancelled + 13 * DAY) == 0
    assert run(django_capture_on_commit_callbacks, cancelled + 14 * DAY) == 1
    assert run(django_capture_on_commit_callbacks, cancelled + 14 * DAY) == 0
    due = (timezone.localtime(cancelled) + 14 * DAY).date().isoformat()
    assert list(OnceStep.objects.values_list("key", flat=True)) == [f"topic.plan:{topic.pk}:{due}"]
    assert len(titles(conveners["a1"], "【安排协商提醒】")) == 1


def test_a_village_without_a_convener_reminds_its_townships_station(
    district, conveners, django_capture_on_commit_callbacks
):
    topic = approved(district["a2"], "甲二村河道清淤")
    assert conveners_of(topic) == [conveners["a"]]
    assert run(django_capture_on_commit_callbacks, topic.approved_at + 14 * DAY) == 1
    assert titles(conveners["a"], "【安排协商提醒】") == [
        "【安排协商提醒】议题“甲二村河道清淤”审定已超过14天，尚未安排协商"
    ]
    assert not Notification.objects.filter(user__in=[conveners["a1"], conveners["b1"]]).exists()


def test_another_townships_topic_reaches_only_its_own_convener(district, conveners, django_capture_on_commit_callbacks):
    topic = approved(district["b1"], "乙一村垃圾清运")
    assert run(django_capture_on_commit_callbacks, topic.approved_at + 14 * DAY) == 1
    assert len(titles(conveners["b1"], "【安排协商提醒】")) == 1
    assert not Notification.objects.filter(user__in=[conveners["a1"], conveners["a"]]).exists()


# --- dissents not explained -----------------------------------------------------------------------


def held_with_dissents(district, convener, title, n=2):
    consultation = in_session(district, convener=convener, title=title)
    for i in range(n):
        services.dissent_add(actor=convener, consultation=consultation, holder=f"村民{i}", view="停放点离家太远")
    return services.session_close(actor=convener, consultation=consultation)


def test_the_convener_is_reminded_once_of_dissents_still_to_explain(
    district, conveners, django_capture_on_commit_callbacks
):
    convener = conveners["a1"]
    consultation = held_with_dissents(district, convener, "集镇电动车乱停放")
    held = consultation.held_at
    # Due by the seventh day after the session; reminded the day after, once.
    assert consultation.dissents.first().explain_due_on == timezone.localdate(held) + 7 * DAY
    assert run(django_capture_on_commit_callbacks, held + 7 * DAY) == 0
    assert run(django_capture_on_commit_callbacks, held + 8 * DAY) == 1
    assert run(django_capture_on_commit_callbacks, held + 9 * DAY) == 0
    assert titles(convener, "【解释说明提醒】") == ["【解释说明提醒】“集镇电动车乱停放”有2条不同意见尚未解释说明"]
    message = Notification.objects.get(user=convener, title__startswith="【解释说明提醒】")
    assert message.url == reverse("consultations:resolution", args=[consultation.pk]) + "#dissents"
    assert Delivery.objects.filter(channel=Channel.SMS, recipient="13930000001", reason__startswith="dissent.explain:")
    assert not Notification.objects.filter(user__in=[conveners["a"], conveners["b1"]]).exists()


def test_explained_dissents_remind_nobody(district, conveners, django_capture_on_commit_callbacks):
    convener = conveners["a1"]
    consultation = held_with_dissents(district, convener, "集镇电动车乱停放", n=1)
    for dissent in consultation.dissents.all():
        services.dissent_explain(
            actor=convener,
            dissent=dissent,
            method="入户",
            explanation="说明了选址理由",
            outcome=ExplanationOutcome.ACCEPTED,
        )
    assert run(django_capture_on_commit_callbacks, consultation.held_at + 10 * DAY) == 0
    assert not OnceStep.objects.exists()
