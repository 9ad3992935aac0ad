"""The public pages over HTTP: the list and an event's page show no attendee's name or number, questions
show only once answered, and the QR's sign-in page works in the event's window only, once per number."""

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.events import services
from shangliang.events.models import Event, EventQuestion, EventSignIn
from shangliang.events.states import QuestionStatus, SignInVia
from shangliang.events.tests.builders import all_day_today, at, held_event, planned_event, platform_of, station_head
from shangliang.orgs.tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(district):
    return station_head(district["a"])


@pytest.fixture
def room(district):
    return platform_of(district["a1"])


@pytest.fixture
def now_open(room, head):
    """An event on today all day: its sign-in is open."""
    return planned_event(room, head, **all_day_today())


def sign_in_url(event):
    return reverse("events:sign_in", args=[event.sign_in_token])


def test_the_public_list_shows_upcoming_and_held_events_without_attendee_names(client, room, head):
    member = make_member("刘晓梅")
    held = held_event(room, head, signs=2, headcount=5, speaker_member=member, title="医保政策解读会")
    services.question_record(actor=head, event=held, text="报销比例？", answer="70%", answered_by="医保局")
    services.question_ask(event=held, text="尚未答复的问题")
    upcoming = planned_event(room, head, starts_at=at(6, 19), title="反诈骗讲座", kind="lecture")
    response = client.get(reverse("events:public_list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "医保政策解读会" in page and "反诈骗讲座" in page
    assert "刘晓梅委员" in page and "参加 7 人次 · 问答 1 条" in page
    assert "居民0" not in page and "13900000000" not in page and "1390****" not in page
    assert page.index("反诈骗讲座") < page.index("医保政策解读会")  # upcoming first
    detail = client.get(reverse("events:public_detail", args=[held.pk])).content.decode()
    assert "报销比例？" in detail and "70%" in detail and "尚未答复的问题" not in detail
    assert "居民0" not in detail and "139" not in detail
    assert client.get(reverse("events:public_detail", args=[upcoming.pk])).status_code == 200


def test_the_public_list_filters_by_kind_and_hides_archived_events(client, room, head):
    held_event(room, head, kind="legal", title="法治讲堂")
    training = held_event(room, head, kind="training", title="干部培训班")
    page = client.get(reverse("events:public_list"), {"kind": "legal"}).content.decode()
    assert "法治讲堂" in page and "干部培训班" not in page
    assert "干部培训班" in client.get(reverse("events:public_list"), {"kind": "bogus"}).content.decode()
    Event.objects.filter(pk=training.pk).update(is_archived=True, archived_at=timezone.now())
    assert "干部培训班" not in client.get(reverse("events:public_list")).content.decode()
    assert client.get(reverse("events:public_detail", args=[training.pk])).status_code == 404


def test_a_cancelled_event_says_so_and_takes_no_questions(client, room, head):
    event = planned_event(room, head, title="义诊")
    services.event_cancel(event, actor=head, reason="医生临时出诊")
    page = client.get(reverse("events:public_detail", args=[event.pk])).content.decode()
    assert "本次活动已取消" in page and "医生临时出诊" in page and 'id="ask-form"' not in page
    response = client.post(reverse("events:ask", args=[event.pk]), {"text": "还办吗？"})
    assert response.status_code == 400 and not EventQuestion.objects.exists()


def test_a_resident_asks_and_the_question_waits_for_the_staff(client, room, head):
    event = planned_event(room, head)
    response = client.post(reverse("events:ask", args=[event.pk]), {"text": "农村医保缴费标准？", "asker_name": "老王"})
    assert response.status_code == 302
    question = EventQuestion.objects.get()
    assert question.status == QuestionStatus.PENDING and question.asker_name == "老王"
    page = client.get(reverse("events:public_detail", args=[event.pk])).content.decode()
    assert "农村医保缴费标准？" not in page
    services.question_answer(question, actor=head, answer="每人每年380元。")
    page = client.get(reverse("events:public_detail", args=[event.pk])).content.decode()
    assert "农村医保缴费标准？" in page and "每人每年380元" in page and "老王" not in page
    assert client.post(reverse("events:ask", args=[event.pk]), {"text": ""}).status_code == 400
    assert client.get(f"/events/public/{'9' * 30}/").status_code == 404


def test_asking_is_rate_limited(client, room, head, settings):
    settings.SHANGLIANG_DEVICE_RATE_LIMITS = {**settings.SHANGLIANG_DEVICE_RATE_LIMITS, "post": "2/10m"}
    settings.SHANGLIANG_RATE_LIMITS = {**settings.SHANGLIANG_RATE_LIMITS, "post": "2/10m"}
    event = planned_event(room, head)
    url = reverse("events:ask", args=[event.pk])
    codes = [client.post(url, {"text": f"问题{n}"}).status_code for n in range(3)]
    assert codes == [302, 302, 429] and EventQuestion.objects.count() == 2


def test_sign_in_by_name_and_mobile_once_per_number(client, now_open):
    url = sign_in_url(now_open)
    page = client.get(url).content.decode()
    assert 'id="sign-in-form"' in page and now_open.title in page
    response = client.post(url, {"name": "张三", "mobile": "13900000001"})
    assert response.status_code == 200 and "签到成功" in response.content.decode()
    again = client.post(url, {"name": "张三", "mobile": "139-0000-0001"})
    assert "您已签到" in again.content.decode()
    assert EventSignIn.objects.filter(event=now_open).count() == 1
    bad = client.post(url, {"name": "李四", "mobile": "12345"})
    assert bad.status_code == 400 and "11位手机号码" in bad.content.decode()


def test_a_logged_in_resident_signs_in_with_one_tap(client, now_open):
    resident = make_user(full_name="赵六", verified=True)
    client.force_login(resident)
    page = client.get(sign_in_url(now_open)).content.decode()
    assert 'id="one-tap"' in page and "赵六" in page
    response = client.post(sign_in_url(now_open), {})
    assert "签到成功" in response.content.decode()
    sign_in = EventSignIn.objects.get()
    assert sign_in.user == resident and sign_in.via == SignInVia.ACCOUNT and sign_in.mobile == resident.verified_mobile
    assert "您已签到" in client.get(sign_in_url(now_open)).content.decode()


def test_sign_in_is_refused_outside_the_window_and_for_an_unknown_token(client, room, head):
    later = planned_event(room, head, starts_at=at(2, 9))
    page = client.post(sign_in_url(later), {"name": "张三", "mobile": "13900000001"}).content.decode()
    assert "签到尚未开始" in page and not EventSignIn.objects.exists()
    past = held_event(room, head, starts_at=at(-3, 9))
    assert "签到已关闭" in client.get(sign_in_url(past)).content.decode()
    assert client.get(reverse("events:sign_in", args=["x" * 22])).status_code == 404


def test_sign_in_is_rate_limited(client, now_open, settings):
    settings.SHANGLIANG_DEVICE_RATE_LIMITS = {**settings.SHANGLIANG_DEVICE_RATE_LIMITS, "signin": "3/10m"}
    settings.SHANGLIANG_RATE_LIMITS = {**settings.SHANGLIANG_RATE_LIMITS, "signin": "3/10m"}
    codes = [
        client.post(sign_in_url(now_open), {"name": f"人{n}", "mobile": f"1390000000{n}"}).status_code for n in range(4)
    ]
    assert codes[-1] == 429 and EventSignIn.objects.count() == 3


def test_public_list_queries_do_not_grow_with_rows(client, room, head, django_assert_max_num_queries):
    held_event(room, head, signs=1)
    planned_event(room, head)
    with django_assert_max_num_queries(10):
        client.get(reverse("events:public_list"))
    for n in range(6):
        held_event(room, head, signs=2, title=f"第{n}场")
        planned_event(room, head, title=f"计划{n}")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("events:public_list"))
    assert response.content.decode().count("event-card") >= 14
