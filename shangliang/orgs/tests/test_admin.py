"""The back office: in Chinese, no deletes, archiving through the services' rules."""

import pytest
from django.urls import reverse

from shangliang.orgs.models import Platform, Region, ScopedRole
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_platform, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    return client


def test_admin_pages_open_in_chinese(superuser_client, district):
    make_platform(district["a1"])
    for name in ["region", "platform", "member", "unit", "scopedrole", "consultationcommittee", "sector"]:
        response = superuser_client.get(reverse(f"admin:orgs_{name}_changelist"))
        assert response.status_code == 200, name
    other_apps = [
        "topics_category",
        "topics_exclusionrule",
        "consultations_sessionformat",
        "consultations_consultation",
        "accounts_wechatbinding",
        "core_messagetemplate",
        "core_delivery",
    ]
    for name in other_apps:
        assert superuser_client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    page = superuser_client.get(reverse("admin:index")).content.decode()
    assert "系统配置" in page and "协商议事平台" in page


def test_admin_has_no_delete_and_archive_keeps_the_rules(superuser_client, district):
    platform = make_platform(district["a1"])
    assert superuser_client.get(reverse("admin:orgs_platform_delete", args=[platform.pk])).status_code == 403
    changelist = reverse("admin:orgs_region_changelist")
    superuser_client.post(changelist, {"action": "archive_selected", "_selected_action": [district["a1"].pk]})
    assert not Region.objects.get(pk=district["a1"].pk).is_archived  # it still has a grid and a platform
    superuser_client.post(
        reverse("admin:orgs_platform_changelist"), {"action": "archive_selected", "_selected_action": [platform.pk]}
    )
    archived = Platform.objects.get(pk=platform.pk)
    assert archived.is_archived
    assert archived.history.first().history_user.username == "root"


def test_admin_revokes_roles_without_deleting_them(superuser_client, district):
    user = grant(make_user("clerk"), Role.CONVENER, region=district["a1"])
    role = ScopedRole.objects.get(user=user)
    superuser_client.post(
        reverse("admin:orgs_scopedrole_changelist"), {"action": "revoke_selected", "_selected_action": [role.pk]}
    )
    role.refresh_from_db()
    assert role.revoked_at is not None
