"""Every kind of page works under the Content-Security-Policy and the browser reports no violation:
the dashboard draws its charts and tooltips, a resident sends the public form from a phone, htmx
filters the platform list, and the small behaviours of site.js replace the old inline handlers."""

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from shangliang.dashboard.tests.conftest import YEAR, build_world
from shangliang.orgs.tests.factories import small_district

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-12345"  # the builders' default


@pytest.fixture
def world(transactional_db):
    return build_world(small_district())


def watch_for_violations(page) -> list[str]:
    """Chromium reports each refused script, style or image on the console ("Refused to … because it
    violates the following Content Security Policy directive …")."""
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return violations


def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name=re.compile("您好"))).to_be_visible()


def test_dashboard_charts_and_tooltips_draw_without_policy_violations(live_server, browser, world):
    base = live_server.url
    page = desktop(browser)
    violations = watch_for_violations(page)
    response = page.goto(f"{base}/accounts/login/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    log_in(page, base, "dash_convener")

    page.goto(f"{base}/dashboard/?region={world.district['district'].pk}&year={YEAR}")
    expect(page.locator("#chart-month canvas")).to_be_visible()
    expect(page.locator("#chart-stations canvas")).to_be_visible()
    # Hovering shows the month's tooltip, built by dashboard.js with classes instead of style="".
    chart = page.locator("#chart-month")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.6)
    expect(chart.get_by_text(re.compile(f"^{YEAR}-\\d\\d$"))).to_be_visible()
    expect(chart.locator(".tip-dot").first).to_have_css("background-color", "rgb(192, 57, 43)")
    assert violations == []
    page.context.close()


def test_public_form_and_htmx_filter_work_without_policy_violations(live_server, browser, phone, world, tmp_path):
    base = live_server.url
    photo = tmp_path / "street-light.jpg"
    Image.new("RGB", (64, 48), (200, 60, 40)).save(photo)
    violations = watch_for_violations(phone)
    room = world.platforms["pa1"]
    phone.goto(f"{base}/submit/p/{room.pk}/")
    phone.get_by_label("反映的问题").fill("村口路灯不亮")
    phone.get_by_label("详细情况").fill("村口两盏路灯坏了一个多月，晚上看不清路。")
    phone.get_by_label("类别").select_option(index=1)
    # A photo still goes up under camera=() in the Permissions-Policy.
    phone.locator("input[type=file]").set_input_files(str(photo))
    # The named-identity fields open with a CSS rule from the static stylesheet.
    phone.get_by_text("实名反映", exact=True).click()
    expect(phone.get_by_label("姓名", exact=True)).to_be_visible()
    phone.get_by_text("匿名反映", exact=True).click()
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("提交成功，请记下查询码")).to_be_visible()
    assert violations == []

    page = desktop(browser)
    staff_violations = watch_for_violations(page)
    log_in(page, base, "dash_convener")
    page.goto(f"{base}/org/platforms/")
    expect(page.locator("#coverage-table svg.bar rect").first).to_be_attached()
    # htmx swaps the rows as the search is typed, and puts the query in the address.
    search = page.get_by_label("搜索")
    search.fill("乙一")
    search.press("End")
    expect(page.locator("#platform-rows tbody tr")).to_have_count(1)
    expect(page.locator("#platform-rows")).to_contain_text("乙一村议事室")
    expect(page).to_have_url(re.compile(r"q=%E4%B9%99%E4%B8%80"))

    # A select marked data-autosubmit sends its form when changed (was onchange="this.form.submit()").
    page.goto(f"{base}/consultations/")
    page.get_by_label("状态").select_option(index=1)
    expect(page).to_have_url(re.compile(r"status=\w+"))
    # The poster's print button (was onclick="window.print()").
    page.goto(f"{base}/submit/p/{world.platforms['pa1'].pk}/poster/")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="打印海报").click()
    assert page.evaluate("window.printed") is True
    assert staff_violations == []
    page.context.close()
