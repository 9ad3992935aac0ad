import datetime

import pytest
from django.utils import timezone

from shangliang.consultations import selectors, services
from shangliang.consultations.models import Participant, Statement
from shangliang.consultations.selectors import candidates_for
from shangliang.consultations.states import (
    ConsultationStatus,
    ExplanationOutcome,
    Mode,
    ParticipantCategory,
    SignInVia,
    Stance,
)
from shangliang.consultations.tests.builders import in_session, notified, planned, researched, with_people
from shangliang.core.errors import DomainError, TransitionNotAllowed
from shangliang.core.models import Delivery, Notification
from shangliang.core.senders import ConsoleSender
from shangliang.orgs.services import region_update
from shangliang.orgs.tests.factories import make_user
from shangliang.topics.models import Submission
from shangliang.topics.tests.builders import pending

pytestmark = pytest.mark.django_db


def test_only_approved_topics_can_be_planned_and_only_once(district):
    topic = pending(district["a1"], "未审定")
    consultation = planned(district)
    with pytest.raises(DomainError):
        services.consultation_plan(
            actor=consultation.convener,
            topic=topic,
            platform=consultation.platform,
            session_format=consultation.session_format,
            mode=Mode.OFFLINE,
            starts_at=consultation.starts_at,
            ends_at=consultation.ends_at,
        )
    with pytest.raises(DomainError):
        services.consultation_plan(
            actor=consultation.convener,
            topic=consultation.topic,
            platform=consultation.platform,
            session_format=consultation.session_format,
            mode=Mode.OFFLINE,
            starts_at=consultation.starts_at,
            ends_at=consultation.ends_at,
        )
    assert [a.title for a in consultation.agenda.all()] == ["通报调研情况", "自由发言"]


def test_the_same_person_cannot_be_invited_twice(district):
    consultation = planned(district)
    services.participant_add(
        actor=None, consultation=consultation, category="resident", name="王五", mobile="13900001111"
    )
    with pytest.raises(DomainError):
        services.participant_add(
            actor=None, consultation=consultation, category="resident", name="王五", mobile="13900001111"
        )
    assert consultation.participants.count() == 1


def test_representativeness_warns_when_residents_are_fewer_than_half(district):
    consultation = planned(district)
    with_people(consultation, residents=1, others=3)
    check = services.representativeness_check(consultation)
    assert check.share == 0.25 and check.warnings and "25%" in check.warnings[0]
    with_people(consultation, residents=0, others=0)
    consultation2 = planned(district, title="路灯不亮")
    with_people(consultation2, residents=0, others=2)
    assert any("居（村）民代表" in w for w in services.representativeness_check(consultation2).warnings)


def test_no_notice_without_a_representativeness_check_being_acknowledged(district):
    consultation = planned(district)
    with_people(consultation, residents=1, others=3)
    with pytest.raises(DomainError) as excinfo:
        services.notice_send(actor=consultation.convener, consultation=consultation)
    assert excinfo.value.field == "acknowledge_warnings"
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.PLANNED and not Delivery.objects.exists()
    services.notice_send(actor=consultation.convener, consultation=consultation, acknowledge_warnings=True)
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.NOTIFIED
    assert consultation.representativeness["share"] == 0.25 and consultation.representativeness["warnings"]


def test_notice_must_go_out_at_least_three_days_before(district, settings):
    consultation = planned(district, days_ahead=2)
    with_people(consultation)
    with pytest.raises(DomainError) as excinfo:
        services.notice_send(actor=consultation.convener, consultation=consultation)
    assert "3天" in excinfo.value.message
    settings.SHANGLIANG_NOTICE_DAYS = 1
    assert services.notice_send(actor=consultation.convener, consultation=consultation).status == "notified"


def test_notice_reaches_each_participant_once_per_channel(district, django_capture_on_commit_callbacks):
    ConsoleSender.outbox.clear()
    consultation = planned(district)
    resident = make_user("resident", mobile="13800000001")
    services.participant_add(
        actor=None, consultation=consultation, category="resident", name="汤居民", user=resident, mobile="13800000001"
    )
    with_people(consultation, residents=2, others=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_send(actor=consultation.convener, consultation=consultation)
    assert Notification.objects.filter(user=resident).count() == 1
    sms = [m for m in ConsoleSender.outbox if m.channel == "sms"]
    assert sorted(m.to for m in sms) == ["13800000001", "13900000000", "13900000001"]
    participant = consultation.participants.get(user=resident)
    with django_capture_on_commit_callbacks(execute=True):
        services._deliver_notice(consultation, [participant])  # a retried job sends nothing more
    assert len([m for m in ConsoleSender.outbox if m.channel == "sms"]) == 3
    assert Notification.objects.filter(user=resident).count() == 1
    [shown] = [p for p in selectors.participants_with_notices(consultation) if p.pk == participant.pk]
    assert [(d.channel, d.recipient, d.is_delivered) for d in shown.notice_deliveries] == [
        ("app", str(resident.pk), True),
        ("sms", "13800000001", True),
        ("wechat", str(resident.pk), True),
    ]


def test_each_notice_carries_the_participants_own_link(district, django_capture_on_commit_callbacks):
    ConsoleSender.outbox.clear()
    consultation = planned(district)
    resident = make_user("resident")
    services.participant_add(actor=None, consultation=consultation, category="resident", name="汤居民", user=resident)
    with_people(consultation, residents=2, others=0)
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_send(actor=consultation.convener, consultation=consultation)
    links = {p.mobile or str(p.user_id): f"/c/p/{p.token}/" for p in consultation.participants.all()}
    # Messages leaving the site carry the public address in front of the path.
    assert {m.to: m.url[-len(links.get(m.to, "")) :] for m in ConsoleSender.outbox} == links
    assert "个人链接" in ConsoleSender.outbox[0].body
    assert Notification.objects.get(user=resident).url == links[str(resident.pk)]
    assert len(set(links.values())) == 3 and all(len(link) > len("/c/p//") + 15 for link in links.values())


def test_no_session_without_research_whatever_calls_the_service(district):
    consultation = notified(district)
    with pytest.raises(DomainError) as excinfo:
        services.session_open(actor=consultation.convener, consultation=consultation)
    assert "不调研不协商" in excinfo.value.message
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.NOTIFIED
    researched(consultation)
    opened = services.session_open(actor=consultation.convener, consultation=consultation, now=consultation.starts_at)
    assert opened.status == "in_session"


def test_a_planned_consultation_cannot_skip_the_notice(district):
    consultation = researched(planned(district))
    with pytest.raises(TransitionNotAllowed):
        services.session_open(actor=consultation.convener, consultation=consultation)


def test_sign_in_record_and_minutes_draft(district):
    consultation = in_session(district)
    first, second, *_ = consultation.participants.all()
    services.sign_in(participant=first)
    services.sign_in(participant=second, actor=consultation.convener)
    second.refresh_from_db()
    assert second.signed_in_by_staff
    item = consultation.agenda.first()
    services.statement_add(
        actor=consultation.convener,
        consultation=consultation,
        participant=first,
        agenda_item=item,
        text="同意划线停车",
        stance=Stance.SUPPORT,
    )
    services.statement_add(
        actor=consultation.convener,
        consultation=consultation,
        participant=second,
        agenda_item=item,
        text="不同意占用空地",
        stance=Stance.OPPOSE,
    )
    consultation = services.session_close(actor=consultation.convener, consultation=consultation)
    assert "应到5人，实到2人" in consultation.minutes
    assert "同意划线停车" in consultation.minutes and "（不同意见）" in consultation.minutes
    assert Statement.objects.get(text="不同意占用空地").is_dissent


def test_only_invited_or_verified_people_post_online(district):
    consultation = in_session(district, mode=Mode.HYBRID)
    stranger = make_user("stranger")
    with pytest.raises(DomainError):
        services.online_post(user=stranger, consultation=consultation, text="我也说两句")
    unproved = make_user("unproved", mobile="13700000001")
    with pytest.raises(DomainError):
        services.online_post(user=unproved, consultation=consultation, text="号码未验证")
    verified = make_user("verified", mobile="13700000000", verified=True)
    post = services.online_post(user=verified, consultation=consultation, text="建议划定停车区", stance=Stance.SUPPORT)
    assert post.participant is None
    invited = consultation.participants.first()
    invited.user = make_user("invited")
    invited.save()
    assert services.online_post(user=invited.user, consultation=consultation, text="同意").participant == invited
    with pytest.raises(DomainError):
        services.participant_add(
            actor=None, consultation=consultation, category="resident", name="迟到", mobile="13600000000"
        )
    assert not Participant.objects.filter(name="迟到").exists()


def test_hidden_posts_keep_their_reason_and_stay_out_of_the_record(district):
    consultation = in_session(district, mode=Mode.ONLINE)
    verified = make_user("verified", mobile="13700000000", verified=True)
    kept = services.online_post(user=verified, consultation=consultation, text="建议划定停车区")
    # One opinion per number: the rude one comes from another number.
    rude_author = make_user("rude", mobile="13700000009", verified=True)
    rude = services.online_post(user=rude_author, consultation=consultation, text="骂人的话")
    with pytest.raises(DomainError):
        services.post_hide(actor=consultation.convener, post=rude, reason="")
    services.post_hide(actor=consultation.convener, post=rude, reason="含人身攻击")
    rude.refresh_from_db()
    assert rude.is_hidden and rude.hidden_reason == "含人身攻击"
    services.session_close(actor=consultation.convener, consultation=consultation)
    texts = list(Statement.objects.filter(consultation=consultation, is_online=True).values_list("text", flat=True))
    assert texts == [kept.text]


def test_online_window_closes_after_the_end(district):
    consultation = in_session(district, mode=Mode.ONLINE)
    verified = make_user("verified", mobile="13700000000", verified=True)
    consultation.ends_at = timezone.now() - datetime.timedelta(minutes=1)
    consultation.starts_at = consultation.ends_at - datetime.timedelta(hours=1)
    consultation.save()
    with pytest.raises(DomainError):
        services.online_post(user=verified, consultation=consultation, text="晚了")


def test_resolution_needs_confirmed_minutes_a_suggestion_and_the_convener(district):
    consultation = in_session(district)
    consultation = services.session_close(actor=consultation.convener, consultation=consultation)
    with pytest.raises(DomainError):
        services.resolution_agree(actor=consultation.convener, consultation=consultation)
    other = make_user("other")
    with pytest.raises(DomainError):
        services.minutes_confirm(actor=other, consultation=consultation)
    services.minutes_confirm(actor=consultation.convener, consultation=consultation)
    with pytest.raises(DomainError):
        services.resolution_agree(actor=consultation.convener, consultation=consultation)
    services.suggestion_add(
        actor=consultation.convener, consultation=consultation, text="在集镇东侧空地划定电动车停放区"
    )
    dissent = services.dissent_add(
        actor=consultation.convener, consultation=consultation, holder="李大爷", view="空地应留作晒场"
    )
    services.dissent_explain(
        actor=consultation.convener,
        dissent=dissent,
        method="入户",
        explanation="晒场另择地块",
        outcome=ExplanationOutcome.ACCEPTED,
    )
    with pytest.raises(DomainError):
        services.resolution_agree(actor=other, consultation=consultation)
    consultation = services.resolution_agree(actor=consultation.convener, consultation=consultation)
    assert consultation.status == ConsultationStatus.CONCLUDED and consultation.concluded_at


def test_minutes_edit_unconfirms_them(district):
    consultation = services.session_close(actor=None, consultation=in_session(district))
    services.minutes_confirm(actor=consultation.convener, consultation=consultation)
    consultation = services.minutes_update(actor=consultation.convener, consultation=consultation, text="改过的纪要")
    assert consultation.minutes_confirmed_at is None


def test_assembly_vote_counts_must_fit(district):
    village = district["a1"]
    region_update(actor=None, region=village, name=village.name, code=None, representatives=35)
    consultation = services.session_close(actor=None, consultation=in_session(district))
    with pytest.raises(DomainError):
        services.assembly_vote_add(
            actor=consultation.convener,
            consultation=consultation,
            body="representatives",
            held_on=datetime.date.today(),
            matter="是否占用晒场",
            attendees=10,
            votes_for=8,
            votes_against=3,
            abstentions=0,
            decision="通过",
        )
    vote = services.assembly_vote_add(
        actor=consultation.convener,
        consultation=consultation,
        body="representatives",
        held_on=datetime.date.today(),
        matter="是否占用晒场",
        attendees=30,
        votes_for=22,
        votes_against=5,
        abstentions=3,
        decision="通过",
    )
    assert vote.pk


def test_residents_sign_up_voluntarily_once(district):
    consultation = notified(district)
    resident = make_user("resident", mobile="13800000001", verified=True)
    participant = services.participant_signup(user=resident, consultation=consultation, name="汤居民")
    assert participant.is_voluntary and participant.category == ParticipantCategory.RESIDENT
    with pytest.raises(DomainError):
        services.participant_signup(user=resident, consultation=consultation, name="汤居民")


def test_an_account_with_an_invited_mobile_is_never_linked_to_that_participant(district):
    # Even a verified number does not bind an account to a place on the list: only staff or the own link do.
    consultation = planned(district, mode=Mode.HYBRID)
    invited = services.participant_add(
        actor=None, consultation=consultation, category="resident", name="钱大姐", mobile="13811112222"
    )
    with_people(consultation)
    services.notice_send(actor=consultation.convener, consultation=consultation)
    researched(consultation)
    consultation = services.session_open(
        actor=consultation.convener, consultation=consultation, now=consultation.starts_at
    )
    impostor = make_user("impostor", mobile="13811112222", verified=True)
    post = services.online_post(user=impostor, consultation=consultation, text="支持划线")
    invited.refresh_from_db()
    assert post.participant is None and invited.user is None
    services.session_close(actor=consultation.convener, consultation=consultation)
    invited.refresh_from_db()
    joined = Statement.objects.get(text="支持划线").participant
    assert invited.user is None and joined != invited and joined.user == impostor and joined.mobile == ""
    assert consultation.participants.get(mobile="13811112222") == invited


def test_signing_up_with_a_number_already_on_the_list_neither_fails_nor_links(district):
    consultation = notified(district)
    impostor = make_user("impostor", mobile="13900000000", verified=True)
    own = services.participant_signup(user=impostor, consultation=consultation, name="冒充者")
    invited = consultation.participants.get(mobile="13900000000")
    assert own != invited and own.user == impostor and own.mobile == "" and invited.user is None


def test_a_participant_claims_their_place_through_their_link_and_the_history_says_so(district):
    consultation = notified(district, mode=Mode.HYBRID)
    invited = consultation.participants.get(mobile="13900000000")
    account = make_user("qian")
    claimed = services.participant_claim(actor=account, participant=invited)
    assert claimed.user == account
    latest = invited.history.first()
    assert latest.user_id == account.pk and latest.history_user == account
    assert latest.history_change_reason == "participant.claimed"
    services.participant_claim(actor=account, participant=invited)
    assert invited.history.count() == 2
    assert services.online_post(user=account, consultation=consultation, text="同意").participant == invited


def test_a_claimed_place_stays_with_its_account_and_an_account_holds_one_place(district):
    consultation = in_session(district)
    first, second = consultation.participants.filter(category=ParticipantCategory.RESIDENT)[:2]
    owner, other = make_user("owner"), make_user("other")
    services.participant_claim(actor=owner, participant=first)
    with pytest.raises(DomainError, match="已关联到其他账号"):
        services.participant_claim(actor=other, participant=first)
    with pytest.raises(DomainError, match="已在本次协商的参与名单中"):
        services.participant_claim(actor=owner, participant=second)
    services.session_close(actor=consultation.convener, consultation=consultation)
    with pytest.raises(DomainError, match="协商已经结束"):
        services.participant_claim(actor=other, participant=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.user == owner and second.user is None


def test_self_sign_in_opens_an_hour_before_the_start_and_closes_at_the_planned_end(district):
    consultation = notified(district)
    participant, other = consultation.participants.all()[:2]
    start, end = consultation.starts_at, consultation.ends_at
    for early in (start - datetime.timedelta(days=7), start - datetime.timedelta(hours=1, minutes=1)):
        with pytest.raises(DomainError, match="签到尚未开始"):
            services.sign_in(participant=participant, now=early)
    with pytest.raises(DomainError, match="签到已结束"):
        services.sign_in(participant=participant, now=end + datetime.timedelta(minutes=1))
    participant.refresh_from_db()
    assert participant.signed_in_at is None
    signed = services.sign_in(participant=participant, now=start - datetime.timedelta(hours=1))
    assert signed.signed_in_at and signed.signed_in_via == SignInVia.OWN_LINK
    # Staff at the desk sign people in on their own word; the window guards the public door only.
    by_staff = services.sign_in(participant=other, actor=consultation.convener, via=SignInVia.CODE)
    assert by_staff.signed_in_by_staff and by_staff.signed_in_via == SignInVia.STAFF


def test_the_sign_in_window_follows_the_setting(district, settings):
    settings.SHANGLIANG_SIGN_IN_OPENS_MINUTES = 30
    consultation = notified(district)
    participant = consultation.participants.first()
    with pytest.raises(DomainError, match="签到尚未开始"):
        services.sign_in(participant=participant, now=consultation.starts_at - datetime.timedelta(minutes=31))
    assert services.sign_in(participant=participant, now=consultation.starts_at - datetime.timedelta(minutes=30))


def test_rsvp_is_refused_once_the_session_has_started(district):
    consultation = in_session(district)
    with pytest.raises(DomainError):
        services.participant_rsvp(participant=consultation.participants.first(), answer="yes")


def test_the_notice_appears_in_the_residents_inbox_on_the_home_page(client, district):
    consultation = planned(district)
    resident = make_user("resident", mobile="13800000001")
    services.participant_add(actor=None, consultation=consultation, category="resident", name="汤居民", user=resident)
    with_people(consultation)
    services.notice_send(actor=consultation.convener, consultation=consultation)
    client.force_login(resident)
    page = client.get("/").content.decode()
    assert "协商通知：集镇电动车乱停放" in page


def test_a_cancelled_consultation_can_be_planned_again(district):
    consultation = planned(district)
    services.consultation_cancel(actor=consultation.convener, consultation=consultation, reason="汛期改期")
    again = services.consultation_plan(
        actor=consultation.convener,
        topic=consultation.topic,
        platform=consultation.platform,
        session_format=consultation.session_format,
        mode=Mode.OFFLINE,
        starts_at=consultation.starts_at,
        ends_at=consultation.ends_at,
    )
    assert again.pk != consultation.pk and consultation.topic.consultations.count() == 2


def test_opening_the_notice_clears_it_from_the_inbox(district):
    consultation = planned(district)
    resident = make_user("resident", mobile="13800000001")
    participant = services.participant_add(
        actor=None, consultation=consultation, category="resident", name="汤居民", user=resident
    )
    with_people(consultation)
    services.notice_send(actor=consultation.convener, consultation=consultation)
    services.notice_mark_read(participant)
    assert not Notification.objects.filter(user=resident, read_at__isnull=True).exists()


def test_anonymous_submitters_are_never_proposed_by_name(district):
    consultation = planned(district)
    named = make_user("named", mobile="13800000002")
    Submission.objects.filter(topic=consultation.topic).update(submitter=named, is_anonymous=True)
    assert not [c for c in candidates_for(consultation) if c.key.startswith("submission:")]


def test_research_and_suggestions_name_only_members_taking_part(district):
    from shangliang.orgs.tests.factories import make_member

    consultation = planned(district)
    taking_part = make_member("陈委员")
    stranger = make_member("外地委员")
    services.participant_add(
        actor=consultation.convener,
        consultation=consultation,
        category=ParticipantCategory.MEMBER,
        name="陈委员",
        member=taking_part,
    )
    with pytest.raises(DomainError) as refused:
        services.research_add(
            actor=consultation.convener,
            consultation=consultation,
            researchers="陈委员",
            researched_on=datetime.date.today(),
            place="集镇",
            findings="停放点不足",
            members=[stranger],
        )
    assert refused.value.field == "members"
    research = services.research_add(
        actor=consultation.convener,
        consultation=consultation,
        researchers="陈委员",
        researched_on=datetime.date.today(),
        place="集镇",
        findings="停放点不足",
        members=[taking_part],
    )
    assert list(research.members.all()) == [taking_part]

    with_people(consultation)
    consultation = services.notice_send(actor=consultation.convener, consultation=consultation)
    consultation = services.session_open(
        actor=consultation.convener, consultation=consultation, now=consultation.starts_at
    )
    consultation = services.session_close(actor=consultation.convener, consultation=consultation)
    with pytest.raises(DomainError):
        services.suggestion_add(
            actor=consultation.convener, consultation=consultation, text="加装雨棚", proposed_by=stranger
        )
    suggestion = services.suggestion_add(
        actor=consultation.convener, consultation=consultation, text="加装雨棚", proposed_by=taking_part
    )
    assert suggestion.proposed_by == taking_part
