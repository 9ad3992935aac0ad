"""The resolution page's safeguards: each dissent explained (or why not), contested items, the assembly's vote.

The forms are posted from the resolution page (``views.resolution``); a refusal comes back to that page
with the message next to the field of the form that was posted.
"""

from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shangliang.consultations import dissents, permissions, services
from shangliang.consultations.forms import ContestForm, ExplainForm, VoteForm, with_items
from shangliang.consultations.models import Dissent, Suggestion
from shangliang.core.form_tokens import submitted_once
from shangliang.core.views import run_form
from shangliang.orgs.access import staff_required

TEMPLATE = "consultations/resolution.html"


def safeguard_context(request, consultation, items, **forms) -> dict:
    """The resolution page's part for the safeguards: the dissents with their due dates and explanation
    forms, the items with their contest forms, the vote form offering the items awaiting a vote.

    ``explain_failed`` / ``contest_failed`` are (pk, bound form) of a refused post, shown at its row."""
    user = request.user
    today = timezone.localdate()
    explain_failed = forms.get("explain_failed") or (None, None)
    contest_failed = forms.get("contest_failed") or (None, None)
    rows = list(consultation.dissents.select_related("explained_by", "suggestion"))
    for d in rows:
        d.overdue = dissents.is_overdue(d, today)
        d.explain_form = (
            explain_failed[1]
            if d.pk == explain_failed[0]
            else with_items(ExplainForm(auto_id=f"d{d.pk}-%s", initial={"suggestion": d.suggestion_id}), items)
        )
    contest_forms = {}
    if contest_failed[0] is not None:
        contest_forms[contest_failed[0]] = contest_failed[1]
    return {
        "dissents": rows,
        "today": today,
        "may_decide": dissents.may_decide(user, consultation),
        # The items again, each knowing whether it was assigned (no contest then), in one query.
        "suggestions": items.annotate(assigned_count=Count("assignments", distinct=True)),
        "contest_failed_pk": contest_failed[0],
        "contest_failed_form": contest_failed[1],
        "vote_form": forms.get("vote_form")
        or with_items(VoteForm(auto_id="vote-%s"), dissents.awaiting_vote(consultation)),
    }


def _back(consultation, anchor: str) -> str:
    return reverse("consultations:resolution", args=[consultation.pk]) + f"#{anchor}"


def _again(request, consultation, **forms):
    from shangliang.consultations.views import _resolution_context  # the page's whole context (views imports us)

    return render(request, TEMPLATE, _resolution_context(request, consultation, **forms), status=400)


@staff_required
@require_POST
def dissent_explain(request, pk, dissent_pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    dissent = get_object_or_404(Dissent, pk=dissent_pk, consultation=consultation)
    form = with_items(ExplainForm(request.POST, auto_id=f"d{dissent.pk}-%s"), consultation.suggestions.all())
    done = run_form(
        request,
        form,
        lambda data: services.dissent_explain(actor=request.user, dissent=dissent, **data),
        success=_("解释说明已记录。"),
        then=_back(consultation, f"dissent-{dissent.pk}"),
    )
    return done or _again(request, consultation, explain_failed=(dissent.pk, form))


def _item_action(request, pk, suggestion_pk, service, success: str):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    suggestion = get_object_or_404(Suggestion, pk=suggestion_pk, consultation=consultation)
    form = ContestForm(request.POST, auto_id=f"sg{suggestion.pk}-contest-%s")
    done = run_form(
        request,
        form,
        lambda data: service(actor=request.user, suggestion=suggestion, **data),
        success=success,
        then=_back(consultation, f"sg-{suggestion.pk}"),
    )
    return done or _again(request, consultation, contest_failed=(suggestion.pk, form))


@staff_required
@require_POST
def suggestion_contest(request, pk, suggestion_pk):
    return _item_action(
        request,
        pk,
        suggestion_pk,
        services.suggestion_contest,
        _("已列为争议事项，请提交村（居）民会议或代表会议表决。"),
    )


@staff_required
@require_POST
def suggestion_uncontest(request, pk, suggestion_pk):
    return _item_action(request, pk, suggestion_pk, services.suggestion_uncontest, _("已取消争议标记。"))


@staff_required
@require_POST
@submitted_once
def vote_add(request, pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    form = with_items(VoteForm(request.POST, auto_id="vote-%s"), dissents.awaiting_vote(consultation))
    done = run_form(
        request,
        form,
        lambda data: services.assembly_vote_add(actor=request.user, consultation=consultation, **data),
        success=_("表决结果已记录。"),
        then=_back(consultation, "votes"),
    )
    return done or _again(request, consultation, vote_form=form)
