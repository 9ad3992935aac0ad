"""Members joining stations (自主下沉): suggestions by proximity and specialty, requests and decisions."""

import datetime

import pytest
from django.urls import reverse

from shangliang.core.models import Notification
from shangliang.orgs import joining, services
from shangliang.orgs.models import JoinRequest, MemberAssignment, Platform
from shangliang.orgs.states import JoinRequestStatus, Role
from shangliang.orgs.tests.factories import grant, make_member, make_platform, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(district):
    a_room = make_platform(district["a"], name="甲镇委员联络站")
    a1_room = make_platform(district["a1"], name="甲一村议事室", description="村庄规划与人居环境")
    b_room = make_platform(district["b"], name="乙镇委员联络站")
    wang = make_member("王委员", user=make_user("wang"), home_region=district["a1"], specialty="乡村规划")
    return {
        "a_room": a_room,
        "a1_room": a1_room,
        "b_room": b_room,
        "wang": wang,
        "head_a": grant(make_user("head-a"), Role.STATION_HEAD, region=district["a"]),
        "head_b": grant(make_user("head-b"), Role.STATION_HEAD, region=district["b"]),
        "staff": grant(make_user("cppcc"), Role.COMMITTEE_STAFF, region=district["district"]),
    }


def test_suggestions_rank_by_proximity_and_specialty(setting):
    ranked = joining.suggest_platforms(setting["wang"], Platform.objects.all())
    names = [s.platform.name for s in ranked]
    assert names == ["甲一村议事室", "甲镇委员联络站", "乙镇委员联络站"]
    first = ranked[0]
    assert any("同在甲一村" in reason for reason in first.reasons)
    assert any("规划" in reason for reason in first.reasons)
    assert ranked[2].reasons == ["同在本区（县）"]


def test_assign_page_shows_suggestions_with_reasons(client, setting):
    client.force_login(setting["staff"])
    page = client.get(reverse("orgs:member_assign", args=[setting["wang"].pk])).content.decode()
    assert "推荐站点" in page and "甲一村议事室" in page and "专长相近" in page


def test_member_asks_station_head_approves(client, setting):
    wang = setting["wang"]
    client.force_login(wang.user)
    page = client.get(reverse("orgs:join_home")).content.decode()
    assert "推荐站点" in page
    response = client.post(reverse("orgs:join_home"), {"platform": setting["a_room"].pk, "reason": "住在附近"})
    assert response.status_code == 302
    join_request = JoinRequest.objects.get()
    # A second request to the same station is refused next to the field.
    again = client.post(reverse("orgs:join_home"), {"platform": setting["a_room"].pk})
    assert again.status_code == 400 and "请等待审核" in again.content.decode()
    # The station head of 甲镇 has it on the home page; 乙镇's does not and cannot open it.
    client.force_login(setting["head_b"])
    assert "待审核的委员下沉申请" not in client.get("/").content.decode()
    assert client.get(reverse("orgs:join_decide", args=[join_request.pk])).status_code == 404
    client.force_login(setting["head_a"])
    assert "待审核的委员下沉申请" in client.get("/").content.decode()
    response = client.post(reverse("orgs:join_decide", args=[join_request.pk]), {"decision": "approve", "note": ""})
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.APPROVED and join_request.decided_by == setting["head_a"]
    assert join_request.assignment.platform == setting["a_room"] and join_request.assignment.ended_on is None
    assert Notification.objects.filter(user=wang.user, title__contains="已同意").exists()


def test_refusal_needs_a_reason_and_the_member_reads_it(client, setting):
    join_request = joining.join_request_make(
        actor=setting["wang"].user, member=setting["wang"], platform=setting["b_room"]
    )
    client.force_login(setting["head_b"])
    url = reverse("orgs:join_decide", args=[join_request.pk])
    response = client.post(url, {"decision": "refuse", "note": ""})
    assert response.status_code == 400 and "请说明未同意的原因" in response.content.decode()
    client.post(url, {"decision": "refuse", "note": "本站委员已满，建议加入甲镇联络站"})
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.REFUSED
    assert not MemberAssignment.objects.filter(member=setting["wang"]).exists()
    client.force_login(setting["wang"].user)
    assert "本站委员已满" in client.get(reverse("orgs:join_home")).content.decode()


def test_member_withdraws_and_others_cannot(client, setting):
    join_request = joining.join_request_make(
        actor=setting["wang"].user, member=setting["wang"], platform=setting["a_room"]
    )
    other = make_member("赵委员", user=make_user("zhao"))
    client.force_login(other.user)
    assert client.post(reverse("orgs:join_withdraw", args=[join_request.pk])).status_code == 404
    client.force_login(setting["wang"].user)
    client.post(reverse("orgs:join_withdraw", args=[join_request.pk]))
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.WITHDRAWN


def test_join_pages_refuse_non_members(client, setting):
    assert client.get(reverse("orgs:join_home")).status_code == 302
    client.force_login(make_user("resident"))
    assert client.get(reverse("orgs:join_home")).status_code == 403
    assert client.get(reverse("orgs:join_queue")).status_code == 403


def test_unassigned_filter_on_member_list(client, setting, district):
    services.member_assign(
        actor=None,
        member=make_member("李委员", home_region=district["a1"]),
        platform=setting["a_room"],
        started_on=datetime.date(2026, 1, 1),
    )
    client.force_login(setting["staff"])
    page = client.get(reverse("orgs:member_list") + "?unassigned=on").content.decode()
    assert "王委员" in page and "李委员" not in page
    assert "李委员" in client.get(reverse("orgs:member_list")).content.decode()
