"""A district administrator downloads a template, uploads a bad file, then a good one."""

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from shangliang.orgs.models import Region
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user, small_district

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADERS = ["名称*", "层级*", "统计用区划代码", "上级"]


def write_xlsx(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "行政区划"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def administrator(transactional_db):
    d = small_district()
    grant(make_user("admin", password="admin-pass-1", full_name="区管理员"), Role.ADMINISTRATOR, region=d["district"])
    return d


def test_administrator_imports_regions_and_a_bad_file_changes_nothing(
    live_server, browser, screenshot, administrator, tmp_path
):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名或手机号").fill("admin")
    page.get_by_label("密码").fill("admin-pass-1")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("navigation").get_by_role("link", name="数据导入").click()

    regions = page.locator("section, .card").filter(has_text="行政区划").first
    with page.expect_download() as download:
        regions.get_by_role("link", name="下载模板").click()
    download.value.save_as(tmp_path / "template.xlsx")
    template = load_workbook(tmp_path / "template.xlsx")
    assert [c.value for c in template.active[1]] == ["说明", *HEADERS]

    before = Region.objects.count()
    bad = write_xlsx(
        tmp_path / "bad.xlsx",
        [["丙镇", "乡镇", "110101003000", "示范区"], ["", "村", "", "丙镇"], ["丁村", "村", "", "不存在镇"]],
    )
    regions.locator("input[type=file]").set_input_files(str(bad))
    regions.get_by_role("button", name="上传并导入").click()
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("第3行")
    expect(errors).to_contain_text("名称")
    expect(errors).to_contain_text("第4行")
    expect(errors).to_contain_text("不存在镇")
    expect(page.get_by_text("整个文件都没有导入")).to_be_visible()
    screenshot(page, "import-refused")
    assert Region.objects.count() == before

    rows = [["丙镇", "乡镇", "110101003000", "示范区"]]
    rows += [[f"丙镇{i}村", "村", "", "丙镇"] for i in range(1, 1000)]
    rows += [[f"丙镇{i}村网格", "网格", "", f"丙镇{i}村"] for i in range(1, 1001 - 1)]
    good = write_xlsx(tmp_path / "good.xlsx", rows)
    page.get_by_role("navigation").get_by_role("link", name="数据导入").click()
    regions = page.locator("section, .card").filter(has_text="行政区划").first
    regions.locator("input[type=file]").set_input_files(str(good))
    regions.get_by_role("button", name="上传并导入").click()
    expect(page.locator("#import-job")).to_contain_text(f"已导入{len(rows)}条记录", timeout=120000)
    screenshot(page, "import-done")
    assert Region.objects.count() == before + len(rows)
    context.close()
