"""One case through the whole loop, as the people doing it would: from a resident's phone to that same
resident rating the result. Each actor starts from their home page and finds the next step there (no
address typed by hand); the resident follows the matter on the tracking page, photographed at each
stage into docs/screenshots/track-*.png."""

import datetime
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from shangliang.consultations.models import Consultation
from shangliang.consultations.tests.builders import starting_soon
from shangliang.core.notify import Kind
from shangliang.core.tests.fakes.sms_servers import FakeAliyunSms, use_aliyun
from shangliang.orgs.models import Unit
from shangliang.orgs.states import Role, UnitKind
from shangliang.orgs.tests.factories import grant, make_platform, make_user, small_district
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.states import AssignmentStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "case-pass-2026"
RESIDENT_MOBILE = "13712340001"
TITLE = "小区电动车乱停乱放、楼道拉线充电"


@pytest.fixture
def village(transactional_db):
    d = small_district()
    room = make_platform(d["a1"], name="甲一村协商议事室")
    grant(make_user("station", password=PASSWORD, full_name="林站长"), Role.STATION_HEAD, region=d["a"])
    grant(make_user("secretary", password=PASSWORD, full_name="周书记"), Role.APPROVER, region=d["a1"])
    grant(make_user("convener", password=PASSWORD, full_name="田主任"), Role.CONVENER, region=d["a1"])
    grant(make_user("supervisor", password=PASSWORD, full_name="督办王"), Role.SUPERVISOR, region=d["district"])
    township = Unit.objects.create(name="甲镇人民政府", kind=UnitKind.TOWNSHIP_GOVERNMENT, region=d["a"])
    Unit.objects.create(name="区住房和城乡建设局", kind=UnitKind.GOVERNMENT_DEPARTMENT, region=d["district"])
    grant(make_user("liaison", password=PASSWORD, full_name="镇政府联络员"), Role.UNIT_LIAISON, unit=township)
    return {**d, "room": room}


def desktop(browser, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(BASE["url"] + "/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name=re.compile("您好"))).to_be_visible()
    return page


def todo(page, title):
    """Open the first record under ``title`` in the home page's to-do list (待我处理)."""
    page.goto(BASE["url"] + "/")
    item = page.locator("#waiting li", has=page.locator(".l", has_text=title)).first
    expect(item).to_be_visible()
    entries = item.locator("ul a")
    (entries.first if entries.count() else item.locator("a.head")).click()


def pick(page, field, text):
    """Choose ``text`` in the searchable picker (Tom Select) of ``field``: type to filter, tap the option."""
    page.locator(f"#id_{field} + .ts-wrapper .ts-control").click()
    page.keyboard.type(text[:3])
    page.locator(".ts-dropdown .option", has_text=text).first.click()
    page.keyboard.press("Escape")


BASE = {}


def track(phone, code, stage, screenshot):
    phone.goto(f"{BASE['url']}/track/{code}/")
    body = phone.locator("body")
    for private in ("林站长", "周书记", "田主任", "督办王", "镇政府联络员", RESIDENT_MOBILE, "王阿姨"):
        expect(body).not_to_contain_text(private)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, f"track-{stage}")
    return body


@pytest.fixture
def gateway(settings, transactional_db):
    """The district's SMS gateway: a local fake of 阿里云 that checks signatures and keeps the texts."""
    with FakeAliyunSms(sign="某某区政协", templates={"SMS_1": ["code", "minutes"], "SMS_2": ["title", "url"]}) as fake:
        texts = {kind: ("SMS_2", "title=title\nurl=url") for kind in Kind if kind != Kind.CODE}
        use_aliyun(settings, fake, {Kind.CODE: ("SMS_1", "code=code\nminutes=minutes"), **texts})
        yield fake


def test_a_case_goes_round_the_loop_and_the_resident_follows_it(
    live_server, browser, phone, screenshot, village, gateway, tmp_path
):
    BASE["url"] = base = live_server.url
    photo = tmp_path / "charging-shed.jpg"
    Image.new("RGB", (640, 480), (40, 120, 60)).save(photo, "JPEG")

    # 1. A resident reports the matter from the platform's QR code, by name, on a phone.
    phone.goto(f"{base}/submit/p/{village['room'].pk}/")
    phone.get_by_label("反映的问题").fill(TITLE)
    phone.get_by_label("详细情况").fill("3号楼电动车堵住消防通道，还有人从楼上拉电线下来充电，晚上很危险。")
    phone.get_by_label("类别").select_option(label="停车与交通秩序")
    phone.get_by_label("实名反映").check()
    phone.get_by_label("姓名").fill("王阿姨")
    phone.get_by_label("手机号").fill(RESIDENT_MOBILE)
    # A named matter counts as named once the number is proved by the code texted to it.
    phone.get_by_role("button", name="获取验证码").click()
    expect(phone.locator(".code-status")).to_contain_text("137****0001")
    phone.get_by_label("短信验证码").fill(gateway.last_code_for(RESIDENT_MOBILE))
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("提交成功，请记下查询码")).to_be_visible()
    code = phone.locator(".new-code .code").inner_text().strip()
    body = track(phone, code, "1-submitted", screenshot)
    expect(body).not_to_contain_text("暂无答复")

    # The resident registers with the same mobile and finds the matter under 我的诉求.
    phone.goto(f"{base}/accounts/register/")
    phone.get_by_label("手机号").fill(RESIDENT_MOBILE)
    phone.get_by_role("button", name="获取验证码").click()
    expect(phone.locator(".code-status")).to_contain_text("137****0001")
    phone.get_by_label("短信验证码").fill(gateway.last_code_for(RESIDENT_MOBILE))
    phone.locator("#id_password1").fill(PASSWORD)
    phone.get_by_label("再次输入密码").fill(PASSWORD)
    phone.get_by_role("button", name="注册").click()
    expect(phone.get_by_text("注册成功，已登录。")).to_be_visible()
    phone.get_by_role("link", name="我的诉求").first.click()
    expect(phone.get_by_text(TITLE).first).to_be_visible()

    # 2. The station screens it, verifies it and drafts the topic.
    station = desktop(browser, "station")
    todo(station, "待筛查的诉求")
    if not station.locator("#submission-status").count():
        station.locator("#submission-rows tr", has_text=TITLE).get_by_role("link").first.click()
    station.get_by_label("符合协商范围，予以受理").check()
    station.get_by_role("button", name="记录筛查结论").click()
    expect(station.locator("#submission-status")).to_have_text("已受理")
    station.get_by_role("button", name="核实并拟定议题").click()
    station.get_by_label("核实人员").fill("林站长、网格员")
    station.get_by_label("核实日期").fill(timezone.localdate().isoformat())
    station.get_by_label("核实情况").fill("3号楼、5号楼楼道均有飞线充电，小区无集中充电设施，属实。")
    station.get_by_role("button", name="保存核实记录").click()
    station.get_by_role("link", name="完善议题").click()
    station.get_by_label("切口小、关联广的理由").fill("一个小区的停车充电，关系每户的消防安全。")
    station.get_by_role("button", name="保存").click()
    station.get_by_role("button", name="提交审定").click()
    expect(station.locator("#topic-status")).to_have_text("待审定")
    station.context.close()
    track(phone, code, "2-screened", screenshot)

    # 3. The village party secretary approves it from the to-do list.
    secretary = desktop(browser, "secretary")
    todo(secretary, "待我审定的议题")
    if not secretary.locator("#topic-status").count():
        secretary.get_by_role("link", name=TITLE).first.click()
    secretary.get_by_label("同意，列为协商议题").check()
    secretary.get_by_role("button", name="提交审定结果").click()
    expect(secretary.locator("#topic-status")).to_have_text("已审定")
    secretary.context.close()
    expect(track(phone, code, "3-approved", screenshot)).to_contain_text("已审定")

    # 4. The convener plans the consultation, invites people, researches and sends the notice.
    convener = desktop(browser, "convener")
    todo(convener, "待安排协商的议题")
    convener.get_by_label("协商平台").select_option(label="甲一村协商议事室")
    convener.get_by_label("协商形式").select_option(label="居（村）民议事会")
    convener.get_by_label("方式").select_option(label="线下")
    start = timezone.localtime() + datetime.timedelta(days=5)
    convener.get_by_label("开始时间").fill(start.strftime("%Y-%m-%dT%H:%M"))
    convener.get_by_label("结束时间").fill((start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    convener.get_by_label("地点").fill("甲一村党群服务中心")
    convener.get_by_role("button", name="保存").click()
    expect(convener.locator("#consultation-status")).to_have_text("筹备中")
    convener.get_by_role("link", name="参与人员").click()
    for name, mobile in [("李大爷", "13800001001"), ("赵师傅", "13800001003")]:
        convener.get_by_label("类别").select_option(label="居（村）民代表")
        convener.get_by_label("姓名").fill(name)
        convener.get_by_label("手机号").fill(mobile)
        convener.get_by_role("button", name="加入名单").click()
    expect(convener.locator("#participant-rows")).to_contain_text("赵师傅")
    convener.get_by_role("link", name="概况与调研").click()
    convener.get_by_label("调研人员").fill("田主任")
    convener.get_by_label("调研日期").fill(timezone.localdate().isoformat())
    convener.get_by_label("调研地点").fill("小区3号楼、5号楼")
    convener.get_by_label("调研发现").fill("小区东侧空地可建集中充电棚，约40个车位。")
    convener.get_by_role("button", name="保存调研记录").click()
    convener.get_by_role("link", name="事先通知").click()
    convener.get_by_role("button", name="发出通知").click()
    expect(convener.locator("#consultation-status")).to_have_text("已通知")
    expect(convener.locator("#deliveries")).to_contain_text("短信")
    expect(track(phone, code, "4-notified", screenshot)).to_contain_text("甲一村党群服务中心")

    # Five days pass: the day of the session has come.
    starting_soon(Consultation.objects.get())

    # 5. The session: sign-in, statements (one dissenting), minutes, the resolution.
    todo(convener, "今天召开的协商")
    convener.get_by_role("button", name="开始协商").click()
    expect(convener.locator("#consultation-status")).to_have_text("协商中")
    convener.locator("#sign-in tr", has_text="李大爷").get_by_role("button", name="代签到").click()
    convener.locator("#sign-in tr", has_text="赵师傅").get_by_role("button", name="代签到").click()
    expect(convener.locator("#sign-in")).to_contain_text("2/2")
    convener.get_by_label("发言人").select_option(label="李大爷")
    convener.get_by_label("发言内容").fill("建议在东侧空地建集中充电棚，楼道一律不准充电。")
    convener.get_by_label("态度").select_option(label="提出建议")
    convener.get_by_role("button", name="记录", exact=True).click()
    expect(convener.locator("#statements")).to_contain_text("集中充电棚")
    convener.get_by_label("发言人").select_option(label="赵师傅")
    convener.get_by_label("发言内容").fill("东侧空地是孩子玩的地方，不同意建充电棚。")
    convener.get_by_label("态度").select_option(label="反对")
    convener.get_by_label("不同意见").check()
    convener.get_by_role("button", name="记录", exact=True).click()
    expect(convener.locator("#statements")).to_contain_text("孩子玩的地方")
    convener.get_by_role("button", name="结束协商并生成纪要").click()
    expect(convener.get_by_label("会议纪要")).to_contain_text("孩子玩的地方")

    todo(convener, "待确认的会议纪要")
    convener.get_by_role("button", name="确认纪要").click()
    expect(convener.locator("#minutes-confirmed")).to_be_visible()

    convener.get_by_role("link", name="协商意见").click()
    for text in ("在小区东侧空地建设集中充电棚，安装智能充电桩。", "楼道内禁止停放电动车和拉线充电，物业每周巡查。"):
        convener.locator("#id_text").fill(text)
        convener.get_by_role("button", name="添加建议").click()
    # The dissent ticked in the session is already on the resolution's list: it needs no retyping.
    expect(convener.locator("#dissents")).to_contain_text("孩子玩的地方")
    todo(convener, "待解释说明的不同意见")
    convener.get_by_label("解释方式").fill("入户")
    convener.get_by_label("解释说明").fill("充电棚建在空地北角，保留南侧儿童活动区。")
    convener.get_by_label("解释结果").select_option(label="已理解认可")
    convener.get_by_role("button", name="记录解释说明").click()
    expect(convener.locator("#dissents")).to_contain_text("已理解认可")
    todo(convener, "待确认的协商意见")
    convener.get_by_role("button", name="确认协商意见").click()
    expect(convener.locator("#consultation-status")).to_have_text("已形成协商意见")
    expect(track(phone, code, "5-resolution", screenshot)).to_contain_text("集中充电棚")

    # 6. The secretary hands both suggestions to the township government in one action (交办).
    secretary = desktop(browser, "secretary")
    todo(secretary, "待交办的协商建议")
    secretary.get_by_role("link", name="交办").first.click()
    pick(secretary, "lead_unit", "甲镇人民政府")
    others = secretary.locator("input[name=also]")
    for i in range(others.count()):
        others.nth(i).check()
    secretary.locator("#id_responsible_person").fill("李科长")
    secretary.get_by_label("办理时限").fill((timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    secretary.get_by_label("督办负责人").select_option(label="督办王")
    secretary.get_by_role("button", name="交办").click()
    expect(secretary.locator("main")).to_contain_text("甲镇人民政府")
    assert Assignment.objects.count() == 2
    secretary.context.close()

    # 7. The township's liaison is told, signs for both items and finishes them.
    liaison = desktop(browser, "liaison")
    expect(liaison.locator("#notifications")).to_contain_text("新交办")
    for assignment in Assignment.objects.order_by("pk"):
        todo(liaison, "待签收的交办事项")
        liaison.get_by_role("link", name=re.compile(assignment.suggestion.text[:8])).first.click()
        liaison.get_by_role("button", name="签收").click()
        liaison.get_by_label("落实效果").fill("已建成充电棚一座，40个充电桩投入使用；楼道飞线全部清除。")
        liaison.locator("input[type=file][name=evidence]").set_input_files(str(photo))
        liaison.get_by_label("佐证照片可公开").check()
        liaison.get_by_role("button", name="办结").click()
        expect(liaison.get_by_text("办结待验收").first).to_be_visible()
    liaison.context.close()
    expect(track(phone, code, "6-finished", screenshot)).to_contain_text("办结待验收")

    # 8. The convener checks the village's items (验收) and publishes the result.
    for _ in range(2):
        todo(convener, "办结待验收的事项")
        if not convener.get_by_role("button", name="验收通过").count():
            convener.locator("a", has_text="集中充电棚").first.click()
        convener.get_by_role("button", name="验收通过").click()
        expect(convener.get_by_text("已办结").first).to_be_visible()
    assert set(Assignment.objects.values_list("status", flat=True)) == {AssignmentStatus.DONE}
    todo(convener, "待公开的落实结果")
    summary = convener.get_by_label("公开内容")
    if not summary.is_visible():
        convener.locator("summary", has_text="公开结果").click()
    summary.fill("小区东侧建成集中充电棚，楼道飞线全部清除。")
    convener.get_by_role("button", name="公开", exact=True).click()
    expect(convener.get_by_text("已公开").first).to_be_visible()
    convener.context.close()
    expect(track(phone, code, "7-published", screenshot)).to_contain_text("已公开")

    # 9. The resident, still logged in on the phone, rates it from the tracking page.
    phone.get_by_role("link", name=re.compile("评议|评价")).first.click()
    phone.get_by_role("group", name="对协商过程").get_by_role("radio", name="满意", exact=True).check()
    phone.get_by_role("group", name="对落实结果").get_by_role("radio", name="满意", exact=True).check()
    phone.get_by_role("button", name="提交评议").click()
    expect(phone.get_by_text("您已评议")).to_be_visible()
    expect(track(phone, code, "8-rated", screenshot)).to_contain_text("您已评价")
