"""Role × scope × action for the consultation fund: who reads, who keeps, who takes which approval step."""

import datetime

import pytest

from shangliang.funds import permissions, rules, services
from shangliang.funds.states import ApproverKind
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user

pytestmark = pytest.mark.django_db

# (role, where) → (reads, keeps, steps taken) for 甲一村's account.
MATRIX = [
    (Role.CONVENER, "a1", True, True, {ApproverKind.VILLAGE_CONVENER}),
    (Role.CONVENER, "a2", False, False, set()),
    (Role.CONVENER, "b1", False, False, set()),
    (Role.APPROVER, "a1", True, False, {ApproverKind.VILLAGE_PARTY}),
    (Role.APPROVER, "a", True, False, {ApproverKind.TOWNSHIP_PARTY}),
    (Role.APPROVER, "b", False, False, set()),
    (Role.STATION_HEAD, "a", True, True, {ApproverKind.TOWNSHIP_STATION}),
    (Role.STATION_HEAD, "b", False, False, set()),
    (Role.COMMITTEE_STAFF, "district", True, False, {ApproverKind.DISTRICT_OFFICE}),
    (Role.ADMINISTRATOR, "district", True, False, set()),
    (Role.SUPERVISOR, "district", False, False, set()),
    (Role.MEMBER, "district", False, False, set()),
    (Role.EVALUATOR, "district", False, False, set()),
    (Role.LEGAL_REVIEWER, "a", False, False, set()),
]


@pytest.fixture
def account(district):
    return services.account_open(
        actor=make_user(), village=district["a1"], name="甲一村协商资金专户", opened_on=datetime.date(2026, 1, 5)
    )


@pytest.mark.parametrize(("role", "where", "reads", "keeps", "steps"), MATRIX)
def test_role_by_scope(district, account, role, where, reads, keeps, steps):
    user = grant(make_user(), role, region=district[where])
    assert permissions.can_view_account(user, account) is reads
    assert permissions.accounts_visible_to(user).filter(pk=account.pk).exists() is reads
    assert permissions.can_keep_account(user, account) is keeps
    assert {step for step in ApproverKind.values if rules.may_take_step(user, account.village, step)} == steps
    assert permissions.can_open_account(user, district["a1"]) is (keeps or role == Role.ADMINISTRATOR)


def test_residents_and_unit_liaisons_see_no_account(district, account):
    resident = make_user()
    assert not permissions.can_view_account(resident, account)
    assert not permissions.accounts_visible_to(resident).exists()
    assert not permissions.entries_to_approve(resident).exists()
