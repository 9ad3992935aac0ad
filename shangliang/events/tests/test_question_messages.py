"""Residents' questions reach the staff who run the event's platform, and the answer reaches the account that
asked: in the inbox (a text where a number is known), each once, with a link to a page the recipient may open."""

import pytest
from django.urls import reverse

from shangliang.core.models import Channel, Delivery, Notification
from shangliang.events import services
from shangliang.events.models import EventQuestion
from shangliang.events.tests.builders import convener, planned_event, platform_of, station_head
from shangliang.orgs import services as org_services
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(district):
    return {
        "convener_a1": convener(district["a1"], "甲一村召集人"),
        "convener_a2": convener(district["a2"], "甲二村召集人"),
        "convener_b1": convener(district["b1"], "乙一村召集人"),
        "head_a": station_head(district["a"], "甲镇站长"),
        "head_b": station_head(district["b"], "乙镇站长"),
    }


@pytest.fixture
def event(district, staff):
    return planned_event(platform_of(district["a1"]), staff["head_a"], title="医保政策解读")


def inbox_of(user):
    return list(Notification.objects.filter(user=user))


def test_a_question_asked_on_the_public_page_tells_the_platforms_convener_and_not_another_villages(
    client, staff, event
):
    response = client.post(reverse("events:ask", args=[event.pk]), {"text": "农村医保缴费标准是多少？"})
    assert response.status_code == 302
    question = EventQuestion.objects.get()

    [message] = inbox_of(staff["convener_a1"])
    assert "医保政策解读" in message.title and "农村医保缴费标准" in message.body
    assert message.url == reverse("events:detail", args=[event.pk]) + f"#question-{question.pk}"
    for other in ("convener_a2", "convener_b1", "head_b"):
        assert inbox_of(staff[other]) == [], other
    # The nearest level only: the township's station head sees it on the home page, not as a message.
    assert inbox_of(staff["head_a"]) == []
    assert Delivery.objects.filter(reason=f"event_question.asked:{question.pk}", channel=Channel.APP).count() == 1

    # The link opens for the convener; the other village's convener gets 404.
    client.force_login(staff["convener_a1"])
    page = client.get(message.url)
    assert page.status_code == 200 and f'id="question-{question.pk}"' in page.content.decode()
    assert "待答复的群众提问" in client.get(reverse("portal:home")).content.decode()
    client.force_login(staff["convener_a2"])
    assert client.get(message.url).status_code == 404


def test_without_a_village_convener_the_townships_station_head_is_told_with_the_platforms_own_staff(district, staff):
    room = platform_of(district["a2"], name="甲二村党群之家议事室")
    org_services.role_revoke(actor=None, scoped_role=staff["convener_a2"].scoped_roles.get())
    at_room = grant(make_user(full_name="议事室管理员"), Role.CONVENER, platform=room)
    event = planned_event(room, staff["head_a"])

    question = services.question_ask(event=event, text="何时开始？")

    told = set(
        Delivery.objects.filter(reason=f"event_question.asked:{question.pk}").values_list("recipient", flat=True)
    )
    assert told == {str(staff["head_a"].pk), str(at_room.pk)}


def test_the_answer_tells_the_account_that_asked_once_and_links_to_the_public_page(client, staff, event):
    resident = make_user(full_name="老王", verified=True)
    client.force_login(resident)
    client.post(reverse("events:ask", args=[event.pk]), {"text": "报销比例是多少？"})
    question = EventQuestion.objects.get()
    assert question.user == resident
    anonymous = services.question_ask(event=event, text="不登录也能问吗？")

    client.force_login(staff["convener_a1"])
    answer = reverse("events:question_answer", args=[event.pk, question.pk])
    assert client.post(answer, {"answer": "住院报销70%。", "answered_by": "区医保局"}).status_code == 302
    client.post(reverse("events:question_answer", args=[event.pk, anonymous.pk]), {"answer": "可以。"})

    [message] = inbox_of(resident)
    assert "医保政策解读" in message.title and message.body == "住院报销70%。"
    assert message.url == reverse("events:public_detail", args=[event.pk]) + "#questions"
    reason = f"event_question.answered:{question.pk}"
    assert set(Delivery.objects.filter(reason=reason).values_list("channel", flat=True)) == {Channel.APP, Channel.SMS}
    # A corrected answer is not sent a second time; the asker reads it on the public page.
    client.post(answer, {"answer": "住院报销75%。", "answered_by": "区医保局"})
    assert len(inbox_of(resident)) == 1
    client.force_login(resident)
    assert "住院报销75%。" in client.get(message.url).content.decode()
    assert not Delivery.objects.filter(reason=f"event_question.answered:{anonymous.pk}").exists()


def test_a_question_let_through_without_an_answer_tells_nobody_until_it_is_answered(staff, event):
    resident = make_user(full_name="老李")
    question = services.question_ask(event=event, text="能带孩子来吗？", user=resident)
    services.question_answer(question, actor=staff["convener_a1"])
    assert inbox_of(resident) == []
    services.question_answer(question, actor=staff["convener_a1"], answer="可以。")
    assert len(inbox_of(resident)) == 1
