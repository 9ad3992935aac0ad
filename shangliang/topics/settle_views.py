"""The screening page's "直接解决" form: a submission solved at once, without a consultation."""

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shangliang.core.forms import CleanTextMixin
from shangliang.core.views import run_form
from shangliang.orgs.access import staff_required
from shangliang.topics import permissions, settle
from shangliang.topics.models import Submission


class SettleForm(CleanTextMixin, forms.Form):
    settlement = forms.CharField(
        label=gettext_lazy("解决情况（谁、怎样解决的）"),
        max_length=Submission._meta.get_field("settlement").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("如：村委会当天联系电工更换了路灯。群众将在查询页看到。"),
    )


@staff_required
@require_POST
def submission_settle(request, pk):
    submission = permissions.get_submission_for_screening(request.user, pk)
    form = SettleForm(request.POST)
    page = reverse("topics:submission_detail", args=[pk])
    done = run_form(
        request,
        form,
        lambda data: settle.submission_settle(actor=request.user, submission=submission, **data),
        success=_("已记录为直接解决，并告知反映人。"),
        then=page,
        reload=page,
    )
    if done is not None:
        return done
    return render(request, "topics/settle.html", {"submission": submission, "settle_form": form}, status=400)
