"""A township station head checks coverage on a phone and opens a village platform."""

import pytest
from playwright.sync_api import expect

from shangliang.orgs import services
from shangliang.orgs.states import PlatformKind, Role, SixHave
from shangliang.orgs.tests.factories import grant, make_member, make_platform, make_user, small_district

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def township(transactional_db):
    d = small_district()
    make_platform(d["a"], name="甲镇有事好商量议事室")
    village_room = make_platform(d["a1"], name="甲一村协商议事室", address="甲一村党群服务中心二楼")
    make_platform(d["b1"], name="乙一村协商议事室")
    make_platform(d["a"], name="甲镇委员工作室", kind=PlatformKind.MEMBER_STUDIO)
    for item in (SixHave.PLACE, SixHave.SIGN, SixHave.RULES):
        services.platform_check_update(actor=None, platform=village_room, item=item, is_met=True, note="已核查")
    member = make_member("陈委员", specialty="农业技术", mobile="13912345678")
    services.member_assign(actor=None, member=member, platform=village_room, started_on="2024-03-01")
    grant(make_user("station", password="station-pass-1", full_name="林站长"), Role.STATION_HEAD, region=d["a"])
    return d


def test_station_head_opens_coverage_and_a_village_platform_on_a_phone(live_server, phone, screenshot, township):
    page = phone
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="工作人员登录").click()
    page.get_by_label("用户名或手机号").fill("station")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("用户名/手机号或密码不正确")).to_be_visible()
    page.get_by_label("密码").fill("station-pass-1")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="林站长，您好")).to_be_visible()
    expect(page.get_by_text("联络站负责人 · 甲镇")).to_be_visible()
    screenshot(page, "home-station-head-phone")

    page.get_by_text("菜单").click()
    page.get_by_role("navigation").get_by_role("link", name="协商平台").click()
    table = page.locator("#coverage-table")
    expect(table).to_be_visible()
    row = table.locator("tr", has_text="甲镇")
    expect(row).to_contain_text("已建")
    expect(row).to_contain_text("50.0%")
    expect(row).to_contain_text("甲二村")
    expect(page.locator("body")).not_to_contain_text("乙一村协商议事室")
    screenshot(page, "coverage-phone")

    page.get_by_role("link", name="甲一村协商议事室").click()
    expect(page.get_by_role("heading", name="甲一村协商议事室")).to_be_visible()
    expect(page.get_by_text("甲一村党群服务中心二楼")).to_be_visible()
    expect(page.locator("#check-place")).to_contain_text("达标")
    expect(page.locator("#check-results")).to_contain_text("未达标")
    expect(page.get_by_role("link", name="陈委员")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("13912345678")
    screenshot(page, "village-platform-phone")
