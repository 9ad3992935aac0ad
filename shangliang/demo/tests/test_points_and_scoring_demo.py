"""The demo's members' points and stations' assessment come out of its records."""

import pytest
from django.utils import timezone

from shangliang.orgs.models import Member
from shangliang.points import selectors as points
from shangliang.scoring import selectors as scoring

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("seeded")
class TestDemoPointsAndScoring:
    def test_the_demo_member_has_points_from_sessions_research_and_suggestions_each_year(self):
        member = Member.objects.get(user__username="member")
        this_year = timezone.localdate().year
        for year in (this_year - 2, this_year - 1, this_year):
            ledger = points.ledger(member, year)
            counted = {total.kind: total.count for total in ledger.totals}
            assert counted["session_attended"] >= 2 and counted["research"] >= 2, (year, counted)
            assert counted["suggestion_adopted"] >= 1, (year, counted)
            assert ledger.total == sum(line.points for line in ledger.lines)

    def test_many_members_earn_points_and_the_ranking_agrees_with_the_ledgers(self):
        ranked = points.ranking(timezone.localdate().year - 1)
        earning = [row for row in ranked.rows if row.total > 0]
        assert len(earning) >= 20
        for row in earning[:3]:
            assert row.total == points.ledger(row.member, ranked.year).total
        signed = [kind for kind, _label in ranked.kinds].index("report_sent")
        assert sum(1 for row in ranked.rows if row.by_kind[signed] > 0) >= 3  # proposals the members signed

    def test_every_township_is_scored_against_its_target_and_a_third_is_commended(self):
        rows = scoring.station_scores(timezone.localdate().year - 1)
        assert len(rows) == 9
        assert 3 <= sum(row.is_top_third for row in rows) <= 4  # ties share a rank
        assert all(0 < row.total <= 100 and 0 < row.points <= 5 for row in rows)
