"""Briefings, lectures and training on the organiser's home page: this week's planned events, events over but
not yet recorded, and residents' questions to answer; nothing for another township, nothing for a resident."""

import pytest
from django.urls import reverse

from shangliang.events import services
from shangliang.events.tests.builders import at, planned_event, platform_of, station_head
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.portal.waiting import waiting_for

pytestmark = pytest.mark.django_db

THIS_WEEK, TO_RECORD, QUESTIONS = "本周的宣讲培训活动", "待记录举办情况的宣讲培训活动", "待答复的群众提问"


def titles(user) -> dict:
    return {item.title: item for item in waiting_for(user)}


def test_the_organiser_sees_what_to_prepare_record_and_answer(client, district):
    head = station_head(district["a"])
    room = platform_of(district["a1"])
    soon = planned_event(room, head, starts_at=at(2, 19), title="防诈骗讲座")
    planned_event(room, head, starts_at=at(12, 9), title="下个月的活动")  # not this week
    over = planned_event(room, head, starts_at=at(-2, 9), title="上周的培训")
    services.question_ask(event=soon, text="可以带孩子来吗？")
    items = titles(head)
    assert items[THIS_WEEK].count == 1 and items[THIS_WEEK].url == reverse("events:detail", args=[soon.pk])
    assert "防诈骗讲座" in items[THIS_WEEK].entries[0].label
    assert items[TO_RECORD].count == 1 and items[TO_RECORD].url == reverse("events:detail", args=[over.pk])
    assert items[QUESTIONS].count == 1 and items[QUESTIONS].url.endswith("#questions")
    client.force_login(head)
    page = client.get(reverse("portal:home")).content.decode()
    assert THIS_WEEK in page and TO_RECORD in page and QUESTIONS in page
    # The step's page shows the organiser the form the item asks for.
    detail = client.get(items[TO_RECORD].url).content.decode()
    assert 'id="hold-form"' in detail and 'id="cancel-form"' in detail


def test_nothing_for_another_township_or_a_resident(district):
    head = station_head(district["a"])
    planned_event(platform_of(district["a1"]), head, starts_at=at(1, 19))
    other = station_head(district["b"], name="乙镇站长")
    resident = grant(make_user(), Role.RESIDENT, region=district["a1"])
    for user in (other, resident):
        assert not set(titles(user)) & {THIS_WEEK, TO_RECORD, QUESTIONS}
