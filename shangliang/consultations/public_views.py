"""Public pages of a consultation: its page (sign-up, online opinions), a participant's own notice, sign-in.

Residents open these inside WeChat, so every action is a plain form and htmx only spares a reload.
The public never sees a participant's name or number; a participant's own page is keyed by the
secret token in their notice instead of a login, because many of them have no account.

A mobile number on an account is not verified, so it never ties the account to a place on the
list: only staff adding the account, or the participant claiming their place through their own
link, does. The door sign-in answers the same whether a typed number is on the list or not.
"""

from contextlib import suppress

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from shangliang.consultations import selectors, services
from shangliang.consultations.models import Consultation, OnlinePost, Participant
from shangliang.consultations.public_forms import OnlinePostForm, SignInForm, SignupForm
from shangliang.consultations.states import ConsultationStatus, ParticipantCategory
from shangliang.core.errors import DomainError
from shangliang.core.forms import add_service_error
from shangliang.core.phones import mask_mobile
from shangliang.core.ratelimits import hit, rate_limited

# The same windows services.sign_in and services.can_post_online enforce; here they only decide
# which buttons and explanations a page shows, the services still refuse on their own.
OPEN_WINDOW = {ConsultationStatus.NOTIFIED, ConsultationStatus.IN_SESSION}
# Rate-limit group (settings.SHANGLIANG_RATE_LIMITS) of the sign-in at the door.
SIGN_IN_LIMIT = "signin"
# Answering the notice only makes sense before the session starts.
RSVP_WINDOW = {ConsultationStatus.PLANNED, ConsultationStatus.NOTIFIED}
# Attendance is worth showing once people have started arriving.
ATTENDANCE_SHOWN = {ConsultationStatus.IN_SESSION, ConsultationStatus.HELD, ConsultationStatus.CONCLUDED}

# Why someone may not post an opinion; the template words each one.
REFUSED_LOGIN, REFUSED_CLOSED, REFUSED_UNVERIFIED = "login", "closed", "unverified"


# --- reads ---------------------------------------------------------------------------------
# Only these pages need them; each keeps its query count fixed whatever the number of rows.


def _public_or_404(pk) -> Consultation:
    try:
        return selectors.public_consultations().get(pk=pk)
    except Consultation.DoesNotExist:
        raise Http404 from None


def _participant_or_404(token) -> Participant:
    participant = (
        Participant.objects.select_related(
            "consultation__topic", "consultation__platform", "consultation__session_format"
        )
        .filter(token=token)
        .first()
    )
    if participant is None:
        raise Http404
    return participant


def _for_sign_in_or_404(pk, token) -> Consultation:
    consultation = (
        Consultation.objects.select_related("topic", "platform")
        .filter(pk=pk, sign_in_token=token, is_archived=False)
        .first()
    )
    if consultation is None:
        raise Http404
    return consultation


def _participation_counts(consultation: Consultation) -> dict:
    return consultation.participants.aggregate(
        total=Count("pk"),
        voluntary=Count("pk", filter=Q(is_voluntary=True)),
        invited=Count("pk", filter=Q(is_voluntary=False)),
        signed_in=Count("pk", filter=Q(signed_in_at__isnull=False)),
    )


def _author_label(post: OnlinePost) -> str:
    """「居民（138****0001）」: a role and a masked number, never a name."""
    participant = post.participant
    if participant is None or participant.category == ParticipantCategory.RESIDENT:
        role = _("居民")
    else:
        role = participant.get_category_display()
    masked = mask_mobile(post.author.mobile or (participant.mobile if participant else ""))
    return _("%(role)s（%(mobile)s）") % {"role": role, "mobile": masked} if masked else role


def _online_posts(consultation: Consultation) -> list[OnlinePost]:
    """Threads oldest first, each with its replies one level deep and an ``author_label`` on every post."""
    people = ("author", "participant")
    posts = list(
        consultation.posts.filter(reply_to__isnull=True)
        .select_related(*people)
        .prefetch_related(Prefetch("replies", queryset=OnlinePost.objects.select_related(*people)))
    )
    for post in posts:
        post.author_label = _author_label(post)
        for reply in post.replies.all():
            reply.author_label = _author_label(reply)
    return posts


def _posting_refusal(user, consultation: Consultation) -> str:
    if services.can_post_online(user, consultation):
        return ""
    if not user.is_authenticated:
        return REFUSED_LOGIN
    if consultation.status not in OPEN_WINDOW or timezone.now() > consultation.ends_at:
        return REFUSED_CLOSED
    return REFUSED_UNVERIFIED


def _sign_in_due(consultation: Consultation) -> bool:
    """The participant page offers sign-in in the sign-in window around the session."""
    return not services.self_sign_in_refusal(consultation)


# --- context -------------------------------------------------------------------------------


def _online_context(request, consultation: Consultation, *, post_form=None, notice="", notice_is_error=False):
    posts = _online_posts(consultation)
    refusal = _posting_refusal(request.user, consultation)
    wanted = post_form.data.get("reply_to") if post_form is not None else request.GET.get("reply_to")
    replying_to = next((p for p in posts if str(p.pk) == str(wanted) and not p.is_hidden), None)
    if post_form is None and not refusal:
        post_form = OnlinePostForm(consultation=consultation, initial={"reply_to": replying_to and replying_to.pk})
    return {
        "consultation": consultation,
        "posts": posts,
        "post_count": sum(1 + len(p.replies.all()) for p in posts),
        "refusal": refusal,
        "can_reply": not refusal,
        "post_form": post_form,
        "replying_to": replying_to,
        "notice": notice,
        "notice_is_error": notice_is_error,
    }


def _page_context(request, consultation: Consultation, *, post_form=None) -> dict:
    context = {
        "consultation": consultation,
        "topic": consultation.topic,
        "agenda": list(consultation.agenda.all()),
        "counts": _participation_counts(consultation),
        "show_attendance": consultation.status in ATTENDANCE_SHOWN,
        "own": selectors.participant_of_account(consultation, request.user),
        "signup_open": consultation.status in services.OPEN_FOR_PARTICIPANTS,
        "signup_form": SignupForm(),
    }
    if consultation.is_online:
        context.update(_online_context(request, consultation, post_form=post_form))
    return context


def _page_url(consultation: Consultation, anchor: str = "") -> str:
    return reverse("consultations:public_page", args=[consultation.pk]) + anchor


def _login_first(request, next_url: str):
    login = redirect_to_login(next_url)
    if request.htmx:
        # A redirect followed inside htmx would paste the login page into the section.
        return HttpResponseClientRedirect(login["Location"])
    return login


def _signed_in_time(participant: Participant) -> str:
    return time_format(timezone.localtime(participant.signed_in_at), "H:i")


# --- the consultation's page ---------------------------------------------------------------


@require_GET
def consultation_page(request, pk):
    consultation = _public_or_404(pk)
    return render(request, "consultations/public/page.html", _page_context(request, consultation))


@require_POST
@rate_limited("signup")
def signup(request, pk):
    consultation = _public_or_404(pk)
    if not request.user.is_authenticated:
        return _login_first(request, _page_url(consultation))
    form = SignupForm(request.POST)
    # An unknown category goes to the service as "", which refuses it with its own message.
    category = form.cleaned_data["category"] if form.is_valid() else ""
    try:
        participant = services.participant_signup(
            user=request.user, consultation=consultation, name=request.user.display_name, category=category
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_page_url(consultation))
    messages.success(request, _("报名成功"))
    return redirect("consultations:participant_page", token=participant.token)


@require_POST
@rate_limited("post")
def post(request, pk):
    consultation = _public_or_404(pk)
    if not consultation.is_online:
        raise Http404
    if not request.user.is_authenticated:
        return _login_first(request, _page_url(consultation, "#online"))
    form = OnlinePostForm(request.POST, consultation=consultation)
    if form.is_valid():
        try:
            services.online_post(user=request.user, consultation=consultation, **form.cleaned_data)
        except DomainError as error:
            add_service_error(form, error)
        else:
            notice = _("意见已发表。")
            if request.htmx:
                context = _online_context(request, consultation, notice=notice)
                return render(request, "consultations/public/_online.html", context)
            messages.success(request, notice)
            return redirect(_page_url(consultation, "#online"))
    if request.htmx:
        context = _online_context(request, consultation, post_form=form)
        return render(request, "consultations/public/_online.html", context)
    return render(request, "consultations/public/page.html", _page_context(request, consultation, post_form=form))


# --- a participant's own page --------------------------------------------------------------


@require_GET
def participant_page(request, token):
    participant = _participant_or_404(token)
    services.notice_mark_read(participant)
    consultation = participant.consultation
    is_mine = request.user.is_authenticated and participant.user_id == request.user.pk
    context = {
        "participant": participant,
        "consultation": consultation,
        "topic": consultation.topic,
        "agenda": list(consultation.agenda.all()),
        "rsvp_open": consultation.status in RSVP_WINDOW,
        "sign_in_due": _sign_in_due(consultation),
        "is_public": consultation.status not in {ConsultationStatus.PLANNED, ConsultationStatus.CANCELLED},
        "is_mine": is_mine,
        "may_claim": participant.user_id is None and consultation.status in services.OPEN_FOR_CLAIMS,
    }
    return render(request, "consultations/public/participant.html", context)


@require_POST
@rate_limited("signup")
def claim(request, token):
    """Bind the participant behind this link to the logged-in account (the link proves who they are)."""
    participant = _participant_or_404(token)
    page = reverse("consultations:participant_page", args=[participant.token])
    if not request.user.is_authenticated:
        return _login_first(request, page)
    try:
        services.participant_claim(actor=request.user, participant=participant)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已关联到您的账号。"))
    return redirect(page)


@require_POST
@rate_limited("signup")
def rsvp(request, token):
    participant = _participant_or_404(token)
    try:
        participant = services.participant_rsvp(participant=participant, answer=request.POST.get("answer", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已回复：%(answer)s") % {"answer": participant.get_rsvp_display()})
    return redirect("consultations:participant_page", token=participant.token)


# --- sign-in at the door -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sign_in(request, pk, token):
    consultation = _for_sign_in_or_404(pk, token)
    own = selectors.participant_of_account(consultation, request.user)
    form = SignInForm(consultation=consultation)
    if request.method == "POST" and hit(request, SIGN_IN_LIMIT):
        refusal = _("这个网络的签到次数太多，请稍后再试，或请现场工作人员帮您签到。")
        context = {"consultation": consultation, "own": own, "form": form, "refusal": refusal}
        return render(request, "consultations/public/sign_in.html", context, status=429)
    if request.method == "POST" and request.POST.get("participant"):
        return _sign_in_from_participant_page(request, consultation, request.POST["participant"])
    refusal = services.self_sign_in_refusal(consultation)
    if request.method == "POST" and not refusal:
        # The logged-in participant's button sends no number; anyone else types theirs.
        if own is not None and "mobile" not in request.POST:
            try:
                own = services.sign_in(participant=own, actor=None)
            except DomainError as error:
                refusal = error.message
            else:
                context = {"consultation": consultation, "participant": own}
                return render(request, "consultations/public/sign_in_done.html", context)
        else:
            form = SignInForm(request.POST, consultation=consultation)
            if form.is_valid():
                return _sign_in_by_mobile(request, consultation, form)
    context = {"consultation": consultation, "own": own, "form": form, "refusal": refusal}
    return render(request, "consultations/public/sign_in.html", context)


def _sign_in_by_mobile(request, consultation: Consultation, form: SignInForm):
    """Sign in whoever the typed number belongs to, and answer the same whether it is on the list or not.

    Staff at the door see on the session page who actually signed in.
    """
    if form.participant is not None:
        # Only the window refuses here, checked a moment ago; the answer stays the same either way.
        with suppress(DomainError):
            services.sign_in(participant=form.participant, actor=None)
    context = {"consultation": consultation, "masked_mobile": mask_mobile(form.cleaned_data["mobile"])}
    return render(request, "consultations/public/sign_in_received.html", context)


def _sign_in_from_participant_page(request, consultation: Consultation, participant_token: str):
    participant = consultation.participants.filter(token=participant_token).first()
    if participant is None:
        raise Http404
    try:
        participant = services.sign_in(participant=participant, actor=None)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("签到成功（%(time)s）") % {"time": _signed_in_time(participant)})
    return redirect("consultations:participant_page", token=participant.token)
