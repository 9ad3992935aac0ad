"""Every hand-over is on someone's home page: the right count, a link to the page where the step is
taken (and that page shows the step's button or form to that user), nothing for another township."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations import selectors as consultation_selectors
from shangliang.consultations.models import Suggestion
from shangliang.consultations.tests.builders import planned
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import permissions as outcome_permissions
from shangliang.outcomes import services as outcome_services
from shangliang.outcomes.states import ReportKind
from shangliang.portal.waiting import SHOWN, waiting_for

pytestmark = pytest.mark.django_db


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    return response.content.decode()


def item_of(user, title):
    found = [item for item in waiting_for(user) if item.title == title]
    assert len(found) == 1, [item.title for item in waiting_for(user)]
    return found[0]


def count_shown(page: str, title: str) -> int:
    """The count the home page shows next to ``title``."""
    match = re.search(r'<span class="n">(\d+)</span><span class="l">' + re.escape(title) + "</span>", page)
    assert match, title
    return int(match.group(1))


def opens(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def path(url: str) -> str:
    return url.split("#")[0]


# --- the convener ----------------------------------------------------------------------------

CONVENER_STEPS = [
    # (title on the home page, record of ``work``, the page's url name, anchor, what the page offers)
    ("待发出事先通知", "notice_due", "consultations:notice", "", "发出通知"),
    ("今天召开的协商", "today", "consultations:detail", "", "开始协商"),
    ("待确认的会议纪要", "minutes", "consultations:minutes", "", "确认纪要"),
    ("待确认的协商意见", "resolution", "consultations:resolution", "", "确认协商意见"),
    ("待解释说明的不同意见", "resolution", "consultations:resolution", "#dissents", "记录解释说明"),
    ("待公开的落实结果", "village", "outcomes:consultation", "#publication", "公开结果"),
]


@pytest.mark.parametrize(("title", "key", "view", "anchor", "action"), CONVENER_STEPS)
def test_the_convener_finds_each_consultation_step_linked_to_the_page_that_takes_it(
    client, work, people, title, key, view, anchor, action
):
    page = home(client, people["convener"])
    target = reverse(view, args=[work[key].pk]) + anchor
    assert count_shown(page, title) == 1
    item = item_of(people["convener"], title)
    assert item.url == target and [e.url for e in item.entries] == [target]
    assert f'href="{target}"' in page
    assert action in opens(client, path(target))


def test_the_convener_finds_the_approved_topic_to_plan_and_its_planning_form(client, work, people):
    page = home(client, people["convener"])
    target = reverse("consultations:plan", args=[work["to_plan"].pk])
    assert count_shown(page, "待安排协商的议题") == 1 and f'href="{target}"' in page
    assert 'name="starts_at"' in opens(client, target)


def test_the_convener_checks_the_villages_finished_item_not_the_townships(client, work, people):
    page = home(client, people["convener"])
    target = reverse("outcomes:assignment", args=[work["village_item"].pk])
    assert count_shown(page, "办结待验收的事项") == 1 and f'href="{target}"' in page
    assignment = opens(client, target)
    assert reverse("outcomes:assignment_check", args=[work["village_item"].pk]) in assignment
    assert "验收通过" in assignment


def test_a_notice_far_ahead_is_not_due_and_one_whose_last_day_passed_still_is(district, work, people):
    due = {c.topic.title for c in consultation_selectors.notices_due(people["convener"])}
    assert due == {"通知将到期的协商"}
    days = settings.SHANGLIANG_NOTICE_DAYS
    later = planned(district, convener=people["convener"], title="再晚些的协商", days_ahead=days + 3)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    # Seen the day before its last day (start less the notice period, less two) it is due; four days before, not.
    assert consultation_selectors.notices_due(people["convener"], today=tomorrow).filter(pk=later.pk).exists()
    last_day = timezone.localtime(later.starts_at).date() - datetime.timedelta(days=days)
    early = last_day - datetime.timedelta(days=3)
    assert not consultation_selectors.notices_due(people["convener"], today=early).filter(pk=later.pk).exists()


def test_a_notice_due_names_its_last_day_or_says_the_day_has_passed(district, work, people):
    late = planned(district, convener=people["convener"], title="来不及通知的协商", days_ahead=1)
    days = settings.SHANGLIANG_NOTICE_DAYS
    last_day = timezone.localtime(work["notice_due"].starts_at - datetime.timedelta(days=days)).date()
    entries = {e.label: e.url for e in item_of(people["convener"], "待发出事先通知").entries}
    assert entries == {
        f"通知将到期的协商 · 最晚{last_day:%m-%d}发出": reverse("consultations:notice", args=[work["notice_due"].pk]),
        "来不及通知的协商 · 已过通知期限，请调整协商时间": reverse("consultations:notice", args=[late.pk]),
    }


def test_a_session_today_is_named_with_its_time(work, people):
    work["today"].refresh_from_db()
    when = timezone.localtime(work["today"].starts_at).strftime("%H:%M")
    assert [e.label for e in item_of(people["convener"], "今天召开的协商").entries] == [f"{when} 今天召开的协商"]


def test_minutes_and_resolutions_wait_only_for_the_convener_who_confirms_them(district, work, people):
    colleague = grant(make_user("colleague"), Role.CONVENER, region=district["a1"])
    titles = {item.title for item in waiting_for(colleague)}
    assert "待确认的会议纪要" not in titles and "待确认的协商意见" not in titles
    assert "待发出事先通知" in titles  # any organiser of the village may send it


def test_several_records_link_to_the_filtered_list_and_each_to_its_own_page(client, district, work, people):
    more = [
        planned(district, convener=people["convener"], title=f"又一个到期的协商{i}", days_ahead=1 + i)
        for i in range(SHOWN)
    ]
    item = item_of(people["convener"], "待发出事先通知")
    assert item.count == SHOWN + 1 and item.more == 1
    assert item.url == reverse("consultations:list") + "?status=planned"
    assert len(item.entries) == SHOWN
    assert item.entries[0].url == reverse("consultations:notice", args=[more[0].pk])
    page = home(client, people["convener"])
    assert "另有 1 项" in page and "又一个到期的协商0" in opens(client, item.url)


# --- the party committee and government (approver) -------------------------------------------


def test_the_approver_finds_the_report_received_and_its_reply_form(client, work, people):
    page = home(client, people["approver"])
    target = reverse("outcomes:report", args=[work["report"].pk])
    assert count_shown(page, "收到的报送待答复") == 1 and f'href="{target}"' in page
    assert "保存答复" in opens(client, target)


def test_the_approver_finds_the_suggestion_waiting_for_assignment_and_the_assign_button(client, work, people):
    page = home(client, people["approver"])
    target = reverse("outcomes:consultation", args=[work["village"].pk]) + "#suggestions"
    assert count_shown(page, "待交办的协商建议") == 1 and f'href="{target}"' in page
    assign = reverse("outcomes:assign", args=[work["village"].pk, work["village"].suggestions.all()[1].pk])
    assert f'href="{assign}"' in opens(client, path(target))


def test_a_returned_item_puts_its_suggestion_back_and_a_withdrawn_suggestion_leaves(work, people):
    outcome_services.assignment_return(actor=people["liaison"], assignment=work["to_accept"], reason="不属本单位职责")
    waiting = outcome_permissions.suggestions_to_assign(people["approver"])
    assert {sg.text for sg in waiting} == {"安排赶集日值守"} and waiting.count() == 2
    Suggestion.all_objects.filter(pk=work["village"].suggestions.all()[1].pk).update(
        withdrawn_at=timezone.now(), withdraw_reason="重复"
    )
    assert [sg.consultation_id for sg in waiting.all()] == [work["township"].pk]
    assert outcome_permissions.suggestions_to_assign(people["outsider"]).count() == 0


def test_the_approver_finds_the_extension_request(client, work, people):
    page = home(client, people["approver"])
    assert count_shown(page, "待审批的延期申请") == 1
    board = opens(client, reverse("outcomes:board"))
    assert reverse("outcomes:assignment", args=[work["to_accept"].pk]) + "#extensions" in board


def test_several_reports_link_to_the_list_of_reports_received(client, work, people):
    second = outcome_services.report_draft(
        actor=people["convener"],
        consultation=work["township"],
        kind=ReportKind.CONSULTATION_REPORT,
        recipient="甲镇政府",
        title="镇里的协商报告",
        body="正文",
    )
    outcome_services.report_send(actor=people["convener"], report=second)
    item = item_of(people["approver"], "收到的报送待答复")
    assert item.count == 2 and item.url == reverse("outcomes:reports") + "?show=received"
    client.force_login(people["approver"])
    listing = opens(client, item.url)
    assert "镇里的协商报告" in listing and "关于电动车停放的协商报告" in listing


# --- the supervisor and the unit's liaison ---------------------------------------------------


def test_the_supervisor_checks_the_townships_finished_item(client, work, people):
    page = home(client, people["supervisor"])
    target = reverse("outcomes:assignment", args=[work["township_item"].pk])
    assert count_shown(page, "办结待验收的事项") == 1 and f'href="{target}"' in page
    assert reverse("outcomes:assignment", args=[work["village_item"].pk]) not in page
    assignment = opens(client, target)
    assert reverse("outcomes:assignment_check", args=[work["township_item"].pk]) in assignment
    assert "验收通过" in assignment


def test_several_items_to_check_link_to_the_boards_list_of_finished_items(client, work, people):
    root = make_user("root", is_superuser=True)
    item = item_of(root, "办结待验收的事项")
    assert item.count == 2 and item.url == reverse("outcomes:board") + "?state=finished"
    client.force_login(root)
    board = opens(client, item.url)
    listed = [work[key].pk for key in ("village_item", "township_item", "to_accept")]
    shown = [f'href="{reverse("outcomes:assignment", args=[pk])}"' in board for pk in listed]
    assert shown == [True, True, False]


def test_the_liaison_finds_the_item_to_accept_on_the_unit_desk(client, work, people):
    page = home(client, people["liaison"])
    assert count_shown(page, "待签收的交办事项") == 1
    desk = opens(client, reverse("outcomes:unit_desk") + "?tab=todo")
    assert reverse("outcomes:assignment", args=[work["to_accept"].pk]) in desk


# --- scope and cost --------------------------------------------------------------------------


def test_someone_of_another_township_sees_none_of_it(client, work, people):
    page = home(client, people["outsider"])
    assert waiting_for(people["outsider"]) == []
    assert "暂无待办事项" in page
    records = ["待安排的议题", "通知将到期的协商", "纪要待确认的协商", "村里形成意见的协商", "关于电动车停放的协商报告"]
    assert not [record for record in records if record in page]


def test_the_home_page_of_someone_with_every_role_stays_a_bounded_number_of_queries(
    client, district, work, people, django_assert_max_num_queries
):
    everyone = make_user("everyone", full_name="全能")
    for role, where in [
        (Role.CONVENER, {"region": district["a1"]}),
        (Role.APPROVER, {"region": district["a"]}),
        (Role.SUPERVISOR, {"region": district["a"]}),
        (Role.COMMITTEE_STAFF, {"region": district["a"]}),
        (Role.UNIT_LIAISON, {"unit": people["unit"]}),
    ]:
        grant(everyone, role, **where)
    client.force_login(everyone)
    # One to three queries per provider (portal.waiting), whatever the number of rows: 17 providers.
    with django_assert_max_num_queries(50):
        page = client.get(reverse("portal:home")).content.decode()
    for title in ("待发出事先通知", "待交办的协商建议", "办结待验收的事项", "待签收的交办事项", "收到的报送待答复"):
        assert title in page
