"""Around the loop, in the browser: a member's 履职码, a briefing with QR sign-ins, a fund's spending on a result."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shangliang.consultations import services as consultation_services
from shangliang.consultations.tests.builders import planned
from shangliang.events import services as event_services
from shangliang.events.states import EventKind
from shangliang.funds import services as fund_services
from shangliang.orgs import services as org_services
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_member, make_platform, make_user, small_district
from shangliang.outcomes import services as outcome_services
from shangliang.outcomes.tests.builders import assigned, concluded
from shangliang.topics.models import Submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "around-pass-1"


def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("heading", name=re.compile("您好"))).to_be_visible()


@pytest.fixture
def town(transactional_db):
    d = small_district()
    station = make_platform(d["a"], name="甲镇委员联络站")
    head = grant(make_user("station", password=PASSWORD, full_name="林站长"), Role.STATION_HEAD, region=d["a"])
    convener = grant(make_user("convener", password=PASSWORD, full_name="田主任"), Role.CONVENER, region=d["a1"])
    wang = make_member("王建国", specialty="城乡规划", mobile="13900001111", home_region=d["a1"])
    org_services.member_assign(actor=None, member=wang, platform=station, started_on=datetime.date(2026, 1, 1))
    return {**d, "station": station, "head": head, "convener": convener, "wang": wang}


def test_a_resident_scans_a_members_code_reads_the_record_and_sends_a_matter(live_server, browser, phone, town):
    wang = town["wang"]
    consultation = planned(town, convener=town["convener"], title="集镇电动车乱停放")
    org_services.member_assign(
        actor=None, member=wang, platform=consultation.platform, started_on=datetime.date(2026, 1, 1)
    )
    consultation_services.research_add(
        actor=town["convener"],
        consultation=consultation,
        researchers="林站长、王建国委员",
        researched_on=timezone.localdate() - datetime.timedelta(days=1),
        place="集镇主街",
        findings="赶集日人行道被电动车占满。",
        members=[wang],
    )

    # The printed 履职码 opens the member's public page: the real record, no phone number.
    phone.goto(f"{live_server.url}/org/m/{wang.code}/")
    expect(phone.get_by_role("heading", name="王建国")).to_be_visible()
    expect(phone.locator("#research")).to_contain_text("集镇电动车乱停放")
    expect(phone.locator("body")).not_to_contain_text("13900001111")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.get_by_role("link", name="向委员反映").click()
    # The member serves two stations: the resident picks the one near the matter.
    phone.get_by_role("link", name=re.compile("甲镇委员联络站")).click()
    phone.get_by_label("反映的问题").fill("村口桥头路灯不亮")
    phone.get_by_label("详细情况").fill("晚上过桥看不见路，老人孩子不安全。")
    phone.get_by_label("所在村（社区）").select_option(label="甲一村")
    phone.get_by_label("类别").select_option(label="公共设施")
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("提交成功，请记下查询码")).to_be_visible()

    submission = Submission.objects.get(title="村口桥头路灯不亮")
    assert submission.via_member == wang and submission.platform == town["station"]

    # The station's screening queue shows the matter came through the member.
    page = desktop(browser)
    log_in(page, live_server.url, "station")
    page.goto(f"{live_server.url}/topics/")
    row = page.locator("tr", has_text="村口桥头路灯不亮")
    expect(row).to_contain_text("经委员王建国反映")
    page.context.close()


def test_a_briefing_with_qr_sign_ins_is_public_and_counted_apart_from_consultations(live_server, browser, phone, town):
    starts = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(0)))
    event = event_services.event_create(
        actor=town["head"],
        platform=town["station"],
        kind=EventKind.BRIEFING,
        title="城乡居民医保新政解读",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=23, minutes=59),
        speaker_member=town["wang"],
    )

    # A resident scans the QR code at the door and signs in with a name and a number.
    phone.goto(f"{live_server.url}/events/s/{event.sign_in_token}/")
    expect(phone.get_by_role("heading", name="城乡居民医保新政解读")).to_be_visible()
    phone.get_by_label("姓名").fill("居民赵六")
    phone.get_by_label("手机号").fill("13700001234")
    phone.get_by_role("button", name="签到").click()
    expect(phone.get_by_text(re.compile("签到成功|已签到"))).to_be_visible()

    # The station head records it as held, with twelve more people who did not scan.
    page = desktop(browser)
    log_in(page, live_server.url, "station")
    page.goto(f"{live_server.url}/events/{event.pk}/")
    page.get_by_label("未扫码的现场人数").fill("12")
    page.get_by_role("button", name="记为已举办").click()
    expect(page.locator("#event-status")).to_have_text("已举办")

    # The public list shows it with its attendance, and no attendee's name or number.
    phone.goto(f"{live_server.url}/events/public/")
    expect(phone.get_by_text("城乡居民医保新政解读")).to_be_visible()
    expect(phone.locator("body")).to_contain_text("13")
    expect(phone.locator("body")).not_to_contain_text("居民赵六")
    expect(phone.locator("body")).not_to_contain_text("13700001234")

    # The dashboard counts it under 宣讲培训, not as a consultation.
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.locator('[data-figure="consultations"] .n')).to_have_text("0")
    expect(page.locator("#event-total")).to_contain_text("1")
    expect(page.locator("#event-total")).to_contain_text("13")
    page.context.close()


def test_a_fund_spending_line_appears_on_the_result_of_its_consultation(live_server, browser, phone, town):
    convener = town["convener"]
    secretary = grant(make_user("secretary", password=PASSWORD, full_name="周书记"), Role.APPROVER, region=town["a1"])
    consultation = concluded(town, convener=convener, title="集镇电动车乱停放")
    assigned(consultation)
    outcome_services.publication_publish(
        actor=convener, consultation=consultation, summary="集镇东口建成电动车停放点两处。"
    )
    account = fund_services.account_open(
        actor=town["head"],
        village=town["a1"],
        name="甲一村协商资金专户",
        opened_on=datetime.date(2026, 1, 5),
        bank="农村商业银行甲镇支行",
        account_name="甲一村村民委员会",
        account_number="6230520010001234567",
    )
    fund_services.income_record(
        actor=convener,
        account=account,
        kind="allocation",
        amount=10000,
        booked_on=timezone.localdate(),
        purpose="2026年度村级协商资金",
        counterparty="甲镇财政所",
    )

    # The convener asks for the money for this consultation's item, through the page.
    page = desktop(browser)
    log_in(page, live_server.url, "convener")
    page.goto(f"{live_server.url}/funds/{account.pk}/spend/")
    page.get_by_label("关联协商或交办事项").select_option(index=1)
    page.get_by_label("支出用途").select_option(index=0)
    page.get_by_label("金额（元）").fill("1280")
    page.get_by_label("收款单位").fill("甲镇建材店")
    page.get_by_label("事由").fill("停放点划线和标识牌")
    page.get_by_role("button", name=re.compile("提交")).click()
    expect(page.get_by_text("停放点划线和标识牌").first).to_be_visible()
    entry_url = page.url
    page.context.close()

    # The village's party secretary approves it; the convener pays it with the invoice.
    approver = desktop(browser)
    log_in(approver, live_server.url, "secretary")
    approver.goto(entry_url)
    approver.get_by_role("button", name="提交审批意见").click()
    approver.context.close()
    page = desktop(browser)
    log_in(page, live_server.url, "convener")
    page.goto(entry_url)
    page.get_by_label("支付日期").fill(timezone.localdate().isoformat())
    page.locator("input[type=file]").first.set_input_files(
        files=[{"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    page.get_by_role("button", name="登记支付").click()
    expect(page.get_by_text("已支付").first).to_be_visible()
    page.context.close()

    # A resident reads the public result: the spending is there, with no one's name or account.
    phone.goto(f"{live_server.url}/r/{consultation.pk}/")
    spending = phone.locator("#fund-spending + div.card")
    expect(spending).to_contain_text("停放点划线和标识牌")
    expect(spending).to_contain_text("1,280.00")
    expect(phone.locator("body")).not_to_contain_text("甲镇建材店")
    expect(phone.locator("body")).not_to_contain_text("6230520010001234567")
    assert secretary.full_name not in phone.content()
