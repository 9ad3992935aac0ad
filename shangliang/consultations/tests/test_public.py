"""The public side of a consultation: its page, signing up, online opinions, a participant's page, sign-in.

The door code, its window and signing in by number with an SMS code: test_door.py; the verified-number
gates and one opinion per number: test_signup_verified.py."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations import door, services
from shangliang.consultations.models import NoticeRead, OnlinePost, Participant
from shangliang.consultations.states import ConsultationStatus, Mode, ParticipantCategory, Rsvp, SignInVia, Stance
from shangliang.consultations.tests.builders import in_session, notified, planned, with_people
from shangliang.orgs.tests.factories import make_user

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def page_url(consultation) -> str:
    return reverse("consultations:public_page", args=[consultation.pk])


def door_url(consultation) -> str:
    return reverse("consultations:door", args=[consultation.pk, door.screen_code(consultation)])


def own_sign_in_url(participant) -> str:
    return reverse("consultations:participant_sign_in", args=[participant.token])


def participant_url(participant) -> str:
    return reverse("consultations:participant_page", args=[participant.token])


def claim_url(participant_or_token) -> str:
    return reverse("consultations:claim", args=[getattr(participant_or_token, "token", participant_or_token)])


def invited(consultation, mobile="13900000000") -> Participant:
    return consultation.participants.get(mobile=mobile)


def due_now(district, **kwargs):
    """Notified, and starting now: inside the window for signing in at the door."""
    consultation = planned(district, days_ahead=0, **kwargs)
    with_people(consultation)
    earlier = consultation.starts_at - datetime.timedelta(days=5)
    return services.notice_send(actor=consultation.convener, consultation=consultation, now=earlier)


def post(consultation, user, text="建议划线停车", **fields) -> OnlinePost:
    return services.online_post(user=user, consultation=consultation, text=text, **fields)


# --- the consultation's page ---------------------------------------------------------------


def test_public_page_is_not_found_while_planned_or_after_cancelling(client, district):
    consultation = planned(district)
    assert client.get(page_url(consultation)).status_code == 404
    services.consultation_cancel(actor=consultation.convener, consultation=consultation, reason="改期")
    assert client.get(page_url(consultation)).status_code == 404
    assert client.get(reverse("consultations:public_page", args=[999999])).status_code == 404


def test_public_page_shows_the_notice_and_counts_but_no_names_or_mobiles(client, district):
    consultation = notified(district)
    page = client.get(page_url(consultation)).content.decode()
    assert "集镇电动车乱停放" in page and "甲一村党群服务中心" in page and "通报调研情况" in page
    assert "居（村）民议事会" in page and "已通知" in page
    # Five invited by staff, none signed up (issue 13: invitations are not sign-ups).
    assert '<span class="count">0</span> 人报名' in page and "另邀请 5 人参加" in page
    for person in consultation.participants.all():
        assert person.name not in page
        if person.mobile:
            assert person.mobile not in page and person.masked_mobile not in page
    assert "我要报名" in page


def test_signup_button_is_gone_once_the_session_is_open(client, district):
    consultation = in_session(district)
    client.force_login(make_user(mobile="13800000001"))
    page = client.get(page_url(consultation)).content.decode()
    assert "我要报名" not in page and "报名已截止" in page
    assert "已签到 0 人" in page


# --- signing up ----------------------------------------------------------------------------


def test_signup_requires_login_and_comes_back_to_the_page(client, district):
    consultation = notified(district)
    response = client.post(reverse("consultations:signup", args=[consultation.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login")) and "next=/c/" in response["Location"]
    assert not consultation.participants.filter(is_voluntary=True).exists()


def test_signup_creates_one_voluntary_participant_and_a_second_try_says_so(client, district):
    consultation = notified(district)
    resident = make_user(full_name="张小芳", mobile="13800000001", verified=True)
    client.force_login(resident)
    url = reverse("consultations:signup", args=[consultation.pk])

    response = client.post(url, follow=True)
    participant = consultation.participants.get(user=resident)
    assert response.redirect_chain[-1][0] == participant_url(participant)
    assert participant.is_voluntary and participant.name == "张小芳"
    assert participant.category == ParticipantCategory.RESIDENT and participant.mobile == "13800000001"
    assert "报名成功" in response.content.decode()

    again = client.post(url, follow=True)
    assert again.redirect_chain[-1][0] == page_url(consultation)
    assert "您已经报名了" in again.content.decode()
    assert consultation.participants.filter(user=resident).count() == 1


def test_signup_as_a_stakeholder_and_the_page_then_links_to_the_own_notice(client, district):
    consultation = notified(district)
    resident = make_user(mobile="13800000001", verified=True)
    client.force_login(resident)
    client.post(reverse("consultations:signup", args=[consultation.pk]), {"category": "stakeholder"})
    participant = consultation.participants.get(user=resident)
    assert participant.category == ParticipantCategory.STAKEHOLDER
    page = client.get(page_url(consultation)).content.decode()
    assert "您已在参与名单中" in page and participant_url(participant) in page and "我要报名" not in page


def test_signup_with_an_unknown_category_is_refused_with_a_message(client, district):
    consultation = notified(district)
    client.force_login(make_user(mobile="13800000001", verified=True))
    response = client.post(reverse("consultations:signup", args=[consultation.pk]), {"category": "member"}, follow=True)
    assert "请选择报名身份" in response.content.decode()
    assert not consultation.participants.filter(is_voluntary=True).exists()


def test_an_account_registered_with_an_invited_mobile_learns_nothing_and_takes_over_nothing(client, district):
    consultation = notified(district, mode=Mode.ONLINE)
    victim = invited(consultation)
    client.force_login(make_user(full_name="冒充者", mobile=victim.mobile))
    page = client.get(page_url(consultation)).content.decode()
    assert victim.name not in page and victim.token not in page and "您已在参与名单中" not in page
    # A number typed into an account proves nothing: without the SMS code the account may not post.
    response = client.post(
        reverse("consultations:post", args=[consultation.pk]), {"text": "我代表她反对", "stance": "oppose"}
    )
    assert response.status_code == 200 and "仅受邀人员和实名验证的群众" in response.content.decode()
    assert not OnlinePost.objects.exists()
    victim.refresh_from_db()
    assert victim.user is None and victim.history.count() == 1
    page = client.get(page_url(consultation)).content.decode()
    assert victim.name not in page and "您已在参与名单中" not in page


def test_signing_up_with_an_invited_mobile_does_not_tell_that_the_number_is_on_the_list(client, district):
    consultation = notified(district)
    victim = invited(consultation)
    client.force_login(make_user(full_name="冒充者", mobile=victim.mobile, verified=True))
    response = client.post(reverse("consultations:signup", args=[consultation.pk]), follow=True)
    text = response.content.decode()
    assert "报名成功" in text and "已在参与名单中" not in text and victim.name not in text
    victim.refresh_from_db()
    assert victim.user is None and consultation.participants.filter(name="冒充者", mobile="").exists()


# --- online opinions -----------------------------------------------------------------------


def test_online_section_only_for_online_consultations(client, district):
    offline = notified(district)
    assert 'id="online"' not in client.get(page_url(offline)).content.decode()
    client.force_login(make_user(mobile="13800000001"))
    response = client.post(reverse("consultations:post", args=[offline.pk]), {"text": "意见", "stance": "support"})
    assert response.status_code == 404 and not OnlinePost.objects.exists()

    online = notified(district, mode=Mode.HYBRID, title="路灯不亮")
    assert 'id="online"' in client.get(page_url(online)).content.decode()


def test_anonymous_visitors_are_asked_to_log_in_before_posting(client, district):
    consultation = notified(district, mode=Mode.ONLINE)
    page = client.get(page_url(consultation)).content.decode()
    assert "登录后可以发表意见" in page and 'name="text"' not in page
    response = client.post(reverse("consultations:post", args=[consultation.pk]), {"text": "意见", "stance": "oppose"})
    assert response["Location"].startswith(reverse("accounts:login"))
    htmx = client.post(reverse("consultations:post", args=[consultation.pk]), {"text": "意见"}, headers=HTMX)
    assert htmx["HX-Redirect"].startswith(reverse("accounts:login"))
    assert not OnlinePost.objects.exists()


def test_a_user_without_mobile_who_is_not_invited_is_refused_and_nothing_is_written(client, district):
    consultation = notified(district, mode=Mode.ONLINE)
    client.force_login(make_user(full_name="无手机"))
    page = client.get(page_url(consultation)).content.decode()
    assert "仅受邀人员和实名验证的群众" in page and 'name="text"' not in page
    response = client.post(
        reverse("consultations:post", args=[consultation.pk]), {"text": "我反对", "stance": "oppose"}
    )
    assert response.status_code == 200 and "仅受邀人员和实名验证的群众" in response.content.decode()
    assert not OnlinePost.objects.exists()


def test_a_verified_resident_posts_and_is_shown_only_by_a_masked_number(client, district):
    consultation = notified(district, mode=Mode.ONLINE)
    client.force_login(make_user(full_name="张小芳", mobile="13800000001", verified=True))
    response = client.post(
        reverse("consultations:post", args=[consultation.pk]), {"text": "建议划定停车区", "stance": "suggest"}
    )
    assert response.status_code == 302 and response["Location"] == page_url(consultation) + "#online"
    created = OnlinePost.objects.get()
    assert created.author.mobile == "13800000001" and created.stance == Stance.SUGGEST and created.participant is None
    client.logout()
    page = client.get(page_url(consultation)).content.decode()
    assert "建议划定停车区" in page and "居民（138****0001）" in page and "提出建议" in page
    assert "张小芳" not in page and "13800000001" not in page


def test_an_invited_user_without_mobile_may_post_and_shows_as_their_category(client, district):
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
    client.post(reverse("consultations:post", args=[consultation.pk]), {"text": "局里支持划线", "stance": "support"})
    assert OnlinePost.objects.get().participant.user == official
    client.logout()
    page = client.get(page_url(consultation)).content.decode()
    assert "局里支持划线" in page and "职能部门/驻村单位" in page and "王科长" not in page


def test_an_empty_opinion_is_shown_next_to_the_field_and_not_saved(client, district):
    consultation = notified(district, mode=Mode.ONLINE)
    client.force_login(make_user(mobile="13800000001", verified=True))
    response = client.post(reverse("consultations:post", args=[consultation.pk]), {"text": "  ", "stance": "neutral"})
    assert response.status_code == 200 and "请填写意见" in response.content.decode()
    assert not OnlinePost.objects.exists()


def test_posting_with_htmx_returns_the_updated_section(client, district):
    consultation = notified(district, mode=Mode.ONLINE)
    client.force_login(make_user(mobile="13800000001", verified=True))
    response = client.post(
        reverse("consultations:post", args=[consultation.pk]),
        {"text": "赞成收费停车", "stance": "support"},
        headers=HTMX,
    )
    partial = response.content.decode()
    assert response.status_code == 200 and partial.startswith('<section id="online"')
    assert "<html" not in partial and "赞成收费停车" in partial and "意见已发表" in partial
    invalid = client.post(reverse("consultations:post", args=[consultation.pk]), {"text": ""}, headers=HTMX)
    assert "请填写意见" in invalid.content.decode() and OnlinePost.objects.count() == 1


def test_replies_nest_one_level_even_when_replying_to_a_reply(client, district):
    consultation = notified(district, mode=Mode.ONLINE)
    first = post(consultation, make_user(mobile="13800000001", verified=True), "主帖意见")
    reply = post(consultation, make_user(mobile="13800000002", verified=True), "一楼回复", reply_to=first)
    client.force_login(make_user(mobile="13800000003", verified=True))
    page = client.get(page_url(consultation) + f"?reply_to={first.pk}").content.decode()
    assert f'value="{first.pk}"' in page and "取消回复" in page and f"?reply_to={first.pk}" in page
    assert f"?reply_to={reply.pk}" not in page
    client.post(reverse("consultations:post", args=[consultation.pk]), {"text": "回复的回复", "reply_to": reply.pk})
    assert OnlinePost.objects.get(text="回复的回复").reply_to == first
    page = client.get(page_url(consultation)).content.decode()
    replies = page.split('class="replies"')[1]
    assert "一楼回复" in replies and "回复的回复" in replies


def test_a_hidden_post_shows_the_reason_and_not_its_text(client, district):
    consultation = notified(district, mode=Mode.ONLINE)
    hidden = post(consultation, make_user(mobile="13800000001", verified=True), "某某是骗子")
    services.post_hide(actor=consultation.convener, post=hidden, reason="含人身攻击")
    page = client.get(page_url(consultation)).content.decode()
    assert "该意见已被隐藏：含人身攻击" in page and "某某是骗子" not in page


def test_posting_closes_once_the_session_is_held(client, district):
    consultation = in_session(district, mode=Mode.ONLINE)
    services.session_close(actor=consultation.convener, consultation=consultation)
    client.force_login(make_user(mobile="13800000001"))
    assert "网上协商尚未开始或已结束" in client.get(page_url(consultation)).content.decode()
    client.post(reverse("consultations:post", args=[consultation.pk]), {"text": "晚了", "stance": "neutral"})
    assert not OnlinePost.objects.exists()


# --- a participant's own page --------------------------------------------------------------


def test_participant_page_marks_the_notice_read_and_stores_the_rsvp(client, district):
    consultation = notified(district)
    participant = invited(consultation)
    page = client.get(participant_url(participant)).content.decode()
    assert NoticeRead.objects.filter(participant=participant).exists()
    assert "居民0" in page and "集镇电动车乱停放" in page and "自由发言" in page and consultation.platform.name in page
    assert "未回复" in page

    response = client.post(reverse("consultations:rsvp", args=[participant.token]), {"answer": "yes"}, follow=True)
    participant.refresh_from_db()
    assert participant.rsvp == Rsvp.YES and participant.rsvp_at
    assert "已回复：参加" in response.content.decode() and "<strong>参加</strong>" in response.content.decode()
    client.post(reverse("consultations:rsvp", args=[participant.token]), {"answer": "no"})
    participant.refresh_from_db()
    assert participant.rsvp == Rsvp.NO


def test_an_invalid_rsvp_answer_changes_nothing(client, district):
    participant = invited(notified(district))
    response = client.post(reverse("consultations:rsvp", args=[participant.token]), {"answer": "maybe"}, follow=True)
    participant.refresh_from_db()
    assert participant.rsvp == Rsvp.PENDING and "请选择是否参加" in response.content.decode()


def test_an_unknown_participant_token_is_not_found(client, district):
    notified(district)
    assert client.get(reverse("consultations:participant_page", args=["nobody"])).status_code == 404
    assert client.post(reverse("consultations:rsvp", args=["nobody"]), {"answer": "yes"}).status_code == 404
    client.force_login(make_user())
    assert client.post(claim_url("nobody")).status_code == 404


def test_the_invited_person_claims_their_place_through_their_own_link(client, district):
    consultation = notified(district, mode=Mode.ONLINE)
    participant = invited(consultation)
    account = make_user(full_name="钱大姐")
    client.force_login(account)
    page = client.get(participant_url(participant)).content.decode()
    assert "关联到我的账号" in page and claim_url(participant) in page
    response = client.post(claim_url(participant), follow=True)
    participant.refresh_from_db()
    assert participant.user == account and response.redirect_chain[-1][0] == participant_url(participant)
    text = response.content.decode()
    assert "已关联到您的账号" in text and claim_url(participant) not in text
    public = client.get(page_url(consultation)).content.decode()
    assert "您已在参与名单中" in public and participant_url(participant) in public
    client.post(reverse("consultations:post", args=[consultation.pk]), {"text": "同意划线", "stance": "support"})
    assert OnlinePost.objects.get().participant == participant


def test_claiming_needs_a_login_and_leaves_a_place_claimed_by_another_account_alone(client, district):
    consultation = notified(district)
    participant = invited(consultation)
    anonymous = client.post(claim_url(participant))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("accounts:login"))
    assert "关联到我的账号" not in client.get(participant_url(participant)).content.decode()
    owner = make_user()
    services.participant_claim(actor=owner, participant=participant)
    client.force_login(make_user())
    assert "关联到我的账号" not in client.get(participant_url(participant)).content.decode()
    refused = client.post(claim_url(participant), follow=True)
    assert "已关联到其他账号" in refused.content.decode()
    participant.refresh_from_db()
    assert participant.user == owner


def test_participant_page_offers_sign_in_only_in_the_sign_in_window(client, district):
    consultation = notified(district)
    participant = invited(consultation)
    assert own_sign_in_url(participant) not in client.get(participant_url(participant)).content.decode()

    today = planned(district, days_ahead=0, title="路灯不亮")
    with_people(today)
    services.notice_send(actor=today.convener, consultation=today, now=today.starts_at - datetime.timedelta(days=5))
    page = client.get(participant_url(invited(today))).content.decode()
    assert own_sign_in_url(invited(today)) in page and ">签到<" in page
    # The participant's page never carries the door's address.
    assert today.sign_in_token not in page and "/door/" not in page


def test_signing_in_from_the_participant_page_shows_the_time_and_a_repeat_changes_nothing(client, district):
    consultation = in_session(district)
    participant = invited(consultation)
    page = client.get(participant_url(participant)).content.decode()
    assert own_sign_in_url(participant) in page
    response = client.post(own_sign_in_url(participant), follow=True)
    participant.refresh_from_db()
    assert participant.signed_in_at and not participant.signed_in_by_staff
    assert participant.signed_in_via == SignInVia.OWN_LINK
    assert response.redirect_chain[-1][0] == participant_url(participant)
    text = response.content.decode()
    assert "签到成功" in text and "已签到" in text
    assert timezone.localtime(participant.signed_in_at).strftime("%H:%M") in text
    first = participant.signed_in_at
    client.post(own_sign_in_url(participant))
    participant.refresh_from_db()
    assert participant.signed_in_at == first
    assert consultation.participants.filter(signed_in_at__isnull=False).count() == 1


def test_an_unknown_participant_token_signs_nobody_in(client, district):
    consultation = in_session(district)
    assert client.post(reverse("consultations:participant_sign_in", args=["nobody"])).status_code == 404
    assert not consultation.participants.filter(signed_in_at__isnull=False).exists()


# --- sign-in at the door (more in test_door.py) --------------------------------------------


def test_door_sign_in_is_rate_limited_per_address_with_a_message(client, district, settings):
    settings.SHANGLIANG_RATE_LIMITS = {**settings.SHANGLIANG_RATE_LIMITS, "signin": "3/d"}
    consultation = due_now(district)
    for i in range(3):
        assert client.post(door_url(consultation), {"mobile": f"1371234567{i}", "code": "000000"}).status_code == 200
    account = make_user()
    services.participant_claim(actor=account, participant=invited(consultation, "13900000001"))
    client.force_login(account)
    limited = client.post(door_url(consultation))
    assert limited.status_code == 429 and "操作过于频繁" in limited.content.decode()
    assert not consultation.participants.filter(signed_in_at__isnull=False).exists()
    elsewhere = client.post(door_url(consultation), REMOTE_ADDR="10.1.2.3")
    assert elsewhere.status_code == 200 and invited(consultation, "13900000001").signed_in_at


def test_a_logged_in_account_with_an_invited_mobile_still_proves_the_number_at_the_door(client, district):
    consultation = due_now(district)
    client.force_login(make_user(mobile="13900000002", verified=True))
    page = client.get(door_url(consultation)).content.decode()
    assert 'name="mobile"' in page and 'name="code"' in page and "您在本次协商的参与名单中" not in page
    response = client.post(door_url(consultation))
    assert "请填写手机号" in response.content.decode() and "请填写短信验证码" in response.content.decode()
    assert not consultation.participants.filter(signed_in_at__isnull=False).exists()


@pytest.mark.parametrize("status", [ConsultationStatus.PLANNED, ConsultationStatus.HELD])
def test_sign_in_is_refused_with_a_message_before_the_notice_and_after_the_session(client, district, status):
    if status == ConsultationStatus.PLANNED:
        consultation = planned(district)
        with_people(consultation)
    else:
        consultation = in_session(district)
        services.session_close(actor=consultation.convener, consultation=consultation)
    page = client.get(door_url(consultation))
    assert page.status_code == 200 and "现在不能签到" in page.content.decode()
    by_mobile = client.post(door_url(consultation), {"mobile": "13900000001", "code": "123456"})
    assert by_mobile.status_code == 200 and "现在不能签到" in by_mobile.content.decode()
    by_link = client.post(own_sign_in_url(invited(consultation)), follow=True)
    assert by_link.status_code == 200 and "现在不能签到" in by_link.content.decode()
    assert not consultation.participants.filter(signed_in_at__isnull=False).exists()


# --- query counts --------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _posts(consultation, start, count):
    for i in range(start, start + count):
        author = make_user(mobile=f"1370000{i:04d}", verified=True)
        thread = post(consultation, author, f"意见{i}", stance=Stance.SUPPORT)
        post(consultation, make_user(mobile=f"1360000{i:04d}", verified=True), "回复", reply_to=thread)
        if i % 3 == 0:
            services.post_hide(actor=consultation.convener, post=thread, reason="重复")


def test_public_page_query_count_does_not_grow_with_posts_or_participants(client, district):
    consultation = notified(district, mode=Mode.ONLINE)
    client.force_login(make_user(mobile="13800000001"))
    _posts(consultation, 0, 3)
    few = _queries(client, page_url(consultation))
    _posts(consultation, 3, 27)
    with_people(consultation, residents=0, others=25)
    assert _queries(client, page_url(consultation)) == few


def test_participant_page_query_count_does_not_grow_with_participants(client, district):
    small = notified(district)
    large = planned(district, title="路灯不亮")
    for i in range(30):
        services.participant_add(
            actor=large.convener, consultation=large, category="resident", name=f"居民{i}", mobile=f"1350000{i:04d}"
        )
    services.notice_send(actor=large.convener, consultation=large)
    assert _queries(client, participant_url(invited(small))) == _queries(
        client, participant_url(invited(large, "13500000000"))
    )
