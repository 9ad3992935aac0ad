"""The decision on one suggestion (采纳 / 不予采纳 / 暂缓采纳), by those who may assign the consultation's items.

The three lists page carries a small form under each item not yet handed out; it posts here. A refusal
comes back on this page with the message next to the field; success returns to the three lists.
"""

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shangliang.consultations.models import Suggestion
from shangliang.consultations.permissions import consultations_visible_to
from shangliang.consultations.states import SuggestionDecision
from shangliang.core import limits
from shangliang.core.forms import CleanTextMixin
from shangliang.core.views import form_page
from shangliang.orgs.access import staff_required
from shangliang.outcomes import decisions, permissions
from shangliang.outcomes.states import AssignmentStatus
from shangliang.topics import elsewhere


class DecisionForm(CleanTextMixin, forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("采纳决定"),
        choices=[(value, value.label) for value in decisions.DECISIONS],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("理由"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("不予采纳、暂缓采纳须写明理由；理由告知相关群众并在公开结果中显示，不写姓名电话"),
    )


def decision_form(suggestion: Suggestion, data=None) -> DecisionForm:
    """The form for one item; on the three lists page each item's fields get their own ids."""
    return DecisionForm(data, auto_id=f"decide-{suggestion.pk}-%s")


@staff_required
@require_http_methods(["GET", "POST"])
def suggestion_decide(request, pk, suggestion_pk):
    user = request.user
    consultation = permissions.get_consultation_for_outcomes(user, pk)
    if not permissions.can_assign(user, consultation):
        raise Http404
    suggestion = get_object_or_404(Suggestion.objects, pk=suggestion_pk, consultation=consultation)
    form = decision_form(suggestion, request.POST if request.method == "POST" else None)
    back = reverse("outcomes:consultation", args=[consultation.pk]) + "#suggestions"

    def context():
        live = suggestion.assignments.exclude(status=AssignmentStatus.RETURNED).exists()
        handed = bool(decisions.handed_off_ids([suggestion]))
        state = decisions.item_state(suggestion, live, handed)
        return {
            "c": consultation,
            "is_reader": consultations_visible_to(user).filter(pk=consultation.pk).exists(),
            "suggestion": suggestion,
            "state": state,
            "state_label": decisions.STATE_LABELS[state],
            "state_tone": decisions.STATE_TONES[state],
            "reason": decisions.state_reason(suggestion),
            "may_decide": decisions.can_decide(suggestion, live, handed),
            "form": form,
            "back": back,
        }

    return form_page(
        request,
        form,
        lambda data: decisions.suggestion_decide(
            actor=user, suggestion=suggestion, decision=data["decision"], reason=data["reason"]
        ),
        success=lambda decided: (
            _("已记录“%(decision)s”，相关群众将收到反馈。") % {"decision": SuggestionDecision(decided.decision).label}
        ),
        then=back,
        template="outcomes/decision.html",
        context=context,
        status=400 if request.method == "POST" else 200,
    )


def annotate_lines(lines, *, with_forms: bool) -> dict[str, int]:
    """Give each line of the three lists (``selectors.outcome_lines``) its decision state, reason and, for
    the assigners (``with_forms``), the decision form; return the counts of the decisions (one query: which
    items no unit holds were handed to another channel)."""
    counts = dict.fromkeys(decisions.STATE_LABELS, 0)
    handed = elsewhere.handed_off("suggestion", [line.suggestion.pk for line in lines if line.row is None])
    for line in lines:
        # Handed to another channel (handoffs): the three lists show the channel, to whom and the answer.
        line.handoff = handed.get(line.suggestion.pk)
        line.handed_off = line.handoff is not None
        state = decisions.item_state(line.suggestion, line.row is not None, line.handed_off)
        counts[state] += 1
        line.state = state
        line.state_label = decisions.STATE_LABELS[state]
        line.state_tone = decisions.STATE_TONES[state]
        line.state_reason = decisions.state_reason(line.suggestion) if state in decisions.NOT_TAKEN else ""
        line.may_decide = decisions.can_decide(line.suggestion, line.row is not None, line.handed_off)
        line.may_assign = state in {decisions.ItemState.PENDING, decisions.ItemState.ADOPTED}
        line.decision_form = decision_form(line.suggestion) if with_forms and line.may_decide else None
    return counts
