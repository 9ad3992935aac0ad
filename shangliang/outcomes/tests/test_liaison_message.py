"""Issue 13, point 2: a unit's liaisons get a message when items are handed to their unit (交办),
one per action naming every item, not only a counter on the home page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.core.models import Notification
from shangliang.orgs.tests.factories import make_user
from shangliang.outcomes import services
from shangliang.outcomes.tests.builders import concluded, liaison_of, make_unit

pytestmark = pytest.mark.django_db


def test_lead_and_co_unit_liaisons_get_one_message_naming_every_item(client, district):
    consultation = concluded(district, suggestions=("规划电动车集中停放点", "楼道禁止拉线充电", "增设充电桩"))
    lead = make_unit(district["a"], "甲镇人民政府")
    co = make_unit(district["a"], "镇派出所")
    other = make_unit(district["b"], "乙镇人民政府")
    lead_liaison, co_liaison, other_liaison = liaison_of(lead), liaison_of(co), liaison_of(other)

    services.assignments_create(
        actor=consultation.convener,
        suggestions=list(consultation.suggestions.all())[:2],
        lead_unit=lead,
        co_units=[co],
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        responsible_person="王科长",
        supervisor=make_user(full_name="督办员"),
    )

    for liaison in (lead_liaison, co_liaison):
        [message] = Notification.objects.filter(user=liaison)
        assert "2项" in message.title
        assert "规划电动车集中停放点" in message.body and "楼道禁止拉线充电" in message.body
        assert "增设充电桩" not in message.body
        assert message.url == reverse("outcomes:unit_desk")
    assert not Notification.objects.filter(user=other_liaison).exists()

    client.force_login(lead_liaison)
    home = client.get("/").content.decode()
    assert "【新交办】2项协商建议待签收办理" in home
