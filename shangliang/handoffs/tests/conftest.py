"""People of the hand-off tests: village A1 (township A) acts; township B's staff are refused."""

import pytest

from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user


@pytest.fixture
def people(district):
    return {
        "convener": grant(make_user("convener_a1", full_name="李召集"), Role.CONVENER, region=district["a1"]),
        "approver": grant(make_user("approver_a", full_name="甲镇审定人"), Role.APPROVER, region=district["a"]),
        "supervisor": grant(make_user("supervisor_a", full_name="督办王"), Role.SUPERVISOR, region=district["a"]),
        "other_convener": grant(make_user("convener_b1"), Role.CONVENER, region=district["b1"]),
        "other_approver": grant(make_user("approver_b"), Role.APPROVER, region=district["b"]),
        "resident": make_user("resident1", full_name="张群众", verified=True),
    }
