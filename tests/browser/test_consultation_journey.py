"""A convener runs a consultation from planning to a resolution; a participant signs in on a phone."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shangliang.consultations.models import Consultation, Participant
from shangliang.orgs import services as org_services
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_member, make_platform, make_user, small_district
from shangliang.topics.tests.builders import approved

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def village(transactional_db):
    d = small_district()
    room = make_platform(d["a1"], name="甲一村协商议事室")
    station = make_platform(d["a"], name="甲镇协商议事室")
    member = make_member("陈委员", specialty="交通管理", mobile="13912340000")
    org_services.member_assign(actor=None, member=member, platform=station, started_on=datetime.date(2024, 1, 1))
    topic = approved(d["a1"], "集镇电动车乱停放", platform=room)
    grant(make_user("convener", password="convener-pass-1", full_name="田主任"), Role.CONVENER, region=d["a1"])
    return {**d, "room": room, "topic": topic}


def test_convener_runs_a_consultation_and_a_participant_signs_in_on_a_phone(
    live_server, browser, phone, screenshot, village
):
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名或手机号").fill("convener")
    page.get_by_label("密码").fill("convener-pass-1")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name=re.compile("您好"))).to_be_visible()

    # Plan.
    page.goto(f"{base}/topics/{village['topic'].pk}/")
    page.get_by_role("link", name="安排或查看协商").click()
    page.get_by_label("协商平台").select_option(label="甲一村协商议事室")
    page.get_by_label("协商形式").select_option(label="居（村）民议事会")
    page.get_by_label("方式").select_option(label="线下")
    start = timezone.localtime() + datetime.timedelta(days=5)
    page.get_by_label("开始时间").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("结束时间").fill((start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("地点").fill("甲一村党群服务中心")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#consultation-status")).to_have_text("筹备中")

    # Participants: the member proposed by the system, and residents added by hand.
    page.get_by_role("link", name="参与人员").click()
    page.get_by_label("陈委员").check()
    page.get_by_role("button", name="邀请所选人员").click()
    for name, mobile in [("李大爷", "13800001001"), ("王大姐", "13800001002"), ("赵师傅", "13800001003")]:
        page.get_by_label("类别").select_option(label="居（村）民代表")
        page.get_by_label("姓名").fill(name)
        page.get_by_label("手机号").fill(mobile)
        page.get_by_role("button", name="加入名单").click()
    expect(page.locator("#participant-rows")).to_contain_text("赵师傅")
    expect(page.locator("#representativeness")).to_contain_text("通过")

    # Research, then notice.
    page.get_by_role("link", name="概况与调研").click()
    page.get_by_label("调研人员").fill("田主任、陈委员")
    page.get_by_label("调研日期").fill(timezone.localdate().isoformat())
    page.get_by_label("调研地点").fill("集镇主街")
    page.get_by_label("调研发现").fill("赶集日人行道被电动车占满；东侧空地可划停车区。")
    page.get_by_role("button", name="保存调研记录").click()
    expect(page.locator("#research")).to_contain_text("东侧空地")
    page.get_by_role("link", name="事先通知").click()
    page.get_by_role("button", name="发出通知").click()
    expect(page.locator("#consultation-status")).to_have_text("已通知")
    expect(page.locator("#deliveries")).to_contain_text("短信")
    screenshot(page, "consultation-notice-desktop")

    # The day of the session comes (it may not open days before the notified start); it opens and a
    # resident signs in on their phone.
    soon = timezone.now() + datetime.timedelta(minutes=30)
    Consultation.objects.update(starts_at=soon, ends_at=soon + datetime.timedelta(hours=2))
    page.get_by_role("link", name="会场记录").click()
    page.get_by_role("button", name="开始协商").click()
    expect(page.locator("#consultation-status")).to_have_text("协商中")
    # From the own link in the notice text (signing in by number at the door QR needs an SMS code).
    participant = Participant.objects.get(mobile="13800001001")
    phone.goto(f"{base}/c/p/{participant.token}/")
    phone.get_by_role("button", name="签到").click()
    expect(phone.get_by_text("签到成功")).to_be_visible()
    screenshot(phone, "consultation-sign-in-phone")
    page.reload()
    row = page.locator("#sign-in tr", has_text="王大姐")
    row.get_by_role("button", name="代签到").click()
    expect(page.locator("#sign-in tr", has_text="李大爷")).not_to_contain_text("—")

    # The record, with a dissenting view.
    page.get_by_label("发言人").select_option(label="陈委员")
    page.get_by_label("议程").select_option(index=1)
    page.get_by_label("发言内容").fill("建议在东侧空地划线停车，由城管统一管理。")
    page.get_by_label("态度").select_option(label="提出建议")
    page.get_by_role("button", name="记录", exact=True).click()
    # htmx swaps the statements in with a fresh form: wait for it before filling the next one.
    expect(page.locator("#statements")).to_contain_text("建议在东侧空地划线停车")
    page.get_by_label("发言人").select_option(label="李大爷")
    page.get_by_label("发言内容").fill("东侧空地是晒场，不同意占用。")
    page.get_by_label("态度").select_option(label="反对")
    page.get_by_role("button", name="记录", exact=True).click()
    expect(page.locator("#statements")).to_contain_text("不同意见")
    page.get_by_role("button", name="结束协商并生成纪要").click()

    # Minutes, confirmed by the convener.
    expect(page.get_by_label("会议纪要")).to_contain_text("实到2人")
    page.get_by_role("button", name="确认纪要").click()
    expect(page.locator("#minutes-confirmed")).to_be_visible()

    # Resolution with the dissent explained.
    page.get_by_role("link", name="协商意见").click()
    page.get_by_label("建议内容").fill("在集镇东侧空地划定电动车停放区，晒场另行选址。")
    page.get_by_role("button", name="添加建议").click()
    # The opposing statement is on the dissent list already, carried from the session.
    expect(page.locator("#dissents")).to_contain_text("东侧空地是晒场，不同意占用。")
    page.get_by_label("解释方式").fill("入户")
    page.get_by_label("解释说明").fill("村里在北侧另辟晒场，秋收前完工。")
    page.get_by_label("解释结果").select_option(label="已理解认可")
    page.get_by_role("button", name="记录解释说明").click()
    expect(page.locator("#dissents")).to_contain_text("已理解认可")
    page.get_by_role("button", name="确认协商意见").click()
    expect(page.locator("#consultation-status")).to_have_text("已形成协商意见")
    screenshot(page, "consultation-resolution-desktop")
    context.close()
