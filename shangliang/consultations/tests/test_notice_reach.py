"""The notice page says in words which channels each notice went out on, and who no message reaches;
the convener records a notice delivered another way (printed, by phone, in person)."""

import datetime

import pytest
from django.urls import reverse

from shangliang.consultations import services
from shangliang.consultations.models import Participant
from shangliang.consultations.states import NoticeMeans, ParticipantCategory
from shangliang.consultations.tests.builders import planned, with_people
from shangliang.core.errors import DomainError
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def convener(district):
    return grant(make_user("convener"), Role.CONVENER, region=district["a1"])


@pytest.fixture
def neighbour(district):
    return grant(make_user("neighbour"), Role.CONVENER, region=district["a2"])


@pytest.fixture
def ready(district, convener):
    """Planned, with three residents who have a mobile, two units' people who have neither a mobile nor
    an account (部门0, 部门1), and one resident with an account and a mobile."""
    consultation = planned(district, convener=convener)
    with_people(consultation)
    services.participant_add(
        actor=convener,
        consultation=consultation,
        category=ParticipantCategory.RESIDENT,
        name="有账号的居民",
        mobile="13900009999",
        user=make_user("account-resident", mobile="13900009999"),
    )
    return consultation


@pytest.fixture
def sent(ready, convener, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.notice_send(actor=convener, consultation=ready, acknowledge_warnings=True)


def _page(client, consultation) -> str:
    return client.get(reverse("consultations:notice", args=[consultation.pk])).content.decode()


def _row(page: str, name: str) -> str:
    return page.split(f"<td>{name}</td>", 1)[1].split("</tr>", 1)[0]


def test_the_channel_column_shows_chinese_labels_not_codes(client, convener, sent):
    client.force_login(convener)
    page = _page(client, sent)
    assert "短信" in _row(page, "居民0") and "sms" not in _row(page, "居民0")
    row = _row(page, "有账号的居民")
    assert "站内消息" in row and "、" in row and "微信" in row
    assert ">app<" not in row and ">wechat<" not in row


def test_a_participant_no_message_reaches_is_shown_as_not_reachable_with_the_count(client, convener, sent):
    client.force_login(convener)
    page = _page(client, sent)
    assert "无法送达" in _row(page, "部门0") and "已通过其他方式通知" in _row(page, "部门0")
    assert "无法送达" not in _row(page, "居民0")
    assert 'id="unreachable-warning"' in page and "2人无法送达" in page
    detail = client.get(reverse("consultations:detail", args=[sent.pk])).content.decode()
    assert 'id="unreachable"' in detail and "2人无法送达" in detail


def test_recording_a_notice_by_phone_marks_the_row_and_lowers_the_count(client, convener, sent):
    unit = sent.participants.get(name="部门0")
    client.force_login(convener)
    url = reverse("consultations:notice_other", args=[sent.pk, unit.pk])
    response = client.post(url, {"means": NoticeMeans.PHONE, "note": "电话告知部门负责人"}, follow=True)
    page = response.content.decode()
    assert "已记录：部门0 已通过其他方式通知" in page
    assert "电话通知" in _row(page, "部门0") and "1人无法送达" in page
    unit.refresh_from_db()
    assert (unit.notice_other_means, unit.notice_other_by) == (NoticeMeans.PHONE, convener)
    assert unit.notice_other_at is not None
    latest = unit.history.order_by("-history_id").first()
    assert latest.history_change_reason == "participant.notified_other_means"
    assert latest.history_note == "电话告知部门负责人"


def test_an_unknown_way_is_refused_and_nothing_is_recorded(client, convener, sent):
    unit = sent.participants.get(name="部门0")
    client.force_login(convener)
    url = reverse("consultations:notice_other", args=[sent.pk, unit.pk])
    page = client.post(url, {"means": "pigeon"}, follow=True).content.decode()
    assert "请选择通知方式" in page
    unit.refresh_from_db()
    assert not unit.notice_other_at and unit.history.count() == 1


def test_someone_a_message_reaches_needs_no_other_way(sent, convener):
    resident = sent.participants.get(name="居民0")
    with pytest.raises(DomainError):
        services.participant_notice_other(actor=convener, participant=resident, means=NoticeMeans.PRINTED)


def test_before_the_notice_is_out_nothing_can_be_recorded_and_the_send_step_warns(client, convener, ready):
    unit = ready.participants.get(name="部门0")
    with pytest.raises(DomainError):
        services.participant_notice_other(actor=convener, participant=unit, means=NoticeMeans.PRINTED)
    client.force_login(convener)
    page = _page(client, ready)
    assert "2人没有手机号也没有账号，系统消息无法送达" in page
    assert 'id="id_other' not in page  # no form to record before the notice exists
    response = client.post(
        reverse("consultations:notice", args=[ready.pk]), {"acknowledge_warnings": "on"}, follow=True
    )
    assert "事先知情通报已发出。2人没有手机号也没有账号，收不到通知" in response.content.decode()


def test_a_neighbour_villages_convener_cannot_record_it(client, neighbour, sent):
    unit = sent.participants.get(name="部门0")
    client.force_login(neighbour)
    url = reverse("consultations:notice_other", args=[sent.pk, unit.pk])
    assert client.post(url, {"means": NoticeMeans.PHONE}).status_code == 404
    assert not Participant.objects.get(pk=unit.pk).notice_other_at


def test_after_a_reschedule_those_told_another_way_must_be_told_again(convener, sent):
    unit = sent.participants.get(name="部门0")
    services.participant_notice_other(actor=convener, participant=unit, means=NoticeMeans.IN_PERSON)
    later = sent.starts_at + datetime.timedelta(days=1)
    services.consultation_reschedule(
        actor=convener, consultation=sent, starts_at=later, ends_at=later + datetime.timedelta(hours=2), reason="推迟"
    )
    unit.refresh_from_db()
    assert not unit.notice_other_means and not unit.notice_other_at


def test_the_notice_page_runs_a_bounded_number_of_queries(client, convener, sent, django_assert_max_num_queries):
    client.force_login(convener)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("consultations:notice", args=[sent.pk])).status_code == 200
