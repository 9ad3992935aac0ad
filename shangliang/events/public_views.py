"""Public pages of briefings, lectures and training: the list (upcoming and held), an event's page with
its photos, materials and answered questions, asking a question, and the sign-in page the QR opens.

No attendee's name or number is ever shown here; only how many came.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shangliang.core.errors import DomainError
from shangliang.core.forms import add_service_error
from shangliang.core.phones import mask_mobile
from shangliang.core.ratelimits import rate_limited
from shangliang.events import selectors, services
from shangliang.events.forms import AskForm, SelfSignInForm
from shangliang.events.models import Event
from shangliang.events.states import EventKind, EventStatus

PER_PAGE = 20
SIGN_IN_LIMIT = "signin"  # the door sign-in's limits: a whole room shares one Wi-Fi
ASK_LIMIT = "post"  # the online opinions' limits


def _public_or_404(pk) -> Event:
    try:
        return selectors.public_events().select_related("platform", "speaker_unit", "speaker_member").get(pk=pk)
    except (Event.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@require_GET
def public_list(request):
    kind = request.GET.get("kind", "")
    if kind not in EventKind.values:
        kind = ""
    upcoming = list(selectors.upcoming_public()[:PER_PAGE])
    page = Paginator(selectors.past_public(kind), PER_PAGE).get_page(request.GET.get("page"))
    context = {"upcoming": upcoming, "page": page, "kind": kind, "kinds": EventKind.choices}
    return render(request, "events/public/list.html", context)


def _page(request, event: Event, *, ask_form=None, status=200):
    context = {
        "event": event,
        "attendance": selectors.attendance_of(event) if event.status == EventStatus.HELD else None,
        "questions": list(selectors.public_questions(event)),
        "photos": list(selectors.shown_photos(event)),
        "materials": list(selectors.shown_materials(event)),
        "ask_form": ask_form or AskForm(),
        "can_ask": event.status != EventStatus.CANCELLED,
    }
    return render(request, "events/public/detail.html", context, status=status)


@require_GET
def public_detail(request, pk):
    return _page(request, _public_or_404(pk))


@require_POST
@rate_limited(ASK_LIMIT)
def ask(request, pk):
    event = _public_or_404(pk)
    form = AskForm(request.POST)
    if form.is_valid():
        user = request.user if request.user.is_authenticated else None
        try:
            services.question_ask(event=event, user=user, **form.cleaned_data)
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("问题已提交，工作人员答复后会在本页公开。"))
            return redirect(reverse("events:public_detail", args=[pk]) + "#questions")
    return _page(request, event, ask_form=form, status=400)


def _for_sign_in_or_404(token) -> Event:
    try:
        return Event.objects.select_related("platform").get(sign_in_token=token)
    except (Event.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _account_mobile(user) -> str:
    return (user.verified_mobile or user.mobile or "") if user.is_authenticated else ""


def _one_tap(user) -> bool:
    """A logged-in account with a name and a number signs in with one tap."""
    return bool(user.is_authenticated and user.full_name and _account_mobile(user))


def _sign_in_page(request, event, *, form=None, refusal="", done=None, again=False, status=200):
    user = request.user
    own = selectors.sign_in_of(event, user=user) if user.is_authenticated and done is None else None
    context = {
        "event": event,
        "refusal": refusal,
        "form": form or SelfSignInForm(),
        "done": done or own,
        "again": again or own is not None,
        "one_tap": _one_tap(user),
        "account_mobile": mask_mobile(_account_mobile(user)),
    }
    return render(request, "events/public/sign_in.html", context, status=status)


@require_http_methods(["GET", "POST"])
@rate_limited(SIGN_IN_LIMIT)
def sign_in(request, token):
    """The page the event's QR opens: one tap when logged in with a number, otherwise name and number."""
    event = _for_sign_in_or_404(token)
    refusal = services.sign_in_refusal(event)
    if refusal or request.method == "GET":
        return _sign_in_page(request, event, refusal=refusal)
    user = request.user if request.user.is_authenticated else None
    if user is not None and "mobile" not in request.POST and _one_tap(user):
        data, form = {"name": user.full_name, "mobile": _account_mobile(user)}, None
    else:
        form = SelfSignInForm(request.POST)
        if not form.is_valid():
            return _sign_in_page(request, event, form=form, status=400)
        data = form.cleaned_data
    try:
        done, created = services.sign_in_self(event=event, user=user, **data)
    except DomainError as error:
        if form is None:
            return _sign_in_page(request, event, refusal=error.message)
        add_service_error(form, error)
        return _sign_in_page(request, event, form=form, status=400)
    return _sign_in_page(request, event, done=done, again=not created)
