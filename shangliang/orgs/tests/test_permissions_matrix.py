"""The permission matrix: each role × each action × (own scope, sibling village, other township).

Every role is held at its natural scope in township A: township-level roles at 甲镇, the
convener at 甲一村, the member on 甲一村's room, the liaison on 甲一村's village committee.
The three targets are records in 甲一村 (own), 甲二村 (a sibling village of the same township)
and 乙一村 (another township).
"""

import pytest
from django.urls import reverse

from shangliang.orgs import permissions, services
from shangliang.orgs.models import Member, Platform
from shangliang.orgs.states import Role, UnitKind
from shangliang.orgs.tests.factories import grant, make_member, make_platform, make_user

pytestmark = pytest.mark.django_db

OWN, SIBLING, OTHER = "own", "sibling", "other"
Y, N = True, False

# role: {action: (own, sibling, other)}
MATRIX = {
    Role.ADMINISTRATOR: {
        "view_region": (Y, Y, N),
        "change_region": (Y, Y, N),
        "view_platform": (Y, Y, N),
        "change_platform": (Y, Y, N),
        "view_member": (Y, Y, N),
        "change_member": (Y, Y, N),
    },
    Role.COMMITTEE_STAFF: {
        "view_region": (Y, Y, N),
        "change_region": (N, N, N),
        "view_platform": (Y, Y, N),
        "change_platform": (N, N, N),
        "view_member": (Y, Y, N),
        "change_member": (Y, Y, N),
    },
    Role.STATION_HEAD: {
        "view_region": (Y, Y, N),
        "change_region": (N, N, N),
        "view_platform": (Y, Y, N),
        "change_platform": (Y, Y, N),
        "view_member": (Y, Y, N),
        "change_member": (N, N, N),
    },
    Role.CONVENER: {
        "view_region": (Y, N, N),
        "change_region": (N, N, N),
        "view_platform": (Y, N, N),
        "change_platform": (Y, N, N),
        "view_member": (Y, N, N),
        "change_member": (N, N, N),
    },
    Role.MEMBER: {
        "view_region": (N, N, N),
        "change_region": (N, N, N),
        "view_platform": (Y, N, N),
        "change_platform": (N, N, N),
        "view_member": (N, N, N),
        "change_member": (N, N, N),
    },
    Role.UNIT_LIAISON: {
        "view_region": (N, N, N),
        "change_region": (N, N, N),
        "view_platform": (N, N, N),
        "change_platform": (N, N, N),
        "view_member": (N, N, N),
        "change_member": (N, N, N),
    },
    Role.SUPERVISOR: {
        "view_region": (Y, Y, N),
        "change_region": (N, N, N),
        "view_platform": (Y, Y, N),
        "change_platform": (N, N, N),
        "view_member": (Y, Y, N),
        "change_member": (N, N, N),
    },
    Role.EVALUATOR: {
        "view_region": (Y, Y, N),
        "change_region": (N, N, N),
        "view_platform": (Y, Y, N),
        "change_platform": (N, N, N),
        "view_member": (Y, Y, N),
        "change_member": (N, N, N),
    },
    Role.RESIDENT: {
        "view_region": (N, N, N),
        "change_region": (N, N, N),
        "view_platform": (N, N, N),
        "change_platform": (N, N, N),
        "view_member": (N, N, N),
        "change_member": (N, N, N),
    },
}

PREDICATES = {
    "view_region": (permissions.can_view_region, "region"),
    "change_region": (permissions.can_change_region, "region"),
    "view_platform": (permissions.can_view_platform, "platform"),
    "change_platform": (permissions.can_change_platform, "platform"),
    "view_member": (permissions.can_view_member, "member"),
    "change_member": (permissions.can_change_member, "member"),
}


@pytest.fixture
def world(district):
    targets = {}
    for scope, key in [(OWN, "a1"), (SIBLING, "a2"), (OTHER, "b1")]:
        region = district[key]
        platform = make_platform(region)
        member = make_member(f"{region.name}委员")
        services.member_assign(actor=None, member=member, platform=platform, started_on="2024-01-01")
        targets[scope] = {"region": region, "platform": platform, "member": member}
    committee = services.unit_create(
        actor=None, name="甲一村村民委员会", kind=UnitKind.VILLAGE_COMMITTEE, region=district["a1"]
    )
    return {**district, "targets": targets, "village_committee": committee}


def actor_for(role, world):
    user = make_user(f"u-{role}")
    if role == Role.RESIDENT:
        return user
    if role == Role.CONVENER:
        return grant(user, role, region=world["a1"])
    if role == Role.MEMBER:
        return grant(user, role, platform=world["targets"][OWN]["platform"])
    if role == Role.UNIT_LIAISON:
        return grant(user, role, unit=world["village_committee"])
    return grant(user, role, region=world["a"])


CELLS = [
    (role, action, index, scope)
    for role, actions in MATRIX.items()
    for action in actions
    for index, scope in enumerate((OWN, SIBLING, OTHER))
]


@pytest.mark.parametrize("role,action,index,scope", CELLS, ids=[f"{r}-{a}-{s}" for r, a, _, s in CELLS])
def test_permission_matrix(world, role, action, index, scope):
    user = actor_for(role, world)
    predicate, kind = PREDICATES[action]
    target = world["targets"][scope][kind]
    assert predicate(user, target) is MATRIX[role][action][index]


@pytest.mark.parametrize("role", list(MATRIX))
def test_list_selectors_agree_with_the_view_predicates(world, role):
    user = actor_for(role, world)
    platforms = set(permissions.platforms_visible_to(user).values_list("pk", flat=True))
    members = set(permissions.members_visible_to(user).values_list("pk", flat=True))
    for index, scope in enumerate((OWN, SIBLING, OTHER)):
        target = world["targets"][scope]
        assert (target["platform"].pk in platforms) is MATRIX[role]["view_platform"][index]
        assert (target["member"].pk in members) is MATRIX[role]["view_member"][index]


@pytest.mark.parametrize("role", [r for r in MATRIX if r != Role.RESIDENT])
def test_http_platform_edit_follows_the_matrix_and_a_refusal_changes_nothing(client, world, role):
    user = actor_for(role, world)
    client.force_login(user)
    for index, scope in enumerate((OWN, SIBLING, OTHER)):
        platform = world["targets"][scope]["platform"]
        url = reverse("orgs:platform_edit", args=[platform.pk])
        data = {"name": platform.name, "kind": platform.kind, "brand": "有事来协商", "region": platform.region_id}
        response = client.post(url, data)
        platform.refresh_from_db()
        if MATRIX[role]["change_platform"][index]:
            assert response.status_code == 302, response.content.decode()[:2000]
            assert platform.brand == "有事来协商"
        else:
            assert response.status_code == 404
            assert platform.brand == "有事好商量"
            assert platform.history.count() == 1
        detail = client.get(reverse("orgs:platform_detail", args=[platform.pk]))
        assert detail.status_code == (200 if MATRIX[role]["view_platform"][index] else 404)


@pytest.mark.parametrize("role", [r for r in MATRIX if r != Role.RESIDENT])
def test_http_member_edit_follows_the_matrix_and_a_refusal_changes_nothing(client, world, role):
    user = actor_for(role, world)
    client.force_login(user)
    for index, scope in enumerate((OWN, SIBLING, OTHER)):
        member = world["targets"][scope]["member"]
        data = {"name": "改名", "level": member.level, "sector": member.sector_id, "home_region": world["a1"].pk}
        response = client.post(reverse("orgs:member_edit", args=[member.pk]), data)
        member.refresh_from_db()
        if MATRIX[role]["change_member"][index]:
            assert response.status_code == 302
            assert member.name == "改名"
        else:
            assert response.status_code == 404
            assert member.name != "改名"
            assert Member.history.filter(id=member.pk).count() == 1


def test_resident_is_refused_every_staff_page(client, world):
    client.force_login(actor_for(Role.RESIDENT, world))
    platform = world["targets"][OWN]["platform"]
    for url in [
        reverse("orgs:platform_list"),
        reverse("orgs:platform_detail", args=[platform.pk]),
        reverse("orgs:member_list"),
        reverse("orgs:region_tree"),
    ]:
        assert client.get(url).status_code == 403
    response = client.post(reverse("orgs:platform_edit", args=[platform.pk]), {"name": "x"})
    assert response.status_code == 403
    assert Platform.objects.get(pk=platform.pk).name == platform.name
