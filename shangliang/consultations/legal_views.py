"""The township government's legal review of a village resolution: one page, the items and the review.

The reviewer (``Role.LEGAL_REVIEWER`` at the township) sees each item with "无需纠正 / 依法纠正" and,
for a correction, the new wording and its legal basis; an overall opinion. Whoever may see the
consultation reads the result here.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shangliang.consultations import legal, permissions
from shangliang.consultations.models import Consultation, Suggestion
from shangliang.core.form_tokens import FormTokenMixin, submitted_once
from shangliang.core.forms import CleanTextMixin
from shangliang.core.views import form_page
from shangliang.orgs.access import staff_required
from shangliang.orgs.states import Role

KEEP, CORRECT = "keep", "correct"


class LegalReviewForm(FormTokenMixin, CleanTextMixin, forms.Form):
    """Per item ``action_<pk>`` (keep or correct), ``text_<pk>`` and ``basis_<pk>``; the overall opinion."""

    opinion = forms.CharField(
        label=gettext_lazy("审查意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("对协商结果合法性的总体意见。"),
    )

    def __init__(self, *args, items: list[Suggestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"action_{item.pk}"] = forms.ChoiceField(
                label=gettext_lazy("审查结论"),
                choices=[(KEEP, gettext_lazy("无需纠正")), (CORRECT, gettext_lazy("依法纠正"))],
                initial=KEEP,
                widget=forms.RadioSelect,
            )
            self.fields[f"text_{item.pk}"] = forms.CharField(
                label=gettext_lazy("纠正后的表述"),
                required=False,
                initial=item.text,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"basis_{item.pk}"] = forms.CharField(
                label=gettext_lazy("纠正依据"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=gettext_lazy("所依据的法律法规及条款，如：《中华人民共和国土地管理法》第三十七条"),
            )

    def rows(self):
        """(item, its action field, (its text and basis fields)) for the template."""
        return [
            (item, self[f"action_{item.pk}"], (self[f"text_{item.pk}"], self[f"basis_{item.pk}"]))
            for item in self.items
        ]

    def corrections(self) -> dict[Suggestion, tuple[str, str]]:
        return {
            item: (self.cleaned_data.get(f"text_{item.pk}", ""), self.cleaned_data.get(f"basis_{item.pk}", ""))
            for item in self.items
            if self.cleaned_data.get(f"action_{item.pk}") == CORRECT
        }


def _context(consultation: Consultation, items, form, can_review: bool, refusal: str) -> dict:
    return {
        "c": consultation,
        "items": items,
        "form": form,
        "can_review": can_review,
        "refusal": refusal,
        "status": legal.review_status(consultation),
        "reviewer_role": Role.LEGAL_REVIEWER.label,
    }


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def legal_review(request, pk):
    consultation = permissions.get_consultation_for_legal_review(request.user, pk)
    can_review = permissions.can_review_legality(request.user, consultation)
    if request.method == "POST" and not can_review:
        raise PermissionDenied
    items = list(consultation.suggestions.order_by("order", "pk"))
    refusal = legal.review_refusal(consultation) if can_review else ""
    here = reverse("consultations:legal_review", args=[pk])
    if refusal and request.method == "POST":
        messages.error(request, refusal)
        return redirect(here)
    form = LegalReviewForm(request.POST or None, items=items) if can_review and not refusal else None
    if form is None:
        return render(
            request, "consultations/legal_review.html", _context(consultation, items, None, can_review, refusal)
        )
    return form_page(
        request,
        form,
        lambda data: legal.legal_review_record(
            actor=request.user, consultation=consultation, opinion=data["opinion"], corrections=form.corrections()
        ),
        success=lambda review: _("合法性审查已记录：%(verdict)s。") % {"verdict": review.get_verdict_display()},
        then=here,
        template="consultations/legal_review.html",
        context=lambda: _context(consultation, items, form, can_review, refusal),
        status=400 if request.method == "POST" else 200,
    )
