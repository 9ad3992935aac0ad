"""Contested matters go to the assembly.

003: 存在较大争议的问题或事项，应当提交村（居）民会议或者村（居）民代表会议决定.

A contested item cannot be assigned until the assembly's vote is recorded; the vote's quorum is
checked against the village's registered electorate (村民会议: more than half) or representatives
(代表会议: two thirds), an item passes with more than half of those present, and the vote decides the
item: adopted, changed (the new text, the original kept and shown) or dropped (never assigned).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations import dissents, services
from shangliang.consultations.models import AssemblyVote
from shangliang.consultations.states import AssemblyBody, VoteResult
from shangliang.consultations.tests.builders import in_session
from shangliang.core.errors import DomainError
from shangliang.orgs import services as org_services
from shangliang.orgs.states import RegionLevel, Role
from shangliang.orgs.tests.factories import grant, make_region, make_user
from shangliang.outcomes import services as outcome_services
from shangliang.outcomes.tests.builders import make_unit
from shangliang.topics.models import Topic
from shangliang.topics.states import ConveningLevel

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


@pytest.fixture
def people(district):
    return {
        "convener": grant(make_user("convener", full_name="李召集"), Role.CONVENER, region=district["a1"]),
        "station": grant(make_user("station"), Role.STATION_HEAD, region=district["a"]),
        "approver": grant(make_user("approver"), Role.APPROVER, region=district["a"]),
        "supervisor": grant(make_user("supervisor"), Role.SUPERVISOR, region=district["a"]),
        "admin": grant(make_user("admin"), Role.ADMINISTRATOR, region=district["district"]),
        "neighbour": grant(make_user("neighbour"), Role.CONVENER, region=district["a2"]),
        "outsider": grant(make_user("outsider"), Role.STATION_HEAD, region=district["b"]),
        "unit": make_unit(district["district"], "区住建局"),
    }


def register(village, *, electorate=None, representatives=None):
    org_services.region_update(
        actor=None,
        region=village,
        name=village.name,
        code=None,
        electorate=electorate,
        representatives=representatives,
    )
    village.refresh_from_db()


def concluded_with(district, convener, texts=("在东侧空地划定停放区", "安排赶集日值守")):
    consultation = in_session(district, convener=convener)
    consultation = services.session_close(actor=convener, consultation=consultation)
    services.minutes_confirm(actor=convener, consultation=consultation)
    for text in texts:
        services.suggestion_add(actor=convener, consultation=consultation, text=text)
    return services.resolution_agree(actor=convener, consultation=consultation)


def vote(consultation, item, *, actor=None, body=AssemblyBody.REPRESENTATIVES, attendees=20, votes_for=15, **extra):
    fields = {"votes_against": attendees - votes_for, "abstentions": 0, "result": VoteResult.ADOPTED} | extra
    return services.assembly_vote_add(
        actor=actor or consultation.convener,
        consultation=consultation,
        suggestion=item,
        body=body,
        held_on=TODAY(),
        attendees=attendees,
        votes_for=votes_for,
        **fields,
    )


def vote_post(item, **changes):
    data = {
        "suggestion": item.pk,
        "body": "representatives",
        "held_on": TODAY().isoformat(),
        "attendees": 20,
        "votes_for": 15,
        "votes_against": 5,
        "abstentions": 0,
        "result": "adopted",
    }
    return data | changes


def assign_data(people):
    return {
        "lead_unit": people["unit"].pk,
        "responsible_person": "王科长",
        "deadline": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        "supervisor": people["supervisor"].pk,
    }


def assign(item, people):
    return outcome_services.assignments_create(
        actor=people["approver"],
        suggestions=[item],
        lead_unit=people["unit"],
        deadline=timezone.localdate() + datetime.timedelta(days=20),
        responsible_person="王科长",
        supervisor=people["supervisor"],
    )


def login(client, user):
    client.force_login(user)
    return client


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def contested(district, people):
    """A concluded village consultation whose first item the convener marked contested; the village
    has 30 representatives and 200 voters on the register."""
    register(district["a1"], electorate=200, representatives=30)
    consultation = concluded_with(district, people["convener"])
    item = consultation.suggestions.first()
    services.suggestion_contest(actor=people["convener"], suggestion=item, reason="占用晒场意见分歧大")
    item.refresh_from_db()
    return consultation, item


# --- a contested item waits for the vote --------------------------------------------------------------


def test_the_convener_marks_an_item_contested_on_the_resolution_page(client, district, people):
    consultation = concluded_with(district, people["convener"])
    item = consultation.suggestions.first()
    url = reverse("consultations:resolution", args=[consultation.pk])
    contest_url = reverse("consultations:suggestion_contest", args=[consultation.pk, item.pk])
    assert contest_url in page(login(client, people["convener"]), url)
    response = client.post(contest_url, {"reason": ""})
    html = response.content.decode()
    # Back on the page, the item's form open with the error next to the field.
    assert response.status_code == 400 and f'id="sg{item.pk}-contest-reason"' in html
    assert 'class="field-error"' in html and '<details class="correction" open>' in html
    assert client.post(contest_url, {"reason": "占用晒场意见分歧大"}).status_code == 302
    item.refresh_from_db()
    assert item.awaits_vote and item.contest_reason == "占用晒场意见分歧大"
    assert item.history.first().history_change_reason == "suggestion.contested"
    assert "存在较大争议，待村（居）民会议或代表会议表决" in page(client, url)


def test_a_contested_item_cannot_be_assigned_without_a_vote(client, contested, people):
    consultation, item = contested
    with pytest.raises(DomainError, match="表决后才能交办"):
        assign(item, people)
    url = reverse("outcomes:assign", args=[consultation.pk, item.pk])
    html = page(login(client, people["approver"]), url)
    assert 'id="assign-refusal"' in html and "表决后才能交办" in html
    response = client.post(url, assign_data(people))
    assert response.status_code == 400 and "表决后才能交办" in response.content.decode()
    assert not item.assignments.exists()
    # The vote adopts it: now it may go.
    vote(consultation, item)
    assert client.post(url, assign_data(people)).status_code == 302
    assert item.assignments.count() == 1


def test_only_the_convener_contests_and_uncontesting_needs_a_reason_and_no_vote(district, people, contested):
    consultation, item = contested
    other = consultation.suggestions.last()
    with pytest.raises(DomainError, match="由召集人确定"):
        services.suggestion_contest(actor=people["station"], suggestion=other, reason="分歧")
    with pytest.raises(DomainError, match="取消争议标记的原因"):
        services.suggestion_uncontest(actor=people["convener"], suggestion=item, reason=" ")
    services.suggestion_uncontest(actor=people["convener"], suggestion=item, reason="经再次协商已达成一致")
    item.refresh_from_db()
    assert not item.is_contested and item.history.first().history_change_reason == "suggestion.uncontested"
    services.suggestion_contest(actor=people["convener"], suggestion=item, reason="又起争议")
    vote(consultation, item)
    with pytest.raises(DomainError, match="已经记录表决"):
        services.suggestion_uncontest(actor=people["convener"], suggestion=item, reason="不需要了")
    # An item already assigned is not contested any more.
    assign(other, people)
    with pytest.raises(DomainError, match="已交办"):
        services.suggestion_contest(actor=people["convener"], suggestion=other, reason="分歧")


# --- the quorum -------------------------------------------------------------------------------------


def test_a_villagers_meeting_needs_the_registered_electorate_and_more_than_half_of_it(client, district, people):
    register(district["a1"], representatives=30)
    consultation = concluded_with(district, people["convener"])
    item = consultation.suggestions.first()
    services.suggestion_contest(actor=people["convener"], suggestion=item, reason="分歧大")
    vote_url = reverse("consultations:vote_add", args=[consultation.pk])
    login(client, people["convener"])
    villagers = vote_post(item, body="villagers", attendees=100, votes_for=60, votes_against=40)
    response = client.post(vote_url, villagers)
    assert response.status_code == 400 and "请先由管理员登记本村选民数" in response.content.decode()
    # The administrator enters the village's register on the region's form; the tree shows it.
    login(client, people["admin"])
    edit = reverse("orgs:region_edit", args=[district["a1"].pk])
    assert 'name="electorate"' in page(client, edit)
    data = {"name": "甲一村", "code": "", "electorate": 200, "representatives": 30}
    assert client.post(edit, data).status_code == 302
    assert "选民200人" in page(client, reverse("orgs:region_tree"))
    login(client, people["convener"])
    response = client.post(vote_url, villagers)
    html = response.content.decode()
    assert response.status_code == 400 and "登记选民200人，到会100人，至少须101人" in html
    accepted = vote_post(item, body="villagers", attendees=101, votes_for=60, votes_against=41)
    assert client.post(vote_url, accepted).status_code == 302
    recorded = AssemblyVote.objects.get()
    assert (recorded.eligible, recorded.result, recorded.suggestion) == (200, VoteResult.ADOPTED, item)
    item.refresh_from_db()
    assert item.vote_result == VoteResult.ADOPTED and not item.awaits_vote
    assert item.history.first().history_change_reason == "suggestion.voted"


def test_a_representatives_meeting_needs_two_thirds_of_the_representatives(contested):
    consultation, item = contested  # 30 representatives: 20 must attend
    with pytest.raises(DomainError, match="登记代表30人，到会19人，至少须20人"):
        vote(consultation, item, attendees=19, votes_for=15)
    recorded = vote(consultation, item, attendees=20, votes_for=11)
    assert recorded.eligible == 30


def test_an_item_passes_only_with_more_than_half_of_those_present(contested):
    consultation, item = contested
    with pytest.raises(DomainError, match="到会20人，赞成10票，至少须11票"):
        vote(consultation, item, attendees=20, votes_for=10)
    with pytest.raises(DomainError, match="结论应为通过"):
        vote(consultation, item, attendees=20, votes_for=15, result=VoteResult.DROPPED)
    item.refresh_from_db()
    assert item.awaits_vote


def test_a_village_without_registered_representatives_is_refused(district, people):
    consultation = concluded_with(district, people["convener"])
    item = consultation.suggestions.first()
    services.suggestion_contest(actor=people["convener"], suggestion=item, reason="分歧大")
    with pytest.raises(DomainError, match="请先由管理员登记本村代表人数"):
        vote(consultation, item)


def test_a_grid_topic_is_voted_by_its_village(district, people):
    grid = make_region("甲一村第二小组", RegionLevel.GRID, district["a1"])
    register(district["a1"], representatives=30)
    consultation = concluded_with(district, people["convener"])
    Topic.objects.filter(pk=consultation.topic_id).update(convening_region=grid, convening_level=ConveningLevel.GRID)
    consultation.refresh_from_db()
    assert dissents.village_of(consultation) == district["a1"]
    item = consultation.suggestions.first()
    services.suggestion_contest(actor=people["convener"], suggestion=item, reason="分歧大")
    assert vote(consultation, item).eligible == 30


# --- what the vote decides ----------------------------------------------------------------------------


def test_a_changed_item_takes_the_new_text_and_the_three_lists_show_the_original(client, contested, people):
    consultation, item = contested
    original = item.text
    with pytest.raises(DomainError, match="请填写修改后的建议"):
        vote(consultation, item, result=VoteResult.CHANGED)
    vote(consultation, item, result=VoteResult.CHANGED, changed_text="在西侧空地划定停放区，晒场保留")
    item.refresh_from_db()
    assert item.text == "在西侧空地划定停放区，晒场保留" and item.original_text == original
    assert item.vote_result == VoteResult.CHANGED
    html = page(login(client, people["approver"]), reverse("outcomes:consultation", args=[consultation.pk]))
    assert "在西侧空地划定停放区，晒场保留" in html
    assert f"原建议：{original}" in html and "会议表决：修改后通过" in html
    html = page(login(client, people["convener"]), reverse("consultations:resolution", args=[consultation.pk]))
    assert f"原建议：{original}" in html


def test_a_dropped_item_is_never_assigned(client, contested, people):
    consultation, item = contested
    vote(consultation, item, attendees=20, votes_for=5, result=VoteResult.DROPPED)
    with pytest.raises(DomainError, match="表决未通过"):
        assign(item, people)
    response = login(client, people["approver"]).post(
        reverse("outcomes:assign", args=[consultation.pk, item.pk]), assign_data(people)
    )
    assert response.status_code == 400 and "表决未通过" in response.content.decode()


def test_one_decisive_vote_per_item_and_only_on_contested_items(contested):
    consultation, item = contested
    with pytest.raises(DomainError, match="列为争议事项的建议才提交"):
        vote(consultation, consultation.suggestions.last())
    vote(consultation, item)
    with pytest.raises(DomainError, match="已经表决"):
        vote(consultation, item)
    assert AssemblyVote.objects.count() == 1


def test_the_vote_form_offers_only_contested_items_awaiting_a_vote(client, contested, people):
    consultation, item = contested
    other = consultation.suggestions.last()
    url = reverse("consultations:resolution", args=[consultation.pk])
    html = page(login(client, people["convener"]), url)
    form = html[html.index('id="vote-suggestion"') :]
    form = form[: form.index("</select>")]
    assert f'value="{item.pk}"' in form and f'value="{other.pk}"' not in form
    response = client.post(reverse("consultations:vote_add", args=[consultation.pk]), vote_post(other))
    assert response.status_code == 400
    assert client.post(reverse("consultations:vote_add", args=[consultation.pk]), vote_post(item)).status_code == 302
    assert 'id="vote-suggestion"' not in page(client, url)  # nothing left to vote on


# --- another village ----------------------------------------------------------------------------------


def test_someone_of_another_village_cannot_contest_or_record_a_vote(client, contested, people):
    consultation, item = contested
    other = consultation.suggestions.last()
    for user in (people["neighbour"], people["outsider"]):
        login(client, user)
        contest = reverse("consultations:suggestion_contest", args=[consultation.pk, other.pk])
        assert client.post(contest, {"reason": "分歧"}).status_code == 404
        uncontest = reverse("consultations:suggestion_uncontest", args=[consultation.pk, item.pk])
        assert client.post(uncontest, {"reason": "不需要"}).status_code == 404
        vote_url = reverse("consultations:vote_add", args=[consultation.pk])
        assert client.post(vote_url, vote_post(item)).status_code == 404
    other.refresh_from_db()
    item.refresh_from_db()
    assert not other.is_contested and item.awaits_vote and not AssemblyVote.objects.exists()
