"""A session opens no earlier than a margin before the notified start; earlier, the convener reschedules
it (改期) with a new notice, and the documents carry the real dates."""

import datetime
import io

import docx
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from shangliang.consultations import services
from shangliang.consultations.models import Consultation
from shangliang.consultations.selectors import participants_with_notices
from shangliang.consultations.states import ConsultationStatus
from shangliang.consultations.tests.builders import notified, researched, starting_soon
from shangliang.core.documents.formats import chinese_date_time
from shangliang.core.errors import DomainError
from shangliang.core.models import Delivery
from shangliang.core.senders import ConsoleSender
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def convener(district):
    return grant(make_user("convener"), Role.CONVENER, region=district["a1"])


@pytest.fixture
def neighbour(district):
    """The convener of the sibling village 甲二村: the consultations of 甲一村 are not theirs."""
    return grant(make_user("neighbour"), Role.CONVENER, region=district["a2"])


def _history(consultation) -> int:
    return consultation.history.count()


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- the margin ------------------------------------------------------------------------------------


def test_open_is_refused_three_hours_before_the_notified_start_and_writes_nothing(district):
    consultation = researched(notified(district))
    rows = _history(consultation)
    with pytest.raises(DomainError) as refused:
        services.session_open(
            actor=consultation.convener, consultation=consultation, now=consultation.starts_at - 3 * HOUR
        )
    assert "还不能开始协商" in refused.value.message
    assert chinese_date_time(consultation.starts_at - 2 * HOUR) in refused.value.message
    assert "改期" in refused.value.message
    fresh = Consultation.objects.get(pk=consultation.pk)
    assert fresh.status == ConsultationStatus.NOTIFIED and fresh.in_session_at is None
    assert _history(fresh) == rows


def test_open_is_allowed_one_hour_before_the_notified_start(district):
    consultation = researched(notified(district))
    moment = consultation.starts_at - HOUR
    opened = services.session_open(actor=consultation.convener, consultation=consultation, now=moment)
    assert opened.status == ConsultationStatus.IN_SESSION and opened.in_session_at == moment


def test_the_margin_is_a_setting(district, settings):
    settings.SHANGLIANG_SESSION_OPEN_MARGIN_HOURS = 4
    consultation = researched(notified(district))
    opened = services.session_open(
        actor=consultation.convener, consultation=consultation, now=consultation.starts_at - 3 * HOUR
    )
    assert opened.status == ConsultationStatus.IN_SESSION


def test_the_pages_show_a_disabled_open_button_and_from_when_it_may_open(client, district, convener):
    consultation = researched(notified(district, convener=convener))
    client.force_login(convener)
    action = reverse("consultations:session_open", args=[consultation.pk])
    for name in ("detail", "session"):
        page = client.get(reverse(f"consultations:{name}", args=[consultation.pk])).content.decode()
        assert 'id="open-not-yet"' in page, name
        assert timezone.localtime(consultation.starts_at - 2 * HOUR).strftime("%H:%M") in page, name
        assert f'action="{action}"' not in page, name
        assert "disabled" in page, name


def test_opening_early_through_the_page_says_why_and_changes_nothing(client, district, convener):
    consultation = researched(notified(district, convener=convener))
    rows = _history(consultation)
    client.force_login(convener)
    response = client.post(reverse("consultations:session_open", args=[consultation.pk]), follow=True)
    assert "还不能开始协商" in response.content.decode()
    fresh = Consultation.objects.get(pk=consultation.pk)
    assert fresh.status == ConsultationStatus.NOTIFIED and _history(fresh) == rows


def test_on_the_day_the_page_offers_the_open_button_and_it_opens(client, district, convener):
    consultation = starting_soon(researched(notified(district, convener=convener)))
    client.force_login(convener)
    action = reverse("consultations:session_open", args=[consultation.pk])
    page = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert f'action="{action}"' in page and 'id="open-not-yet"' not in page
    client.post(action)
    assert Consultation.objects.get(pk=consultation.pk).status == ConsultationStatus.IN_SESSION


# --- rescheduling ------------------------------------------------------------------------------------


def test_reschedule_renotifies_everyone_and_the_session_opens_at_the_new_time(
    client, district, convener, django_capture_on_commit_callbacks
):
    consultation = researched(notified(district, convener=convener))
    old_start = consultation.starts_at
    new_start = (old_start + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    ConsoleSender.outbox.clear()
    client.force_login(convener)
    url = reverse("consultations:reschedule", args=[consultation.pk])
    page = client.get(url).content.decode()
    assert "改期并发送变更通知" in page and reverse("consultations:start_check", args=[consultation.pk]) in page
    with_mobile = list(consultation.participants.exclude(mobile="").values_list("mobile", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"starts_at": _when(new_start), "ends_at": _when(new_start + 2 * HOUR), "reason": "村委会议室装修"},
        )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.starts_at == new_start and consultation.status == ConsultationStatus.NOTIFIED
    latest = consultation.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == "consultation.rescheduled" and latest.history_note == "村委会议室装修"
    changes = [m for m in ConsoleSender.outbox if m.channel == "sms"]
    assert sorted(m.to for m in changes) == sorted(with_mobile)
    assert all(m.title.startswith("协商时间变更通知") for m in changes)
    assert all(timezone.localtime(new_start).strftime("%Y-%m-%d %H:%M") in m.body for m in changes)
    assert all(timezone.localtime(old_start).strftime("%Y-%m-%d %H:%M") in m.body for m in changes)
    assert Delivery.objects.filter(reason__contains=":moved:").count() == len(with_mobile)
    # The notice page shows, for each person, the channels of the change notice (the latest one).
    for participant in participants_with_notices(consultation):
        assert all(":moved:1" in d.reason for d in participant.notice_deliveries)
        assert bool(participant.notice_deliveries) == bool(participant.mobile or participant.user_id)
    # Opening at the old time is now too early; at the new time it works.
    with pytest.raises(DomainError):
        services.session_open(actor=convener, consultation=consultation, now=old_start)
    opened = services.session_open(actor=convener, consultation=consultation, now=new_start - HOUR)
    assert opened.status == ConsultationStatus.IN_SESSION


def test_reschedule_inside_the_notice_period_is_refused_next_to_the_field(client, district, convener):
    consultation = notified(district, convener=convener)
    rows = _history(consultation)
    ConsoleSender.outbox.clear()
    client.force_login(convener)
    soon = timezone.now() + datetime.timedelta(days=1)
    response = client.post(
        reverse("consultations:reschedule", args=[consultation.pk]),
        {"starts_at": _when(soon), "ends_at": _when(soon + 2 * HOUR), "reason": "提前开"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "距开始不足3天，最早可安排在" in page and 'class="field-error"' in page
    assert _history(Consultation.objects.get(pk=consultation.pk)) == rows and not ConsoleSender.outbox


def test_reschedule_needs_a_reason_and_a_notified_consultation(district):
    consultation = notified(district)
    later = consultation.starts_at + datetime.timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        services.consultation_reschedule(
            actor=consultation.convener, consultation=consultation, starts_at=later, ends_at=later + HOUR, reason=" "
        )
    assert refused.value.field == "reason"
    opened = services.session_open(
        actor=consultation.convener, consultation=researched(consultation), now=consultation.starts_at
    )
    with pytest.raises(DomainError):
        services.consultation_reschedule(
            actor=opened.convener, consultation=opened, starts_at=later, ends_at=later + HOUR, reason="推迟"
        )


def test_a_neighbour_villages_convener_cannot_reschedule(client, district, neighbour):
    consultation = notified(district)
    rows = _history(consultation)
    client.force_login(neighbour)
    url = reverse("consultations:reschedule", args=[consultation.pk])
    later = consultation.starts_at + datetime.timedelta(days=2)
    assert client.get(url).status_code == 404
    data = {"starts_at": _when(later), "ends_at": _when(later + HOUR), "reason": "推迟"}
    assert client.post(url, data).status_code == 404
    assert client.get(reverse("consultations:start_check", args=[consultation.pk])).status_code == 404
    fresh = Consultation.objects.get(pk=consultation.pk)
    assert fresh.starts_at == consultation.starts_at and _history(fresh) == rows


# --- documents carry the real dates ----------------------------------------------------------------


def test_the_notice_prints_the_new_time_and_says_it_is_a_change(client, district, convener):
    consultation = notified(district, convener=convener)
    new_start = (consultation.starts_at + datetime.timedelta(days=3)).replace(second=0, microsecond=0)
    services.consultation_reschedule(
        actor=convener, consultation=consultation, starts_at=new_start, ends_at=new_start + HOUR, reason="推迟"
    )
    client.force_login(convener)
    response = client.get(reverse("consultations:notice_pdf", args=[consultation.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    start = timezone.localtime(new_start)
    assert f"{start.month}月{start.day}日" in text and f"{start:%H:%M}" in text
    assert "本通知为协商时间变更通知" in text


def test_the_minutes_carry_the_time_the_session_really_opened(client, district, convener):
    consultation = researched(notified(district, convener=convener))
    opened_at = consultation.starts_at - HOUR
    services.session_open(actor=convener, consultation=consultation, now=opened_at)
    held = services.session_close(actor=convener, consultation=consultation)
    assert f"时间：{chinese_date_time(opened_at)}" in held.minutes
    assert chinese_date_time(consultation.starts_at) not in held.minutes
    client.force_login(convener)
    document = docx.Document(io.BytesIO(client.get(reverse("consultations:minutes_docx", args=[held.pk])).content))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs.count(f"时间：{chinese_date_time(opened_at)}") == 1
