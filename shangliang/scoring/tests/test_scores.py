"""Station scores against a hand count on a small fixture."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from shangliang.evaluation.states import Satisfaction
from shangliang.orgs.states import RegionLevel
from shangliang.orgs.tests.factories import make_region
from shangliang.scoring import selectors, services
from shangliang.scoring.tests.builders import held, item, ratings, report

YEAR = 2025
D = datetime.date
S, B, U = Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.UNSATISFIED


@pytest.fixture
def counted(district):
    """Township A: 2 consultations in 2025 (one in 2024), 3 items due (1 on time), 2 entrusted replies
    due (1 on time), 5 ratings (4 satisfied). Township B: 1 consultation and nothing else."""
    a1, b1 = district["a1"], district["b1"]
    c1 = held(a1, D(2025, 3, 10), suggestions=("甲", "乙", "丙"))
    c2 = held(district["a2"], D(2025, 9, 10), suggestions=("丁",))
    old = held(a1, D(2024, 12, 20), suggestions=("戊",))
    item(c1, 0, D(2025, 4, 30), done_on=D(2025, 4, 20))  # on time
    item(c1, 1, D(2025, 5, 31), done_on=D(2025, 6, 10))  # late
    item(c1, 2, D(2025, 6, 30))  # still open, overdue
    item(c2, 0, D(2026, 1, 31), done_on=D(2025, 12, 1))  # due next year: not this year's
    item(old, 0, D(2024, 12, 31), done_on=D(2024, 12, 30))  # due last year
    report(c1, sent_on=D(2025, 3, 20), replied_on=D(2025, 3, 25))  # due 3-30, on time
    report(c2, sent_on=D(2025, 9, 15))  # due 9-25, never answered
    report(c1, sent_on=D(2025, 3, 21), entrusted=False)  # not entrusted: no reply due
    ratings(c1, [S, S, S, B, U], on=D(2025, 7, 1))
    ratings(old, [U, U], on=D(2024, 12, 30))  # last year's ratings
    held(b1, D(2025, 4, 1))
    return district


def row_of(rows, township):
    return next(r for r in rows if r.pk == township.pk)


def test_each_component_matches_the_hand_count(counted):
    a = row_of(selectors.station_scores(YEAR), counted["a"])
    assert a.held == 2 and a.min_consultations == 2 and a.is_consultations_met
    assert (a.figures.items_due, a.figures.items_on_time) == (3, 1)
    assert (a.figures.replies_due, a.figures.replies_on_time) == (2, 1)
    assert (a.figures.ratings, a.figures.ratings_satisfied) == (5, 4)
    assert a.component_scores == {"consultations": 30.0, "on_time": 10.0, "replies": 7.5, "satisfaction": 20.0}
    assert a.total == 67.5
    assert a.points == pytest.approx(3.375, abs=0.01)


def test_township_below_target_is_flagged_and_empty_components_are_scaled(counted):
    b = row_of(selectors.station_scores(YEAR), counted["b"])
    assert b.held == 1 and not b.is_consultations_met and not b.is_met
    assert b.shortfalls == ["开展协商"]
    # Only the consultations component has anything to count: 15 of 30 scaled to 100.
    assert b.component_scores["on_time"] is None
    assert b.total == 50.0


@override_settings(SHANGLIANG_TOWNSHIP_MIN_CONSULTATIONS=1)
def test_default_target_comes_from_settings(counted):
    b = row_of(selectors.station_scores(YEAR), counted["b"])
    assert b.min_consultations == 1 and b.is_met and b.is_default_target


def test_target_row_overrides_default_and_rate_targets_count(counted):
    services.target_set(actor=None, year=YEAR, region=counted["a"], min_consultations=4, min_satisfaction_rate=90)
    a = row_of(selectors.station_scores(YEAR), counted["a"])
    assert a.min_consultations == 4
    assert a.component_scores["consultations"] == 15.0
    assert a.shortfalls == ["开展协商", "群众满意度"]


def test_filing_more_documents_does_not_raise_the_score(counted):
    before = row_of(selectors.station_scores(YEAR), counted["a"])
    c1 = before.township  # any consultation of A will do; take the first one counted
    consultation = selectors.station_records(YEAR, c1).consultations[0]
    for day in (D(2025, 4, 1), D(2025, 4, 2), D(2025, 4, 3)):
        report(consultation, sent_on=day, entrusted=False)
    after = row_of(selectors.station_scores(YEAR), counted["a"])
    assert (after.total, after.figures) == (before.total, before.figures)


def test_records_behind_the_figures_match_them(counted):
    records = selectors.station_records(YEAR, counted["a"])
    assert len(records.consultations) == 2
    assert [a.is_on_time for a in records.items] == [True, False, False]
    assert [r.is_reply_on_time for r in records.replies] == [True, False]
    assert [(r.ratings, r.satisfied) for r in records.rated] == [(5, 4)]


def test_top_third_is_commended(district):
    d = district["district"]
    extra = [make_region(f"丙{i}镇", RegionLevel.TOWNSHIP, d) for i in range(3)]
    townships = [district["a"], district["b"], *extra]  # 5 townships: the top 2 are commended
    villages = [district["a1"], district["b1"]] + [make_region(f"{t.name}一村", RegionLevel.VILLAGE, t) for t in extra]
    for township, village, minimum in zip(townships[:3], villages[:3], (1, 2, 4), strict=True):
        held(village, D(2025, 5, 1))
        services.target_set(actor=None, year=YEAR, region=township, min_consultations=minimum)
    rows = selectors.station_scores(YEAR, d)
    by_pk = {r.pk: r for r in rows}
    assert [by_pk[t.pk].total for t in townships] == [100.0, 50.0, 25.0, 0.0, 0.0]
    assert [by_pk[t.pk].rank for t in townships] == [1, 2, 3, 4, 4]
    assert [by_pk[t.pk].is_top_third for t in townships] == [True, True, False, False, False]
    assert [r.pk for r in rows][:3] == [t.pk for t in townships[:3]]


def _queries(year, region):
    with CaptureQueriesContext(connection) as captured:
        selectors.station_scores(year, region)
        selectors.platform_scores(year, region)
    return len(captured)


def test_query_count_does_not_grow_with_townships(district):
    d = district["district"]
    first = held(district["a1"], D(2025, 5, 1))
    held(district["b1"], D(2025, 5, 2))
    services.target_set(actor=None, year=YEAR, platform=first.platform, min_consultations=1)
    two = _queries(YEAR, d)
    for i in range(3):
        township = make_region(f"丁{i}镇", RegionLevel.TOWNSHIP, d)
        village = make_region(f"丁{i}村", RegionLevel.VILLAGE, township)
        c = held(village, D(2025, 6, 1))
        services.target_set(actor=None, year=YEAR, region=township, min_consultations=3)
        services.target_set(actor=None, year=YEAR, platform=c.platform, min_consultations=1)
        ratings(c, [S], on=D(2025, 7, 1))
    assert len(selectors.station_scores(YEAR, d)) == 5
    assert _queries(YEAR, d) == two


def test_platform_scores_list_platforms_with_targets(counted):
    records = selectors.station_records(YEAR, counted["a"])
    platform = records.consultations[0].platform
    services.target_set(actor=None, year=YEAR, platform=platform, min_consultations=3)
    rows = selectors.platform_scores(YEAR, counted["district"])
    assert [(r.pk, r.held, r.is_met) for r in rows] == [(platform.pk, 1, False)]
    assert selectors.platform_scores(YEAR, counted["b"]) == []
