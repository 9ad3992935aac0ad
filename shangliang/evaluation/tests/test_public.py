"""The public rating page through HTTP: residents rate once with their account; the page shows the figures
and never anyone else's name, phone number or comment."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from shangliang.accounts.tests import codes
from shangliang.consultations.tests.builders import in_session
from shangliang.evaluation import services
from shangliang.evaluation.models import Rating
from shangliang.evaluation.states import RatingChannel, Satisfaction
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import services as outcome_services
from shangliang.outcomes.tests.builders import concluded

pytestmark = pytest.mark.django_db

sms = codes.sms  # the SMS gateway stand-in (a fixture)

S, B, U = Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.UNSATISFIED
SUMMARY = "集镇东口建成停放点两处"


@pytest.fixture
def convener(district):
    user = make_user("convener", full_name="召集人王明", mobile="13811110001")
    return grant(user, Role.CONVENER, region=district["a1"])


@pytest.fixture
def consultation(district, convener):
    return concluded(district, convener=convener)


@pytest.fixture
def published(consultation, convener):
    outcome_services.publication_publish(actor=convener, consultation=consultation, summary=SUMMARY)
    return consultation


@pytest.fixture
def resident():
    return make_user("resident", full_name="居民张三", mobile="13712345678", verified=True)


def rate_url(consultation) -> str:
    return reverse("evaluation_public:rate", args=[consultation.pk])


def text(response) -> str:
    return response.content.decode()


def test_a_resident_rates_on_the_public_page_and_the_rating_is_stored_online(client, published, resident):
    client.force_login(resident)
    page = text(client.get(rate_url(published)))
    assert published.topic.title in page and SUMMARY in page and "提交评议" in page
    response = client.post(rate_url(published), {"process": S, "result": B, "comment": " 希望加装路灯 "})
    assert response.status_code == 302 and response["Location"] == f"{rate_url(published)}#rate"
    rating = Rating.objects.get()
    assert rating.channel == RatingChannel.ONLINE and rating.user == resident and rating.mobile == resident.mobile
    assert (rating.process, rating.result, rating.comment) == (S, B, "希望加装路灯")
    page = text(client.get(rate_url(published)))
    assert "您已评议" in page and "希望加装路灯" in page and "基本满意" in page
    assert "提交评议" not in page and "感谢您的评议" in page


def test_a_second_rating_by_the_same_resident_is_refused_with_the_reason(client, published, resident):
    client.force_login(resident)
    assert client.post(rate_url(published), {"process": S, "result": S}).status_code == 302
    response = client.post(rate_url(published), {"process": U, "result": U})
    assert response.status_code == 400
    page = text(response)
    assert "每人对同一协商只能评议一次，您已经评过了。" in page and "您已评议" in page
    assert Rating.objects.count() == 1 and Rating.objects.get().result == S


def test_a_rating_typed_in_by_staff_is_not_shown_to_an_account_with_that_mobile(client, published, convener, resident):
    # The number counts the person once; staff's record of it is not the account's own rating, so shows nothing.
    services.rating_record(
        actor=convener,
        consultation=published,
        channel=RatingChannel.VISIT,
        process=B,
        result=S,
        comment="路灯还是不亮",
        mobile=resident.mobile,
    )
    client.force_login(resident)
    page = text(client.get(rate_url(published)))
    assert "您已评议" not in page and "路灯还是不亮" not in page
    response = client.post(rate_url(published), {"process": U, "result": U})
    assert response.status_code == 400 and "每个手机号只能评议一次" in text(response)
    assert Rating.objects.count() == 1


def test_missing_answers_are_shown_next_to_the_question(client, published, resident):
    client.force_login(resident)
    response = client.post(rate_url(published), {"process": S, "result": "excellent"})
    assert response.status_code == 400 and "请评价落实结果。" in text(response)
    assert not Rating.objects.exists()


def test_anonymous_visitors_see_the_figures_and_a_login_link_and_cannot_rate(client, published):
    page = text(client.get(rate_url(published)))
    login = f"{reverse('accounts:login')}?next=%2Frate%2F{published.pk}%2F"
    assert "登录后评议" in page and login in page and reverse("accounts:register") in page
    assert "参评人数" in page and "提交评议" not in page
    response = client.post(rate_url(published), {"process": S, "result": S})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert not Rating.objects.exists()


def test_rating_before_publication_is_refused(client, consultation, resident):
    client.force_login(resident)
    page = text(client.get(rate_url(consultation)))
    assert "结果公开后才能评议。" in page and "提交评议" not in page
    response = client.post(rate_url(consultation), {"process": S, "result": S})
    assert response.status_code == 400 and "结果公开后才能评议。" in text(response)
    assert not Rating.objects.exists()


def test_the_page_is_404_for_a_consultation_that_is_not_concluded(client, district, convener, resident):
    held = in_session(district, convener=convener, title="广场舞噪音")
    client.force_login(resident)
    assert client.get(rate_url(held)).status_code == 404
    assert client.post(rate_url(held), {"process": S, "result": S}).status_code == 404
    assert client.get(reverse("evaluation_public:rate", args=[999999])).status_code == 404
    assert not Rating.objects.exists()


def test_the_page_shows_rates_but_no_names_mobiles_or_comments_of_others(client, published, convener, resident):
    services.rating_record(
        actor=convener,
        consultation=published,
        channel=RatingChannel.QUESTIONNAIRE,
        process=S,
        result=U,
        comment="问卷里的意见不公开",
        mobile="13912345678",
    )
    services.rating_submit(user=resident, consultation=published, process=U, result=B, comment="张三的意见")
    services.rating_record(actor=convener, consultation=published, channel=RatingChannel.MEETING, process=B, result=S)
    other = make_user("neighbour", full_name="邻居李四", mobile="13700000002")
    for viewer in (None, other):
        if viewer is not None:
            client.force_login(viewer)
        response = client.get(rate_url(published))
        figures = response.context["figures"]
        assert figures.total == 3 and figures.process.rate == "66.7%" and figures.result.rate == "66.7%"
        page = text(response)
        assert "66.7%" in page
        for secret in ("问卷里的意见不公开", "张三的意见", "居民张三", "召集人王明", "纸质问卷", "座谈会"):
            assert secret not in page, secret
        for mobile in ("13912345678", "13712345678", "13811110001", "139****5678", "137****5678"):
            assert mobile not in page, mobile


def test_the_result_page_offers_rating_once_published(client, consultation, convener):
    result_url = reverse("outcomes_public:result", args=[consultation.pk])
    assert rate_url(consultation) not in text(client.get(result_url))
    outcome_services.publication_publish(actor=convener, consultation=consultation, summary=SUMMARY)
    page = text(client.get(result_url))
    assert rate_url(consultation) in page and "评议" in page


def test_the_poster_asks_residents_to_scan_and_rate_once_published(client, published):
    response = client.get(reverse("outcomes_public:poster", args=[published.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    assert "扫码查看结果并评议" in "".join(page.extract_text() for page in reader.pages)


# --- one rating per verified mobile number (issue 14) ---------------------------------------------


def test_an_account_without_a_verified_number_is_sent_to_verify_it_and_cannot_rate(client, published):
    unverified = make_user("newcomer", mobile="13712340000")
    client.force_login(unverified)
    page = text(client.get(rate_url(published)))
    verify = f"{reverse('accounts:mobile_verify')}?next=%2Frate%2F{published.pk}%2F%23rate"
    assert "验证手机号后评议" in page and verify in page and "提交评议" not in page
    response = client.post(rate_url(published), {"process": S, "result": S})
    assert response.status_code == 400 and "请先验证手机号后再评议。" in text(response)
    assert not Rating.objects.exists()


def test_the_rating_keeps_the_verified_number(published, resident):
    rating = services.rating_submit(user=resident, consultation=published, process=S, result=S)
    assert rating.mobile == resident.verified_mobile == "13712345678"


def test_a_new_account_that_proves_a_number_already_used_cannot_rate_again(client, published, resident, sms):
    client.force_login(resident)
    assert client.post(rate_url(published), {"process": S, "result": S}).status_code == 302
    # The same person (or whoever holds the number now) opens a second account and proves the number.
    second = make_user("second-account")
    client.force_login(second)
    sms.ask(client, resident.mobile, "verify")
    verified = client.post(
        reverse("accounts:mobile_verify"), {"mobile": resident.mobile, "code": sms.code(resident.mobile)}
    )
    assert verified.status_code == 302
    second.refresh_from_db()
    resident.refresh_from_db()
    assert second.has_verified_mobile and not resident.has_verified_mobile
    response = client.post(rate_url(published), {"process": U, "result": U})
    assert response.status_code == 400
    assert "这个手机号已经对本次协商评议过，每个手机号只能评议一次。" in text(response)
    assert Rating.objects.count() == 1 and Rating.objects.get().user == resident
