import pytest
from django.conf import settings
from django.urls import reverse

from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user

pytestmark = pytest.mark.django_db


def test_staff_sessions_expire_after_thirty_idle_minutes_residents_do_not(client, district):
    staff = grant(make_user("station"), Role.STATION_HEAD, region=district["a"])
    client.force_login(staff)
    client.get(reverse("portal:home"))
    assert client.session.get_expiry_age() == settings.STAFF_IDLE_TIMEOUT_SECONDS == 1800
    client.logout()
    client.force_login(make_user("resident"))
    client.get(reverse("portal:home"))
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
