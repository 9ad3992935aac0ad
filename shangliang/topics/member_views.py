"""Pages of matters brought to a member: a resident sends one from the member's page, the member logs one
for a resident, and the member follows them ("群众向我反映的事项")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shangliang.core.errors import DomainError
from shangliang.core.forms import add_service_error
from shangliang.core.params import parse_id
from shangliang.core.ratelimits import rate_limited
from shangliang.topics import member_matters
from shangliang.topics.member_forms import ProblemLogForm
from shangliang.topics.public_forms import SubmissionForm


@require_http_methods(["GET", "POST"])
@rate_limited("submit")
def member_send(request, code):
    """向委员反映: the public submission form, sent through the member to the station they serve."""
    member = member_matters.member_by_code(code)
    if member is None:
        raise Http404
    choices = member_matters.routes(member)
    context = {"member": member, "choices": choices}
    if not choices:
        return render(request, "topics/public/member_send.html", context)
    chosen = parse_id(request.GET.get("platform"))
    platform = next((p for p in choices if p.pk == chosen), None)
    if platform is None and len(choices) == 1:
        platform = choices[0]
    if platform is None:
        # Several stations: the resident picks where it goes first.
        return render(request, "topics/public/member_send.html", context)
    context["platform"] = platform
    if request.method != "POST":
        context["form"] = SubmissionForm(platform=platform, user=request.user)
        return render(request, "topics/public/submit.html", context)
    form = SubmissionForm(request.POST, request.FILES, platform=platform, user=request.user)
    context["form"] = form
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = member_matters.matter_send(
                actor=request.user if request.user.is_authenticated else None,
                member=member,
                platform=platform,
                code=data["code"],
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
            return redirect(reverse("topics:track_detail", args=[created.submission.tracking_code]) + "?new=1")
    return render(request, "topics/public/submit.html", context)


def _own_member_or_403(user):
    member = member_matters.own_member(user)
    if member is None:
        raise PermissionDenied
    return member


@login_required
@require_http_methods(["GET", "POST"])
def member_log(request):
    """代群众反映: the member records a resident's problem; it goes to the station's screening."""
    member = _own_member_or_403(request.user)
    platforms = member_matters.routes(member)
    if not platforms:
        return render(request, "topics/member_log.html", {"member": member, "form": None})
    form = ProblemLogForm(request.POST or None, platforms=platforms)
    if request.method == "POST" and form.is_valid():
        try:
            created = member_matters.problem_log(actor=request.user, member=member, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("已转交站点筛查，查询码 %(code)s，可告知群众凭码查询进展。")
                % {"code": created.submission.tracking_code},
            )
            return redirect("topics:relayed")
    return render(
        request, "topics/member_log.html", {"member": member, "form": form}, status=400 if form.errors else 200
    )


@login_required
@require_GET
def relayed(request):
    """群众向我反映的事项: what residents sent through the member and what the member logged, with status."""
    member = _own_member_or_403(request.user)
    page = Paginator(member_matters.relayed_to(member), 20).get_page(request.GET.get("page"))
    return render(request, "topics/relayed.html", {"member": member, "page": page})
