"""Every suggestion gets a decision (采纳 / 不予采纳 / 暂缓采纳), with its reason told and shown (issue 15, point 5).

One consultation of village A1 (township A) with two items. The township's approver (an assigner
covering A1) decides; township B's approver is refused.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations import services as consultation_services
from shangliang.consultations.models import Suggestion
from shangliang.consultations.states import SuggestionDecision, VoteResult
from shangliang.consultations.tests.builders import in_session
from shangliang.core.errors import DomainError
from shangliang.core.models import Delivery
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import decisions
from shangliang.outcomes.tests.builders import assigned, concluded, make_unit

pytestmark = pytest.mark.django_db

REASON = "该路段属省道，停放点须经公路部门审批，本年度无法实施"


@pytest.fixture
def people(district):
    return {
        "approver": grant(make_user("approver_a", full_name="甲镇审定人"), Role.APPROVER, region=district["a"]),
        "other": grant(make_user("approver_b", full_name="乙镇审定人"), Role.APPROVER, region=district["b"]),
        "convener": grant(make_user("convener_a1", full_name="召集人王明"), Role.CONVENER, region=district["a1"]),
    }


@pytest.fixture
def consultation(district, people):
    return concluded(district, convener=people["convener"])


def items(consultation) -> list[Suggestion]:
    return list(consultation.suggestions.all())


def decide_url(consultation, suggestion):
    return reverse("outcomes:suggestion_decide", args=[consultation.pk, suggestion.pk])


# --- the service -------------------------------------------------------------------------------------


def test_not_adopted_needs_a_reason_and_is_told_to_the_people_concerned(consultation, people):
    first = items(consultation)[0]
    with pytest.raises(DomainError) as refused:
        decisions.suggestion_decide(
            actor=people["approver"], suggestion=first, decision=SuggestionDecision.NOT_ADOPTED, reason="  "
        )
    assert refused.value.field == "reason"

    decided = decisions.suggestion_decide(
        actor=people["approver"], suggestion=first, decision=SuggestionDecision.NOT_ADOPTED, reason=REASON
    )
    first.refresh_from_db()
    assert (first.decision, first.decision_reason, first.decided_by) == (
        SuggestionDecision.NOT_ADOPTED,
        REASON,
        people["approver"],
    )
    assert first.decided_at is not None and decided.pk == first.pk
    assert first.history.first().history_change_reason.startswith("suggestion.decided")
    # The participants (by mobile) are told, once each, with the reason.
    rows = Delivery.objects.filter(reason=f"feedback.not_adopted:suggestion:{first.pk}:not_adopted")
    assert sorted(rows.values_list("recipient", flat=True)) == ["13900000000", "13900000001", "13900000002"]
    assert all(row.title.startswith("【不予采纳】") and REASON in row.body for row in rows)


def test_deferred_may_be_decided_again_then_assigned(consultation, people, district):
    first = items(consultation)[0]
    decisions.suggestion_decide(
        actor=people["approver"], suggestion=first, decision=SuggestionDecision.DEFERRED, reason="待明年预算"
    )
    with pytest.raises(DomainError):  # deferred: to assign it, adopt it first
        assigned(consultation, actor=people["approver"])
    decisions.suggestion_decide(actor=people["approver"], suggestion=first, decision=SuggestionDecision.ADOPTED)
    first.refresh_from_db()
    assert first.decision == SuggestionDecision.ADOPTED and first.decision_reason == ""
    assigned(consultation, actor=people["approver"])
    # Adopted is final, and an assigned item cannot be decided again.
    with pytest.raises(DomainError, match="已经交办"):
        decisions.suggestion_decide(
            actor=people["approver"], suggestion=first, decision=SuggestionDecision.NOT_ADOPTED, reason="改主意"
        )


def test_refusals(district, people, consultation):
    first, second = items(consultation)
    approver = people["approver"]
    # Not adopted is final.
    decisions.suggestion_decide(
        actor=approver, suggestion=first, decision=SuggestionDecision.NOT_ADOPTED, reason=REASON
    )
    with pytest.raises(DomainError, match="不能再改"):
        decisions.suggestion_decide(actor=approver, suggestion=first, decision=SuggestionDecision.ADOPTED)
    # Contested and waiting for the assembly's vote; then dropped by it.
    second.contested_at = timezone.now()
    second.save(update_fields=["contested_at"])
    with pytest.raises(DomainError, match="表决"):
        decisions.suggestion_decide(actor=approver, suggestion=second, decision=SuggestionDecision.ADOPTED)
    second.vote_result = VoteResult.DROPPED
    second.save(update_fields=["vote_result"])
    with pytest.raises(DomainError, match="表决未通过"):
        decisions.suggestion_decide(actor=approver, suggestion=second, decision=SuggestionDecision.ADOPTED)
    # Another township's assigner.
    with pytest.raises(PermissionDenied):
        decisions.suggestion_decide(actor=people["other"], suggestion=second, decision=SuggestionDecision.ADOPTED)
    # A consultation not concluded.
    open_one = in_session(district, convener=people["convener"], title="未结束的协商")
    open_one = consultation_services.session_close(actor=people["convener"], consultation=open_one)
    text = consultation_services.suggestion_add(actor=people["convener"], consultation=open_one, text="草拟建议")
    with pytest.raises(DomainError, match="协商意见形成后"):
        decisions.suggestion_decide(actor=approver, suggestion=text, decision=SuggestionDecision.ADOPTED)


def test_assigning_adopts(consultation, people):
    assigned(consultation, actor=people["approver"])
    first = items(consultation)[0]
    assert first.decision == SuggestionDecision.ADOPTED


# --- the pages ----------------------------------------------------------------------------------------


def test_assigner_decides_on_the_three_lists_page(client, consultation, people):
    first, _second = items(consultation)
    client.force_login(people["approver"])
    page = client.get(reverse("outcomes:consultation", args=[consultation.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert decide_url(consultation, first) in html and "待决定采纳" in html

    # No reason: the page comes back with the message next to the reason field.
    refused = client.post(decide_url(consultation, first), {"decision": "not_adopted", "reason": ""})
    assert refused.status_code == 400
    assert 'class="field has-error"' in refused.content.decode()
    assert "须写明理由" in refused.content.decode()

    done = client.post(decide_url(consultation, first), {"decision": "not_adopted", "reason": REASON})
    assert done.status_code == 302
    page = client.get(done["Location"]).content.decode()
    assert "不予采纳" in page and REASON in page
    # Nor can it be handed out any more: no 交办 button for it.
    assert reverse("outcomes:assign", args=[consultation.pk, first.pk]) not in page


def test_other_township_and_convener_cannot_decide(client, consultation, people):
    first = items(consultation)[0]
    for user in (people["other"], people["convener"]):
        client.force_login(user)
        assert client.post(decide_url(consultation, first), {"decision": "adopted"}).status_code == 404
    first.refresh_from_db()
    assert first.decision == SuggestionDecision.PENDING
    client.force_login(people["convener"])
    page = client.get(reverse("outcomes:consultation", args=[consultation.pk])).content.decode()
    assert decide_url(consultation, first) not in page


def test_not_adopted_item_on_the_public_result_with_its_reason(client, consultation, people):
    first, second = items(consultation)
    decisions.suggestion_decide(
        actor=people["approver"], suggestion=first, decision=SuggestionDecision.NOT_ADOPTED, reason=REASON
    )
    decisions.suggestion_decide(
        actor=people["approver"], suggestion=second, decision=SuggestionDecision.DEFERRED, reason="待明年预算安排"
    )
    page = client.get(reverse("outcomes_public:result", args=[consultation.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "不予采纳" in html and REASON in html
    assert "暂缓采纳" in html and "待明年预算安排" in html
    for secret in ("甲镇审定人", "召集人王明", "居民0", "13900000000"):
        assert secret not in html


def test_home_page_lists_items_waiting_for_the_decision(client, consultation, people):
    client.force_login(people["approver"])
    home = client.get("/").content.decode()
    assert "待决定采纳的建议" in home and f"{consultation.topic.title}（2）" in home
    first = items(consultation)[0]
    decisions.suggestion_decide(
        actor=people["approver"], suggestion=first, decision=SuggestionDecision.NOT_ADOPTED, reason=REASON
    )
    home = client.get("/").content.decode()
    assert "待决定采纳的建议" in home and f"{consultation.topic.title}（2）" not in home
    client.force_login(people["other"])
    assert "待决定采纳的建议" not in client.get("/").content.decode()


# --- figures ------------------------------------------------------------------------------------------


def test_adoption_rate_and_not_adopted_drill_down(client, district, consultation, people):
    first, second = items(consultation)
    lamps = concluded(district, convener=people["convener"], title="村道路灯", suggestions=("加装路灯",))
    decisions.suggestion_decide(
        actor=people["approver"], suggestion=first, decision=SuggestionDecision.NOT_ADOPTED, reason=REASON
    )
    decisions.suggestion_decide(actor=people["approver"], suggestion=second, decision=SuggestionDecision.ADOPTED)
    assigned(lamps, actor=people["approver"], unit=make_unit(district["district"], "区城管局"))

    client.force_login(make_user("root_user", is_superuser=True, is_staff=True))
    scope = {"region": district["district"].pk}
    html = client.get(reverse("dashboard:index"), scope).content.decode()
    # Adopted: one by decision (not yet handed out), one by assignment; decided: those two and the one not adopted.
    assert "采纳率（2/3条已决定）" in html and "66.7%" in html
    assert 'data-figure="not_adopted"' in html

    records = client.get(reverse("dashboard:records", args=["not_adopted"]), scope)
    assert records.status_code == 200
    html = records.content.decode()
    assert first.text in html and REASON in html and second.text not in html
    # The adopted list has the item adopted but not handed out, and the one adopted by its assignment.
    html = client.get(reverse("dashboard:records", args=["adopted"]), scope).content.decode()
    assert second.text in html and "加装路灯" in html and first.text not in html
    assert client.get(reverse("dashboard:records", args=["not_adopted"]), {**scope, "value": "x"}).status_code == 404
