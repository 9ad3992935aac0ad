"""Issue 13, point 10: handing out an item with co-units (交办) writes one history row, which records
the co-units (``core.records.set_many``)."""

import pytest
from django.urls import reverse

from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes.tests.builders import assigned, concluded, make_unit

pytestmark = pytest.mark.django_db


def test_assigning_with_co_units_writes_one_row_that_lists_them(client, district):
    consultation = concluded(district)
    co_units = [make_unit(district["a"], "镇城管办"), make_unit(district["a"], "镇派出所")]
    assignment = assigned(consultation, co_units=co_units)

    [row] = assignment.history.all()
    assert (row.history_type, row.history_change_reason) == ("+", "assignment.assigned")
    assert set(row.co_units.values_list("unit_id", flat=True)) == {unit.pk for unit in co_units}
    assert set(assignment.co_units.all()) == set(co_units)

    client.force_login(grant(make_user("supervisor"), Role.SUPERVISOR, region=district["district"]))
    page = client.get(reverse("outcomes:assignment", args=[assignment.pk])).content.decode()
    timeline = page[page.index('<table id="timeline">') :]
    assert timeline.count("<td>交办</td>") == 1


def test_assigning_without_co_units_writes_one_row(district):
    assignment = assigned(concluded(district))
    [row] = assignment.history.all()
    assert row.history_change_reason == "assignment.assigned"
    assert not row.co_units.exists()
