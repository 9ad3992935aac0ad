"""Staff pages of the topic stage: queues, screening, merging, verification, drafting, approval."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shangliang.core.errors import DomainError
from shangliang.core.form_tokens import submitted_once
from shangliang.core.views import form_page, reloaded
from shangliang.orgs.access import staff_required
from shangliang.orgs.models import Platform
from shangliang.orgs.permissions import platforms_visible_to, regions_visible_to
from shangliang.topics import linkage, permissions, routing, selectors, services
from shangliang.topics.forms import (
    DecisionForm,
    QueueFilterForm,
    RecommendForm,
    ReopenForm,
    ReplyForm,
    ScreenForm,
    StaffSubmissionForm,
    TopicForm,
    VerificationForm,
)
from shangliang.topics.models import Submission
from shangliang.topics.settle_views import SettleForm
from shangliang.topics.states import CRITERIA, OPEN_SUBMISSION_STATUSES, ApprovalRouteKind, Source, TopicStatus

PAGE_SIZE = 30
TABS = ("submissions", "topics", "approve")


@staff_required
def queue(request):
    waiting = selectors.waiting_counts(request.user)
    default_tab = "approve" if waiting.to_approve and not waiting.to_screen else "submissions"
    tab = request.GET.get("tab") or default_tab
    if tab not in TABS:
        tab = "submissions"
    regions = regions_visible_to(request.user)
    form = QueueFilterForm(request.GET or None, tab=tab, regions=regions)
    filters = selectors.QueueFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.QueueFilters(
            status=data["status"],
            source=data["source"],
            category=data["category"].pk if data["category"] else None,
            region=data["region"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            q=data["q"],
        )
        # A tracking code read out on the phone opens that submission (if this user may see it).
        if found := selectors.submission_by_code_for(request.user, filters.q):
            return redirect("topics:submission_detail", pk=found.pk)
    if tab == "submissions":
        rows = selectors.submission_list_for(request.user, filters)
    elif tab == "topics":
        rows = selectors.topic_list_for(request.user, filters)
    else:
        rows = selectors.topics_to_approve(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    if tab == "submissions":
        rules = selectors.active_rules()
        for submission in page:
            submission.flags = selectors.exclusion_flags(submission, rules)
    context = {
        "tab": tab,
        "form": form,
        "page": page,
        "waiting": waiting,
        "can_record": permissions.can_record_submission(request.user),
        "is_member": permissions.member_of(request.user) is not None,
    }
    return render(request, "topics/queue.html", context)


def _staff_submission_form(request, data=None, files=None):
    return StaffSubmissionForm(
        data,
        files,
        regions=regions_visible_to(request.user),
        platforms=platforms_visible_to(request.user),
        can_assign=permissions.can_assign_topic(request.user),
    )


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def submission_new(request):
    if not (permissions.can_record_submission(request.user) or permissions.can_assign_topic(request.user)):
        raise PermissionDenied
    form = _staff_submission_form(request, request.POST or None, request.FILES or None)

    def create(data):
        if data["source"] != Source.GOVERNMENT and not permissions.can_record_submission(request.user):
            raise PermissionDenied
        return services.submission_create(
            actor=request.user,
            source=data["source"],
            region=data["region"],
            category=data["category"],
            title=data["title"],
            content=data["content"],
            location_detail=data["location_detail"],
            platform=data["platform"],
            is_anonymous=not data["submitter_mobile"],
            submitter_name=data["submitter_name"],
            submitter_mobile=data["submitter_mobile"],
            photos=data["photos"],
            assigning_unit=data.get("assigning_unit"),
        )

    return form_page(
        request,
        form,
        create,
        success=lambda created: _("已登记，查询码 %(code)s。") % {"code": created.submission.tracking_code},
        then=lambda created: reverse("topics:submission_detail", args=[created.submission.pk]),
        template="topics/submission_new.html",
        context={"form": form},
    )


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def recommend(request):
    member = permissions.member_of(request.user)
    if member is None:
        raise PermissionDenied
    platforms = Platform.objects.filter(
        is_archived=False, member_assignments__member=member, member_assignments__ended_on__isnull=True
    )
    form = RecommendForm(request.POST or None, platforms=platforms)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = services.submission_create(
            actor=request.user,
            source=Source.MEMBER,
            member=member,
            region=data["region"],
            category=data["category"],
            title=data["title"],
            content=data["content"],
            platform=data["platform"],
            is_anonymous=True,
        )
        messages.success(request, _("荐题已提交，查询码 %(code)s。") % {"code": created.submission.tracking_code})
        return redirect("topics:submission_detail", pk=created.submission.pk)
    mine = Submission.objects.filter(member=member).select_related("topic").order_by("-created_at")[:20]
    return render(request, "topics/recommend.html", {"form": form, "member": member, "mine": mine})


def _submission_context(request, submission, **forms):
    can_screen = permissions.can_screen_submission(request.user, submission)
    is_open = submission.status in OPEN_SUBMISSION_STATUSES
    return {
        "submission": submission,
        "can_screen": can_screen,
        "flags": selectors.exclusion_flags(submission, selectors.active_rules()),
        "similar": selectors.similar_submissions(submission) if can_screen and is_open else [],
        "screen_form": forms.get("screen_form") or ScreenForm(),
        "reply_form": forms.get("reply_form") or ReplyForm(),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
        "settle_form": SettleForm(),
        "replies": submission.replies.select_related("author"),
        "photos": submission.photos.all(),
        "merged": submission.merged.select_related("region"),
        "timeline": selectors.tracking_timeline(submission),
        "explanation": selectors.exclusion_explanation(submission),
    }


@staff_required
def submission_detail(request, pk):
    submission = permissions.get_submission_for_view(request.user, pk)
    return render(request, "topics/submission_detail.html", _submission_context(request, submission))


@staff_required
@require_POST
def submission_screen(request, pk):
    submission = permissions.get_submission_for_screening(request.user, pk)
    form = ScreenForm(request.POST)
    page = reverse("topics:submission_detail", args=[pk])
    return form_page(
        request,
        form,
        lambda data: services.submission_screen(actor=request.user, submission=submission, **data),
        success=_("筛查结论已记录。"),
        then=page,
        reload=page,  # someone else screened it meanwhile
        template="topics/submission_detail.html",
        context=lambda: _submission_context(request, reloaded(submission), screen_form=form),
        status=400,
    )


@staff_required
@require_POST
def submission_reopen(request, pk):
    submission = permissions.get_submission_for_screening(request.user, pk)
    form = ReopenForm(request.POST)
    return form_page(
        request,
        form,
        lambda data: services.submission_reopen(actor=request.user, submission=submission, **data),
        success=_("已退回待筛查。"),
        then=reverse("topics:submission_detail", args=[pk]),
        template="topics/submission_detail.html",
        context=lambda: _submission_context(request, submission, reopen_form=form),
        status=400,
    )


@staff_required
@require_POST
def submission_merge(request, pk):
    submission = permissions.get_submission_for_screening(request.user, pk)
    try:
        into = permissions.get_submission_for_screening(request.user, request.POST.get("into"))
    except Http404:
        messages.error(request, _("找不到要合并到的诉求。"))
        return redirect("topics:submission_detail", pk=pk)
    try:
        services.submission_merge(actor=request.user, submission=submission, into=into)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已合并到 %(code)s。") % {"code": into.tracking_code})
    return redirect("topics:submission_detail", pk=pk)


@staff_required
@require_POST
@submitted_once
def submission_reply(request, pk):
    submission = permissions.get_submission_for_screening(request.user, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        services.reply_add(actor=request.user, submission=submission, text=form.cleaned_data["text"])
        messages.success(request, _("答复已发送，群众可凭查询码查看。"))
        return redirect("topics:submission_detail", pk=pk)
    context = _submission_context(request, submission, reply_form=form)
    return render(request, "topics/submission_detail.html", context, status=400)


@staff_required
@require_POST
def topic_draft(request, pk):
    submission = permissions.get_submission_for_screening(request.user, pk)
    try:
        topic = services.topic_draft_from_submission(actor=request.user, submission=submission)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("topics:submission_detail", pk=pk)
    messages.success(request, _("已开始拟定议题，请填写核实情况并完善议题。"))
    return redirect("topics:topic_detail", pk=topic.pk)


def _topic_context(request, topic, **forms):
    editable = topic.status in {TopicStatus.DRAFT, TopicStatus.RETURNED}
    can_edit = permissions.can_edit_topic(request.user, topic)
    can_approve = permissions.can_approve_topic(request.user, topic)
    route, meeting_required = routing.route_for(topic)
    history = topic.history.select_related("history_user").order_by("history_date", "history_id")
    return {
        "topic": topic,
        "regions": topic.regions.order_by("path"),
        "submissions": topic.submissions.select_related("region").order_by("created_at"),
        "verifications": topic.verifications.prefetch_related("photos"),
        "supporter_count": topic.supports.count(),
        # 党政所需、群众所盼、政协所能、委员所为: what the drafter recorded, for the approver to weigh.
        "criteria": [(getattr(topic, field), label) for field, label in CRITERIA.items()],
        "can_edit": can_edit and editable,
        "can_approve": can_approve and topic.status == TopicStatus.PENDING,
        "is_organiser": can_edit,
        "approver_label": ApprovalRouteKind(route).label,
        "meeting_required": meeting_required,
        "verification_form": forms.get("verification_form") or VerificationForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(party_meeting_required=meeting_required),
        "timeline": selectors.topic_timeline(history),
        # 镇村联动: handed up from a village, or handed up to the township (and the button to do it).
        "linkage": linkage.topic_linkage(request.user, topic),
    }


@staff_required
def topic_detail(request, pk):
    topic = permissions.get_topic_for_view(request.user, pk)
    return render(request, "topics/topic_detail.html", _topic_context(request, topic))


@staff_required
@require_http_methods(["GET", "POST"])
def topic_edit(request, pk):
    topic = permissions.get_topic_for_edit(request.user, pk)
    form = TopicForm(
        request.POST or None,
        instance=topic,
        regions=regions_visible_to(request.user),
        platforms=platforms_visible_to(request.user),
    )
    return form_page(
        request,
        form,
        lambda data: services.topic_update(actor=request.user, topic=topic, **data),
        success=_("议题已保存。"),
        then=reverse("topics:topic_detail", args=[pk]),
        template="topics/topic_form.html",
        context=lambda: {"form": form, "topic": reloaded(topic)},
    )


@staff_required
@require_POST
@submitted_once
def verification_add(request, pk):
    topic = permissions.get_topic_for_edit(request.user, pk)
    form = VerificationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.verification_add(actor=request.user, topic=topic, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("topics:topic_detail", pk=pk)
        else:
            messages.success(request, _("核实记录已保存。"))
            return redirect("topics:topic_detail", pk=pk)
    context = _topic_context(request, topic, verification_form=form)
    return render(request, "topics/topic_detail.html", context, status=400)


@staff_required
@require_POST
def topic_submit(request, pk):
    topic = permissions.get_topic_for_edit(request.user, pk)
    try:
        services.topic_submit(actor=request.user, topic=topic)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已提交审定。"))
    return redirect("topics:topic_detail", pk=pk)


# The approver's choice on the decision form, and the service that records it.
DECISION_SERVICES = {
    "approve": services.topic_approve,
    "reject": services.topic_reject,
    "return": services.topic_return,
}


def _decide(user, topic, data):
    if data["decision"] != "approve":
        return DECISION_SERVICES[data["decision"]](actor=user, topic=topic, note=data["note"])
    approval = {name: data[name] for name in ("needs_hearing", *DecisionForm.MEETING_FIELDS)}
    return services.topic_approve(actor=user, topic=topic, note=data["note"], **approval)


@staff_required
@require_POST
def topic_decide(request, pk):
    topic = permissions.get_topic_for_approval(request.user, pk)
    form = DecisionForm(request.POST, party_meeting_required=routing.route_for(topic)[1])
    page = reverse("topics:topic_detail", args=[pk])
    return form_page(
        request,
        form,
        lambda data: _decide(request.user, topic, data),
        success=_("审定结果已记录。"),
        then=page,
        reload=page,  # another approver decided meanwhile
        template="topics/topic_detail.html",
        context=lambda: _topic_context(request, reloaded(topic), decision_form=form),
        status=400,
    )
