"""镇村联动: an approved village topic already being consulted is not handed up to the township (topics.linkage)."""

import pytest
from django.urls import reverse

from shangliang.consultations import services
from shangliang.consultations.tests.builders import planned
from shangliang.core.errors import DomainError
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.topics import linkage
from shangliang.topics.models import Topic
from shangliang.topics.states import TopicStatus

pytestmark = pytest.mark.django_db

REASON = "涉及两村，村级协商无法解决"


@pytest.fixture
def convener(district):
    return grant(make_user("convener_a1"), Role.CONVENER, region=district["a1"])


def test_an_approved_topic_with_a_live_consultation_is_refused(district, convener):
    consultation = planned(district, title="集镇停车")
    with pytest.raises(DomainError, match="已安排协商"):
        linkage.topic_escalate(actor=convener, topic=consultation.topic, reason=REASON)
    consultation.topic.refresh_from_db()
    assert consultation.topic.status == TopicStatus.APPROVED
    assert not Topic.objects.filter(escalated_from=consultation.topic).exists()


def test_once_the_consultation_is_cancelled_the_topic_may_be_escalated(district, convener):
    consultation = planned(district, title="集镇停车")
    services.consultation_cancel(actor=consultation.convener, consultation=consultation, reason="改期")
    received = linkage.topic_escalate(actor=convener, topic=consultation.topic, reason=REASON)
    assert received.escalated_from == consultation.topic


def test_the_topic_page_offers_no_escalation_and_the_form_says_why(client, district, convener):
    consultation = planned(district, title="集镇停车")
    escalate = reverse("topics:topic_escalate", args=[consultation.topic.pk])
    client.force_login(convener)
    page = client.get(reverse("topics:topic_detail", args=[consultation.topic.pk])).content.decode()
    assert escalate not in page
    response = client.post(escalate, {"reason": REASON})
    assert response.status_code == 400
    assert "已安排协商" in response.content.decode()
    assert not Topic.objects.filter(escalated_from=consultation.topic).exists()
