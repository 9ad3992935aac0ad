"""Targets, schemes and inspections: the rules the services and the database enforce."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shangliang.core.errors import DomainError
from shangliang.orgs.tests.factories import make_platform, make_user
from shangliang.scoring import selectors, services
from shangliang.scoring.models import AnnualTarget, Inspection, ScoringScheme
from shangliang.scoring.states import InspectionKind, MonthState
from shangliang.scoring.tests.builders import committee, link

D = datetime.date


def test_scheme_weights_must_sum_to_100(db):
    with pytest.raises(DomainError, match="四项权重之和应为100"):
        services.scheme_set(
            actor=None, year=2025, weight_consultations=30, weight_on_time=30, weight_replies=20, weight_satisfaction=30
        )
    scheme = ScoringScheme(year=2025, weight_consultations=50)
    with pytest.raises(ValidationError):
        scheme.full_clean()


def test_scheme_falls_back_to_earlier_year_then_default(db):
    assert selectors.scheme_for(2025).weights == {"consultations": 30, "on_time": 30, "replies": 15, "satisfaction": 25}
    services.scheme_set(
        actor=None, year=2024, weight_consultations=40, weight_on_time=20, weight_replies=20, weight_satisfaction=20
    )
    assert selectors.scheme_for(2025).weight_consultations == 40


def test_target_is_one_per_township_and_year(district):
    services.target_set(actor=None, year=2025, region=district["a"], min_consultations=3)
    again = services.target_set(actor=None, year=2025, region=district["a"], min_consultations=5)
    assert AnnualTarget.objects.filter(year=2025, region=district["a"]).get().min_consultations == 5
    assert again.history.count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualTarget.objects.create(year=2025, region=district["a"], min_consultations=1)


def test_target_refuses_a_village_and_both_subjects(district):
    with pytest.raises(DomainError, match="乡镇"):
        services.target_set(actor=None, year=2025, region=district["a1"], min_consultations=2)
    platform = make_platform(district["a"])
    with pytest.raises(DomainError):
        services.target_set(actor=None, year=2025, region=district["a"], platform=platform, min_consultations=2)


def test_township_targets_are_saved_together_or_not_at_all(district):
    a, b = district["a"], district["b"]
    kept = services.target_set(actor=None, year=2025, region=a, min_consultations=3)
    rows = [(a, 5, 80, 90), (district["a1"], 2, None, None), (b, 4, None, None)]
    with pytest.raises(DomainError, match="甲一村：年度目标只能设在乡镇（街道）一级。本次没有保存任何目标。"):
        services.township_targets_set(actor=None, year=2025, targets=rows)
    kept.refresh_from_db()
    assert (kept.min_consultations, kept.min_on_time_rate, kept.history.count()) == (3, None, 1)
    assert not AnnualTarget.objects.filter(region=b).exists()
    admin = make_user()
    saved = services.township_targets_set(actor=admin, year=2025, targets=[rows[0], rows[2]])
    assert [(t.region, t.min_consultations) for t in saved] == [(a, 5), (b, 4)]
    kept.refresh_from_db()
    assert (kept.min_satisfaction_rate, kept.history.count()) == (90, 2)
    assert {t.history.first().history_user for t in saved} == {admin}


def test_targets_are_archived_not_deleted(district):
    target = services.target_set(actor=None, year=2025, region=district["a"], min_consultations=3)
    with pytest.raises(PermissionError):
        target.delete()


@pytest.fixture
def linked(district):
    unit = committee(district["district"])
    platform = make_platform(district["a"])
    return {"committee": unit, "platform": platform, "link": link(unit, platform, D(2025, 1, 1)), **district}


def _record(linked, kind, day, actor=None):
    return services.inspection_record(
        actor=actor or make_user(),
        committee=linked["committee"],
        platform=linked["platform"],
        kind=kind,
        visited_on=day,
        findings="听取站点汇报，查看协商台账和成果落实。",
        today=D(2026, 1, 10),
    )


def test_inspection_gaps_follow_the_schedule(linked):
    for day in (D(2025, 1, 15), D(2025, 2, 10), D(2025, 4, 3)):
        _record(linked, InspectionKind.RESEARCH_VISIT, day)
    _record(linked, InspectionKind.FULL_INSPECTION, D(2025, 5, 20))
    (row,) = selectors.inspection_schedule(2025, today=D(2025, 8, 15))
    assert row.month_gaps == [3, 6, 7]
    assert row.months[7].state == MonthState.DUE and row.months[8].state == MonthState.FUTURE
    assert row.half_gaps == [] and row.halves[1].state == MonthState.DUE
    assert (row.visits_done, row.inspections_done) == (3, 1)
    (year_end,) = selectors.inspection_schedule(2025, today=D(2026, 1, 10))
    assert year_end.month_gaps == [3, 6, 7, 8, 9, 10, 11, 12] and year_end.half_gaps == [2]


def test_months_before_the_link_are_not_gaps(linked):
    unit = committee(linked["district"], "经济委员会")
    later = make_platform(linked["b"])
    link(unit, later, D(2025, 10, 5))
    rows = selectors.inspection_schedule(2025, committee=unit, today=D(2026, 1, 10))
    assert [r.link.platform for r in rows] == [later]
    assert rows[0].month_gaps == [10, 11, 12]
    assert rows[0].halves[0].state == MonthState.NOT_LINKED and rows[0].half_gaps == [2]


def test_inspection_refused_for_a_station_not_linked_to_the_committee(linked):
    other = committee(linked["district"], "经济委员会")
    with pytest.raises(DomainError, match="没有联系关系"):
        services.inspection_record(
            actor=make_user(),
            committee=other,
            platform=linked["platform"],
            kind=InspectionKind.RESEARCH_VISIT,
            visited_on=D(2025, 3, 1),
            findings="调研",
            today=D(2025, 3, 2),
        )
    assert not Inspection.objects.exists()


def test_inspection_refused_in_the_future_and_before_the_link(linked):
    with pytest.raises(DomainError, match="不能晚于今天"):
        _record(linked, InspectionKind.RESEARCH_VISIT, D(2026, 2, 1))
    with pytest.raises(DomainError, match="没有联系关系"):
        _record(linked, InspectionKind.RESEARCH_VISIT, D(2024, 12, 1))
