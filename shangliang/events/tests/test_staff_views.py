"""The staff pages over HTTP: who may open and act on them, and what the organiser sees and does."""

import datetime
import io
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from shangliang.events import services
from shangliang.events.models import Event, EventMaterial, EventPhoto, EventQuestion
from shangliang.events.states import EventStatus, QuestionStatus, SignInVia
from shangliang.events.tests.builders import (
    all_day_today,
    convener,
    held_event,
    planned_event,
    platform_of,
    station_head,
)
from shangliang.orgs.services import unit_create
from shangliang.orgs.states import Role, UnitKind
from shangliang.orgs.tests.factories import grant, make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(district):
    return station_head(district["a"])


@pytest.fixture
def room(district):
    return platform_of(district["a1"])


@pytest.fixture
def event(room, head):
    return planned_event(room, head, **all_day_today())


def _form_data(room, **overrides):
    day = timezone.localdate() + datetime.timedelta(days=5)
    data = {
        "kind": "legal",
        "title": "民法典进村居",
        "platform": room.pk,
        "day": day.isoformat(),
        "start_time": "19:00",
        "end_time": "20:30",
        "place": "村委会二楼",
        "speaker_name": "区司法局 王律师",
        "audience": "村民",
        "summary": "婚姻家庭、继承、相邻关系",
        "form_token": str(uuid.uuid4()),
    }
    return data | overrides


def _png(size=(40, 30)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "photo.png"
    return buffer


# --- who may open the pages ----------------------------------------------------------------------


def test_anonymous_users_go_to_the_login_and_residents_are_refused(client, event):
    for url in (reverse("events:list"), reverse("events:new"), reverse("events:detail", args=[event.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    resident = grant(make_user(), Role.RESIDENT, region=event.platform.region)
    client.force_login(resident)
    assert client.get(reverse("events:list")).status_code == 403
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 403
    assert client.post(reverse("events:cancel", args=[event.pk]), {"reason": "x"}).status_code == 403
    event.refresh_from_db()
    assert event.status == EventStatus.PLANNED


def test_staff_of_another_township_or_village_get_404_and_change_nothing(client, district, event):
    other_head = station_head(district["b"], name="乙镇站长")
    other_village = convener(district["a2"], name="甲二村召集人")
    for user in (other_head, other_village):
        client.force_login(user)
        assert client.get(reverse("events:detail", args=[event.pk])).status_code == 404
        assert client.post(reverse("events:cancel", args=[event.pk]), {"reason": "不是我的"}).status_code == 404
        assert client.post(reverse("events:sign_in_add", args=[event.pk]), {"name": "x"}).status_code == 404
        assert client.get(reverse("events:sign_in_qr", args=[event.pk, "svg"])).status_code == 404
        assert event.title not in client.get(reverse("events:list")).content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.PLANNED and not event.sign_ins.exists()


def test_the_village_convener_and_district_committee_staff_run_it_a_reader_only_reads(client, district, event):
    village = convener(district["a1"], name="甲一村召集人")
    staff = grant(make_user(full_name="委室"), Role.COMMITTEE_STAFF, region=district["district"])
    approver = grant(make_user(full_name="党支部"), Role.APPROVER, region=district["a1"])
    for user in (village, staff):
        client.force_login(user)
        page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
        assert 'id="cancel-form"' in page and 'id="sign-in-add"' in page
    client.force_login(approver)
    page = client.get(reverse("events:detail", args=[event.pk]))
    assert page.status_code == 200 and 'id="cancel-form"' not in page.content.decode()
    assert client.post(reverse("events:cancel", args=[event.pk]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("events:new")).status_code == 403


def test_ids_out_of_range_are_404(client, head, event):
    client.force_login(head)
    assert client.get(f"/events/{'9' * 30}/").status_code == 404
    assert client.get("/events/12%00/").status_code in (400, 404)
    assert client.get(reverse("events:sign_in_qr", args=[event.pk, "gif"])).status_code == 404


# --- registering and running an event --------------------------------------------------------------


def test_the_station_head_registers_an_event_once_however_often_the_form_is_sent(client, head, room, district):
    client.force_login(head)
    page = client.get(reverse("events:new")).content.decode()
    assert room.name in page
    assert platform_of(district["b1"]).name not in page  # another township's room is not offered
    data = _form_data(room)
    response = client.post(reverse("events:new"), data)
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("events:detail", args=[event.pk])
    client.post(reverse("events:new"), data)  # a double click
    assert Event.objects.count() == 1
    assert event.kind == "legal" and timezone.localtime(event.starts_at).hour == 19 and event.created_by == head
    assert event.history.get().history_change_reason == "event.created"


def test_the_form_says_what_is_wrong_next_to_the_field(client, head, room, district):
    client.force_login(head)
    response = client.post(reverse("events:new"), _form_data(room, speaker_name="", end_time="18:00"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "结束时间应晚于开始时间" in page
    response = client.post(reverse("events:new"), _form_data(room, speaker_name=""))
    assert "请至少填写一位宣讲人" in response.content.decode()
    other = platform_of(district["b1"])
    response = client.post(reverse("events:new"), _form_data(other))
    assert response.status_code == 200 and not Event.objects.exists()


def test_edit_keeps_a_history_row_and_speakers_may_be_a_department_and_a_member(client, head, event):
    unit = unit_create(
        actor=None, name="区医保局", kind=UnitKind.GOVERNMENT_DEPARTMENT, region=event.platform.region.parent.parent
    )
    member = make_member("刘委员")
    client.force_login(head)
    data = _form_data(event.platform, speaker_unit=unit.pk, speaker_member=member.pk, speaker_name="")
    data.pop("form_token")
    response = client.post(reverse("events:edit", args=[event.pk]), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.speakers == ["区医保局", "刘委员委员"]
    assert event.history.latest("history_id").history_change_reason == "event.edited"


def test_hold_then_record_the_headcount_and_the_page_shows_the_attendance(client, head, room):
    event = planned_event(room, head, **all_day_today())
    services.sign_in_self(event=event, name="张三", mobile="13900000001")
    client.force_login(head)
    response = client.post(reverse("events:hold", args=[event.pk]), {"headcount": "8", "record": "讲了医保新政"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.HELD and event.headcount == 8 and event.held_at is not None
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert re.search(r'id="event-attendance">9', page)
    client.post(reverse("events:record", args=[event.pk]), {"headcount": "10", "record": "讲了医保新政"})
    event.refresh_from_db()
    assert event.headcount == 10
    # Holding twice: the page says why, nothing changes.
    response = client.post(reverse("events:hold", args=[event.pk]), {"headcount": "1"}, follow=True)
    assert "不能变为" in response.content.decode()


def test_cancel_needs_a_reason(client, head, event):
    client.force_login(head)
    response = client.post(reverse("events:cancel", args=[event.pk]), {"reason": ""})
    assert response.status_code == 400
    event.refresh_from_db()
    assert event.status == EventStatus.PLANNED
    client.post(reverse("events:cancel", args=[event.pk]), {"reason": "场地维修"})
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED and event.cancel_reason == "场地维修"


def test_staff_add_and_withdraw_sign_ins_marked_as_theirs(client, head, event):
    client.force_login(head)
    client.post(
        reverse("events:sign_in_add", args=[event.pk]), {"name": "李大爷", "mobile": "", "form_token": uuid.uuid4()}
    )
    response = client.post(
        reverse("events:sign_in_add", args=[event.pk]),
        {"name": "王五", "mobile": "13900000009", "form_token": uuid.uuid4()},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("events:sign_in_add", args=[event.pk]),
        {"name": "王五", "mobile": "13900000009", "form_token": uuid.uuid4()},
    )
    assert response.status_code == 400 and "已经签到过了" in response.content.decode()
    sign_ins = list(event.sign_ins.order_by("pk"))
    assert [s.via for s in sign_ins] == [SignInVia.STAFF, SignInVia.STAFF]
    assert all(s.recorded_by == head for s in sign_ins)
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "139****0009" in page and "13900000009" not in page
    client.post(reverse("events:sign_in_withdraw", args=[event.pk, sign_ins[1].pk]), {"reason": "重复"})
    sign_ins[1].refresh_from_db()
    assert sign_ins[1].withdrawn_at is not None and sign_ins[1].withdraw_reason == "重复"


def test_questions_answered_or_hidden_from_the_page(client, head, event):
    asked = services.question_ask(event=event, text="独生子女补贴怎么领？")
    rude = services.question_ask(event=event, text="骂人的话")
    client.force_login(head)
    client.post(
        reverse("events:question_answer", args=[event.pk, asked.pk]),
        {"answer": "到社区登记。", "answered_by": "卫健局"},
    )
    response = client.post(reverse("events:question_hide", args=[event.pk, rude.pk]), {"reason": ""})
    assert response.status_code == 400
    client.post(reverse("events:question_hide", args=[event.pk, rude.pk]), {"reason": "不文明用语"})
    client.post(
        reverse("events:question_record", args=[event.pk]),
        {"text": "现场问：低保怎么申请？", "answer": "向村委会申请。", "form_token": uuid.uuid4()},
    )
    statuses = dict(EventQuestion.objects.values_list("text", "status"))
    assert statuses == {
        "独生子女补贴怎么领？": QuestionStatus.PUBLISHED,
        "骂人的话": QuestionStatus.HIDDEN,
        "现场问：低保怎么申请？": QuestionStatus.PUBLISHED,
    }


def test_photos_are_checked_and_a_huge_image_is_refused_with_a_message(client, head, event):
    client.force_login(head)
    response = client.post(reverse("events:photo_add", args=[event.pk]), {"photos": [_png(), _png()]})
    assert response.status_code == 302 and EventPhoto.objects.filter(event=event).count() == 2
    huge = io.BytesIO()
    Image.new("1", (10000, 10000)).save(huge, "PNG")
    huge.seek(0)
    huge.name = "huge.png"
    response = client.post(reverse("events:photo_add", args=[event.pk]), {"photos": [huge]})
    assert response.status_code == 400 and "图片尺寸过大" in response.content.decode()
    assert EventPhoto.objects.filter(event=event).count() == 2
    photo = EventPhoto.objects.filter(event=event).first()
    client.post(reverse("events:photo_archive", args=[event.pk, photo.pk]))
    photo.refresh_from_db()
    assert photo.is_archived and EventPhoto.objects.filter(pk=photo.pk).exists()


def test_materials_are_sniffed_by_content(client, head, event):
    client.force_login(head)
    html = io.BytesIO(b"<html><script>alert(1)</script></html>")
    html.name = "slides.pdf"
    response = client.post(reverse("events:material_add", args=[event.pk]), {"title": "课件", "file": html})
    assert response.status_code == 400 and not EventMaterial.objects.exists()
    pdf = io.BytesIO(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
    pdf.name = "whatever.exe"
    response = client.post(reverse("events:material_add", args=[event.pk]), {"title": "课件", "file": pdf})
    material = EventMaterial.objects.get()
    assert response.status_code == 302 and material.file.name.endswith(".pdf")
    client.logout()
    assert client.get(material.file.url).status_code == 200  # a public event's handout


def test_the_qr_opens_the_sign_in_link(client, head, event):
    import zxingcpp

    client.force_login(head)
    response = client.get(reverse("events:sign_in_qr", args=[event.pk, "png"]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))
    assert decoded[0].text.endswith(reverse("events:sign_in", args=[event.sign_in_token]))
    assert client.get(reverse("events:poster", args=[event.pk])).status_code == 200


def test_the_list_costs_the_same_queries_for_few_or_many_events(client, head, room, django_assert_max_num_queries):
    client.force_login(head)
    held_event(room, head, signs=2)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("events:list"))
    for n in range(8):
        held_event(room, head, signs=2, headcount=n, title=f"第{n}场")
        services.question_ask(event=planned_event(room, head, title=f"计划{n}"), text="问")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("events:list"))
    assert first.status_code == response.status_code == 200
    assert response.content.decode().count('href="/events/') >= 17
