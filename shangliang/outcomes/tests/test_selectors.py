"""Facts defined once in ``outcomes.selectors``: overdue, and the items of a unit, wherever they are counted."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.orgs.tests.factories import make_user
from shangliang.outcomes import permissions, selectors
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.states import OPEN_ASSIGNMENT, AssignmentStatus
from shangliang.outcomes.tests.builders import assigned, concluded, liaison_of, make_unit

pytestmark = pytest.mark.django_db


def test_overdue_is_one_rule_in_queries_in_memory_and_on_the_board(district):
    item = assigned(concluded(district), unit=make_unit(district["district"]))
    today = timezone.localdate()
    for status in AssignmentStatus.values:
        for days in (-1, 0, 1):
            Assignment.objects.filter(pk=item.pk).update(status=status, deadline=today + datetime.timedelta(days=days))
            item.refresh_from_db()
            expected = status in OPEN_ASSIGNMENT and days < 0
            queried = Assignment.objects.filter(selectors.overdue_q(today), pk=item.pk).exists()
            board = selectors.board_for(Assignment.objects.filter(pk=item.pk), today)
            assert (queried, selectors.is_overdue(item, today), board.overdue) == (expected, expected, int(expected))
            assert selectors.days_overdue(item, today) == (1 if expected else 0)


def test_the_items_of_a_unit_are_those_it_leads_or_shares_on_every_list(client, district):
    consultation = concluded(district, suggestions=("停放点", "值守", "路灯"))
    unit_a, unit_b = make_unit(district["district"], "区住建局"), make_unit(district["district"], "区交通局")
    supervisor = make_user("board-supervisor")
    led = assigned(consultation, unit=unit_a, supervisor=supervisor)
    shared = assigned(consultation, unit=unit_b, co_units=[unit_a], order=1, supervisor=supervisor)
    assigned(consultation, unit=unit_b, order=2, supervisor=supervisor)
    liaison = liaison_of(unit_a, "units-liaison")
    expected = {led.pk, shared.pk}
    assert set(selectors.assignments_of_units({unit_a.pk}).values_list("pk", flat=True)) == expected
    assert set(permissions.assignments_visible_to(liaison).values_list("pk", flat=True)) == expected
    by_unit = selectors.assignments_filtered(Assignment.objects.all(), unit_id=unit_a.pk)
    assert set(by_unit.values_list("pk", flat=True)) == expected
    client.force_login(liaison)
    desk = client.get(reverse("outcomes:unit_desk") + "?tab=all")
    assert {row.item.pk for row in desk.context["rows"]} == expected
