"""The demo's platform details: stations with a person in charge and phones, a practice base, a park room,
three venues that do not count for coverage, one room shared with a community; numbered proposals and
bulletins with their lead members."""

import pytest
from django.contrib.auth import get_user_model

from shangliang.orgs.models import Platform
from shangliang.orgs.selectors import coverage_for
from shangliang.orgs.states import PlatformKind, VenueType
from shangliang.outcomes.models import OutcomeReport
from shangliang.outcomes.states import ReportKind, ReportStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_platform_details(seeded):
    stations = Platform.objects.filter(kind=PlatformKind.TOWNSHIP_ROOM)
    assert stations.exists()
    assert not stations.filter(keeper_name="").exists()
    assert not stations.filter(supervision_phone="").exists() and not stations.filter(opening_hours="").exists()
    assert Platform.objects.filter(is_practice_base=True).count() >= 2
    assert Platform.objects.filter(kind=PlatformKind.PARK_ROOM).count() == 1
    venues = Platform.objects.filter(kind=PlatformKind.VENUE)
    assert set(venues.values_list("venue_type", flat=True)) == {
        VenueType.PARTY_MASS_HOME,
        VenueType.VILLAGER_TALK,
        VenueType.WOMEN_HOME,
    }
    shared = Platform.objects.filter(shared_regions__isnull=False).distinct()
    assert shared.count() == 1 and shared.get().kind == PlatformKind.TOWNSHIP_ROOM


def test_venues_do_not_count_and_the_shared_room_covers_its_community(seeded):
    admin = get_user_model().objects.get(username="admin")
    shared_village = Platform.objects.get(shared_regions__isnull=False).shared_regions.get()
    covered = {name for row in coverage_for(admin).rows for name in row.uncovered}
    assert shared_village.name not in covered
    assert not Platform.objects.filter(kind=PlatformKind.VILLAGE_ROOM, region=shared_village).exists()


def test_sent_proposals_and_bulletins_are_numbered_with_a_lead_member(seeded):
    numbered = OutcomeReport.objects.filter(
        kind__in=[ReportKind.PROPOSAL, ReportKind.OPINION_BULLETIN],
        status__in=[ReportStatus.SENT, ReportStatus.REPLIED],
    )
    assert numbered.exists()
    assert not numbered.filter(serial_seq__isnull=True).exists()
    for kind in (ReportKind.PROPOSAL, ReportKind.OPINION_BULLETIN):
        for year in set(numbered.filter(kind=kind).values_list("serial_year", flat=True)):
            seqs = sorted(numbered.filter(kind=kind, serial_year=year).values_list("serial_seq", flat=True))
            assert seqs == list(range(1, len(seqs) + 1))
    signed = numbered.filter(members__isnull=False).distinct()
    assert not signed.filter(lead_member__isnull=True).exists()
