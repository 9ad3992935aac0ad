"""Hotline records in the browser: a station imports a small work-order file, finds the hot issue on the
overview (with its map), makes it a topic, and sees it in the screening queue."""

import re

import pytest
from playwright.sync_api import expect

from shangliang.hotline import services
from shangliang.hotline.models import Source
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user, small_district
from shangliang.topics.models import Category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "hotline-pass-1"
ORDERS = (
    "工单编号,受理时间,诉求内容,事发地址,来电号码,一级标签\n"
    "GD001,2025-09-01 09:00,幸福家园小区门口路灯坏了一个月，晚上很黑,甲镇甲一村幸福家园,13812345678,城乡建设\n"
    "GD002,2025-09-03 10:00,幸福家园小区门口路灯不亮，老人晚上出门摔倒,甲一村幸福家园,13900001111,城乡建设\n"
    "GD003,2025-09-05 11:00,幸福家园门口的路灯坏了，请尽快修,甲一村幸福家园小区,13700002222,城乡建设\n"
    "GD004,2025-09-06 12:00,甲二村学校门口早晚接送车辆拥堵,甲镇甲二村小学,13600003333,交通运输\n"
)


@pytest.fixture
def town(transactional_db):
    d = small_district()
    head = grant(make_user("station", password=PASSWORD, full_name="林站长"), Role.STATION_HEAD, region=d["a"])
    for name in ("城乡建设", "交通运输"):
        Category.objects.get_or_create(name=name)
    services.source_save(actor=head, source=Source(name="甲镇12345工单", region=d["a"]))
    return {**d, "head": head}


def test_a_station_imports_work_orders_and_makes_the_hot_issue_a_topic(live_server, browser, town, tmp_path):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    page.set_default_timeout(20000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名或手机号").fill("station")
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("heading", name=re.compile("您好"))).to_be_visible()

    file = tmp_path / "orders.csv"
    file.write_text(ORDERS, encoding="utf-8")
    page.goto(f"{live_server.url}/hotline/import/")
    page.get_by_label("数据来源").select_option(label="甲镇12345工单")
    page.get_by_label("导出文件（.csv 或 .xlsx）").set_input_files(str(file))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator("#preview-rows")).to_contain_text("GD001")
    page.get_by_role("button", name="开始导入").click()
    expect(page.locator("#import-job")).to_contain_text("新增4条")

    page.goto(f"{live_server.url}/hotline/")
    expect(page.locator("#top-issues")).to_contain_text("路灯")
    expect(page.locator("#place-map canvas")).to_be_visible()
    page.locator("#top-issues a").first.click()
    expect(page.locator("#issue-records")).to_contain_text("GD002")
    page.get_by_role("link", name="转为协商议题").click()
    page.get_by_label("反映的问题").fill("幸福家园路灯长期不亮")
    page.get_by_role("button", name="转为群众诉求").click()
    expect(page.get_by_text("已转为群众诉求")).to_be_visible()

    page.goto(f"{live_server.url}/topics/")
    expect(page.get_by_text("幸福家园路灯长期不亮")).to_be_visible()
