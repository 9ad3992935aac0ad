"""The rules of an event: its time and speakers, holding and cancelling, sign-in window, one sign-in
per number, questions waiting for the staff, and a history row for every step."""

import datetime

import pytest
from django.utils import timezone

from shangliang.core.errors import DomainError, TransitionNotAllowed
from shangliang.events import selectors, services
from shangliang.events.models import Event, EventSignIn
from shangliang.events.states import EventStatus, QuestionStatus, SignInVia
from shangliang.events.tests.builders import at, held_event, planned_event, platform_of, station_head

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(district):
    return station_head(district["a"])


@pytest.fixture
def room(district):
    return platform_of(district["a1"])


def test_an_event_needs_a_speaker_and_an_end_after_its_start_on_the_same_day(head, room):
    with pytest.raises(DomainError) as error:
        planned_event(room, head, speaker_name="")
    assert error.value.field == "speaker_name"
    with pytest.raises(DomainError) as error:
        services.event_create(
            actor=head,
            platform=room,
            kind="lecture",
            title="防诈骗讲座",
            starts_at=at(2, 10),
            ends_at=at(2, 9),
            speaker_name="派出所民警",
        )
    assert error.value.field == "ends_at"
    with pytest.raises(DomainError):
        services.event_create(
            actor=head,
            platform=room,
            kind="training",
            title="两天培训",
            starts_at=at(2, 9),
            ends_at=at(3, 17),
            speaker_name="区委党校",
        )
    assert not Event.objects.exists()


def test_held_only_after_it_started_and_cancelled_with_a_reason_each_with_a_history_row(head, room):
    event = planned_event(room, head, starts_at=at(1, 9))
    with pytest.raises(DomainError, match="还没有开始"):
        services.event_hold(event, actor=head)
    with pytest.raises(DomainError):
        services.event_cancel(event, actor=head, reason="  ")
    services.event_cancel(event, actor=head, reason="主讲人临时有公务，改期另行通知")
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED and event.cancelled_at is not None
    with pytest.raises(TransitionNotAllowed):
        services.event_hold(event, actor=head, now=at(1, 12))
    with pytest.raises(DomainError, match="已取消"):
        services.event_edit(event, actor=head, title="新的主题")
    reasons = list(event.history.order_by("history_id").values_list("history_change_reason", "history_note"))
    assert reasons == [("event.created", ""), ("event.cancelled", "主讲人临时有公务，改期另行通知")]


def test_official_rows_are_never_deleted(head, room):
    event = planned_event(room, head)
    with pytest.raises(PermissionError):
        event.delete()


def test_sign_in_opens_an_hour_before_the_start_and_closes_at_the_end_of_the_day(head, room):
    event = planned_event(room, head, starts_at=at(1, 14))
    assert "尚未开始" in services.sign_in_refusal(event, now=at(1, 12))
    assert services.sign_in_refusal(event, now=at(1, 13) + datetime.timedelta(minutes=1)) == ""
    assert services.sign_in_refusal(event, now=at(1, 23) + datetime.timedelta(minutes=59)) == ""
    assert "已经结束" in services.sign_in_refusal(event, now=at(2, 0))
    with pytest.raises(DomainError):
        services.sign_in_self(event=event, name="张三", mobile="13900000001", now=at(1, 12))
    assert not event.sign_ins.exists()


def test_one_sign_in_per_mobile_and_a_withdrawn_one_frees_the_number(head, room):
    event = planned_event(room, head, starts_at=at(0, 0))
    moment = at(0, 0) + datetime.timedelta(minutes=5)
    first, created = services.sign_in_self(event=event, name="张三", mobile="139 0000 0001", now=moment)
    assert created and first.mobile == "13900000001" and first.via == SignInVia.FORM
    again, created = services.sign_in_self(event=event, name="张三丰", mobile="13900000001", now=moment)
    assert again.pk == first.pk and not created
    with pytest.raises(DomainError) as error:
        services.sign_in_add(actor=head, event=event, name="张三", mobile="13900000001", now=moment)
    assert error.value.field == "mobile"
    services.sign_in_withdraw(first, actor=head, reason="测试时误签")
    services.sign_in_add(actor=head, event=event, name="张三", mobile="13900000001", now=moment)
    rows = EventSignIn.objects.filter(event=event)
    assert rows.count() == 2 and rows.filter(withdrawn_at__isnull=True).get().via == SignInVia.STAFF
    assert selectors.attendance_of(event) == 1


def test_staff_add_people_without_a_phone_and_no_one_signs_in_to_a_cancelled_event(head, room):
    event = planned_event(room, head, starts_at=at(0, 0))
    services.sign_in_add(actor=head, event=event, name="李大爷", now=at(0, 0))
    services.sign_in_add(actor=head, event=event, name="王大娘", now=at(0, 0))
    assert event.sign_ins.filter(mobile="").count() == 2
    other = planned_event(room, head, starts_at=at(2, 9))
    services.event_cancel(other, actor=head, reason="天气原因")
    with pytest.raises(DomainError, match="已取消"):
        services.sign_in_self(event=other, name="张三", mobile="13900000001", now=at(2, 9))
    with pytest.raises(DomainError, match="已取消"):
        services.sign_in_add(actor=head, event=other, name="张三", now=at(2, 9))


def test_attendance_is_the_sign_ins_plus_the_headcount(head, room):
    event = held_event(room, head, signs=3, headcount=12)
    assert selectors.attendance_of(event) == 15
    row = selectors.with_attendance(Event.objects.filter(pk=event.pk)).get()
    assert (row.signed, row.attendance) == (3, 15)
    services.event_record(event, actor=head, headcount=20, record="群众反响热烈")
    assert selectors.attendance_of(Event.objects.get(pk=event.pk)) == 23


def test_a_public_question_waits_for_the_staff_and_a_hidden_one_never_shows(head, room):
    event = planned_event(room, head)
    asked = services.question_ask(event=event, text="异地就医怎么备案？", asker_name="老张")
    rude = services.question_ask(event=event, text="某某的电话是多少")
    assert list(selectors.public_questions(event)) == []
    services.question_answer(asked, actor=head, answer="在国家医保服务平台APP上备案。", answered_by="区医保局")
    services.question_hide(rude, actor=head, reason="涉及他人个人信息")
    assert [q.pk for q in selectors.public_questions(event)] == [asked.pk]
    asked.refresh_from_db()
    assert asked.status == QuestionStatus.PUBLISHED and asked.published_at is not None
    with pytest.raises(DomainError):
        services.question_answer(rude, actor=head, answer="…")
    recorded = services.question_record(
        actor=head, event=event, text="门诊报销比例？", answer="一级医院70%。", answered_by="区医保局"
    )
    assert recorded.status == QuestionStatus.PUBLISHED
    assert list(asked.history.values_list("history_change_reason", flat=True).order_by("history_id")) == [
        "event.question_asked",
        "event.question_answered",
    ]


def test_the_member_who_spoke_counts_once_per_held_event_of_the_year(head, room):
    from shangliang.orgs.tests.factories import make_member

    member = make_member("刘委员")
    spoke = held_event(room, head, speaker_member=member)
    planned_event(room, head, speaker_member=member)  # not held yet
    cancelled = planned_event(room, head, speaker_member=member, starts_at=at(4))
    services.event_cancel(cancelled, actor=head, reason="改期")
    year = timezone.localdate(spoke.starts_at).year
    assert list(selectors.events_spoken_by(member, year)) == [spoke]
    assert list(selectors.events_spoken_by(member, year - 1)) == []
