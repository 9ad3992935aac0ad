"""Public pages for residents: report a matter, track it, browse and support approved topics.

Phones inside WeChat are the main audience, so every page works without JavaScript and htmx only
saves a round trip, except asking for the SMS code of a named submission, which needs the script
WeChat's browser runs (an anonymous submission needs no code). Nothing here shows a submitter's or a
staff member's name or number.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from shangliang.core.errors import DomainError
from shangliang.core.forms import add_service_error
from shangliang.core.links import absolute_url
from shangliang.core.qr import qr_response
from shangliang.core.ratelimits import rate_limited
from shangliang.orgs.models import Platform
from shangliang.orgs.selectors import grids_of
from shangliang.topics import linkage, selectors, services, tracking
from shangliang.topics.public_forms import PoolFilterForm, SubmissionForm, TrackForm
from shangliang.topics.states import ExclusionReason, SubmissionStatus

PAGE_SIZE = 20


def _platform_or_404(platform_pk) -> Platform | None:
    if platform_pk is None:
        return None
    platform = Platform.objects.filter(pk=platform_pk, is_archived=False).select_related("region").first()
    if platform is None:
        raise Http404
    return platform


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _submit_url(request, platform: Platform) -> str:
    return absolute_url(reverse("topics:submit_platform", args=[platform.pk]), request)


# --- reporting a matter --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@rate_limited("submit")
def submit(request, platform_pk=None):
    platform = _platform_or_404(platform_pk)
    if request.method != "POST":
        form = SubmissionForm(platform=platform, user=request.user)
        return render(request, "topics/public/submit.html", {"form": form, "platform": platform})
    form = SubmissionForm(request.POST, request.FILES, platform=platform, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = services.submission_submit(
                actor=request.user if request.user.is_authenticated else None,
                code=data["code"],
                platform=platform,
                region=data["region"],
                grid=data["grid"],
                location_detail=data["location_detail"],
                category=data["category"],
                title=data["title"],
                content=data["content"],
                is_anonymous=form.is_anonymous,
                submitter_name=data["submitter_name"],
                submitter_mobile=data["submitter_mobile"],
                photos=data["photos"],
                client_token=data["client_token"],
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            code = created.submission.tracking_code
            return redirect(reverse("topics:track_detail", args=[code]) + "?new=1")
    return render(request, "topics/public/submit.html", {"form": form, "platform": platform})


@require_GET
def grid_options(request):
    return render(request, "topics/public/_grid_options.html", {"grids": grids_of(request.GET.get("region"))})


# --- platform QR code and poster -----------------------------------------------------------


@require_GET
def platform_qr(request, platform_pk, fmt):
    platform = _platform_or_404(platform_pk)
    download = f"submit-qr-{platform.pk}" if request.GET.get("download") else None
    return qr_response(_submit_url(request, platform), fmt, download_name=download)


@require_GET
def platform_poster(request, platform_pk):
    platform = _platform_or_404(platform_pk)
    context = {
        "platform": platform,
        "submit_url": _submit_url(request, platform),
        # What cannot be taken up (the eight exclusions of the screening), so no one scans in vain.
        "exclusions": ExclusionReason.labels,
    }
    return render(request, "topics/public/poster.html", context)


# --- tracking ------------------------------------------------------------------------------


@require_GET
@rate_limited("track", methods=("GET",))
def track(request):
    form = TrackForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        submission = selectors.submission_get_by_code(form.cleaned_data["code"])
        if submission is not None:
            return redirect("topics:track_detail", code=submission.tracking_code)
        form.add_error("code", _("没有找到这个查询码，请核对后再试。"))
    return render(request, "topics/public/track.html", {"form": form})


@require_GET
@rate_limited("track", methods=("GET",))
def track_detail(request, code):
    submission = selectors.submission_get_by_code(code)
    if submission is None:
        raise Http404
    if code != submission.tracking_code:
        # One address per matter, whatever case or spacing was typed.
        url = reverse("topics:track_detail", args=[submission.tracking_code])
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    context = {
        "submission": submission,
        "is_new": request.GET.get("new") == "1",
        "track_url": absolute_url(reverse("topics:track"), request),
        # The whole chain, from the submission to the rating; the history of every status below it.
        "thread": tracking.thread_of(submission, request.user),
        "timeline": selectors.tracking_timeline(submission),
        "replies": list(submission.replies.all()),
        "is_excluded": submission.status == SubmissionStatus.EXCLUDED,
    }
    return render(request, "topics/public/track_detail.html", context)


@login_required
@require_GET
def my_submissions(request):
    page = _page(request, selectors.submissions_of(request.user))
    return render(request, "topics/public/my_submissions.html", {"page": page})


# --- the public pool of approved topics ----------------------------------------------------


@require_GET
def pool(request):
    form = PoolFilterForm(request.GET)
    # Regions are listed on every card; fetched for the whole page in one query.
    topics = selectors.pool_topics(region=form.region, q=form.cleaned_data.get("q") or "")
    return render(request, "topics/public/pool.html", {"form": form, "page": _page(request, topics)})


def _pool_topic_or_404(pk):
    topic = selectors.pool_topic_get(pk)
    if topic is None:
        raise Http404
    return topic


@require_GET
def pool_topic(request, pk):
    topic = selectors.pool_topic_get(pk)
    if topic is None:
        # 镇村联动: a village topic handed up to the township leads to the township topic once approved.
        if (successor := linkage.public_successor(pk)) is not None:
            return redirect("topics:pool_topic", pk=successor.pk)
        raise Http404
    context = {
        "topic": topic,
        # Its consultation's public page and results, once they exist.
        "later": tracking.later_stages(topic, request.user),
        **selectors.user_relation_to_topic(request.user, topic),
    }
    return render(request, "topics/public/pool_topic.html", context)


def _login_first(request, pk):
    topic_url = reverse("topics:pool_topic", args=[pk])
    if request.htmx:
        # A redirect followed inside htmx would paste the login page into the buttons.
        login = redirect_to_login(topic_url)
        return HttpResponseClientRedirect(login["Location"])
    return redirect_to_login(topic_url)


def _after_action(request, topic, notice: str, *, is_error: bool = False):
    """htmx gets the refreshed buttons with the notice inside; a plain POST goes back with a message."""
    if request.htmx:
        topic = _pool_topic_or_404(topic.pk)
        context = {
            "topic": topic,
            "notice": notice,
            "notice_is_error": is_error,
            **selectors.user_relation_to_topic(request.user, topic),
        }
        return render(request, "topics/public/_topic_actions.html", context)
    (messages.info if is_error else messages.success)(request, notice)
    return redirect("topics:pool_topic", pk=topic.pk)


@require_POST
@rate_limited("support")
def pool_support(request, pk):
    if not request.user.is_authenticated:
        return _login_first(request, pk)
    topic = _pool_topic_or_404(pk)
    try:
        services.topic_support(user=request.user, topic=topic)
    except DomainError as error:
        return _after_action(request, topic, error.message, is_error=True)
    return _after_action(request, topic, _("感谢您的支持！"))


@require_POST
@rate_limited("support")
def pool_follow(request, pk):
    if not request.user.is_authenticated:
        return _login_first(request, pk)
    topic = _pool_topic_or_404(pk)
    action = request.POST.get("action")
    if action not in ("follow", "unfollow"):
        # Old pages without the field still toggle.
        following = selectors.user_relation_to_topic(request.user, topic)["following"]
        action = "unfollow" if following else "follow"
    # An explicit action makes a double tap harmless: following twice is still following.
    if action == "follow":
        services.topic_follow(user=request.user, topic=topic)
        return _after_action(request, topic, _("已关注这个议题。"))
    services.topic_unfollow(user=request.user, topic=topic)
    return _after_action(request, topic, _("已取消关注。"))
