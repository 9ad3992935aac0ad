import random
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from shangliang.demo.district import DEMO_ACCOUNTS, DEMO_PASSWORD, DISTRICT_CODE, RESIDENT_MOBILE
from shangliang.demo.names import NameSource
from shangliang.orgs import selectors, six_haves
from shangliang.orgs.models import (
    CommitteeSeat,
    ConsultationCommittee,
    ContactLink,
    Member,
    MemberAssignment,
    Platform,
    PlatformCheck,
    Region,
    ScopedRole,
    Sector,
    Unit,
)
from shangliang.orgs.states import MemberLevel, PlatformKind, RegionLevel, Role, SixHave, UnitKind
from shangliang.orgs.tests.factories import make_user

pytestmark = pytest.mark.django_db

DEMO_MODELS = (
    Region,
    Unit,
    Sector,
    Platform,
    PlatformCheck,
    ConsultationCommittee,
    CommitteeSeat,
    Member,
    MemberAssignment,
    ContactLink,
    ScopedRole,
    get_user_model(),
)


def log_in(username):
    return authenticate(request=RequestFactory().post("/"), username=username, password=DEMO_PASSWORD)


def active_role(username, role):
    return ScopedRole.objects.select_related("region", "platform", "unit").get(
        user__username=username, role=role, revoked_at__isnull=True
    )


@pytest.mark.usefixtures("seeded")
class TestDemoDistrict:
    def test_the_hierarchy_has_one_district_nine_townships_and_ninety_two_villages_with_grids(self):
        district = Region.objects.get(code=DISTRICT_CODE)
        assert district.name == "云溪区"
        assert district.level == RegionLevel.DISTRICT
        townships = Region.objects.filter(parent=district).order_by("code")
        assert [t.code for t in townships] == [f"330199{i:03d}000" for i in range(1, 10)]
        assert Region.objects.filter(level=RegionLevel.VILLAGE).count() == 92
        for township in townships:
            villages = list(township.children.all())
            assert 10 <= len(villages) <= 11
            assert all(v.code.startswith(township.code[:9]) for v in villages)
        grids_per_village = Counter(Region.objects.filter(level=RegionLevel.GRID).values_list("parent", flat=True))
        assert len(grids_per_village) == 92
        assert set(grids_per_village.values()) <= {2, 3, 4}

    def test_there_are_105_platforms_split_by_kind_as_in_the_source_district(self):
        kinds = Counter(Platform.objects.values_list("kind", flat=True))
        # demo/platforms.py adds a park room and three other venues (not consultation rooms).
        assert sum(kinds.values()) == 105 + 4
        assert kinds == {
            PlatformKind.TOWNSHIP_ROOM: 9,
            PlatformKind.VILLAGE_ROOM: 84,
            PlatformKind.COMPANY_ROOM: 3,
            PlatformKind.MEMBER_STUDIO: 5,
            PlatformKind.SECTOR_ROOM: 4,
            PlatformKind.PARK_ROOM: 1,
            PlatformKind.VENUE: 3,
        }
        assert set(Platform.objects.filter(kind=PlatformKind.COMPANY_ROOM).values_list("brand", flat=True)) == {
            "有事来协商"
        }
        assert not Platform.objects.filter(kind=PlatformKind.SECTOR_ROOM, sector__isnull=True).exists()
        assert not Platform.objects.filter(active_since__year__lt=2019).exists()
        assert not Platform.objects.filter(active_since__year__gt=2023).exists()

    def test_coverage_is_every_township_and_84_of_92_villages_with_gaps_in_several_townships(self):
        admin = get_user_model().objects.get(username="admin")
        coverage = selectors.coverage_for(admin)
        townships, villages = coverage.levels[0], coverage.levels[1]
        assert (townships.total, townships.covered) == (9, 9)
        # 84 villages with a room of their own, and one sharing its township's room (demo/platforms.py).
        assert (villages.total, villages.covered) == (92, 85)
        assert sum(1 for row in coverage.rows if row.uncovered) >= 3
        # 105 rooms and the park room; the three other venues are not consultation rooms.
        assert coverage.platform_total == 106

    def test_most_six_haves_items_are_met_and_some_are_not(self):
        assert PlatformCheck.objects.count() == 106 * len(SixHave.values)
        # 有活动 and 有实效 are read from the records (orgs/six_haves.py), never ticked.
        manual = PlatformCheck.objects.exclude(item__in=six_haves.DERIVED)
        assert not manual.filter(checked_at__isnull=True).exists()
        assert not PlatformCheck.objects.filter(item__in=six_haves.DERIVED, checked_at__isnull=False).exists()
        unmet = manual.filter(is_met=False)
        assert 0 < unmet.count() < manual.count() * 0.2
        assert not unmet.filter(note="").exists()

    def test_every_village_with_a_room_has_a_committee_of_five_to_seven_with_one_chair(self):
        village_rooms = Platform.objects.filter(kind=PlatformKind.VILLAGE_ROOM)
        committees = ConsultationCommittee.objects.all()
        assert set(committees.values_list("region", flat=True)) == set(village_rooms.values_list("region", flat=True))
        for committee in committees.prefetch_related("seats"):
            positions = Counter(seat.position for seat in committee.seats.all())
            assert 5 <= sum(positions.values()) <= 7
            assert positions["主任"] == 1
            assert positions["副主任"] >= 1

    def test_the_district_has_its_departments_committees_sectors_and_a_body_per_township_and_village(self):
        district = Region.objects.get(code=DISTRICT_CODE)
        for name in ("区委", "区住房和城乡建设局", "区信访局", "提案委员会", "人口资源环境委员会"):
            assert Unit.objects.filter(region=district, name=name).exists()
        assert Unit.objects.filter(kind=UnitKind.CPPCC_COMMITTEE).count() == 7
        assert Unit.objects.filter(kind=UnitKind.TOWNSHIP_GOVERNMENT).count() == 9
        assert Unit.objects.filter(kind=UnitKind.VILLAGE_COMMITTEE).count() == 92
        assert Unit.objects.filter(kind=UnitKind.COMPANY).exists()
        assert Sector.objects.count() == 22

    def test_34_city_and_151_county_members_are_each_assigned_to_a_township_station(self):
        assert Member.objects.filter(level=MemberLevel.CITY).count() == 34
        assert Member.objects.filter(level=MemberLevel.COUNTY).count() == 151
        open_assignments = MemberAssignment.objects.filter(ended_on__isnull=True)
        assert open_assignments.values("member").distinct().count() == 185
        assert set(open_assignments.values_list("platform__kind", flat=True)) == {PlatformKind.TOWNSHIP_ROOM}
        per_station = Counter(open_assignments.values_list("platform", flat=True))
        assert len(per_station) == 9
        assert set(per_station.values()) <= {20, 21}
        assert not Member.objects.filter(home_region__isnull=True).exists()
        assert not MemberAssignment.objects.exclude(started_on__year__in=[2021, 2022, 2023]).exists()

    def test_each_special_committee_is_linked_to_township_stations_and_one_member_studio(self):
        for committee in Unit.objects.filter(kind=UnitKind.CPPCC_COMMITTEE):
            kinds = Counter(ContactLink.objects.filter(committee=committee).values_list("platform__kind", flat=True))
            assert 1 <= kinds[PlatformKind.TOWNSHIP_ROOM] <= 2
            assert kinds[PlatformKind.MEMBER_STUDIO] == 1

    def test_every_demo_account_logs_in_with_the_demo_password(self):
        for username, _role in DEMO_ACCOUNTS:
            user = log_in(username)
            assert user is not None, username
            assert user.username == username
            assert user.full_name
        assert log_in(RESIDENT_MOBILE).username == "resident"

    def test_each_staff_account_holds_its_role_in_its_scope(self):
        district = Region.objects.get(code=DISTRICT_CODE)
        for username, role in DEMO_ACCOUNTS:
            if role in (Role.ADMINISTRATOR, Role.COMMITTEE_STAFF, Role.SUPERVISOR, Role.EVALUATOR):
                assert active_role(username, role).region == district
        assert active_role("liaison", Role.UNIT_LIAISON).unit.name == "区住房和城乡建设局"
        admin = get_user_model().objects.get(username="admin")
        assert admin.is_superuser and admin.is_staff
        resident = get_user_model().objects.get(username="resident")
        assert resident.mobile == RESIDENT_MOBILE
        assert not ScopedRole.objects.filter(user=resident).exists()

    def test_the_station_head_and_both_conveners_work_in_the_first_township(self):
        first_township = Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code").first()
        assert active_role("station", Role.STATION_HEAD).region == first_township
        first_village = active_role("convener", Role.CONVENER).region
        second_village = active_role("convener2", Role.CONVENER).region
        assert first_village != second_village
        assert first_village.parent == second_village.parent == first_township
        siblings = list(first_township.children.order_by("code"))
        assert siblings[:2] == [first_village, second_village]
        for village in (first_village, second_village):
            assert Platform.objects.filter(region=village, kind=PlatformKind.VILLAGE_ROOM).exists()

    def test_one_approver_sits_at_each_level_above_the_first_convener(self):
        village = active_role("convener", Role.CONVENER).region
        assert active_role("secretary", Role.APPROVER).region == village
        assert active_role("township_party", Role.APPROVER).region == village.parent
        assert active_role("district_party", Role.APPROVER).region == Region.objects.get(code=DISTRICT_CODE)
        assert (
            not ScopedRole.objects.filter(
                user__username__in=["secretary", "township_party", "district_party"], revoked_at__isnull=True
            )
            .exclude(role=Role.APPROVER)
            .exists()
        )

    def test_the_member_account_is_a_county_member_at_the_station_heads_station(self):
        member = Member.objects.get(user__username="member")
        assert member.level == MemberLevel.COUNTY
        assignment = member.assignments.get(ended_on__isnull=True)
        assert active_role("member", Role.MEMBER).platform == assignment.platform
        assert assignment.platform.region == active_role("station", Role.STATION_HEAD).region

    def test_the_summary_lists_counts_and_accounts(self, seeded):
        output = seeded["output"]
        assert "协商议事平台：105" in output
        assert "已覆盖的村（社区）：84" in output
        for username, _role in DEMO_ACCOUNTS:
            assert f"  {username}" in output

    def test_building_leaves_the_global_random_generator_alone(self, seeded):
        assert seeded["global_random_next"] == random.Random(7).random()

    def test_running_it_again_changes_nothing(self):
        before = {model: model.objects.count() for model in DEMO_MODELS}
        output = StringIO()
        call_command("seed_demo", stdout=output)
        assert "已存在" in output.getvalue()
        assert {model: model.objects.count() for model in DEMO_MODELS} == before


def test_seeding_refuses_when_a_demo_login_name_is_taken_and_writes_nothing():
    make_user("Admin")
    with pytest.raises(CommandError, match="Admin"):
        call_command("seed_demo", stdout=StringIO())
    assert not Region.objects.exists()
    assert get_user_model().objects.count() == 1


def test_generated_names_repeat_for_the_same_seed_and_never_repeat_within_one_source():
    first, second = NameSource(random.Random(2026)), NameSource(random.Random(2026))
    names = [first.person("M" if i % 3 else "F") for i in range(500)]
    assert names == [second.person("M" if i % 3 else "F") for i in range(500)]
    assert len(set(names)) == 500
    assert all(2 <= len(name) <= 3 for name in names)
    mobiles = [first.mobile() for _ in range(500)]
    assert len(set(mobiles)) == 500
    assert RESIDENT_MOBILE not in mobiles
