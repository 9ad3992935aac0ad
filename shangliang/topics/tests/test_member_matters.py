"""Matters brought to a member: a resident sends one from the member's page; the member logs one for a resident."""

import datetime

import pytest
from django.urls import reverse

from shangliang.core.models import Notification
from shangliang.orgs import services as org_services
from shangliang.orgs.states import PlatformKind, Role
from shangliang.orgs.tests.factories import grant, make_member, make_platform, make_user
from shangliang.topics import member_matters
from shangliang.topics.models import Category, Submission
from shangliang.topics.states import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(db):
    return Category.objects.get(name="环境卫生")


@pytest.fixture
def wang(district):
    """王委员 (with an account) serves the 甲镇 station."""
    platform = make_platform(district["a"], name="甲镇委员联络站")
    member = make_member("王委员", user=make_user("wang", full_name="王委员"), home_region=district["a1"])
    org_services.member_assign(actor=None, member=member, platform=platform, started_on=datetime.date(2026, 1, 1))
    return member


def form_data(district, category, **overrides):
    return {
        "title": "村口路灯坏了",
        "content": "晚上看不见路",
        "region": district["a1"].pk,
        "grid": "",
        "location_detail": "村口小桥",
        "category": category.pk,
        "identity": "anonymous",
        "submitter_name": "",
        "submitter_mobile": "",
        "code": "",
        **overrides,
    }


def test_resident_sends_a_matter_through_the_member(client, district, category, wang):
    url = reverse("topics:submit_member", args=[wang.code])
    page = client.get(url).content.decode()
    assert "向委员王委员反映" in page and "甲镇委员联络站" in page
    response = client.post(url, form_data(district, category))
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert submission.via_member == wang and submission.platform.name == "甲镇委员联络站"
    assert submission.source == Source.RESIDENT and submission.recorded_by is None
    # The tracking page says it went to the member.
    track = client.get(reverse("topics:track_detail", args=[submission.tracking_code])).content.decode()
    assert "已转交政协委员王委员" in track
    # The member is told and follows it on their home page.
    assert Notification.objects.filter(user=wang.user, title__contains="村口路灯坏了").exists()
    client.force_login(wang.user)
    home = client.get("/").content.decode()
    assert "群众向我反映的事项" in home and "村口路灯坏了" in home
    assert "村口路灯坏了" in client.get(reverse("topics:relayed")).content.decode()


def test_station_queue_shows_the_member(client, district, category, wang):
    client.post(reverse("topics:submit_member", args=[wang.code]), form_data(district, category))
    head = grant(make_user("head-a"), Role.STATION_HEAD, region=district["a"])
    client.force_login(head)
    queue = client.get(reverse("topics:queue") + "?tab=submissions&status=submitted").content.decode()
    assert "经委员王委员反映" in queue


def test_named_matter_needs_the_code_like_the_public_form(client, district, category, wang):
    data = form_data(district, category, identity="named", submitter_name="张三", submitter_mobile="13812345678")
    response = client.post(reverse("topics:submit_member", args=[wang.code]), data)
    assert response.status_code == 200 and "code" in response.context["form"].errors
    assert not Submission.objects.exists()


def test_several_stations_the_resident_picks(client, district, category, wang):
    other = make_platform(district["b"], name="乙镇委员联络站")
    org_services.member_assign(actor=None, member=wang, platform=other, started_on=datetime.date(2026, 1, 1))
    url = reverse("topics:submit_member", args=[wang.code])
    page = client.get(url).content.decode()
    assert "甲镇委员联络站" in page and "乙镇委员联络站" in page and 'name="title"' not in page
    foreign = make_platform(district["a1"], name="甲一村议事室")
    assert 'name="title"' not in client.get(f"{url}?platform={foreign.pk}").content.decode()
    response = client.post(f"{url}?platform={other.pk}", form_data(district, category, region=district["b1"].pk))
    assert response.status_code == 302
    assert Submission.objects.get().platform == other


def test_member_without_station_goes_to_home_township_room_or_says_so(client, district, category):
    lone = make_member("孤委员", home_region=district["a2"])
    url = reverse("topics:submit_member", args=[lone.code])
    assert "暂未联系站点" in client.get(url).content.decode()
    room = make_platform(district["a"], name="甲镇协商议事室", kind=PlatformKind.TOWNSHIP_ROOM)
    assert member_matters.routes(lone) == [room]
    client.post(url, form_data(district, category))
    assert Submission.objects.get().platform == room


def test_unknown_member_code_is_404(client):
    assert client.get(reverse("topics:submit_member", args=["nobody"])).status_code == 404


def test_member_logs_a_problem_for_a_resident(client, district, category, wang):
    client.force_login(wang.user)
    data = {
        "platform": wang.assignments.get().platform_id,
        "title": "楼道堆物",
        "content": "三单元楼道堆满杂物",
        "region": district["a1"].pk,
        "location_detail": "",
        "category": category.pk,
        "resident_name": "李阿姨",
        "resident_mobile": "13912345678",
    }
    response = client.post(reverse("topics:member_log"), data)
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert submission.via_member == wang and submission.recorded_by == wang.user
    assert submission.source == Source.OFFLINE and submission.submitter_mobile == "13912345678"
    assert "楼道堆物" in client.get(reverse("topics:relayed")).content.decode()


def test_only_members_log_problems(client, district):
    assert client.get(reverse("topics:member_log")).status_code == 302  # anonymous: to the login page
    client.force_login(make_user("resident", verified=True))
    assert client.get(reverse("topics:member_log")).status_code == 403
    assert client.get(reverse("topics:relayed")).status_code == 403
    staff = grant(make_user("head-a"), Role.STATION_HEAD, region=district["a"])
    client.force_login(staff)
    assert client.get(reverse("topics:member_log")).status_code == 403


def test_relayed_list_is_the_members_own(client, district, category, wang):
    client.post(reverse("topics:submit_member", args=[wang.code]), form_data(district, category))
    other = make_member("赵委员", user=make_user("zhao"))
    client.force_login(other.user)
    assert "村口路灯坏了" not in client.get(reverse("topics:relayed")).content.decode()
