"""The demo's records behind the seeds' statistics: marks solved on the spot, matters settled directly,
measures of done items, the chair council's reviews; all dated yesterday or earlier, and counted."""

import pytest
from django.utils import timezone

from shangliang.consultations.models import Statement, Suggestion
from shangliang.dashboard import seed_figures
from shangliang.dashboard.models import ChairCouncilReview
from shangliang.dashboard.selectors import Scope
from shangliang.demo import district
from shangliang.orgs.models import Region
from shangliang.outcomes.models import Measure
from shangliang.topics.models import Submission
from shangliang.topics.states import SubmissionStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_records_the_seeds_count(seeded):
    today = timezone.localdate()
    marked = list(Statement.objects.filter(solved_on_spot_at__isnull=False)) + list(
        Suggestion.objects.filter(solved_on_spot_at__isnull=False)
    )
    assert len(marked) >= 10
    assert all(
        row.solved_by and row.solved_note and timezone.localdate(row.solved_on_spot_at) < today for row in marked
    )
    settled = Submission.objects.filter(status=SubmissionStatus.SETTLED)
    assert settled.count() >= 8
    assert all(s.settlement and timezone.localdate(s.settled_at) < today for s in settled)
    assert all(timezone.localdate(s.created_at) < today for s in settled)
    measures = Measure.objects.filter(withdrawn_at__isnull=True)
    assert measures.count() >= 5
    assert all(timezone.localdate(m.created_at) < today and m.implemented_on < today for m in measures)
    assert ChairCouncilReview.objects.count() == 2
    assert all(r.held_on < today and timezone.localdate(r.created_at) < today for r in ChairCouncilReview.objects.all())


def test_the_demo_districts_figures_count_them(seeded):
    the_district = Region.objects.get(code=district.DISTRICT_CODE)
    today = timezone.localdate()
    scope = Scope.of(start=today.replace(year=today.year - 1), end=today, region=the_district)
    solved = seed_figures.problems_solved(scope)
    assert solved.on_spot > 0 and solved.settled > 0 and solved.done > 0
    implemented = seed_figures.implemented(scope)
    assert implemented.measures > 0 and implemented.total > implemented.items
    assert seed_figures.members_reach(scope).villages > 0
    assert seed_figures.department_ranking(scope)
