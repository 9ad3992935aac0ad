"""A convener moved to another village no longer runs, or sees, the old village's consultations."""

import pytest
from django.urls import reverse

from shangliang.consultations.tests.builders import planned
from shangliang.orgs import services as org_services
from shangliang.orgs.models import ScopedRole
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def transferred(district):
    """The convener of 甲一村 planned a consultation, then was moved to 乙一村."""
    user = grant(make_user("moved"), Role.CONVENER, region=district["a1"])
    consultation = planned(district, convener=user)
    admin = make_user("root", is_superuser=True)
    org_services.role_revoke(actor=admin, scoped_role=ScopedRole.objects.get(user=user, region=district["a1"]))
    grant(user, Role.CONVENER, region=district["b1"])
    return user, consultation


@pytest.mark.parametrize("name", ["consultations:detail", "consultations:participants", "consultations:minutes"])
def test_a_transferred_convener_is_refused_the_old_consultation(client, transferred, name):
    user, consultation = transferred
    client.force_login(user)
    assert client.get(reverse(name, args=[consultation.pk])).status_code == 404


def test_a_transferred_convener_cannot_change_the_old_consultation(client, transferred):
    user, consultation = transferred
    client.force_login(user)
    response = client.post(reverse("consultations:cancel", args=[consultation.pk]), {"reason": "不开了"})
    assert response.status_code == 404
    consultation.refresh_from_db()
    assert consultation.status == "planned"


def test_the_new_convener_of_the_village_runs_it(client, transferred, district):
    _, consultation = transferred
    successor = grant(make_user("successor"), Role.CONVENER, region=district["a1"])
    client.force_login(successor)
    assert client.get(reverse("consultations:detail", args=[consultation.pk])).status_code == 200
