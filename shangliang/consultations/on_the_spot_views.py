"""Marking a statement or a suggestion "当场解决" (and undoing it) from the session and resolution pages.

The forms post normally and come back to the page they were on; a refused form comes back on a page
of its own with the message next to the field (400).
"""

from django import forms
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shangliang.consultations import on_the_spot, permissions
from shangliang.consultations.models import Statement, Suggestion
from shangliang.core.forms import CleanTextMixin
from shangliang.core.views import run_form
from shangliang.orgs.access import staff_required

PAGE = "consultations/solve_on_spot.html"


class SolveForm(CleanTextMixin, forms.Form):
    solved_by = forms.CharField(
        label=gettext_lazy("当场解决的单位或人员"),
        max_length=100,
        help_text=gettext_lazy("如：镇城管办（写单位或职务，不写个人姓名，将公开）"),
    )
    solved_note = forms.CharField(
        label=gettext_lazy("怎样解决的"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class UnsolveForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("撤销原因"), max_length=200)


def _handle(request, consultation, row, *, solve, unsolve, then, what):
    undo = request.POST.get("action") == "undo"
    form = UnsolveForm(request.POST, auto_id="u-%s") if undo else SolveForm(request.POST, auto_id="m-%s")
    done = run_form(
        request,
        form,
        (lambda data: unsolve(row, actor=request.user, **data))
        if undo
        else (lambda data: solve(row, actor=request.user, **data)),
        success=_("已撤销当场解决标记。") if undo else _("已标记为当场解决。"),
        then=then,
    )
    if done is not None:
        return done
    context = {"c": consultation, "row": row, "what": what, "form": form, "undo": undo, "back": then}
    return render(request, PAGE, context, status=400)


@staff_required
@require_POST
def statement_solve(request, pk, statement_pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    statement = get_object_or_404(Statement, pk=statement_pk, consultation=consultation)
    return _handle(
        request,
        consultation,
        statement,
        solve=on_the_spot.statement_solve,
        unsolve=on_the_spot.statement_unsolve,
        then=reverse("consultations:session", args=[pk]) + f"#s-{statement.pk}",
        what=_("发言"),
    )


@staff_required
@require_POST
def suggestion_solve(request, pk, suggestion_pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    suggestion = get_object_or_404(Suggestion, pk=suggestion_pk, consultation=consultation)
    return _handle(
        request,
        consultation,
        suggestion,
        solve=on_the_spot.suggestion_solve,
        unsolve=on_the_spot.suggestion_unsolve,
        then=reverse("consultations:resolution", args=[pk]) + f"#sg-{suggestion.pk}",
        what=_("建议"),
    )
