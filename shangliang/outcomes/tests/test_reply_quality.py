"""Reply quality (答复质量) on the supervision board: a unit's written reply to a report and the result it
reports for an assignment are scored when recorded (timeliness in working days against the deadline,
relevance, completeness, basis); low ones are listed on the board with why, and on their own pages. A
station of another township does not see them; a unit's liaison sees its own score on the item."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.core.tests.files import pdf
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import services
from shangliang.outcomes.models import Assignment, OutcomeReport
from shangliang.outcomes.states import ReportKind
from shangliang.outcomes.tests.builders import assigned, concluded, liaison_of, make_unit

pytestmark = pytest.mark.django_db

PROCEDURAL = "您的来信已收悉，感谢您对我们工作的关心和支持。"
GOOD_RESULT = (
    "经现场核实，已在集镇主街两端规划电动车停放点两处，共划定停车位120个，于5月10日启用；"
    "按照《城市道路管理条例》第二十七条设置标识，赶集日安排专人值守引导停放。"
)


@pytest.fixture
def people(district):
    unit = make_unit(district["district"], "区住房和城乡建设局")
    return {
        "unit": unit,
        "convener": grant(make_user("convener", full_name="李召集"), Role.CONVENER, region=district["a1"]),
        "station": grant(make_user("station"), Role.STATION_HEAD, region=district["a"]),
        "other_station": grant(make_user("other_station"), Role.STATION_HEAD, region=district["b"]),
        "supervisor": grant(make_user("supervisor", full_name="赵督办"), Role.SUPERVISOR, region=district["a"]),
        "liaison": liaison_of(unit, "liaison", full_name="王联络"),
    }


@pytest.fixture
def consultation(district, people):
    return concluded(district, convener=people["convener"])


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def board_section(html: str) -> str:
    """The board's 答复质量偏低 section, up to the next heading."""
    start = html.index('id="low-replies"')
    return html[start : html.index("<h2", start)]


def sent_report(consultation, people, *, days_ago=0):
    report = services.report_draft(
        actor=people["convener"],
        consultation=consultation,
        kind=ReportKind.CONSULTATION_REPORT,
        recipient=people["unit"].name,
        recipient_unit=people["unit"],
        is_entrusted=True,
        title="关于集镇电动车停放的协商报告",
        body="集镇赶集日电动车乱停放，建议规划停放点，安排赶集日值守。请问何时能够落实？",
    )
    sent_at = timezone.now() - datetime.timedelta(days=days_ago)
    return services.report_send(actor=people["convener"], report=report, now=sent_at)


def finished_item(client, consultation, people, result: str) -> Assignment:
    item = assigned(consultation, unit=people["unit"], actor=people["convener"], supervisor=people["supervisor"])
    item = services.assignment_accept(actor=people["liaison"], assignment=item)
    client.force_login(people["liaison"])
    response = client.post(
        reverse("outcomes:assignment_complete", args=[item.pk]),
        {"result": result, "version": item.version, "evidence": pdf()},
    )
    assert response.status_code == 302, response.content.decode()
    return Assignment.objects.get(pk=item.pk)


def test_a_procedural_reply_to_a_report_is_flagged_on_the_board_and_on_the_report(client, consultation, people):
    report = sent_report(consultation, people)
    client.force_login(people["liaison"])
    response = client.post(reverse("outcomes:unit_report", args=[report.pk]), {"text": PROCEDURAL})
    assert response.status_code == 302
    report = OutcomeReport.objects.get(pk=report.pk)
    assert report.reply_parts["is_low"] is True and "仅作程序性答复" in report.reply_parts["flags"]
    assert report.reply_score is not None and report.reply_score < 50

    section = board_section(page(client, people["station"], reverse("outcomes:board")))
    assert "关于集镇电动车停放的协商报告" in section and "仅作程序性答复" in section
    assert reverse("outcomes:report", args=[report.pk]) + "#reply-quality" in section

    shown = page(client, people["convener"], reverse("outcomes:report", args=[report.pk]))
    assert 'id="reply-quality"' in shown and "答复质量偏低" in shown
    # The unit sees why on its own page.
    own = page(client, people["liaison"], reverse("outcomes:unit_report", args=[report.pk]))
    assert 'id="reply-quality"' in own and "仅作程序性答复" in own

    # Another township's station sees none of it.
    other = board_section(page(client, people["other_station"], reverse("outcomes:board")))
    assert "关于集镇电动车停放的协商报告" not in other and "没有答复质量偏低" in other


def test_a_late_reply_loses_on_timeliness_counted_in_working_days(consultation, people):
    report = sent_report(consultation, people, days_ago=40)
    report = services.report_reply(actor=people["liaison"], report=report, text=GOOD_RESULT)
    parts = report.reply_parts
    assert parts["parts"]["timeliness"] < 1 and "超期答复" in parts["flags"]
    # Sent 40 calendar days ago: about 28 working days, and the report had 10.
    assert 24 <= parts["working_days"] <= 30 and parts["due_working_days"] == 10


def test_an_assignments_result_is_scored_against_its_suggestion(client, consultation, people):
    poor = finished_item(client, consultation, people, "已办理。")
    assert poor.result_parts["is_low"] is True

    section = board_section(page(client, people["supervisor"], reverse("outcomes:board")))
    assert reverse("outcomes:assignment", args=[poor.pk]) + "#reply-quality" in section
    assert "区住房和城乡建设局" in section

    # The unit sees why on its own item.
    shown = page(client, people["liaison"], reverse("outcomes:assignment", args=[poor.pk]))
    assert 'id="reply-quality"' in shown and "答复质量" in shown


def test_a_full_result_in_time_is_not_flagged(client, district, people):
    consultation = concluded(district, convener=people["convener"], suggestions=("规划电动车停放点，安排赶集日值守",))
    item = finished_item(client, consultation, people, GOOD_RESULT)
    assert item.result_parts["is_low"] is False, item.result_parts
    assert item.result_score >= 60 and item.result_parts["parts"]["timeliness"] == 1
    section = board_section(page(client, people["station"], reverse("outcomes:board")))
    assert reverse("outcomes:assignment", args=[item.pk]) not in section


def test_replies_recorded_before_scoring_are_scored_by_the_command(client, consultation, people):
    from django.core.management import call_command

    report = services.report_reply(actor=people["liaison"], report=sent_report(consultation, people), text=PROCEDURAL)
    item = finished_item(client, consultation, people, GOOD_RESULT)
    OutcomeReport.objects.filter(pk=report.pk).update(reply_score=None, reply_parts={})
    Assignment.objects.filter(pk=item.pk).update(result_score=None, result_parts={})
    call_command("score_replies", stdout=io.StringIO())
    report.refresh_from_db()
    item.refresh_from_db()
    assert report.reply_parts["is_low"] is True and report.reply_score is not None
    assert item.result_parts["is_low"] is False and item.result_score is not None
    rows = report.history.count()
    call_command("score_replies", "--all", stdout=io.StringIO())
    assert report.history.count() == rows  # a derived score writes no history row
