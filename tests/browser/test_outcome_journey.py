"""Outcomes from the report to the public board: report, assign, progress, overdue reminder, publication."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from shangliang.core.models import Notification
from shangliang.core.workdays import deadline_on
from shangliang.orgs.models import Unit
from shangliang.orgs.states import Role, UnitKind
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.reminders import reminders_run
from shangliang.outcomes.tests.builders import concluded

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "outcome-pass-1"


@pytest.fixture
def resolution(transactional_db):
    from shangliang.orgs.tests.factories import small_district

    d = small_district()
    convener = make_user("convener", password=PASSWORD, full_name="田主任")
    grant(convener, Role.CONVENER, region=d["a1"])
    consultation = concluded(d, convener=convener, suggestions=("规划电动车集中停放点", "赶集日安排志愿者值守"))
    housing = Unit.objects.create(name="区住房和城乡建设局", kind=UnitKind.GOVERNMENT_DEPARTMENT, region=d["district"])
    township = Unit.objects.create(name="甲镇人民政府", kind=UnitKind.TOWNSHIP_GOVERNMENT, region=d["a"])
    Unit.objects.create(name="区政协经济委", kind=UnitKind.CPPCC_COMMITTEE, region=d["district"])
    grant(make_user("liaison", password=PASSWORD, full_name="住建联络员"), Role.UNIT_LIAISON, unit=housing)
    grant(make_user("liaison2", password=PASSWORD, full_name="镇政府联络员"), Role.UNIT_LIAISON, unit=township)
    grant(make_user("party", password=PASSWORD, full_name="区委办"), Role.APPROVER, region=d["district"])
    grant(make_user("supervisor", password=PASSWORD, full_name="督办王"), Role.SUPERVISOR, region=d["district"])
    return {**d, "consultation": consultation}


def login(browser, base, username, **context_args):
    context = browser.new_context(**({"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"} | context_args))
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name=re.compile("您好"))).to_be_visible()
    return page


def test_outcomes_from_report_to_the_public_board(live_server, browser, phone, screenshot, resolution):
    base = live_server.url
    consultation = resolution["consultation"]
    outcomes_url = f"{base}/outcomes/c/{consultation.pk}/"
    today = timezone.localdate()

    # The convener reports the resolution to the township as an entrusted matter.
    page = login(browser, base, "convener")
    page.goto(outcomes_url)
    page.get_by_role("link", name="起草报送").click()
    page.get_by_label("报送形式").select_option(label="协商报告")
    page.get_by_label("报送对象").fill("甲镇党委、甲镇人民政府")
    page.get_by_label("政府委托事项").check()
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_role("button", name="确认报送").click()
    expect(page.get_by_text("已报送").first).to_be_visible()
    # The written reply is due 10 working days on (the deployment's counting for "reply").
    due = deadline_on("reply", today, settings.SHANGLIANG_REPLY_DAYS).isoformat()
    expect(page.get_by_text(due).first).to_be_visible()
    page.context.close()

    # The district assigns both suggestions: one due in a month, one due today.
    page = login(browser, base, "party")
    for text, unit, deadline in (
        ("规划电动车集中停放点", "区住房和城乡建设局", today + datetime.timedelta(days=30)),
        ("赶集日安排志愿者值守", "甲镇人民政府", today),
    ):
        page.goto(outcomes_url)
        page.locator("tr", has_text=text).get_by_role("link", name="交办").first.click()
        # The searchable picker (Tom Select): type to filter, tap the unit.
        page.locator("#id_lead_unit + .ts-wrapper .ts-control").click()
        page.keyboard.type(unit[:4])
        page.locator(".ts-dropdown .option", has_text=unit).first.click()
        page.locator("#id_responsible_person").fill("李科长")
        page.get_by_label("办理时限").fill(deadline.isoformat())
        page.get_by_label("政协责任委室").select_option(label="区政协经济委")
        page.get_by_label("督办负责人").select_option(label="督办王")
        page.get_by_role("button", name="交办").click()
        expect(page.locator("main")).to_contain_text(unit)
    screenshot(page, "outcomes-three-lists-desktop")
    page.context.close()

    # The housing bureau's liaison accepts, reports progress and finishes the first item.
    page = login(browser, base, "liaison")
    page.goto(f"{base}/outcomes/unit/")
    expect(page.get_by_text("赶集日安排志愿者值守")).to_have_count(0)  # another unit's item
    page.get_by_role("link", name=re.compile("规划电动车集中停放点")).first.click()
    page.get_by_role("button", name="签收").click()
    page.get_by_label("进展情况").fill("已在集镇东口选址，正在划线")
    page.get_by_label("存在问题").fill("部分商户占道")
    page.get_by_label("解决思路").fill("会同镇政府劝导")
    page.get_by_role("button", name="提交进展").click()
    expect(page.locator("#updates ~ *").first).to_be_visible()
    page.get_by_label("落实效果").fill("建成停放点两处，可停放电动车120辆")
    page.get_by_role("button", name="办结").click()
    expect(page.get_by_text("已报办结，待验收").first).to_be_visible()
    screenshot(page, "outcomes-unit-item-desktop")
    page.context.close()

    # Two days pass with the second item still open; the scheduled job sends the overdue reminder.
    second = Assignment.objects.get(lead_unit__name="甲镇人民政府")
    Assignment.objects.filter(pk=second.pk).update(deadline=today - datetime.timedelta(days=1))
    assert reminders_run() >= 1
    assert reminders_run() == 0  # the next run sends nothing again

    page = login(browser, base, "supervisor")
    expect(page.locator("#notifications")).to_contain_text("逾期提醒")
    page.goto(f"{base}/outcomes/board/")
    overdue_row = page.locator("tr", has_text="赶集日安排志愿者值守").first
    expect(overdue_row).to_contain_text("甲镇人民政府")
    expect(overdue_row).to_contain_text("逾期")
    screenshot(page, "outcomes-board-desktop")
    page.context.close()

    # The convener checks (验收) the village's finished item, then publishes the results.
    page = login(browser, base, "convener")
    first = Assignment.objects.get(lead_unit__name="区住房和城乡建设局")
    page.goto(f"{base}/outcomes/a/{first.pk}/")
    page.get_by_role("button", name="验收通过").click()
    expect(page.locator("#check-state")).to_contain_text("验收通过")
    page.goto(outcomes_url)
    summary = page.get_by_label("公开内容")
    if not summary.is_visible():
        page.locator("summary", has_text="公开结果").click()
    summary.fill("集镇东口建成电动车停放点两处；赶集日值守正在安排。")
    page.get_by_role("button", name="公开", exact=True).click()
    expect(page.get_by_text("已公开").first).to_be_visible()
    page.context.close()

    # A resident opens the village's public board on a phone and reads the result.
    phone.goto(f"{base}/r/village/{resolution['a1'].pk}/")
    expect(phone.get_by_text("集镇东口建成电动车停放点两处").first).to_be_visible()
    phone.get_by_role("link", name=consultation.topic.title, exact=True).first.click()
    expect(phone.get_by_text("建成停放点两处，可停放电动车120辆")).to_be_visible()
    body = phone.locator("body").inner_text()
    for private in ("李科长", "督办王", "田主任", "13900000000"):
        assert private not in body
    screenshot(phone, "outcomes-public-result-phone")
    assert Notification.objects.filter(user__username="supervisor", title__contains="逾期提醒").count() == 1
