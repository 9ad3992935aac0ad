"""A resident rates a published consultation on a phone inside WeChat: from the result page to 您已评议."""

import pytest
from playwright.sync_api import expect

from shangliang.evaluation.models import Rating
from shangliang.evaluation.states import RatingChannel, Satisfaction
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import services as outcome_services
from shangliang.outcomes.tests.builders import concluded

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rating-pass-1"


@pytest.fixture
def published(transactional_db):
    from shangliang.orgs.tests.factories import small_district

    d = small_district()
    convener = grant(make_user("convener", password=PASSWORD, full_name="田主任"), Role.CONVENER, region=d["a1"])
    consultation = concluded(d, convener=convener, suggestions=("规划电动车集中停放点", "赶集日安排志愿者值守"))
    outcome_services.publication_publish(
        actor=convener, consultation=consultation, summary="集镇东口建成电动车停放点两处；赶集日值守正在安排。"
    )
    make_user("resident", password=PASSWORD, full_name="居民张三", mobile="13712345678", verified=True)
    return consultation


def test_a_resident_rates_a_published_consultation_on_a_phone(live_server, phone, screenshot, published):
    phone.goto(f"{live_server.url}/r/{published.pk}/")
    expect(phone.get_by_text("集镇东口建成电动车停放点两处").first).to_be_visible()
    phone.get_by_role("link", name="评议", exact=True).click()

    # Not logged in yet: the page shows the figures and sends the resident to log in and back.
    expect(phone.get_by_text("参评人数", exact=True)).to_be_visible()
    phone.get_by_role("link", name="登录后评议").click()
    phone.get_by_label("用户名或手机号").fill("13712345678")
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    expect(phone.get_by_role("heading", name="我要评议")).to_be_visible()

    phone.get_by_role("group", name="对协商过程").get_by_role("radio", name="满意", exact=True).check()
    phone.get_by_role("group", name="对落实结果").get_by_role("radio", name="基本满意", exact=True).check()
    phone.get_by_label("意见建议").fill("希望停放点加装遮雨棚")
    phone.get_by_role("button", name="提交评议").click()

    expect(phone.get_by_text("您已评议")).to_be_visible()
    expect(phone.locator("#my-rating")).to_contain_text("基本满意")
    # Nothing on the page is wider than the phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "rating-phone")

    rating = Rating.objects.get()
    assert rating.channel == RatingChannel.ONLINE and rating.user.username == "resident"
    assert (rating.process, rating.result) == (Satisfaction.SATISFIED, Satisfaction.BASIC)
