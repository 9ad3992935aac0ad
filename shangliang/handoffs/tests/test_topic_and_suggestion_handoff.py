"""A topic handed off before its consultation, and a consultation's suggestion handed to a CPPCC proposal.

The topic is no longer offered for planning; the suggestion is settled by the hand-off: not waiting for a
decision or an assignment, not holding back completion, and shown with its channel and answer on the three
lists, the public result and the resident's tracking page.
"""

import pytest
from django.test import Client
from django.urls import reverse

from shangliang.consultations import safeguards
from shangliang.consultations import services as consultation_services
from shangliang.consultations.models import Suggestion
from shangliang.consultations.permissions import topics_plannable_by
from shangliang.consultations.selectors import topics_awaiting_plan
from shangliang.core.errors import DomainError
from shangliang.core.models import Delivery
from shangliang.handoffs import services
from shangliang.handoffs.models import Handoff
from shangliang.handoffs.states import Channel, HandoffStatus
from shangliang.orgs.states import Role, UnitKind
from shangliang.orgs.tests.factories import grant, make_platform, make_user
from shangliang.outcomes import decisions
from shangliang.outcomes import selectors as outcome_selectors
from shangliang.outcomes.tests.builders import concluded, make_unit
from shangliang.topics.tests.builders import approved, pending

pytestmark = pytest.mark.django_db

GOV_REASON = "属镇政府职责范围内的道路养护事项，转交镇政府直接办理"
CPPCC_REASON = "涉及全区农村客运线路调整，建议以政协提案形式提请区政府研究"
ANSWER = "区交通运输局答复：已将该线路纳入2026年农村客运线路优化计划"


def text(response) -> str:
    return response.content.decode()


def test_an_approved_topic_handed_to_the_township_government_is_no_longer_planned(client, district, people):
    topic = approved(district["a1"], "村道坑洼", approver=people["approver"])
    convener = people["convener"]
    assert topic in topics_plannable_by(convener)
    government = make_unit(district["a"], "甲镇人民政府", kind=UnitKind.TOWNSHIP_GOVERNMENT)

    client.force_login(convener)
    detail = text(client.get(reverse("topics:topic_detail", args=[topic.pk])))
    assert reverse("handoffs:new_topic", args=[topic.pk]) in detail
    form = text(client.get(reverse("handoffs:new_topic", args=[topic.pk])))
    assert "甲镇人民政府" in form  # the units of the district are offered
    response = client.post(
        reverse("handoffs:new_topic", args=[topic.pk]),
        {"channel": Channel.GOVERNMENT, "unit": government.pk, "reason": GOV_REASON},
    )
    assert response.status_code == 302
    handoff = Handoff.objects.get()
    assert handoff.topic == topic and handoff.to_whom == "甲镇人民政府" and handoff.recipient == ""

    assert topic not in topics_plannable_by(convener)
    assert topic not in topics_awaiting_plan(convener)
    with pytest.raises(DomainError, match="已转交其他渠道办理"):
        consultation_services.consultation_plan(
            actor=convener,
            topic=topic,
            platform=make_platform(district["a1"]),
            session_format=None,  # refused before the format is read
            mode="offline",
            starts_at=handoff.handed_at,
            ends_at=handoff.handed_at,
        )

    # The topic page and the resident's tracking page say it; the resident who brought it is told.
    assert "政府协商" in text(client.get(reverse("topics:topic_detail", args=[topic.pk])))
    submission = topic.submissions.get()
    track = text(Client().get(reverse("topics:track_detail", args=[submission.tracking_code])))
    assert "已转交（政府协商）办理：甲镇人民政府" in track and GOV_REASON in track
    assert "协商安排" not in track  # the later stages are not offered: the township government settles it
    public = text(Client().get(reverse("topics:pool_topic", args=[topic.pk])))
    assert "已转交（政府协商）办理" in public and "甲镇人民政府" in public and GOV_REASON in public


def test_a_pending_topic_handed_off_leaves_the_approval_queue(client, district, people):
    topic = pending(district["a1"], "村民活动室扩建", actor=people["convener"])
    from shangliang.topics.selectors import topics_to_approve, waiting_counts

    village_approver = grant(make_user("approver_a1"), Role.APPROVER, region=district["a1"])
    assert topic in topics_to_approve(village_approver)
    services.handoff_create(
        actor=village_approver,  # the village party organisation decides the village's topic
        subject=topic,
        channel=Channel.CONGRESS,
        recipient="甲镇人大主席团",
        reason="涉及镇级财政预算安排，提请镇人大主席团研究",
    )
    assert topic not in topics_to_approve(village_approver)
    assert waiting_counts(village_approver).to_approve == 0


def test_a_topic_with_a_consultation_under_way_cannot_be_handed_off(district, people):
    from shangliang.consultations.tests.builders import planned

    consultation = planned(district, convener=people["convener"])
    with pytest.raises(DomainError, match="已经安排了协商"):
        services.handoff_create(
            actor=people["convener"],
            subject=consultation.topic,
            channel=Channel.GOVERNMENT,
            recipient="甲镇政府",
            reason=GOV_REASON,
        )


def test_another_townships_approver_may_not_hand_off_a_topic(client, district, people):
    topic = approved(district["a1"], "村道坑洼", approver=people["approver"])
    client.force_login(people["other_approver"])
    assert client.get(reverse("handoffs:new_topic", args=[topic.pk])).status_code == 404
    refused = client.post(
        reverse("handoffs:new_topic", args=[topic.pk]),
        {"channel": Channel.GOVERNMENT, "recipient": "乙镇政府", "reason": GOV_REASON},
    )
    assert refused.status_code == 404
    assert not Handoff.objects.exists()


# --- a suggestion ------------------------------------------------------------------------------------


@pytest.fixture
def consultation(district, people):
    return concluded(district, convener=people["convener"], suggestions=("开通镇村公交微循环线路", "增设候车亭"))


def test_a_suggestion_handed_to_a_cppcc_proposal_is_settled_and_shown_with_its_answer(
    client, district, people, consultation
):
    first, second = list(consultation.suggestions.all())
    approver = people["approver"]
    client.force_login(approver)
    lists = text(client.get(reverse("outcomes:consultation", args=[consultation.pk])))
    url = reverse("handoffs:new_suggestion", args=[first.pk])
    assert url in lists
    assert decisions.decision_figures(Suggestion.objects.filter(consultation=consultation)).pending == 2

    response = client.post(url, {"channel": Channel.CPPCC, "recipient": "区政协提案委员会", "reason": CPPCC_REASON})
    assert response.status_code == 302
    handoff = Handoff.objects.get()

    # Settled by the hand-off: not pending, not assignable, counted apart from the adoption rate.
    figures = decisions.decision_figures(Suggestion.objects.filter(consultation=consultation))
    assert (figures.pending, figures.handed_off, figures.decided) == (1, 1, 0)
    assert list(decisions.suggestions_to_decide(approver)) == [second]
    assert "已转交其他渠道办理" in safeguards.assign_refusal(first)
    assert Suggestion.objects.filter(safeguards.not_taken_q(), pk=first.pk).exists()
    with pytest.raises(DomainError, match="已转交其他渠道办理"):
        decisions.suggestion_decide(actor=approver, suggestion=first, decision="adopted")
    lists = text(client.get(reverse("outcomes:consultation", args=[consultation.pk])))
    assert "已转交其他渠道" in lists and "区政协提案委员会" in lists
    assert url not in lists
    board = text(client.get(reverse("outcomes:board")))
    assert "已转交其他渠道" in board  # the supervision board's unassigned items say where it went

    # The people concerned are told; the public result shows the channel and, later, the answer.
    told = Delivery.objects.filter(reason=f"handoff.handed:{handoff.pk}")
    assert told.exists()  # the participants, by text where they have no account
    services.handoff_answer(actor=approver, handoff=handoff, answer=ANSWER)
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.ANSWERED
    result = text(Client().get(reverse("outcomes_public:result", args=[consultation.pk])))
    assert "已转交政协提案" in result and "区政协提案委员会" in result and ANSWER in result
    assert "甲镇审定人" not in result


def test_a_consultation_whose_only_item_was_handed_off_is_complete(district, people):
    consultation = concluded(district, convener=people["convener"], suggestions=("建议由区级统筹解决",))
    assert outcome_selectors.completed_at(consultation) is None
    services.handoff_create(
        actor=people["approver"],
        subject=consultation.suggestions.get(),
        channel=Channel.GOVERNMENT,
        recipient="区住建局",
        reason="转交政府部门直接办理",
    )
    assert outcome_selectors.completed_at(consultation) is not None


def test_an_assigned_suggestion_cannot_be_handed_off_and_others_are_refused(client, district, people, consultation):
    from shangliang.outcomes.tests.builders import assigned

    assigned(consultation, order=0)
    first = consultation.suggestions.all()[0]
    with pytest.raises(DomainError, match="已经交办给承办单位"):
        services.handoff_create(
            actor=people["approver"], subject=first, channel=Channel.CPPCC, recipient="区政协", reason=CPPCC_REASON
        )
    second = consultation.suggestions.all()[1]
    for user, status in ((people["other_approver"], 404), (people["resident"], 403)):
        client.force_login(user)
        url = reverse("handoffs:new_suggestion", args=[second.pk])
        assert client.get(url).status_code == status
        assert client.post(url, {"channel": Channel.CPPCC, "recipient": "x", "reason": "y"}).status_code == status
    # The village convener runs the consultation but does not decide its items.
    client.force_login(people["convener"])
    assert client.get(reverse("handoffs:new_suggestion", args=[second.pk])).status_code == 404
    assert not Handoff.objects.exists()
