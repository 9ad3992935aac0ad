"""The public rating page (群众评议): residents open it from the result page or the poster's QR code.

Anyone sees the topic, the published results and the satisfaction figures; a resident rates once
with their own account and its verified mobile number (one rating per number). Nobody's name,
phone number or comment is shown, except the visitor's own.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shangliang.core.errors import DomainError
from shangliang.core.forms import add_service_error
from shangliang.core.ratelimits import rate_limited
from shangliang.evaluation import selectors, services
from shangliang.evaluation.forms import RatingForm
from shangliang.evaluation.views import figures_of
from shangliang.outcomes import public_results
from shangliang.outcomes.documents_views import public_consultation_or_404


@require_http_methods(["GET", "POST"])
@rate_limited("rate")
def rate(request, pk):
    consultation = public_consultation_or_404(pk)
    address = reverse("evaluation_public:rate", args=[consultation.pk])
    form = RatingForm()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(address)
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                services.rating_submit(user=request.user, consultation=consultation, **form.cleaned_data)
            except (DomainError, ValidationError) as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("感谢您的评议！"))
                return redirect(f"{address}#rate")
    mine = selectors.rating_of(consultation, request.user)
    is_open = services.is_rating_open(consultation)
    # One rating per verified number: an account without one is sent to verify it, then back here.
    needs_mobile = request.user.is_authenticated and not request.user.has_verified_mobile
    context = {
        "consultation": consultation,
        "topic": consultation.topic,
        "publication": public_results.publication_of(consultation),
        "figures": figures_of(selectors.satisfaction_of(consultation.ratings.counted())),
        "is_open": is_open,
        "mine": mine,
        "form": form,
        "show_form": is_open and mine is None and request.user.is_authenticated and not needs_mobile,
        "needs_mobile": needs_mobile,
        "login_url": f"{reverse('accounts:login')}?{urlencode({'next': address})}",
        "verify_url": f"{reverse('accounts:mobile_verify')}?{urlencode({'next': address + '#rate'})}",
    }
    return render(request, "evaluation/public/rate.html", context, status=400 if form.errors else 200)
