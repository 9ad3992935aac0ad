"""A resident rates a published result on a phone; the district administrator opens the dashboard,
drills from the satisfaction figure to the ratings behind it and downloads the annual report."""

import re

import pytest
from docx import Document
from playwright.sync_api import expect

from shangliang.dashboard.tests.conftest import YEAR, build_world
from shangliang.orgs.tests.factories import make_user, small_district
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-12345"  # the builders' default


@pytest.fixture
def world(transactional_db):
    built = build_world(small_district())
    make_user("resident_wu", password=PASSWORD, full_name="居民吴", mobile="13811112222", verified=True)
    return built


# Where a chart draws the point for ``label`` (first series), in page coordinates, from ECharts itself.
CHART_POINT = """({chart, label}) => {
  const box = document.getElementById(chart);
  box.scrollIntoView({block: "center"});
  const spec = JSON.parse(document.getElementById("dashboard-data").textContent).charts.find((c) => c.id === chart);
  const index = spec.labels.indexOf(label);
  const chartOf = window.echarts.getInstanceByDom(box);
  const [x, y] = chartOf.convertToPixel({seriesIndex: 0}, [index, spec.series[0].values[index]]);
  const rect = box.getBoundingClientRect();
  return {x: rect.left + x, y: rect.top + y};
}"""


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name=re.compile("您好"))).to_be_visible()


def test_rate_then_dashboard_drill_down_and_annual_report(live_server, browser, phone, screenshot, world):
    base = live_server.url
    c1 = world.consultations["c1"]

    # A resident rates the published result on a phone (4 ratings so far; result 2 of 4 rated well).
    login(phone, base, "13811112222")
    phone.goto(f"{base}/rate/{c1.pk}/")
    phone.get_by_role("group", name="对协商过程").get_by_role("radio", name="满意", exact=True).check()
    phone.get_by_role("group", name="对落实结果").get_by_role("radio", name="满意", exact=True).check()
    phone.get_by_label("意见建议").fill("接送点设得好，孩子放学不再堵了")
    phone.get_by_role("button", name="提交评议").click()
    expect(phone.get_by_text("您已评议")).to_be_visible()

    # The district administrator opens the dashboard for the year.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    login(page, base, "dash_convener")
    page.get_by_role("link", name="数据看板", exact=True).first.click()
    page.get_by_label("区划").select_option(str(world.district["district"].pk))
    page.get_by_label("年度").fill(str(YEAR))
    page.locator("#scope-picker").get_by_role("button", name="查看").click()
    expect(page.get_by_role("heading", name=re.compile("数据看板 · 示范区"))).to_be_visible()
    consultations = page.locator('[data-figure="consultations"] .n')
    expect(consultations).to_have_text("4")
    result = page.locator('[data-figure="ratings-result"]')
    expect(result.locator(".n")).to_have_text("60.0%")  # 3 of 5 rated well now
    # ECharts drew the charts from the app's own copy of the library.
    expect(page.locator("#chart-month canvas")).to_be_visible()
    expect(page.locator("#chart-stations canvas")).to_be_visible()
    expect(page.locator("#station-rows")).to_contain_text("甲镇")
    screenshot(page, "dashboard-district-desktop")

    # Clicking March's point on the month chart opens the two consultations held that month.
    point = page.evaluate(CHART_POINT, {"chart": "chart-month", "label": f"{YEAR}-03"})
    page.mouse.click(point["x"], point["y"])
    expect(page.get_by_role("heading", name=re.compile(f"{YEAR}-03"))).to_be_visible()
    expect(page.locator("#records tbody tr")).to_have_count(2)
    page.go_back()

    # Drill from the satisfaction figure to the ratings behind it: the new one is among them.
    result.click()
    expect(page.get_by_role("heading", name="群众评议 · 落实结果：满意和基本满意")).to_be_visible()
    rows = page.locator("#records tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#records")).to_contain_text("接送点设得好")
    expect(page.locator("#records")).not_to_contain_text("13811112222")
    expect(page.locator("#records")).not_to_contain_text("居民吴")
    screenshot(page, "dashboard-drill-ratings-desktop")

    # Back to the dashboard and download the annual report in Word.
    page.go_back()
    with page.expect_download() as download_info:
        page.locator("#report-docx").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    document = Document(str(download.path()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"示范区{YEAR}年度" in text
    assert "助学路上商量出新办法" in text  # the year's typical case
    context.close()

    # The same dashboard on the administrator's phone.
    mobile = browser.new_context(**PHONE)
    small = mobile.new_page()
    small.set_default_timeout(15000)
    login(small, base, "dash_convener")
    small.goto(f"{base}/dashboard/?region={world.district['district'].pk}&year={YEAR}")
    expect(small.locator('[data-figure="consultations"] .n')).to_have_text("4")
    expect(small.locator("#chart-month canvas")).to_be_visible()
    screenshot(small, "dashboard-district-phone")
    mobile.close()
