"""Issue 13 point 16: members are invited deliberately, from all of the township's members, and a member
added by hand or signing up is recognised as the member (so their points count)."""

import datetime

import pytest
from django.urls import reverse

from shangliang.consultations import services
from shangliang.consultations.models import Participant
from shangliang.consultations.states import ParticipantCategory
from shangliang.consultations.tests.builders import notified, planned
from shangliang.orgs import services as org_services
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_member, make_platform, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def convener(district):
    return grant(make_user("convener"), Role.CONVENER, region=district["a1"])


@pytest.fixture
def members(district):
    """Fifteen members at 甲镇's station (more than the twelve proposed), one living in 甲二村, one at 乙镇's."""
    station = make_platform(district["a"], name="甲镇委员联络站")
    health = org_services.sector_get_or_create(actor=None, name="医药卫生界")
    at_station = []
    for i in range(15):
        member = make_member(f"甲镇委员{i:02d}", specialty="农业技术")
        org_services.member_assign(actor=None, member=member, platform=station, started_on=datetime.date(2026, 1, 1))
        at_station.append(member)
    doctor = make_member("王医生", sector=health, specialty="社区医疗", home_region=district["a2"])
    neighbour = make_member("乙镇委员", sector=health, specialty="社区医疗")
    org_services.member_assign(
        actor=None,
        member=neighbour,
        platform=make_platform(district["b"], name="乙镇委员联络站"),
        started_on=datetime.date(2026, 1, 1),
    )
    return {"station": at_station, "doctor": doctor, "neighbour": neighbour}


def search(client, consultation, q):
    url = reverse("consultations:member_search", args=[consultation.pk])
    return client.get(url, {"q": q}, HTTP_HX_REQUEST="true")


def test_search_finds_every_member_of_the_township_by_name_sector_and_specialty(
    client, district, convener, members, django_assert_max_num_queries
):
    consultation = planned(district, convener=convener)
    client.force_login(convener)
    # The proposals stop at twelve; the search reaches the thirteenth and beyond.
    page = client.get(reverse("consultations:participants", args=[consultation.pk])).content.decode()
    assert "甲镇委员14" not in page.split('id="member-search"')[0]
    with django_assert_max_num_queries(12):
        found = search(client, consultation, "甲镇委员14").content.decode()
    assert "甲镇委员14" in found and "农业技术" in found and "邀请" in found
    by_sector = search(client, consultation, "医药卫生").content.decode()
    assert "王医生" in by_sector and "社区医疗" in by_sector
    # A member of the neighbouring township is never offered, whatever is typed.
    assert "乙镇委员" not in by_sector
    assert "乙镇委员" not in search(client, consultation, "乙镇").content.decode()
    assert "王医生" in search(client, consultation, "社区医疗").content.decode()


def test_without_javascript_the_page_shows_the_results(client, district, convener, members):
    consultation = planned(district, convener=convener)
    client.force_login(convener)
    response = client.get(reverse("consultations:member_search", args=[consultation.pk]), {"q": "王"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "王医生" in page.split('id="member-search"')[1]


def test_inviting_a_found_member_links_the_member_and_says_already_invited(client, district, convener, members):
    consultation = planned(district, convener=convener)
    doctor = members["doctor"]
    client.force_login(convener)
    form = search(client, consultation, "王医生").content.decode()
    assert 'name="form_token"' in form
    token = form.split('name="form_token" value="')[1].split('"')[0]
    url = reverse("consultations:member_invite", args=[consultation.pk])
    response = client.post(url, {"member": doctor.pk, "q": "王医生", "form_token": token})
    assert response.status_code == 302 and "q=" in response["Location"]
    participant = Participant.objects.get(consultation=consultation, member=doctor)
    assert participant.category == ParticipantCategory.MEMBER and participant.name == "王医生"
    # The same click again saves nothing more.
    client.post(url, {"member": doctor.pk, "q": "王医生", "form_token": token})
    assert Participant.objects.filter(consultation=consultation, member=doctor).count() == 1
    assert "已邀请" in search(client, consultation, "王医生").content.decode()
    # A member beyond the twelve proposed is invited the same way.
    thirteenth = members["station"][14]
    client.post(url, {"member": thirteenth.pk})
    assert Participant.objects.filter(consultation=consultation, member=thirteenth).exists()


def test_a_neighbouring_townships_member_cannot_be_invited(client, district, convener, members):
    consultation = planned(district, convener=convener)
    client.force_login(convener)
    url = reverse("consultations:member_invite", args=[consultation.pk])
    response = client.post(url, {"member": members["neighbour"].pk}, follow=True)
    assert "已不在建议名单中" in response.content.decode()
    assert not Participant.objects.filter(member=members["neighbour"]).exists()


def test_another_villages_convener_cannot_search_or_invite(client, district, convener, members):
    consultation = planned(district, convener=convener)
    outsider = grant(make_user("outsider"), Role.CONVENER, region=district["b1"])
    client.force_login(outsider)
    assert search(client, consultation, "王").status_code == 404
    url = reverse("consultations:member_invite", args=[consultation.pk])
    assert client.post(url, {"member": members["doctor"].pk}).status_code == 404
    assert not Participant.objects.filter(member=members["doctor"]).exists()


def test_a_member_added_by_hand_by_mobile_is_linked_to_the_member(client, district, convener):
    member = make_member("李委员", mobile="13800001111")
    consultation = planned(district, convener=convener)
    client.force_login(convener)
    url = reverse("consultations:participant_add", args=[consultation.pk])
    client.post(url, {"category": ParticipantCategory.RESIDENT, "name": "老李", "mobile": "138 0000 1111"})
    participant = Participant.objects.get(consultation=consultation, mobile="13800001111")
    assert participant.member == member and participant.category == ParticipantCategory.MEMBER
    # Someone else's number stays a plain participant.
    client.post(url, {"category": ParticipantCategory.RESIDENT, "name": "张三", "mobile": "13900002222"})
    other = Participant.objects.get(consultation=consultation, mobile="13900002222")
    assert other.member is None and other.category == ParticipantCategory.RESIDENT


def test_a_member_signing_up_with_their_account_is_recorded_as_the_member(client, district):
    account = make_user("lwy", mobile="13800003333", verified=True)
    member = make_member("刘委员", user=account)
    consultation = notified(district)
    client.force_login(account)
    client.post(reverse("consultations:signup", args=[consultation.pk]), {"category": ParticipantCategory.RESIDENT})
    participant = Participant.objects.get(consultation=consultation, user=account)
    assert participant.member == member and participant.category == ParticipantCategory.MEMBER
    assert participant.is_voluntary


def test_a_sign_up_with_a_members_mobile_waits_for_staff_to_confirm_the_member(client, district, convener):
    """A number on an account, even a verified one, does not make the account the member: it must not earn
    the member's points by itself, so staff see the match on the participants page and confirm it."""
    member = make_member("赵委员", mobile="13800004444")
    account = make_user("zhao", mobile="13800004444", verified=True)
    consultation = notified(district, convener=convener)
    participant = services.participant_signup(user=account, consultation=consultation, name="老赵")
    assert participant.member is None and participant.category == ParticipantCategory.RESIDENT
    outsider = grant(make_user("outsider"), Role.CONVENER, region=district["b1"])
    url = reverse("consultations:participant_confirm_member", args=[consultation.pk, participant.pk])
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    client.force_login(convener)
    page = client.get(reverse("consultations:participants", args=[consultation.pk])).content.decode()
    assert "委员 赵委员" in page.split('id="member-matches"')[1] and "确认为委员" in page
    response = client.post(url, follow=True)
    assert "已确认 老赵 以政协委员身份参加" in response.content.decode()
    participant.refresh_from_db()
    assert participant.member == member and participant.category == ParticipantCategory.MEMBER
    assert participant.history.first().history_change_reason == "participant.member_confirmed"
    assert (
        'id="member-matches"'
        not in client.get(reverse("consultations:participants", args=[consultation.pk])).content.decode()
    )


def test_the_participants_page_with_search_and_removal_keeps_its_queries_bounded(client, district, convener, members):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    consultation = planned(district, convener=convener)
    client.force_login(convener)
    url = reverse("consultations:participants", args=[consultation.pk])

    def count():
        client.get(url, {"q": "委员"})  # the first request fills per-session caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"q": "委员"}).status_code == 200
        return len(ctx.captured_queries)

    services.participant_add(
        actor=convener, consultation=consultation, category="resident", name="甲", mobile="13600000000"
    )
    few = count()
    for i in range(20):
        participant = services.participant_add(
            actor=convener, consultation=consultation, category="resident", name=f"加{i}", mobile=f"1370000{i:04d}"
        )
        if i < 5:
            services.participant_remove(participant, actor=convener, reason="重复登记")
    page = client.get(url).content.decode()
    assert page.count("确认移除") == 16
    assert count() == few
