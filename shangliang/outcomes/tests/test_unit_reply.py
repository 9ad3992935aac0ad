"""The replying government in the system: the unit a report is addressed to sees it on its home page and its
own list, reads it and records the written reply (书面答复) there; the organisers are told. Another unit's
liaison and other townships' staff get 404. On a responsibility list a liaison sees other units' lines by
unit only."""

import datetime
import io
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shangliang.core.models import Notification
from shangliang.core.tests.files import pdf
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import services
from shangliang.outcomes.models import OutcomeReport
from shangliang.outcomes.states import ReportKind, ReportStatus
from shangliang.outcomes.tests.builders import assigned, concluded, liaison_of, make_unit

pytestmark = pytest.mark.django_db

REQUIRED = "这个字段是必填项"


@pytest.fixture
def world(district):
    convener = grant(make_user("zhaoji", full_name="李召集"), Role.CONVENER, region=district["a1"])
    unit_a = make_unit(district["a"], "甲镇人民政府")
    unit_b = make_unit(district["district"], "区交通运输局")
    return SimpleNamespace(
        district=district,
        consultation=concluded(district, convener=convener),
        convener=convener,
        approver=grant(make_user("shenhe"), Role.APPROVER, region=district["a"]),
        unit_a=unit_a,
        unit_b=unit_b,
        liaison_a=liaison_of(unit_a, "lianluo_a", full_name="甲镇联络员"),
        liaison_b=liaison_of(unit_b, "lianluo_b", full_name="交通局联络员"),
        outsider=grant(make_user("yizhan"), Role.STATION_HEAD, region=district["b"]),
        other_approver=grant(make_user("yishenhe"), Role.APPROVER, region=district["b"]),
    )


def report_to(world, unit, *, title="关于集镇停车的协商报告", send=True, days_ago=0, entrusted=True, recipient=None):
    report = services.report_draft(
        actor=world.convener,
        consultation=world.consultation,
        kind=ReportKind.CONSULTATION_REPORT,
        recipient=recipient or (unit.name if unit else "镇党委"),
        recipient_unit=unit,
        is_entrusted=entrusted,
        title=title,
        body="一、基本情况\n集镇赶集日电动车乱停放。",
    )
    if send:
        now = timezone.now() - datetime.timedelta(days=days_ago)
        report = services.report_send(actor=world.convener, report=report, now=now)
    return report


def page(client, user, url, status=200) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def unit_url(name, *args):
    return reverse(f"outcomes:{name}", args=args)


def waiting_count(home: str, title: str) -> int | None:
    match = re.search(r'<span class="n">(\d+)</span><span class="l">' + re.escape(title) + "</span>", home)
    return int(match.group(1)) if match else None


# --- the whole flow ---------------------------------------------------------------------------------


def test_the_liaison_finds_reads_and_answers_the_report_and_the_organiser_is_told(client, world):
    report = report_to(world, world.unit_a)
    home = page(client, world.liaison_a, reverse("portal:home"))
    assert waiting_count(home, "待书面答复的报送") == 1
    target = unit_url("unit_report", report.pk) + "#reply-form"
    due = report.reply_due_on.strftime("%m-%d")
    assert f'href="{target}"' in home and f"关于集镇停车的协商报告 · {due}前答复" in home

    shown = page(client, world.liaison_a, unit_url("unit_report", report.pk))
    assert "集镇赶集日电动车乱停放" in shown and 'id="reply-form"' in shown and "提交答复" in shown
    assert unit_url("unit_report_docx", report.pk) in shown and unit_url("unit_report_pdf", report.pk) in shown
    for name in ("unit_report_docx", "unit_report_pdf"):
        response = client.get(unit_url(name, report.pk))
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]

    response = client.post(unit_url("unit_report", report.pk), {"text": " "})
    assert response.status_code == 400 and REQUIRED in response.content.decode()
    assert OutcomeReport.objects.get(pk=report.pk).status == ReportStatus.SENT

    letter = pdf("答复函.pdf")
    response = client.post(
        unit_url("unit_report", report.pk), {"text": "已安排专项资金，下月动工。", "attachment": letter}
    )
    assert response.status_code == 302 and response["Location"] == unit_url("unit_report", report.pk)
    report = OutcomeReport.objects.get(pk=report.pk)
    assert report.status == ReportStatus.REPLIED and report.reply_recorded_by == world.liaison_a
    assert report.reply_attachment
    latest = report.history.order_by("-history_id").first()
    assert latest.history_user == world.liaison_a and latest.history_change_reason == "report.replied"

    shown = page(client, world.liaison_a, unit_url("unit_report", report.pk))
    assert "已安排专项资金" in shown and "甲镇联络员" in shown and 'id="reply-form"' not in shown
    assert client.get(report.reply_attachment.url).status_code == 200
    home = page(client, world.liaison_a, reverse("portal:home"))
    assert waiting_count(home, "待书面答复的报送") is None

    # The organiser hears of it and reads the reply on the staff page, with who recorded it.
    told = Notification.objects.get(user=world.convener, title__startswith="【书面答复】")
    assert told.title == "【书面答复】甲镇人民政府已答复“关于集镇停车的协商报告”"
    assert told.url == unit_url("report", report.pk)
    staff = page(client, world.convener, told.url)
    assert "已安排专项资金" in staff and "甲镇联络员" in staff
    assert not Notification.objects.filter(user=world.liaison_a, title__startswith="【书面答复】").exists()

    # Answered once: a second reply is refused with a message, nothing changes.
    client.force_login(world.liaison_a)
    response = client.post(unit_url("unit_report", report.pk), {"text": "补充答复"}, follow=True)
    assert response.status_code == 200 and OutcomeReport.objects.get(pk=report.pk).reply_text.startswith("已安排")


def test_the_list_shows_the_units_reports_with_due_dates_and_the_overdue_mark(client, world, settings):
    # Calendar days, so "12 days ago" is 2 days overdue whatever today is (working days: test_reply_working_days).
    settings.SHANGLIANG_DEADLINE_COUNTING = {**settings.SHANGLIANG_DEADLINE_COUNTING, "reply": "calendar"}
    late = report_to(world, world.unit_a, title="逾期的报告", days_ago=12)
    fresh = report_to(world, world.unit_a, title="新的报告")
    replied = report_to(world, world.unit_a, title="已答复的报告")
    services.report_reply(actor=world.approver, report=replied, text="已研究。")
    report_to(world, world.unit_a, title="草稿报告", send=False)
    report_to(world, world.unit_b, title="交通局的报告")
    report_to(world, None, title="报镇党委的报告")
    client.force_login(world.liaison_a)
    response = client.get(unit_url("unit_reports"))
    assert response.status_code == 200 and response.context["show"] == "awaiting"
    assert [(r.pk, is_late) for r, is_late in response.context["rows"]] == [(late.pk, True), (fresh.pk, False)]
    shown = response.content.decode()
    assert "报送本单位的协商成果" in shown and "逾期未答复" in shown
    assert late.reply_due_on.strftime("%Y-%m-%d") in shown and fresh.reply_due_on.strftime("%Y-%m-%d") in shown
    late_tab = client.get(unit_url("unit_reports") + "?show=late")
    assert [r.pk for r, _late in late_tab.context["rows"]] == [late.pk]
    everything = client.get(unit_url("unit_reports") + "?show=all")
    assert {r.pk for r, _late in everything.context["rows"]} == {late.pk, fresh.pk, replied.pk}
    home = page(client, world.liaison_a, reverse("portal:home"))
    assert waiting_count(home, "待书面答复的报送") == 2
    assert f'href="{unit_url("unit_report", late.pk)}#reply-form"' in home and "答复已逾期2天" in home


def test_the_list_costs_the_same_queries_for_one_report_or_five(client, world):
    report_to(world, world.unit_a, title="报告0")
    client.force_login(world.liaison_a)
    client.get(unit_url("unit_reports"))
    with CaptureQueriesContext(connection) as one:
        client.get(unit_url("unit_reports"))
    for i in range(1, 5):
        report_to(world, world.unit_a, title=f"报告{i}")
    with CaptureQueriesContext(connection) as five:
        response = client.get(unit_url("unit_reports"))
    assert len(response.context["rows"]) == 5
    assert len(five.captured_queries) == len(one.captured_queries)


# --- who may not --------------------------------------------------------------------------------------


def test_another_units_liaison_and_other_townships_staff_get_404(client, world):
    report = report_to(world, world.unit_a)
    letter = {"text": "冒名答复"}
    for user in (world.liaison_b, world.outsider, world.other_approver, world.convener):
        client.force_login(user)
        for name in ("unit_report", "unit_report_docx", "unit_report_pdf"):
            assert client.get(unit_url(name, report.pk)).status_code == 404, (user, name)
        assert client.post(unit_url("unit_report", report.pk), letter).status_code == 404
    # Other townships' staff get 404 on the staff side too.
    for user in (world.outsider, world.other_approver):
        client.force_login(user)
        assert client.get(unit_url("report", report.pk)).status_code == 404
        assert client.post(unit_url("report_reply", report.pk), letter).status_code == 404
    assert OutcomeReport.objects.get(pk=report.pk).status == ReportStatus.SENT
    # The other unit's list is empty and its home page owes nothing; staff of no unit have no list.
    client.force_login(world.liaison_b)
    assert client.get(unit_url("unit_reports")).context["rows"] == []
    assert waiting_count(page(client, world.liaison_b, reverse("portal:home")), "待书面答复的报送") is None
    client.force_login(world.outsider)
    assert client.get(unit_url("unit_reports")).status_code == 403
    assert client.get("/outcomes/unit/reports/" + "9" * 30 + "/").status_code == 404


def test_a_draft_and_a_free_text_report_are_not_the_units(client, world):
    draft = report_to(world, world.unit_a, send=False)
    free = report_to(world, None, recipient="甲镇人民政府")
    client.force_login(world.liaison_a)
    assert client.get(unit_url("unit_report", draft.pk)).status_code == 404
    assert client.get(unit_url("unit_report", free.pk)).status_code == 404


def test_staff_still_record_the_reply_of_a_unit_that_never_logs_in(client, world):
    report = report_to(world, world.unit_a)
    client.force_login(world.approver)
    response = client.post(unit_url("report_reply", report.pk), {"text": "镇政府已书面答复（纸质）。"})
    assert response.status_code == 302
    report = OutcomeReport.objects.get(pk=report.pk)
    assert report.status == ReportStatus.REPLIED and report.reply_recorded_by == world.approver
    assert Notification.objects.filter(user=world.convener, title__startswith="【书面答复】").count() == 1
    shown = page(client, world.liaison_a, unit_url("unit_report", report.pk))
    assert "镇政府已书面答复（纸质）" in shown


# --- privacy of the responsibility list ---------------------------------------------------------------


@pytest.fixture
def two_units_items(world):
    mine = assigned(
        world.consultation,
        unit=world.unit_a,
        order=0,
        actor=world.approver,
        responsible_person="甲镇王科长",
        responsible_mobile="13912345678",
    )
    theirs = assigned(
        world.consultation,
        unit=world.unit_b,
        order=1,
        actor=world.approver,
        responsible_person="交通局赵主任",
        responsible_mobile="13987654321",
    )
    return mine, theirs


def test_a_liaison_sees_other_units_responsible_persons_by_unit_only(client, world, two_units_items):
    shown = page(client, world.liaison_a, unit_url("consultation", world.consultation.pk))
    responsibility = shown.split('id="responsibility-list"')[1].split("</table>")[0]
    assert "甲镇王科长" in responsibility and "139****5678" in responsibility
    assert "13912345678" not in responsibility
    assert "交通局赵主任" not in shown and "4321" not in shown
    assert "区交通运输局" in responsibility
    # The organisers see every line as before.
    shown = page(client, world.convener, unit_url("consultation", world.consultation.pk))
    assert "甲镇王科长" in shown and "交通局赵主任" in shown


def test_the_three_lists_sheet_of_a_liaison_names_only_their_own_units_person(client, world, two_units_items):
    def responsible_people(user) -> list:
        client.force_login(user)
        response = client.get(reverse("outcomes_files:three_lists_xlsx", args=[world.consultation.pk]))
        assert response.status_code == 200
        book = load_workbook(
            io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
        )
        values = [cell for row in book.worksheets[1].iter_rows(values_only=True) for cell in row]
        return [name for name in ("甲镇王科长", "交通局赵主任") if name in values]

    assert responsible_people(world.liaison_a) == ["甲镇王科长"]
    assert responsible_people(world.liaison_b) == ["交通局赵主任"]
    assert responsible_people(world.convener) == ["甲镇王科长", "交通局赵主任"]
