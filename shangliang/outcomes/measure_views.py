"""Recording and withdrawing the implemented measures (落实成果) of an item, from its page."""

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shangliang.core.form_tokens import FormTokenMixin, submitted_once
from shangliang.core.forms import CleanTextMixin, DateInput
from shangliang.core.views import run_form
from shangliang.orgs.access import staff_required
from shangliang.outcomes import measures, permissions
from shangliang.outcomes.models import Measure


class MeasureForm(FormTokenMixin, CleanTextMixin, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("落实成果"), max_length=300, help_text=gettext_lazy("一项一条，如：新增路灯12盏")
    )
    implemented_on = forms.DateField(label=gettext_lazy("落实日期"), widget=DateInput())


class MeasureWithdrawForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("撤回原因"), max_length=200)


PAGE = "outcomes/measures.html"


def _page(request, assignment, *, form=None, withdraw_form=None, status=200):
    context = {
        "a": assignment,
        "measures": list(measures.measures_of(assignment)),
        "form": form or MeasureForm(),
        "withdraw_form": withdraw_form or MeasureWithdrawForm(),
    }
    return render(request, PAGE, context, status=status)


def _assignment(request, pk):
    assignment = permissions.get_assignment_for_view(request.user, pk)
    if not measures.can_record_measures(request.user, assignment):
        raise Http404
    return assignment


@staff_required
@require_POST
@submitted_once
def measure_add(request, pk):
    assignment = _assignment(request, pk)
    form = MeasureForm(request.POST)
    done = run_form(
        request,
        form,
        lambda data: measures.measure_add(actor=request.user, assignment=assignment, **data),
        success=_("落实成果已记录。"),
        then=reverse("outcomes:assignment", args=[pk]) + "#measures",
    )
    return done or _page(request, assignment, form=form, status=400)


@staff_required
@require_POST
def measure_withdraw(request, pk, measure_pk):
    assignment = _assignment(request, pk)
    measure = get_object_or_404(Measure, pk=measure_pk, assignment=assignment)
    form = MeasureWithdrawForm(request.POST)
    done = run_form(
        request,
        form,
        lambda data: measures.measure_withdraw(actor=request.user, measure=measure, **data),
        success=_("落实成果已撤回。"),
        then=reverse("outcomes:assignment", args=[pk]) + "#measures",
    )
    return done or _page(request, assignment, withdraw_form=form, status=400)
