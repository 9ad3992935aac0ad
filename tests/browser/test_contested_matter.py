"""A contested village matter through the safeguards: the dissent kept after explanation makes the item
contested, the representatives' assembly changes it by vote, the township government reviews the
resolution and corrects another item, then the report goes up and the changed item is assigned."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shangliang.consultations import services
from shangliang.consultations.models import ProcedureRules, Suggestion
from shangliang.consultations.states import LegalReviewMode
from shangliang.consultations.tests.builders import in_session
from shangliang.orgs.models import Region, Unit
from shangliang.orgs.states import Role, UnitKind
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes.models import Assignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "contested-pass-1"
FUNDING = "村道硬化所需资金由每户筹资三百元解决"
LIGHTS = "在村道两侧安装路灯，由村委会统一维护"
CHANGED = "村道硬化资金以上级补助为主，农户按“一事一议”自愿投工，不强制筹资"
CORRECTED = "在村道两侧安装路灯，由村委会统一维护，电费按规定列入村级公益事业支出"


@pytest.fixture
def matter(transactional_db):
    from shangliang.orgs.tests.factories import small_district

    d = small_district()
    Region.objects.filter(pk=d["a1"].pk).update(electorate=1200, representatives=30)
    ProcedureRules.objects.create(district=d["district"], legal_review=LegalReviewMode.ALL)
    convener = make_user("convener", password=PASSWORD, full_name="田主任")
    grant(convener, Role.CONVENER, region=d["a1"])
    grant(make_user("legal", password=PASSWORD, full_name="沈审查"), Role.LEGAL_REVIEWER, region=d["a"])
    grant(make_user("party", password=PASSWORD, full_name="镇党委"), Role.APPROVER, region=d["a"])
    grant(make_user("supervisor", password=PASSWORD, full_name="督办王"), Role.SUPERVISOR, region=d["district"])
    Unit.objects.create(name="甲镇农业农村办", kind=UnitKind.TOWNSHIP_GOVERNMENT, region=d["a"])
    consultation = in_session(d, convener=convener, title="甲一村村道硬化")
    services.dissent_add(actor=convener, consultation=consultation, holder="王大伯", view="家里困难，不同意每户筹资")
    consultation = services.session_close(actor=convener, consultation=consultation)
    services.minutes_confirm(actor=convener, consultation=consultation)
    for text in (FUNDING, LIGHTS):
        services.suggestion_add(actor=convener, consultation=consultation, text=text)
    return {**d, "consultation": consultation}


def login(browser, base, username, **context_args):
    context = browser.new_context(**({"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"} | context_args))
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("heading", name=re.compile("您好"))).to_be_visible()
    return page


def test_a_contested_village_matter_is_voted_reviewed_reported_and_assigned(
    live_server, browser, phone, screenshot, matter
):
    base = live_server.url
    consultation = matter["consultation"]
    resolution_url = f"{base}/consultations/{consultation.pk}/resolution/"
    outcomes_url = f"{base}/outcomes/c/{consultation.pk}/"
    funding = Suggestion.objects.get(consultation=consultation, text=FUNDING)
    lights = Suggestion.objects.get(consultation=consultation, text=LIGHTS)

    # The convener visits the villager; he keeps his view against the funding item, which becomes contested.
    page = login(browser, base, "convener")
    page.goto(resolution_url)
    dissent = page.locator("#dissents .list-row").first
    dissent.get_by_label("解释方式").fill("入户")
    dissent.get_by_label("解释说明").fill("说明了筹资用途和困难户减免办法")
    dissent.get_by_label("解释结果").select_option(label="仍保留意见")
    dissent.get_by_label("针对的建议").select_option(value=str(funding.pk))
    dissent.get_by_role("button", name="记录解释说明").click()
    expect(page.locator(f"#sg-{funding.pk}")).to_contain_text("存在较大争议")

    # The representatives' assembly (20 of 30 present) adopts the item as changed.
    page.locator("#votes summary", has_text="记录表决").click()
    votes = page.locator("#votes form")
    votes.get_by_label("表决的争议事项").select_option(value=str(funding.pk))
    votes.get_by_label("表决会议").select_option(label="村（居）民代表会议")
    votes.get_by_label("表决日期").fill(timezone.localdate().isoformat())
    votes.get_by_label("到会人数").fill("20")
    votes.locator("#vote-votes_for").fill("16")
    votes.locator("#vote-votes_against").fill("3")
    votes.locator("#vote-abstentions").fill("1")
    votes.get_by_label("表决结论").select_option(label="修改后通过")
    votes.get_by_label("修改后的建议").fill(CHANGED)
    votes.get_by_role("button", name="保存表决").click()
    item = page.locator(f"#sg-{funding.pk}")
    expect(item).to_contain_text(CHANGED)
    expect(item).to_contain_text("修改后通过")
    expect(item).to_contain_text(f"原建议：{FUNDING}")
    expect(page.locator("#votes")).to_contain_text("应到30人")
    page.get_by_role("button", name="确认协商意见").click()
    expect(page.locator("main")).to_contain_text("已形成协商意见")

    # Before the township's review the report cannot go up.
    page.goto(outcomes_url)
    expect(page.locator("main")).to_contain_text("合法性审查")
    page.context.close()

    # The township government finds the review on its home page and corrects the lighting item.
    page = login(browser, base, "legal")
    page.get_by_role("link", name=re.compile("甲一村村道硬化")).first.click()
    row = page.locator(f"#review-item-{lights.pk}")
    row.get_by_label("依法纠正").check()
    row.get_by_label("纠正后的表述").fill(CORRECTED)
    row.get_by_label("纠正依据").fill("《中华人民共和国村民委员会组织法》第二十四条")
    page.get_by_label("审查意见").fill("协商意见总体合法，路灯电费来源依法予以明确。")
    page.get_by_role("button", name="提交审查结论").click()
    expect(page.locator("main")).to_contain_text("已依法纠正")
    screenshot(page, "legal-review-desktop")
    page.context.close()

    # The convener reports the resolution to the township.
    page = login(browser, base, "convener")
    page.goto(outcomes_url)
    page.get_by_role("link", name="起草报送").click()
    page.get_by_label("报送形式").select_option(label="协商报告")
    page.get_by_label("报送对象").fill("甲镇党委、甲镇人民政府")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_role("button", name="确认报送").click()
    expect(page.get_by_text("已报送").first).to_be_visible()
    page.context.close()

    # The township party committee assigns the changed item; the three lists show what became of each.
    page = login(browser, base, "party")
    page.goto(outcomes_url)
    page.locator("tr", has_text=CHANGED).get_by_role("link", name="交办").first.click()
    page.locator("#id_lead_unit + .ts-wrapper .ts-control").click()
    page.keyboard.type("甲镇农业")
    page.locator(".ts-dropdown .option", has_text="甲镇农业农村办").first.click()
    page.locator("#id_responsible_person").fill("李主任")
    page.get_by_label("办理时限").fill((timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    page.get_by_label("督办负责人").select_option(label="督办王")
    page.get_by_role("button", name="交办").click()
    main = page.locator("main")
    expect(main).to_contain_text("甲镇农业农村办")
    expect(main).to_contain_text("修改后通过")
    expect(main).to_contain_text("依法纠正")
    screenshot(page, "contested-three-lists-desktop")
    page.context.close()
    assigned = Assignment.objects.get(suggestion=funding)
    assert assigned.suggestion.text == CHANGED and assigned.lead_unit.name == "甲镇农业农村办"

    # On a phone, the convener's resolution page tells the item's whole story and fits the screen.
    phone.goto(f"{base}/accounts/login/")
    phone.get_by_label("用户名或手机号").fill("convener")
    phone.get_by_label("密码").fill(PASSWORD)
    phone.locator("main button[type=submit]").click()
    phone.goto(resolution_url)
    expect(phone.locator(f"#sg-{funding.pk}")).to_contain_text("修改后通过")
    expect(phone.locator(f"#sg-{lights.pk}")).to_contain_text("依法纠正")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "contested-resolution-phone")
