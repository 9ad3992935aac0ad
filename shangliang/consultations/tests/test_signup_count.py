"""Issue 13: the public page counts sign-ups as sign-ups; people invited by staff are counted apart."""

import pytest
from django.urls import reverse

from shangliang.consultations import services
from shangliang.consultations.tests.builders import notified
from shangliang.orgs.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_invited_people_are_not_counted_as_sign_ups(client, district):
    consultation = notified(district)  # five people invited by staff, nobody signed up
    url = reverse("consultations:public_page", args=[consultation.pk])
    page = client.get(url).content.decode()
    assert '已有 <span class="count">0</span> 人报名' in page and "另邀请 5 人参加" in page
    assert "5</span> 人报名" not in page

    services.participant_signup(user=make_user(mobile="13800000001", verified=True), consultation=consultation, name="")
    page = client.get(url).content.decode()
    assert '已有 <span class="count">1</span> 人报名' in page and "另邀请 5 人参加" in page
