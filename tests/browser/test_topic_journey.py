"""A resident's matter goes from the phone form to the public pool, and an excluded one is explained."""

import re

import pytest
from playwright.sync_api import expect

from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_platform, make_user, small_district

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def village(transactional_db):
    d = small_district()
    room = make_platform(d["a1"], name="甲一村协商议事室")
    grant(make_user("station", password="station-pass-1", full_name="林站长"), Role.STATION_HEAD, region=d["a"])
    grant(make_user("secretary", password="secretary-pass-1", full_name="周书记"), Role.APPROVER, region=d["a1"])
    return {**d, "room": room}


def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def log_in(page, base, username, password):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name=re.compile("您好"))).to_be_visible()


def resident_submits(phone, base, room, title, content):
    # Scanning the platform's QR code opens this address.
    phone.goto(f"{base}/submit/p/{room.pk}/")
    expect(phone.get_by_text("甲一村协商议事室")).to_be_visible()
    phone.get_by_label("反映的问题").fill(title)
    phone.get_by_label("详细情况").fill(content)
    phone.get_by_label("类别").select_option(label="停车与交通秩序")
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("提交成功，请记下查询码")).to_be_visible()
    return phone.locator(".new-code .code").inner_text().strip()


def open_submission(page, base, title):
    page.goto(f"{base}/topics/?tab=submissions")
    page.get_by_role("link", name=re.compile("^[A-Z0-9]{8}$")).first.wait_for()
    page.locator("#submission-rows tr", has_text=title).get_by_role("link").first.click()
    expect(page.get_by_role("heading", name=re.compile(title))).to_be_visible()


def test_resident_matter_is_screened_verified_approved_and_published(live_server, browser, phone, screenshot, village):
    base = live_server.url
    code = resident_submits(
        phone, base, village["room"], "集镇电动车乱停放", "赶集日电动车停满人行道，老人孩子只能走机动车道。"
    )
    assert re.fullmatch(r"[A-Z0-9]{8}", code)
    screenshot(phone, "topic-submitted-phone")

    station = desktop(browser)
    log_in(station, base, "station", "station-pass-1")
    open_submission(station, base, "集镇电动车乱停放")
    station.get_by_label("符合协商范围，予以受理").check()
    station.get_by_role("button", name="记录筛查结论").click()
    expect(station.locator("#submission-status")).to_have_text("已受理")
    station.get_by_role("button", name="核实并拟定议题").click()
    expect(station.locator("#topic-status")).to_have_text("拟定中")
    station.get_by_label("核实人员").fill("林站长、网格员王明")
    station.get_by_label("核实日期").fill("2026-03-02")
    station.get_by_label("核实情况").fill("赶集日上午人行道被电动车占满，属实；集镇有两处空地可划停车区。")
    station.get_by_role("button", name="保存核实记录").click()
    expect(station.get_by_text("核实记录已保存")).to_be_visible()
    station.get_by_role("link", name="完善议题").click()
    station.get_by_label("切口小、关联广的理由").fill("只涉及集镇停车，但关系每个赶集群众的出行安全。")
    station.get_by_role("button", name="保存").click()
    station.get_by_role("button", name="提交审定").click()
    expect(station.locator("#topic-status")).to_have_text("待审定")
    screenshot(station, "topic-pending-desktop")

    secretary = desktop(browser)
    log_in(secretary, base, "secretary", "secretary-pass-1")
    secretary.get_by_role("navigation").get_by_role("link", name="议题", exact=True).click()
    secretary.get_by_role("link", name="集镇电动车乱停放").click()
    secretary.get_by_label("同意，列为协商议题").check()
    secretary.get_by_role("button", name="提交审定结果").click()
    expect(secretary.locator("#topic-status")).to_have_text("已审定")

    phone.goto(f"{base}/pool/")
    expect(phone.get_by_role("link", name="集镇电动车乱停放")).to_be_visible()
    expect(phone.locator("body")).not_to_contain_text("林站长")
    phone.goto(f"{base}/track/")
    phone.get_by_label("查询码").fill(code.lower())
    phone.get_by_role("button", name="查询").click()
    expect(phone.locator("body")).to_contain_text("已审定")
    expect(phone.locator("body")).not_to_contain_text("周书记")
    screenshot(phone, "topic-tracking-approved-phone")


def test_excluded_matter_tells_the_resident_why(live_server, browser, phone, screenshot, village):
    base = live_server.url
    code = resident_submits(
        phone, base, village["room"], "宅基地纠纷请求协商", "和邻居的宅基地纠纷，已经向法院起诉，想请村里再协商一下。"
    )
    station = desktop(browser)
    log_in(station, base, "station", "station-pass-1")
    open_submission(station, base, "宅基地纠纷请求协商")
    expect(station.locator("#flags")).to_contain_text("起诉")
    station.get_by_label("不纳入协商范围").check()
    station.get_by_label("不纳入的情形").select_option(label="已进入诉讼、复议或仲裁程序")
    station.get_by_label("说明").fill("该纠纷已由法院受理，请以法院判决为准。村里可以协助调解。")
    station.get_by_role("button", name="记录筛查结论").click()
    expect(station.locator("#submission-status")).to_have_text("不纳入协商")

    phone.goto(f"{base}/track/{code}/")
    expect(phone.get_by_text("不纳入协商的原因")).to_be_visible()
    expect(phone.locator("body")).to_contain_text("已进入诉讼、行政复议或仲裁程序")
    expect(phone.locator("body")).to_contain_text("请以法院判决为准")
    screenshot(phone, "topic-excluded-phone")
