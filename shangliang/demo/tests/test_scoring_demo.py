"""The demo's targets and inspections build on the demo district and leave gaps to show."""

import pytest
from django.utils import timezone

from shangliang.demo.district import build_demo_district
from shangliang.demo.scoring import build_demo_scoring
from shangliang.scoring import selectors


@pytest.mark.django_db
def test_demo_scoring_builds_targets_and_inspections_with_gaps():
    assert build_demo_scoring() == {}
    build_demo_district()
    counts = build_demo_scoring()
    assert counts["targets"] == 9 * 3 and counts["inspections_made"] > 0
    assert build_demo_scoring()["inspections_made"] == 0
    rows = selectors.inspection_schedule(timezone.localdate().year - 1)
    assert rows and any(r.has_gaps for r in rows) and any(not r.half_gaps for r in rows)
