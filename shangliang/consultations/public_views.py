"""Public pages of a consultation: its page (sign-up, online opinions), a participant's own notice, sign-in.

Residents open these inside WeChat, so every action is a plain form and htmx only spares a reload.
The public never sees a participant's name or number; a participant's own page is keyed by the
secret token in their notice instead of a login, because many of them have no account.

Signing up and posting an opinion need an account whose mobile number an SMS code proved
(``accounts.verification``); a listed participant's account may post without. A number never ties
an account to a place on the list by itself: only staff adding the account, or the participant
claiming their place through their own link, does.

Self sign-in happens only in the sign-in window and with a proof: the participant's own link, or
the rotating code of the QR at the door (``door.py``) with the bound account or the number and an
SMS code sent to it. The old fixed door address signs nobody in.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from shangliang.accounts.models import CodePurpose
from shangliang.accounts.verification import code_check, code_send
from shangliang.consultations import door, selectors, services
from shangliang.consultations.models import Consultation, OnlinePost, Participant
from shangliang.consultations.public_forms import DoorMobileForm, DoorSignInForm, OnlinePostForm, SignupForm
from shangliang.consultations.states import ConsultationStatus, ParticipantCategory, SignInVia
from shangliang.core.errors import DomainError
from shangliang.core.forms import add_service_error
from shangliang.core.phones import mask_mobile
from shangliang.core.ratelimits import rate_limited

# The same windows services.sign_in and services.can_post_online enforce; here they only decide
# which buttons and explanations a page shows, the services still refuse on their own.
OPEN_WINDOW = {ConsultationStatus.NOTIFIED, ConsultationStatus.IN_SESSION}
# Rate-limit group (settings.SHANGLIANG_RATE_LIMITS) of signing in, at the door or by the own link.
SIGN_IN_LIMIT = "signin"
# Answering the notice only makes sense before the session starts.
RSVP_WINDOW = {ConsultationStatus.PLANNED, ConsultationStatus.NOTIFIED}
# Attendance is worth showing once people have started arriving.
ATTENDANCE_SHOWN = {ConsultationStatus.IN_SESSION, ConsultationStatus.HELD, ConsultationStatus.CONCLUDED}

# Why someone may not post an opinion; the template words each one.
REFUSED_LOGIN, REFUSED_CLOSED, REFUSED_UNVERIFIED = "login", "closed", "unverified"


def verify_mobile_url(next_url: str) -> str:
    """The page where an account proves its number by SMS code, coming back to ``next_url``."""
    return f"{reverse('accounts:mobile_verify')}?{urlencode({'next': next_url})}"


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


def _for_door_or_404(pk) -> Consultation:
    consultation = Consultation.objects.select_related("topic", "platform").filter(pk=pk, is_archived=False).first()
    if consultation is None:
        raise Http404
    return consultation


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
        signed_in=Count("pk", filter=Q(signed_in_at__isnull=False) & ~Q(signed_in_via="")),
    )


def _author_label(post: OnlinePost) -> str:
    """「居民（138****0001）」: a role and a masked number, never a name."""
    participant = post.participant
    if participant is None or participant.category == ParticipantCategory.RESIDENT:
        role = _("居民")
    else:
        role = participant.get_category_display()
    masked = mask_mobile(post.mobile or post.author.mobile or (participant.mobile if participant else ""))
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
        "verify_online_url": verify_mobile_url(_page_url(consultation, "#online")),
    }


def _page_context(request, consultation: Consultation, *, post_form=None) -> dict:
    user = request.user
    context = {
        "needs_verified_mobile": user.is_authenticated and not user.has_verified_mobile,
        "verify_url": verify_mobile_url(_page_url(consultation)),
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
    if not request.user.has_verified_mobile:
        messages.info(request, _("报名前请先验证手机号，验证后会回到协商页面。"))
        return redirect(verify_mobile_url(_page_url(consultation)))
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


# --- sign-in --------------------------------------------------------------------------------
# A participant signs themselves in only in the sign-in window, and only with a proof: their own
# link (OWN_LINK), or at the door (the QR's code, door.py) their bound account (ACCOUNT) or their
# number proved by an SMS code (CODE). Staff at the desk sign anyone in (session_views).


@require_POST
@rate_limited(SIGN_IN_LIMIT)
def participant_sign_in(request, token):
    """The 签到 button on the participant's own page: the link is the proof."""
    participant = _participant_or_404(token)
    try:
        participant = services.sign_in(participant=participant, actor=None, via=SignInVia.OWN_LINK)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("签到成功（%(time)s）") % {"time": _signed_in_time(participant)})
    return redirect("consultations:participant_page", token=participant.token)


@require_http_methods(["GET", "POST"])
def sign_in_moved(request, pk, token):
    """The old fixed door address (printed on notices before the door code): it signs nobody in."""
    consultation = _for_sign_in_or_404(pk, token)
    return render(request, "consultations/public/sign_in.html", {"consultation": consultation})


def _door_refusal(consultation: Consultation, code: str) -> str:
    """Why the door cannot sign anyone in with ``code`` now, or ""; 404 for a code it never had."""
    verdict = door.check(consultation, code)
    if verdict is door.Verdict.FORGED:
        raise Http404
    refusal = services.self_sign_in_refusal(consultation)
    if refusal or verdict is door.Verdict.VALID:
        return refusal
    if code.startswith(door.DAY):
        return _("这张签到码只限协商当天使用，请扫描会场现场的签到二维码。")
    return _("签到码已更新，请扫描现场屏幕上的二维码。")


def _door_page(request, consultation, code, *, refusal="", form=None, mobile_form=None, sent=None, status=200):
    form = form or DoorSignInForm()
    context = {
        "consultation": consultation,
        "code": code,
        "refusal": refusal,
        "own": selectors.participant_of_account(consultation, request.user),
        "form": form,
        "mobile_field": (mobile_form or form)["mobile"],
        "sent": sent,
        "code_minutes": settings.SHANGLIANG_CODE_MINUTES,
    }
    return render(request, "consultations/public/door.html", context, status=status)


def _signed_in(request, consultation: Consultation, participant: Participant):
    context = {"consultation": consultation, "participant": participant}
    return render(request, "consultations/public/sign_in_done.html", context)


@require_http_methods(["GET", "POST"])
@rate_limited(SIGN_IN_LIMIT)
def door_sign_in(request, pk, code):
    """The page the door QR opens: the bound account's button, or the number with its SMS code."""
    consultation = _for_door_or_404(pk)
    refusal = _door_refusal(consultation, code)
    if refusal or request.method == "GET":
        return _door_page(request, consultation, code, refusal=refusal)
    own = selectors.participant_of_account(consultation, request.user)
    if own is not None and "mobile" not in request.POST:
        try:
            own = services.sign_in(participant=own, actor=request.user, via=SignInVia.ACCOUNT)
        except DomainError as error:
            return _door_page(request, consultation, code, refusal=error.message)
        return _signed_in(request, consultation, own)
    form = DoorSignInForm(request.POST)
    if not form.is_valid():
        return _door_page(request, consultation, code, form=form)
    mobile = form.cleaned_data["mobile"]
    try:
        code_check(mobile=mobile, purpose=CodePurpose.SIGN_IN, code=form.cleaned_data["code"])
    except DomainError as error:
        add_service_error(form, error)
        return _door_page(request, consultation, code, form=form)
    # The code proved the number, so whether it is on the list may be told to its holder.
    participant = consultation.participants.filter(mobile=mobile).first()
    if participant is None:
        context = {"consultation": consultation, "masked_mobile": mask_mobile(mobile)}
        return render(request, "consultations/public/door_not_listed.html", context)
    try:
        participant = services.sign_in(participant=participant, actor=None, via=SignInVia.CODE)
    except DomainError as error:
        return _door_page(request, consultation, code, refusal=error.message)
    return _signed_in(request, consultation, participant)


@require_POST
def door_code(request, pk, code):
    """获取验证码 at the door: text a sign-in code to the typed number (limits in ``code_send``).

    htmx gets the answer shown under the button (``accounts/_code_sent.html``, whose countdown
    static/js/sms-code.js runs): where the code went, or the refusal in red. Without JavaScript the
    whole page comes back, the refusal next to the number.
    """
    consultation = _for_door_or_404(pk)
    refusal = _door_refusal(consultation, code)
    if refusal:
        if request.htmx:
            return HttpResponseClientRedirect(reverse("consultations:door", args=[consultation.pk, code]))
        return _door_page(request, consultation, code, refusal=refusal)
    mobile_form, sent = DoorMobileForm(request.POST), None
    if mobile_form.is_valid():
        try:
            sent = code_send(request, mobile=mobile_form.cleaned_data["mobile"], purpose=CodePurpose.SIGN_IN)
        except DomainError as error:
            add_service_error(mobile_form, error)
    if request.htmx:
        # The answer under the button, as accounts' own code requests give it.
        error = next(iter(mobile_form.errors.values()))[0] if mobile_form.errors else ""
        context = {"sent": sent, "error": error, "minutes": settings.SHANGLIANG_CODE_MINUTES}
        return render(request, "accounts/_code_sent.html", context)
    return _door_page(request, consultation, code, mobile_form=mobile_form, sent=sent)
