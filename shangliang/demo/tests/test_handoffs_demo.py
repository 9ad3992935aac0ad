"""The demo's hand-offs to other channels: the township government taking on a topic directly (no longer a
cancelled consultation), a deferred suggestion carried on as a CPPCC proposal, residents' submissions to 12345
and the other channels, most answered, one unanswered past the period; nothing stamped today."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from shangliang.consultations.models import Consultation
from shangliang.consultations.selectors import topics_awaiting_plan
from shangliang.handoffs import selectors
from shangliang.handoffs.models import Handoff
from shangliang.handoffs.states import Channel, HandoffStatus
from shangliang.orgs.states import UnitKind
from shangliang.outcomes import decisions
from shangliang.topics.tracking import thread_of

pytestmark = pytest.mark.django_db


def user(username):
    return get_user_model().objects.get(username=username)


def test_the_demo_hands_matters_to_other_channels(seeded):
    handoffs = Handoff.objects.all()
    assert handoffs.count() >= 7
    assert {Channel.GOVERNMENT, Channel.CPPCC, Channel.HOTLINE, Channel.CONGRESS} <= set(
        handoffs.values_list("channel", flat=True)
    )
    assert handoffs.filter(status=HandoffStatus.ANSWERED).count() >= 4
    assert handoffs.filter(selectors.overdue_q()).exists()
    assert not handoffs.filter(status=HandoffStatus.ANSWERED, answer="").exists()

    # 议题转交镇政府直接办理: a hand-off of the topic, no longer a cancelled consultation.
    topic_case = handoffs.get(topic__isnull=False)
    assert topic_case.channel == Channel.GOVERNMENT and topic_case.unit.kind == UnitKind.TOWNSHIP_GOVERNMENT
    assert "转交镇政府直接办理" in topic_case.reason
    assert not Consultation.objects.filter(cancel_reason__contains="转交镇政府").exists()
    assert topic_case.topic not in topics_awaiting_plan(user("station"))

    # A deferred suggestion carried on as a CPPCC proposal, answered; no longer waiting for a decision.
    proposal = handoffs.get(suggestion__isnull=False)
    assert proposal.channel == Channel.CPPCC and proposal.status == HandoffStatus.ANSWERED
    assert proposal.suggestion not in decisions.pending(type(proposal.suggestion).objects.all())

    # A resident's submission to 12345: the tracking page says where it went and the answer.
    hotline = handoffs.get(channel=Channel.HOTLINE)
    stages = thread_of(hotline.submission, None).stages
    assert any("已转交（12345热线）办理" in line for stage in stages for line in stage.lines)


def test_the_overdue_handoff_is_on_its_handers_home_page(seeded, client):
    late = Handoff.objects.filter(selectors.overdue_q()).select_related("handed_by").first()
    client.force_login(late.handed_by)
    assert "转交其他渠道超期未答复" in client.get("/").content.decode()


def test_no_handoff_is_stamped_today(seeded):
    today = timezone.localdate()
    for handoff in Handoff.objects.all():
        for moment in (handoff.handed_at, handoff.answered_at, handoff.created_at, handoff.updated_at):
            assert moment is None or timezone.localdate(moment) < today
        for row in handoff.history.all():
            assert timezone.localdate(row.history_date) < today
