"""The bell and the inbox: the unread count in the top bar, the messages newest first, opening one marks
it read and goes where it points (on this site only), another user's message is not found."""

import pytest
from django.urls import reverse

from shangliang.core.models import Notification
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.portal.views import INBOX_PER_PAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident():
    return make_user("resident", full_name="张居民")


@pytest.fixture
def staff(district):
    return grant(make_user("staff", full_name="李召集"), Role.CONVENER, region=district["a1"])


def message(user, title="协商通知", url="/c/7/", **fields):
    return Notification.objects.create(user=user, title=title, url=url, body="请按时参加", **fields)


def page(client, user, name="portal:home", *args) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_the_bell_shows_the_unread_count_and_links_to_the_inbox(client, resident, staff):
    message(resident, "第一条")
    message(resident, "第二条")
    read = message(resident, "已读的")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    message(staff, "别人的")
    html = page(client, resident)
    assert f'id="nav-bell" href="{reverse("portal:inbox")}"' in html
    assert '<span class="bell-count" aria-hidden="true">2</span>' in html
    assert "消息，2 条未读" in html


def test_the_bell_shows_no_count_when_all_is_read_and_is_absent_for_visitors(client, resident):
    html = page(client, resident)
    assert 'id="nav-bell"' in html and "bell-count" not in html
    client.logout()
    assert 'id="nav-bell"' not in client.get(reverse("topics:pool")).content.decode()


def test_the_inbox_lists_only_the_users_messages_newest_first_unread_highlighted(client, resident, staff):
    old = message(resident, "较早的消息")
    Notification.objects.filter(pk=old.pk).update(read_at=old.created_at)
    message(resident, "最新的消息")
    message(staff, "召集人的消息")
    html = page(client, resident, "portal:inbox")
    assert html.index("最新的消息") < html.index("较早的消息")
    assert "召集人的消息" not in html
    assert html.count('class="unread"') == 1 and html.count('class="read"') == 1
    assert "全部标为已读" in html


def test_the_inbox_is_paginated(client, resident):
    for i in range(INBOX_PER_PAGE + 1):
        message(resident, f"消息{i:02d}")
    first = page(client, resident, "portal:inbox")
    assert "消息00" not in first and f"消息{INBOX_PER_PAGE:02d}" in first
    second = client.get(reverse("portal:inbox") + "?page=2").content.decode()
    assert "消息00" in second


def test_the_pager_keeps_odd_parameters_without_failing(client, resident):
    """A parameter named like a dict method (``items``) once broke the shared pager with a 500."""
    for i in range(INBOX_PER_PAGE + 1):
        message(resident, f"消息{i:02d}")
    client.force_login(resident)
    response = client.get(reverse("portal:inbox") + "?items=x&keys=y")
    assert response.status_code == 200
    assert "items=x&amp;keys=y&amp;page=2" in response.content.decode()


def test_opening_a_message_marks_it_read_and_goes_to_its_page(client, resident):
    n = message(resident, url="/c/7/")
    client.force_login(resident)
    response = client.get(reverse("portal:inbox_open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/c/7/"
    n.refresh_from_db()
    assert n.read_at is not None
    first_read = n.read_at
    client.get(reverse("portal:inbox_open", args=[n.pk]))
    n.refresh_from_db()
    assert n.read_at == first_read
    assert "bell-count" not in page(client, resident)


def test_a_message_without_a_link_opens_back_in_the_inbox(client, resident):
    n = message(resident, url="")
    client.force_login(resident)
    response = client.get(reverse("portal:inbox_open", args=[n.pk]))
    assert response["Location"] == reverse("portal:inbox")


@pytest.mark.parametrize(
    "target", ["https://evil.example.com/", "//evil.example.com/", "/\\evil.example.com", "javascript:alert(1)"]
)
def test_a_message_never_sends_anyone_to_another_site(client, resident, target):
    n = message(resident, url=target)
    client.force_login(resident)
    response = client.get(reverse("portal:inbox_open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("portal:inbox")


def test_another_users_message_is_not_found_and_stays_unread(client, resident, staff):
    theirs = message(staff)
    client.force_login(resident)
    assert client.get(reverse("portal:inbox_open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_reads_only_the_users_messages(client, resident, staff):
    message(resident, "一")
    message(resident, "二")
    theirs = message(staff)
    client.force_login(resident)
    assert client.get(reverse("portal:inbox_read_all")).status_code == 405
    response = client.post(reverse("portal:inbox_read_all"), follow=True)
    assert "全部消息已标为已读" in response.content.decode()
    assert not Notification.objects.filter(user=resident, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_inbox_asks_visitors_to_log_in(client):
    response = client.get(reverse("portal:inbox"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_home_pages_new_messages_open_through_the_inbox(client, staff):
    n = message(staff, "新的反馈")
    html = page(client, staff)
    assert f'href="{reverse("portal:inbox_open", args=[n.pk])}"' in html


def test_the_inbox_page_is_a_bounded_number_of_queries(client, resident, django_assert_max_num_queries):
    for i in range(INBOX_PER_PAGE):
        message(resident, f"消息{i}")
    client.force_login(resident)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("portal:inbox")).status_code == 200
