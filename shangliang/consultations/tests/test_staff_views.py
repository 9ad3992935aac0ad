"""Staff pages of a consultation: each step through HTTP, refusals outside scope, bad input."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations import services
from shangliang.consultations.models import Consultation, Participant, SessionFormat
from shangliang.consultations.states import ConsultationStatus, Mode
from shangliang.consultations.tests.builders import (
    in_session,
    notified,
    planned,
    researched,
    starting_soon,
    with_people,
)
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_platform, make_user
from shangliang.topics.tests.builders import approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(district):
    return {
        "station": grant(make_user("station"), Role.STATION_HEAD, region=district["a"]),
        "convener": grant(make_user("convener"), Role.CONVENER, region=district["a1"]),
        "convener2": grant(make_user("convener2"), Role.CONVENER, region=district["a2"]),
        "outsider": grant(make_user("outsider"), Role.CONVENER, region=district["b1"]),
    }


def login(client, user):
    client.force_login(user)
    return client


def test_convener_plans_a_consultation_of_an_approved_village_topic(client, district, staff):
    topic = approved(district["a1"])
    platform = make_platform(district["a1"])
    client = login(client, staff["convener"])
    url = reverse("consultations:plan", args=[topic.pk])
    start = timezone.localtime() + datetime.timedelta(days=7)
    data = {
        "platform": platform.pk,
        "session_format": SessionFormat.objects.get(name="百姓评政坝坝会").pk,
        "mode": Mode.HYBRID,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "村文化广场",
        "agenda": "通报情况 10\n群众发言 45分钟\n形成意见",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "结束时间应晚于开始时间" in response.content.decode()
    data["ends_at"] = (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, data)
    consultation = Consultation.objects.get()
    assert response["Location"] == reverse("consultations:detail", args=[consultation.pk])
    assert [(a.title, a.minutes) for a in consultation.agenda.all()] == [
        ("通报情况", 10),
        ("群众发言", 45),
        ("形成意见", 15),
    ]
    assert consultation.convener == staff["convener"]


def test_a_convener_cannot_run_a_topic_above_their_level(client, district, staff):
    township_topic = approved(district["a1"], "镇上的事", regions=[district["a1"], district["a2"]])
    assert (
        login(client, staff["convener"]).get(reverse("consultations:plan", args=[township_topic.pk])).status_code == 404
    )
    assert (
        login(client, staff["station"]).get(reverse("consultations:plan", args=[township_topic.pk])).status_code == 200
    )


def test_a_convener_from_another_village_gets_404_on_every_page(client, district, staff):
    consultation = in_session(district, convener=staff["convener"])
    client = login(client, staff["outsider"])
    pk = consultation.pk
    participant = consultation.participants.first()
    gets = ["detail", "participants", "notice", "session", "minutes", "resolution", "edit"]
    for name in gets:
        assert client.get(reverse(f"consultations:{name}", args=[pk])).status_code == 404, name
    posts = {
        "consultations:statement_add": [pk],
        "consultations:session_close": [pk],
        "consultations:staff_sign_in": [pk, participant.pk],
        "consultations:cancel": [pk],
        "consultations:participant_add": [pk],
        "consultations:research_add": [pk],
    }
    for name, args in posts.items():
        assert client.post(reverse(name, args=args), {"text": "x", "reason": "x"}).status_code == 404, name
    participant.refresh_from_db()
    consultation.refresh_from_db()
    assert participant.signed_in_at is None and consultation.status == ConsultationStatus.IN_SESSION
    assert not consultation.statements.exists()


def test_a_sibling_convener_can_neither_see_nor_run(client, district, staff):
    consultation = planned(district, convener=staff["convener"])
    assert (
        login(client, staff["convener2"]).get(reverse("consultations:detail", args=[consultation.pk])).status_code
        == 404
    )
    assert (
        login(client, staff["station"]).get(reverse("consultations:detail", args=[consultation.pk])).status_code == 200
    )


def test_participants_picked_from_candidates_and_added_by_hand(client, district, staff):
    consultation = planned(district, convener=staff["convener"])
    client = login(client, staff["convener"])
    page = client.get(reverse("consultations:participants", args=[consultation.pk]))
    keys = [c.key for c in page.context["candidates"]]
    assert any(k.startswith("submission:") for k in keys) is False  # the builder's submission is anonymous
    url = reverse("consultations:participant_add", args=[consultation.pk])
    response = client.post(url, {"category": "expert", "name": "赵工", "mobile": "123"})
    assert response.status_code == 400 and "11位手机号" in response.content.decode()
    client.post(url, {"category": "expert", "name": "赵工", "organisation": "区交通设计院", "mobile": "13911112222"})
    response = client.post(url, {"category": "expert", "name": "赵工", "mobile": "13911112222"})
    assert "已在参与名单中" in response.content.decode()
    assert consultation.participants.count() == 1


def test_notice_page_refuses_until_warnings_are_acknowledged(client, district, staff):
    consultation = planned(district, convener=staff["convener"])
    with_people(consultation, residents=1, others=3)
    client = login(client, staff["convener"])
    url = reverse("consultations:notice", args=[consultation.pk])
    response = client.post(url, {})
    assert response.status_code == 400 and "代表性检查有提醒" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.PLANNED
    response = client.post(url, {"acknowledge_warnings": "on"})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.NOTIFIED


def test_session_cannot_open_without_research_through_the_page(client, district, staff):
    consultation = starting_soon(notified(district, convener=staff["convener"]))
    client = login(client, staff["convener"])
    response = client.post(reverse("consultations:session_open", args=[consultation.pk]), follow=True)
    assert "不调研不协商" in response.content.decode()
    researched(consultation)
    client.post(reverse("consultations:session_open", args=[consultation.pk]))
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.IN_SESSION


def test_session_sign_in_statements_minutes_and_resolution_through_the_pages(client, district, staff):
    consultation = in_session(district, convener=staff["convener"])
    participant = consultation.participants.first()
    client = login(client, staff["convener"])
    client.post(reverse("consultations:staff_sign_in", args=[consultation.pk, participant.pk]))
    participant.refresh_from_db()
    assert participant.signed_in_at and participant.signed_in_by_staff
    url = reverse("consultations:statement_add", args=[consultation.pk])
    assert client.post(url, {"participant": participant.pk, "text": "", "stance": "support"}).status_code == 400
    client.post(url, {"participant": participant.pk, "text": "占用晒场不合适", "stance": "oppose"})
    client.post(reverse("consultations:session_close", args=[consultation.pk]))
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.HELD and "占用晒场不合适" in consultation.minutes
    minutes_url = reverse("consultations:minutes", args=[consultation.pk])
    client.post(minutes_url, {"action": "save", "text": consultation.minutes + "\n补充：会后实地查看。"})
    client.post(minutes_url, {"action": "confirm"})
    consultation.refresh_from_db()
    assert consultation.minutes_confirmed_at and "会后实地查看" in consultation.minutes
    resolution_url = reverse("consultations:resolution", args=[consultation.pk])
    response = client.post(resolution_url, {"action": "agree"}, follow=True)
    assert "至少包含一条建议" in response.content.decode()
    client.post(resolution_url, {"action": "suggestion", "text": "在东侧空地划定停车区"})
    # The opposing statement is on the dissent list already, carried from the session: nobody retypes it.
    dissent = consultation.dissents.get()
    assert (dissent.holder, dissent.view) == (participant.name, "占用晒场不合适")
    client.post(
        reverse("consultations:dissent_explain", args=[consultation.pk, dissent.pk]),
        {"method": "入户", "explanation": "晒场另选址", "outcome": "accepted"},
    )
    dissent.refresh_from_db()
    assert dissent.outcome == "accepted" and dissent.explained_by == staff["convener"]
    # A contested item goes to the assembly; the vote's counts must fit the attendance.
    item = consultation.suggestions.get()
    client.post(reverse("consultations:suggestion_contest", args=[consultation.pk, item.pk]), {"reason": "意见分歧大"})
    vote_url = reverse("consultations:vote_add", args=[consultation.pk])
    bad = {"suggestion": item.pk, "body": "representatives", "held_on": "2026-05-01", "attendees": 5}
    response = client.post(vote_url, {**bad, "votes_for": 5, "votes_against": 1, "abstentions": 0, "result": "adopted"})
    assert response.status_code == 400 and "不能超过到会人数" in response.content.decode()
    client.post(resolution_url, {"action": "agree"})
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.CONCLUDED


def test_only_the_convener_confirms_even_if_the_station_head_may_run_it(client, district, staff):
    consultation = services.session_close(actor=None, consultation=in_session(district, convener=staff["convener"]))
    client = login(client, staff["station"])
    response = client.post(reverse("consultations:minutes", args=[consultation.pk]), {"action": "confirm"}, follow=True)
    assert "纪要由召集人确认" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.minutes_confirmed_at is None


def test_cancel_needs_a_reason(client, district, staff):
    consultation = planned(district, convener=staff["convener"])
    client = login(client, staff["convener"])
    client.post(reverse("consultations:cancel", args=[consultation.pk]), {"reason": ""})
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.PLANNED
    client.post(reverse("consultations:cancel", args=[consultation.pk]), {"reason": "汛期，改期"})
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.CANCELLED and consultation.cancel_reason == "汛期，改期"


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["list", "participants", "notice", "session"])
def test_pages_use_the_same_number_of_queries_for_few_and_many_participants(client, district, staff, name):
    consultation = in_session(district, convener=staff["station"])
    client = login(client, staff["station"])
    url = reverse(f"consultations:{name}", args=[] if name == "list" else [consultation.pk])
    few = _count(client, url)
    for i in range(20):
        Participant.objects.create(
            consultation=consultation, category="resident", name=f"加{i}", mobile=f"1370000{i:04d}"
        )
        if i < 5:
            planned(district, convener=staff["station"], title=f"事项{i}")
    assert _count(client, url) == few
