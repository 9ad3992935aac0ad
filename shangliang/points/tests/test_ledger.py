"""Points computed from the records: each activity counted by hand, what earns nothing, the yearly cap,
rules changed after the fact, and the ranking agreeing with the ledgers."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shangliang.consultations.models import Consultation
from shangliang.points import selectors, services
from shangliang.points.defaults import LATER_RULES, RULES
from shangliang.points.models import PointRule
from shangliang.points.states import PointKind
from shangliang.points.tests.builders import held_in, in_session_on
from shangliang.points.tests.conftest import YEAR
from shangliang.topics.tests.builders import approved

pytestmark = pytest.mark.django_db

A, S, V, R, G, P, T, L, E = (
    PointKind.SESSION_ATTENDED,
    PointKind.SESSION_SPOKE,
    PointKind.RESEARCH,
    PointKind.RECOMMENDATION_APPROVED,
    PointKind.RECOMMENDATION_ASSIGNED,
    PointKind.SUGGESTION_ADOPTED,
    PointKind.REPORT_SENT,
    PointKind.PROBLEM_LOGGED,
    PointKind.EVENT_SPOKE,
)


def rule(kind) -> PointRule:
    return PointRule.objects.get(kind=kind, is_active=True, is_archived=False)


def by_kind(ledger) -> dict:
    return {t.kind: (t.count, t.points) for t in ledger.totals}


def test_default_rules_are_seeded_one_in_force_per_kind():
    assert {r.kind: (r.points, r.yearly_cap) for r in PointRule.objects.all()} == {
        kind: (points, cap) for kind, points, cap, _note in [*RULES, *LATER_RULES]
    }
    assert set(selectors.rules_in_force()) == set(PointKind.values)


def test_ledger_counts_each_activity_from_the_records(people, loop_record):
    record = loop_record
    ledger = selectors.ledger(people["wang"], YEAR)

    assert by_kind(ledger) == {
        **{A: (2, 4), S: (1, 1), V: (1, 3), R: (1, 3), G: (1, 2), P: (1, 2), T: (1, 3)},
        **{L: (1, 1), E: (1, 2)},
    }
    assert ledger.total == 21
    first, second, topic = record["first"], record["second"], record["topic"]
    lines = {(line.kind, line.url, line.points, line.note) for line in ledger.lines}
    assert lines == {
        (A, reverse("consultations:detail", args=[first.pk]), 2, ""),
        (A, reverse("consultations:detail", args=[second.pk]), 2, ""),
        (S, reverse("consultations:detail", args=[first.pk]), 1, ""),
        (R, reverse("topics:topic_detail", args=[topic.pk]), 3, ""),
        (G, reverse("outcomes:assignment", args=[first.suggestions.get(order=1).assignments.get().pk]), 2, ""),
        (P, reverse("outcomes:assignment", args=[first.suggestions.get(order=1).assignments.get().pk]), 2, ""),
        (V, reverse("consultations:detail", args=[first.pk]), 3, ""),
        (T, reverse("outcomes:report", args=[record["proposal"].pk]), 3, ""),
        (L, reverse("topics:submission_detail", args=[record["problem"].pk]), 1, ""),
        (E, reverse("events:detail", args=[record["briefing"].pk]), 2, ""),
    }
    assert [line.on for line in ledger.lines] == sorted(line.on for line in ledger.lines)


def test_others_are_counted_by_their_own_records(people, record):
    assert selectors.ledger(people["qian"], YEAR).total == 3
    assert by_kind(selectors.ledger(people["qian"], YEAR))[A] == (1, 2)
    zhao = selectors.ledger(people["zhao"], YEAR)
    assert zhao.total == 0
    assert zhao.lines == []


def test_rejected_returned_and_excluded_recommendations_earn_nothing(district, people, record):
    titles = [line.record for line in selectors.ledger(people["wang"], YEAR).lines if line.kind == R]
    assert titles == ["集镇电动车乱停放"]


def test_returned_assignment_earns_nothing_and_cancelled_session_nothing(people, record):
    ledger = selectors.ledger(people["wang"], YEAR)
    urls = {line.url for line in ledger.lines}
    assert reverse("outcomes:assignment", args=[record["returned"].pk]) not in urls
    assert reverse("consultations:detail", args=[record["cancelled"].pk]) not in urls


def test_archived_session_earns_nothing(people, record):
    Consultation.objects.filter(pk=record["second"].pk).update(is_archived=True)
    assert by_kind(selectors.ledger(people["wang"], YEAR))[A] == (1, 2)


def test_only_records_of_the_year_count(people, loop_record):
    held_in(loop_record["second"], YEAR - 1)
    assert by_kind(selectors.ledger(people["wang"], YEAR))[A] == (1, 2)
    last_year = selectors.ledger(people["wang"], YEAR - 1)
    assert by_kind(last_year) == {
        **{A: (1, 2), S: (0, 0), V: (0, 0), R: (0, 0), G: (0, 0), P: (0, 0), T: (0, 0)},
        **{L: (0, 0), E: (0, 0)},
    }


def test_yearly_cap_cuts_the_lines_past_it_and_starts_again_next_year(district, people):
    wang = people["wang"]
    services.rule_save(actor=None, rule=_changed(rule(A), points=Decimal("2"), yearly_cap=Decimal("3")))
    for month, title in ((3, "村道路灯不亮"), (5, "小区停车难"), (7, "垃圾清运不及时")):
        held_in(in_session_on(district, approved(district["a1"], title), attend=[wang]), YEAR, month)
    next_year = in_session_on(district, approved(district["a1"], "河道保洁"), attend=[wang])
    held_in(next_year, YEAR + 1, 2)

    ledger = selectors.ledger(wang, YEAR)
    assert [(line.points, line.note) for line in ledger.lines] == [(2, ""), (1, "已达年度上限"), (0, "已达年度上限")]
    assert ledger.total == 3
    assert ledger.totals[0].is_capped
    assert selectors.ledger(wang, YEAR + 1).total == 2
    ranked = selectors.ranking(YEAR, members=type(wang).objects.filter(pk=wang.pk))
    assert ranked.rows[0].total == 3


def _changed(point_rule, **values):
    for name, value in values.items():
        setattr(point_rule, name, value)
    return point_rule


def test_changing_a_rule_changes_the_ledger_nothing_is_stored(people, loop_record):
    wang = people["wang"]
    services.rule_save(actor=None, rule=_changed(rule(R), points=Decimal("5")))
    assert by_kind(selectors.ledger(wang, YEAR))[R] == (1, 5)

    services.rule_save(actor=None, rule=_changed(rule(S), is_active=False))
    assert S not in by_kind(selectors.ledger(wang, YEAR))
    assert selectors.ledger(wang, YEAR).total == 4 + 3 + 5 + 2 + 2 + 3 + 1 + 2
    assert selectors.ranking(YEAR, members=type(wang).objects.filter(pk=wang.pk)).kinds == [
        (A, "参加协商会议"),
        (V, "参加商前调研"),
        (R, "委员荐题被立项"),
        (G, "所荐议题形成的建议被采纳交办"),
        (P, "所提建议被采纳交办"),
        (T, "署名提案或社情民意信息报送"),
        (L, "收集反映群众诉求被受理"),
        (E, "宣讲授课"),
    ]


def test_a_second_rule_in_force_for_one_activity_is_refused():
    with pytest.raises(ValidationError):
        services.rule_save(actor=None, rule=PointRule(kind=A, points=Decimal("1")))
    services.rule_save(actor=None, rule=PointRule(kind=A, points=Decimal("1"), is_active=False))


def test_archiving_a_rule_keeps_it_and_its_history():
    services.rule_archive(actor=None, rule=rule(A))
    archived = PointRule.objects.get(kind=A)
    assert archived.is_archived and not archived.is_active and archived.archived_at
    assert archived.history.first().history_change_reason == "point_rule.archived"
    assert A not in selectors.rules_in_force()
    with pytest.raises(PermissionError):
        archived.delete()


def test_ranking_agrees_with_the_ledgers_and_orders_by_total(people, loop_record):
    members = type(people["wang"]).objects.filter(pk__in=[p.pk for p in people.values()])
    ranked = selectors.ranking(YEAR, members=members)
    assert [(row.rank, row.member.name, row.total) for row in ranked.rows] == [
        (1, "王委员", 21),
        (2, "钱委员", 3),
        (3, "赵委员", 0),
    ]
    assert ranked.rows[0].by_kind == [4, 1, 3, 3, 2, 2, 3, 1, 2]
    for row in ranked.rows:
        assert row.total == selectors.ledger(row.member, YEAR).total


def test_ranking_by_region_keeps_members_assigned_or_living_there(district, people, record):
    ranked = selectors.ranking(YEAR, region=district["a"])
    assert [row.member.name for row in ranked.rows] == ["王委员", "赵委员"]


def test_equal_totals_share_a_rank(district, people):
    ranked = selectors.ranking(YEAR)
    assert [row.rank for row in ranked.rows] == [1, 1, 1]
