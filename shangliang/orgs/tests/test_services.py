import pytest
from django.core.exceptions import ValidationError

from shangliang.core.errors import DomainError
from shangliang.orgs import selectors, services
from shangliang.orgs.models import Member, Platform, PlatformCheck, Region
from shangliang.orgs.states import PlatformKind, RegionLevel, SixHave
from shangliang.orgs.tests.factories import make_member, make_platform, make_region, make_user

pytestmark = pytest.mark.django_db


def test_region_create_refuses_a_wrong_level(district):
    with pytest.raises(DomainError) as excinfo:
        make_region("错层村", RegionLevel.TOWNSHIP, district["a"])
    assert "下级应为" in excinfo.value.message
    assert not Region.objects.filter(name="错层村").exists()


def test_region_create_refuses_a_duplicate_code(district):
    with pytest.raises(ValidationError):
        make_region("重码镇", RegionLevel.TOWNSHIP, district["district"], code="110101000000")
    assert not Region.objects.filter(name="重码镇").exists()


def test_region_archive_refuses_a_region_with_active_children(district):
    with pytest.raises(DomainError):
        services.region_archive(actor=None, region=district["a"])
    district["a"].refresh_from_db()
    assert not district["a"].is_archived


def test_official_records_cannot_be_hard_deleted(district):
    platform = make_platform(district["a1"])
    with pytest.raises(PermissionError):
        platform.delete()
    with pytest.raises(PermissionError):
        district["a1"].delete()
    assert Platform.objects.filter(pk=platform.pk).exists()


def test_platform_create_opens_the_six_haves_checklist_and_history_names_the_actor(district):
    user = make_user("clerk")
    platform = services.platform_create(
        actor=user, name="甲一村议事室", kind=PlatformKind.VILLAGE_ROOM, region=district["a1"]
    )
    assert sorted(PlatformCheck.objects.filter(platform=platform).values_list("item", flat=True)) == sorted(
        SixHave.values
    )
    services.platform_update(actor=user, platform=platform, address="村委会二楼")
    records = list(platform.history.order_by("history_date"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert records[-1].history_user == user
    assert records[-1].address == "村委会二楼"


def test_platform_check_update_records_note_and_history(district):
    user = make_user()
    platform = make_platform(district["a1"])
    check = services.platform_check_update(actor=user, platform=platform, item=SixHave.SIGN, is_met=True, note="门牌")
    assert check.is_met and check.checked_at
    assert check.history.first().history_user == user


def test_member_gets_a_code_and_cannot_be_assigned_twice_to_one_station(district):
    member = make_member("张委员")
    platform = make_platform(district["a"])
    assert len(member.code) >= 10
    services.member_assign(actor=None, member=member, platform=platform, started_on="2024-01-01")
    with pytest.raises(DomainError):
        services.member_assign(actor=None, member=member, platform=platform, started_on="2024-02-01")
    assert member.assignments.count() == 1


def test_member_with_bad_mobile_is_refused(district):
    with pytest.raises(ValidationError) as excinfo:
        make_member("李委员", mobile="12345")
    assert "mobile" in excinfo.value.message_dict
    assert not Member.objects.filter(name="李委员").exists()


def test_coverage_counts_villages_with_a_room_per_township(district):
    make_platform(district["a"])
    make_platform(district["a1"])
    make_platform(district["b1"], kind=PlatformKind.MEMBER_STUDIO, name="委员工作室")
    admin = make_user(is_superuser=True)
    coverage = selectors.coverage_for(admin)
    rows = {row.township.name: row for row in coverage.rows}
    assert (rows["甲镇"].villages, rows["甲镇"].villages_covered, rows["甲镇"].rate) == (2, 1, 50.0)
    assert rows["甲镇"].has_township_room and not rows["乙镇"].has_township_room
    assert rows["甲镇"].uncovered == ["甲二村"]
    assert (rows["乙镇"].villages_covered, rows["乙镇"].platforms) == (0, 1)
    levels = {level.label: level for level in coverage.levels}
    assert (levels["乡镇/街道"].covered, levels["乡镇/街道"].total) == (1, 2)
    assert (levels["村/社区"].covered, levels["村/社区"].total, levels["村/社区"].rate) == (1, 3, 33.3)
    assert levels["委员工作室"].covered == 1
    assert coverage.platform_total == 3
