# ruff: noqa: F811 (the test takes the fixtures it imports from the outcomes tests)
"""Issue 13, point 3: only an item checked (验收) counts as done, on the dashboard and in the station score
(the pages and services of the check are tested in ``outcomes/tests/test_check.py``)."""

import datetime

import pytest
from django.utils import timezone

from shangliang.dashboard.selectors import Scope, outcome_figures
from shangliang.outcomes import services
from shangliang.outcomes.tests.test_check import accepted_item, complete, consultation, login, people, url  # noqa: F401
from shangliang.scoring.selectors import station_scores

pytestmark = pytest.mark.django_db


def test_only_a_checked_item_counts_as_done_on_the_dashboard_and_the_station_score(
    client,
    district,
    people,
    consultation,
):
    today = timezone.localdate()
    item = complete(client, people, accepted_item(consultation, people, deadline=today))
    scope = Scope.of(
        start=today - datetime.timedelta(days=60), end=today + datetime.timedelta(days=60), region=district["district"]
    )

    def station():
        (row,) = [r for r in station_scores(today.year, today=today) if r.township == district["a"]]
        return row.figures.items_on_time

    assert outcome_figures(scope, today).done == 0 and station() == 0
    board = login(client, people["supervisor"]).get(url("board") + "?state=finished")
    assert board.context["board"].finished == 1 and board.context["board"].done == 0
    assert [row.item.pk for row in board.context["rows"]] == [item.pk]
    consultation_page = login(client, people["convener"]).get(url("consultation", consultation.pk))
    assert consultation_page.context["counts"]["done"] == 0 and consultation_page.context["counts"]["finished"] == 1
    services.assignment_check(item, actor=people["convener"])
    assert outcome_figures(scope, today).done == 1 and station() == 1
    consultation_page = client.get(url("consultation", consultation.pk))
    assert consultation_page.context["counts"]["done"] == 1
