"""Correcting a recorded chair council review (主席会议专题研究): the CPPCC office fixes a date, a title or
what was decided, says why, and the history keeps what the record said before (``reviews.review_update``).

Who may correct is who may record (``permissions.can_record_review``): others who may read the district's
dashboard get 403; a review of a district one does not cover, or archived, answers 404 as if it did not exist.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shangliang.core import limits
from shangliang.core.form_tokens import submitted_once
from shangliang.core.forms import DateInput
from shangliang.core.views import run_form
from shangliang.dashboard import permissions, reviews
from shangliang.dashboard.models import ChairCouncilReview
from shangliang.dashboard.seed_views import ReviewForm
from shangliang.orgs.access import staff_required

FIELDS = ("year", "half", "held_on", "title", "reviewed", "findings", "decisions")


class ReviewEditForm(ReviewForm):
    """The recording form with the reason for the correction; a new attachment replaces the old one."""

    note = forms.CharField(
        label=gettext_lazy("修改原因"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("如：会议日期记错、补充研究决定的事项"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The phone's date picker reads only ISO dates; the locale's own format would show an empty field.
        self.fields["held_on"].widget = DateInput(format="%Y-%m-%d")


def _review_or_404(user, pk) -> ChairCouncilReview:
    review = ChairCouncilReview.objects.filter(pk=pk, is_archived=False).select_related("region", "recorded_by").first()
    if review is None or not permissions.can_view_region_dashboard(user, review.region):
        raise Http404
    return review


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def review_edit(request, pk):
    review = _review_or_404(request.user, pk)
    if not permissions.can_record_review(request.user, review.region):
        raise PermissionDenied
    if request.method == "POST":
        form = ReviewEditForm(request.POST, request.FILES)
    else:
        form = ReviewEditForm(initial={name: getattr(review, name) for name in FIELDS})
    page = f"{reverse('dashboard:chair_council')}?region={review.region_id}"
    done = run_form(
        request,
        form,
        lambda data: reviews.review_update(actor=request.user, review=review, **data),
        success=_("主席会议专题研究记录已修改，修改前的内容保留在修改记录中。"),
        then=f"{page}#review-{review.pk}",
    )
    if done is not None:
        return done
    history = review.history.select_related("history_user").order_by("-history_date", "-history_id")
    context = {"review": review, "form": form, "back": page, "history": history}
    return render(
        request, "dashboard/chair_council_edit.html", context, status=400 if request.method == "POST" else 200
    )
