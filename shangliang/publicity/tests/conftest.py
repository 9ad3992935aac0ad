"""People of the small district (``district`` fixture): writers at each level, an outsider, a resident, a member."""

import pytest

from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_member, make_platform, make_user


@pytest.fixture
def convener(district):
    """The convener of village 甲一村 (township 甲镇)."""
    return grant(make_user("convener_a1", full_name="甲一村召集人"), Role.CONVENER, region=district["a1"])


@pytest.fixture
def head(district):
    """The station head of township 甲镇: covers its villages."""
    return grant(make_user("head_a", full_name="甲镇站长"), Role.STATION_HEAD, region=district["a"])


@pytest.fixture
def office(district):
    """The CPPCC committee staff at the district: writes the district's own news."""
    return grant(make_user("office", full_name="政协办"), Role.COMMITTEE_STAFF, region=district["district"])


@pytest.fixture
def outsider(district):
    """The convener of 乙一村, in the other township."""
    return grant(make_user("convener_b1", full_name="乙一村召集人"), Role.CONVENER, region=district["b1"])


@pytest.fixture
def resident(db):
    return make_user("resident", full_name="张三", verified=True)


@pytest.fixture
def member_user(db):
    """A CPPCC member with an account and no staff role."""
    user = make_user("member_only", full_name="李委员")
    make_member("李委员", user=user)
    return user


@pytest.fixture
def room_a1(district):
    return make_platform(district["a1"], name="甲一村协商议事室")


@pytest.fixture
def room_b1(district):
    return make_platform(district["b1"], name="乙一村协商议事室")
