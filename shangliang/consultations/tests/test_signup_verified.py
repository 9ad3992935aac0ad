"""Signing up and posting an opinion need a verified mobile number; one opinion per number and consultation."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from shangliang.accounts.verification import mobile_bind
from shangliang.consultations import services
from shangliang.consultations.models import OnlinePost
from shangliang.consultations.states import Mode, ParticipantCategory
from shangliang.consultations.tests.builders import notified
from shangliang.core.errors import DomainError
from shangliang.orgs.tests.factories import make_user

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def verified(mobile: str, **fields):
    return make_user(mobile=mobile, verified_mobile=mobile, mobile_verified_at=timezone.now(), **fields)


def page_url(consultation) -> str:
    return reverse("consultations:public_page", args=[consultation.pk])


def post_url(consultation) -> str:
    return reverse("consultations:post", args=[consultation.pk])


def signup_url(consultation) -> str:
    return reverse("consultations:signup", args=[consultation.pk])


# --- signing up ----------------------------------------------------------------------------


@pytest.mark.parametrize("mobile", ["", "13800000001"])
def test_an_account_without_a_verified_number_is_sent_to_verify_it_before_signing_up(client, district, mobile):
    consultation = notified(district)
    client.force_login(make_user(mobile=mobile or None))
    page = client.get(page_url(consultation)).content.decode()
    assert "验证手机号后报名" in page and "/accounts/mobile/?next=%2Fc%2F" in page and "我要报名" not in page
    response = client.post(signup_url(consultation))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/mobile/?next=")
    assert f"next=%2Fc%2F{consultation.pk}%2F" in response["Location"]
    assert not consultation.participants.filter(is_voluntary=True).exists()


def test_a_number_changed_since_it_was_verified_is_not_verified(client, district):
    consultation = notified(district)
    user = verified("13800000001")
    user.mobile = "13800000002"
    user.save()
    with pytest.raises(DomainError, match="报名前请先验证手机号"):
        services.participant_signup(user=user, consultation=consultation, name="张三")


def test_a_verified_account_signs_up(client, district):
    consultation = notified(district)
    resident = verified("13800000001", full_name="张小芳")
    client.force_login(resident)
    page = client.get(page_url(consultation)).content.decode()
    assert "我要报名" in page and "验证手机号后报名" not in page
    response = client.post(signup_url(consultation), follow=True)
    participant = consultation.participants.get(user=resident)
    assert participant.is_voluntary and participant.category == ParticipantCategory.RESIDENT
    assert "报名成功" in response.content.decode()


# --- online opinions -----------------------------------------------------------------------


def test_an_unverified_account_not_on_the_list_is_sent_to_verify_before_posting(client, district):
    consultation = notified(district, mode=Mode.ONLINE)
    client.force_login(make_user(mobile="13800000001"))
    page = client.get(page_url(consultation)).content.decode()
    assert "仅受邀人员和实名验证的群众" in page and 'name="text"' not in page
    assert "/accounts/mobile/?next=%2Fc%2F" in page and "%23online" in page
    response = client.post(post_url(consultation), {"text": "我反对", "stance": "oppose"})
    assert response.status_code == 200 and "仅受邀人员和实名验证的群众" in response.content.decode()
    assert not OnlinePost.objects.exists()


def test_a_listed_participant_posts_without_a_verified_number_and_the_post_keeps_none(client, district):
    consultation = notified(district, mode=Mode.ONLINE)
    official = make_user(full_name="住建局王科长")
    services.participant_add(
        actor=consultation.convener,
        consultation=consultation,
        category=ParticipantCategory.UNIT,
        name="住建局王科长",
        user=official,
    )
    client.force_login(official)
    client.post(post_url(consultation), {"text": "局里支持划线", "stance": "support"})
    client.post(post_url(consultation), {"text": "补充一点", "stance": "suggest"})
    assert list(OnlinePost.objects.values_list("mobile", flat=True)) == ["", ""]


def test_a_verified_author_posts_one_opinion_per_number_and_replies_freely(client, district):
    consultation = notified(district, mode=Mode.ONLINE)
    resident = verified("13800000001")
    client.force_login(resident)
    client.post(post_url(consultation), {"text": "建议划定停车区", "stance": "suggest"})
    first = OnlinePost.objects.get()
    assert first.mobile == "13800000001"

    again = client.post(post_url(consultation), {"text": "再说一遍", "stance": "oppose"})
    text = again.content.decode()
    assert again.status_code == 200 and "每个手机号只能发表一条意见" in text and 'class="field has-error"' in text
    htmx = client.post(post_url(consultation), {"text": "第三遍", "stance": "oppose"}, headers=HTMX)
    assert "每个手机号只能发表一条意见" in htmx.content.decode() and htmx.content.decode().startswith("<section")
    assert OnlinePost.objects.count() == 1

    for text in ["回复一", "回复二"]:
        client.post(post_url(consultation), {"text": text, "reply_to": first.pk})
    replies = OnlinePost.objects.filter(reply_to=first)
    assert replies.count() == 2 and set(replies.values_list("mobile", flat=True)) == {""}

    # The same number may give its opinion on another consultation.
    other = notified(district, mode=Mode.ONLINE, title="路灯不亮")
    client.post(post_url(other), {"text": "路灯", "stance": "support"})
    assert other.posts.get().mobile == "13800000001"


def test_the_number_cannot_post_again_from_another_account(client, district):
    consultation = notified(district, mode=Mode.ONLINE)
    first = verified("13800000001")
    services.online_post(user=first, consultation=consultation, text="第一条")
    second = make_user()
    # The number moves to a new account when its holder proves it there (accounts.verification).
    second = mobile_bind(user=second, mobile="13800000001", actor=second)
    assert second.has_verified_mobile
    client.force_login(second)
    response = client.post(post_url(consultation), {"text": "换个账号再发", "stance": "oppose"})
    assert "每个手机号只能发表一条意见" in response.content.decode()
    assert list(consultation.posts.values_list("text", flat=True)) == ["第一条"]


def test_two_posts_racing_past_the_check_end_as_a_message_not_a_500(district, monkeypatch):
    consultation = notified(district, mode=Mode.ONLINE)
    resident = verified("13800000001")
    services.online_post(user=resident, consultation=consultation, text="第一条")
    # The second request checked before the first was saved: only the database constraint is left.
    monkeypatch.setattr(services, "_number_has_opinion", lambda *args: False)
    monkeypatch.setattr(OnlinePost, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(DomainError, match="每个手机号只能发表一条意见") as refused:
        services.online_post(user=resident, consultation=consultation, text="第二条")
    assert refused.value.field == "text"
    assert consultation.posts.count() == 1


def test_the_database_refuses_a_second_opinion_with_the_same_number(district):
    consultation = notified(district, mode=Mode.ONLINE)
    author = verified("13800000001")
    OnlinePost.objects.create(consultation=consultation, author=author, mobile="13800000001", text="一")
    with pytest.raises(IntegrityError), transaction.atomic():
        OnlinePost.objects.create(consultation=consultation, author=make_user(), mobile="13800000001", text="二")
    OnlinePost.objects.create(consultation=consultation, author=make_user(), mobile="", text="不限")
