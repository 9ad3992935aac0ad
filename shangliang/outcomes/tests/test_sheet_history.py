"""The supervision sheet counts every item (issue 15, point 5): items no unit holds have rows with their state
and reason, and each assigned item keeps its whole progress history, not only the last update."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shangliang.consultations.states import SuggestionDecision
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import decisions, services
from shangliang.outcomes.tests.builders import assigned, concluded, liaison_of, make_unit

pytestmark = pytest.mark.django_db

REASON = "该路段属省道，停放点须经公路部门审批"
UPDATES = [(9, "完成现场踏勘"), (5, "已完成选址"), (1, "划线施工完成一半")]


@pytest.fixture
def approver(district):
    return grant(make_user("approver_a", full_name="甲镇审定人"), Role.APPROVER, region=district["a"])


def _world(district, approver, n=0):
    """Item 1 assigned with three dated updates, item 2 not adopted, item 3 waiting for the decision."""
    consultation = concluded(
        district, title=f"集镇电动车乱停放{n}", suggestions=("规划电动车停放点", "拓宽主街", "安排赶集日值守")
    )
    unit = make_unit(district["district"], name=f"区住房和城乡建设局{n}")
    liaison = liaison_of(unit)
    item = assigned(consultation, unit=unit, actor=approver)
    services.assignment_accept(actor=liaison, assignment=item)
    today = timezone.localdate()
    for days_ago, text in UPDATES:
        services.progress_add(
            actor=liaison,
            assignment=item,
            unit=unit,
            progress=text,
            problems=f"{text}的问题",
            reported_on=today - datetime.timedelta(days=days_ago),
        )
    second = list(consultation.suggestions.all())[1]
    decisions.suggestion_decide(
        actor=approver, suggestion=second, decision=SuggestionDecision.NOT_ADOPTED, reason=REASON
    )
    return consultation


def _workbook(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("outcomes_files:sheet_xlsx"), params)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(min_row=4, values_only=True) if isinstance(row[0], int)]


def test_sheet_has_unassigned_and_not_adopted_rows_and_every_update(client, district, approver):
    _world(district, approver)
    workbook = _workbook(client, approver)
    assert workbook.sheetnames == ["督办落实情况表", "进展记录"]
    rows = _rows(workbook["督办落实情况表"])
    assert [row[3] for row in rows] == ["规划电动车停放点", "拓宽主街", "安排赶集日值守"]
    done, not_adopted, pending = rows
    # The assigned item: every update, dated, oldest first, with the unit that filed it.
    progress = done[7].split("\n")
    assert progress[0] == "办理中"
    today = timezone.localdate()
    assert progress[1:] == [
        f"{(today - datetime.timedelta(days=days)).isoformat()} 区住房和城乡建设局0：{text}" for days, text in UPDATES
    ]
    assert done[8] == "划线施工完成一半的问题"  # problems: from the latest update
    # The item not adopted: no unit, its state and reason.
    assert not_adopted[4] in ("", None) and not_adopted[7] == f"不予采纳：{REASON}"
    # The item no one has decided on yet.
    assert pending[4] in ("", None) and pending[7] == "待决定采纳"

    history = _rows(workbook["进展记录"])
    assert [(row[0], row[2], row[3].date(), row[5]) for row in history] == [
        (1, "规划电动车停放点", today - datetime.timedelta(days=days), text) for days, text in UPDATES
    ]


def test_adopted_item_not_yet_assigned_has_its_row(client, district, approver):
    consultation = concluded(district, title="村道路灯", suggestions=("加装路灯",))
    decisions.suggestion_decide(
        actor=approver,
        suggestion=consultation.suggestions.get(),
        decision=SuggestionDecision.ADOPTED,
    )
    rows = _rows(_workbook(client, approver)["督办落实情况表"])
    assert [(row[3], row[7]) for row in rows] == [("加装路灯", "已采纳，待交办")]


def test_filters_by_state_or_unit_leave_out_the_unassigned_rows(client, district, approver):
    _world(district, approver)
    rows = _rows(_workbook(client, approver, state="accepted")["督办落实情况表"])
    assert [row[3] for row in rows] == ["规划电动车停放点"]


def test_another_townships_items_stay_out_of_the_sheet(client, district, approver):
    _world(district, approver)
    other = grant(make_user("approver_b"), Role.APPROVER, region=district["b"])
    client.force_login(other)
    assert _rows(_workbook(client, other)["督办落实情况表"]) == []


def test_sheet_query_count_does_not_grow_with_the_items(client, district, approver):
    _world(district, approver, 0)
    client.force_login(approver)
    url = reverse("outcomes_files:sheet_xlsx")
    client.get(url)  # the session's first request loads what later ones find cached
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in (1, 2, 3):
        _world(district, approver, n)
    with CaptureQueriesContext(connection) as four:
        assert client.get(url).status_code == 200
    assert len(four) == len(one)
