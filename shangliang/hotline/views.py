"""Hotline pages: the overview with the hot issues, map and trend; imports; records; hot issues; sources."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shangliang.core import jobs
from shangliang.core.errors import DomainError
from shangliang.core.form_tokens import submitted_once
from shangliang.core.models import BackgroundJob
from shangliang.core.phones import mask_mobile
from shangliang.core.views import form_page, run_action
from shangliang.hotline import imports, permissions, selectors, services
from shangliang.hotline.forms import (
    CategoryForm,
    DismissForm,
    MappingForm,
    MergeForm,
    PlaceForm,
    SourceForm,
    SplitForm,
    TopicForm,
    UploadForm,
)
from shangliang.hotline.models import Classifier, HotIssue, Record
from shangliang.hotline.states import FIELDS, IssueStatus
from shangliang.orgs.access import staff_required
from shangliang.orgs.models import Region
from shangliang.orgs.permissions import regions_visible_to
from shangliang.orgs.selectors import district_pk

PAGE_SIZE = 30
# The parts of a hot issue's heat (``grouping.heat``), in words.
HEAT_PARTS = {
    "people": gettext_lazy("诉求人数"),
    "records": gettext_lazy("记录数"),
    "support": gettext_lazy("点赞支持"),
    "span": gettext_lazy("持续时间"),
    "recency": gettext_lazy("近期仍有反映"),
    "growth": gettext_lazy("近期增多"),
}
JOB_KIND = "hotline_import"


def _reader(request) -> None:
    if not permissions.can_read(request.user):
        raise PermissionDenied


def _manager(request) -> None:
    if not permissions.can_manage(request.user):
        raise PermissionDenied


def _root(user) -> Region | None:
    """The widest region the user reads (the district for its office, the township for a station)."""
    regions = regions_visible_to(user).order_by("depth", "path")
    return regions.first()


# --- the overview ------------------------------------------------------------------------------


@staff_required
@require_GET
def overview(request):
    _reader(request)
    records = permissions.records_visible_to(request.user)
    issues = permissions.issues_visible_to(request.user)
    root = _root(request.user)
    context = {
        "figures": selectors.figures(records, issues),
        "top": list(selectors.open_issues(issues)[: selectors.TOP_ISSUES]),
        "chart": {
            "tree": selectors.place_tree(records, root) if root else {},
            "months": selectors.monthly(records),
        },
        "can_manage": permissions.can_manage(request.user),
        "can_train": permissions.can_train(request.user),
        "classifier": services.active_classifier(),
    }
    return render(request, "hotline/overview.html", context)


# --- importing ---------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def upload(request):
    _manager(request)
    sources = permissions.sources_managed_by(request.user).filter(is_archived=False)
    form = UploadForm(request.POST or None, request.FILES or None, sources=sources)
    if request.method == "POST" and form.is_valid():
        job = BackgroundJob.objects.create(
            kind=JOB_KIND,
            created_by=request.user,
            payload={"source": form.cleaned_data["source"].pk, "name": form.cleaned_data["file"].name[:100]},
            upload=form.cleaned_data["file"],
        )
        return redirect("hotline:preview", pk=job.pk)
    recent = BackgroundJob.objects.filter(kind=JOB_KIND, created_by=request.user).order_by("-created_at")[:10]
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "recent": recent, "has_sources": sources.exists()}
    return render(request, "hotline/upload.html", context, status=status)


def _job(request, pk) -> BackgroundJob:
    job = permissions.get_or_404(BackgroundJob.objects.filter(kind=JOB_KIND, created_by=request.user), pk)
    return job


def _source_of(request, job):
    source = permissions.sources_managed_by(request.user).filter(pk=job.payload.get("source")).first()
    if source is None:
        raise Http404
    return source


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def preview(request, pk):
    """The file's columns mapped to the fields, and its first rows as they would be read; then start."""
    _manager(request)
    job = _job(request, pk)
    if job.status != "queued" or not job.upload:
        return redirect("hotline:job", pk=job.pk)
    source = _source_of(request, job)
    try:
        with job.upload.open("rb") as file:
            data = file.read()
        header, rows = imports.read_table(job.payload.get("name", ""), data)
    except (DomainError, OSError) as error:
        message = getattr(error, "message", _("无法读取上传的文件，请重新上传。"))
        return render(request, "hotline/preview.html", {"job": job, "source": source, "refused": message}, status=400)
    initial = source.mapping or imports.guess_mapping(header)
    form = MappingForm(request.POST or None, header=header, initial=initial)
    problems = []
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        problems = imports.check_mapping(mapping, header)
        if not problems:
            source.mapping = mapping
            services.source_save(actor=request.user, source=source)
            jobs.job_launch(job)
            return redirect("hotline:job", pk=job.pk)
    mapping = form.mapping() if form.is_bound and form.is_valid() else initial
    outcome = imports.Outcome()
    sample = []
    for number, cells in imports.mapped_rows(header, rows, mapping):
        parsed = imports.parse_row(number, cells, mapping, outcome)
        sample.append({"number": number, "cells": cells, "ok": parsed is not None})
        if len(sample) >= imports.PREVIEW_ROWS:
            break
    context = {
        "job": job,
        "source": source,
        "form": form,
        "problems": problems,
        "fields": [(name, FIELDS[name]) for name in FIELDS if name in mapping],
        "sample": sample,
        "errors": outcome.errors,
    }
    return render(request, "hotline/preview.html", context, status=400 if problems else 200)


@staff_required
@require_GET
def job_page(request, pk):
    _manager(request)
    job = _job(request, pk)
    template = "hotline/_job.html" if request.htmx else "hotline/job.html"
    return render(request, template, {"job": job})


@jobs.register(JOB_KIND)
def _run_import(job: BackgroundJob) -> dict:
    from shangliang.hotline.models import Source

    source = Source.objects.get(pk=job.payload["source"])
    with job.upload.open("rb") as file:
        data = file.read()
    return imports.run_import(job, source, data, job.payload.get("name", ""), services.write_batch, services.group_new)


# --- records -----------------------------------------------------------------------------------


def _with_phone(user, record: Record) -> Record:
    record.phone_shown = (
        record.reporter_phone if permissions.shows_phone(user, record) else mask_mobile(record.reporter_phone)
    )
    return record


@staff_required
@require_GET
def records(request):
    _reader(request)
    qs = permissions.records_visible_to(request.user).select_related("region", "category", "issue")
    review = request.GET.get("place") == "review"
    if review:
        qs = selectors.review_queue(qs)
    low = request.GET.get("reply") == "low"
    if low:
        qs = selectors.low_replies(qs)
    query = request.GET.get("q", "").strip()[:50].replace("\x00", "")
    if query:
        qs = qs.filter(text__icontains=query)
    page = Paginator(qs.order_by("-received_at", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "review": review, "low": low, "query": query}
    return render(request, "hotline/records.html", context)


@staff_required
@require_GET
def record_detail(request, pk):
    _reader(request)
    record = permissions.get_or_404(
        permissions.records_visible_to(request.user).select_related("region", "category", "issue", "source"), pk
    )
    _with_phone(request.user, record)
    can_correct = permissions.can_correct(request.user, record)
    context = {
        "record": record,
        "can_correct": can_correct,
        "place_form": PlaceForm(regions=regions_visible_to(request.user), initial={"region": record.region_id}),
        "category_form": CategoryForm(initial={"category": record.category_id}),
        "history": record.history.select_related("history_user").order_by("-history_date")[:10],
    }
    return render(request, "hotline/record.html", context)


def _record_for_change(request, pk) -> Record:
    record = permissions.get_or_404(permissions.records_visible_to(request.user), pk)
    if not permissions.can_correct(request.user, record):
        raise PermissionDenied
    return record


@staff_required
@require_POST
def record_place(request, pk):
    record = _record_for_change(request, pk)
    form = PlaceForm(request.POST, regions=regions_visible_to(request.user))
    if not form.is_valid():
        messages.error(request, _("请选择本区的村（社区）或网格。"))
        return redirect("hotline:record", pk=record.pk)
    return run_action(
        request,
        lambda: services.place_confirm(actor=request.user, record=record, region=form.cleaned_data["region"]),
        success=_("地点已核对。地址中的路名、小区名已记住，以后自动匹配。"),
        then=reverse("hotline:record", args=[record.pk]),
    )


@staff_required
@require_POST
def record_category(request, pk):
    record = _record_for_change(request, pk)
    form = CategoryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择类别。"))
        return redirect("hotline:record", pk=record.pk)
    return run_action(
        request,
        lambda: services.category_correct(actor=request.user, record=record, category=form.cleaned_data["category"]),
        success=_("类别已校正，下次训练模型时会用到。"),
        then=reverse("hotline:record", args=[record.pk]),
    )


# --- hot issues --------------------------------------------------------------------------------


@staff_required
@require_GET
def issue_list(request):
    _reader(request)
    issues = permissions.issues_visible_to(request.user)
    status = request.GET.get("status", IssueStatus.OPEN)
    if status not in IssueStatus.values:
        status = IssueStatus.OPEN
    qs = issues.filter(status=status).select_related("region", "category", "submission__topic").order_by("-heat", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "hotline/issues.html", {"page": page, "status": status, "statuses": IssueStatus.choices})


def _issue(request, pk) -> HotIssue:
    return permissions.get_or_404(
        permissions.issues_visible_to(request.user).select_related("region", "category", "submission", "merged_into"),
        pk,
    )


@staff_required
@require_GET
def issue_detail(request, pk):
    _reader(request)
    issue = _issue(request, pk)
    records = list(
        permissions.records_visible_to(request.user)
        .filter(issue=issue)
        .select_related("region")
        .order_by("received_at")
    )
    for record in records:
        _with_phone(request.user, record)
    can_work = permissions.can_work_issue(request.user, issue) and issue.status == IssueStatus.OPEN
    others = (
        permissions.issues_visible_to(request.user)
        .filter(status=IssueStatus.OPEN, owner_region=issue.owner_region)
        .exclude(pk=issue.pk)
    )
    context = {
        "issue": issue,
        "records": records,
        "can_work": can_work,
        "merge_form": MergeForm(issues=others.order_by("-heat")[:200]),
        "split_form": SplitForm(),
        "dismiss_form": DismissForm(),
        "months": selectors.monthly(Record.objects.filter(issue=issue)),
        "heat_parts": [(HEAT_PARTS.get(key, key), value) for key, value in (issue.heat_parts or {}).items() if value],
    }
    return render(request, "hotline/issue.html", context)


def _topic_initial(issue: HotIssue) -> dict:
    """The submission's title, village and category, taken from the hot issue."""
    region = issue.region
    village = region.parent if region is not None and region.level == "grid" else region
    if village is not None and village.level != "village":
        village = None
    return {"title": issue.title[:60], "region": village.pk if village else None, "category": issue.category_id}


def _issue_for_work(request, pk) -> HotIssue:
    issue = _issue(request, pk)
    if not permissions.can_work_issue(request.user, issue):
        raise PermissionDenied
    return issue


@staff_required
@require_POST
def issue_merge(request, pk):
    issue = _issue_for_work(request, pk)
    others = permissions.issues_visible_to(request.user).filter(status=IssueStatus.OPEN).exclude(pk=issue.pk)
    form = MergeForm(request.POST, issues=others)
    if not form.is_valid():
        messages.error(request, _("请选择要并入的热点。"))
        return redirect("hotline:issue", pk=issue.pk)
    into = form.cleaned_data["into"]
    return run_action(
        request,
        lambda: services.issues_merge(actor=request.user, issue=issue, into=into),
        success=_("已合并。"),
        then=reverse("hotline:issue", args=[into.pk]),
    )


@staff_required
@require_POST
def issue_split(request, pk):
    issue = _issue_for_work(request, pk)
    form = SplitForm(request.POST)
    ids = [value for value in request.POST.getlist("records") if value.isdigit() and len(value) < 12]
    chosen = list(Record.objects.filter(issue=issue, pk__in=ids))
    if not form.is_valid():
        messages.error(request, _("标题不能超过200字。"))
        return redirect("hotline:issue", pk=issue.pk)
    try:
        new = services.issue_split(actor=request.user, issue=issue, records=chosen, title=form.cleaned_data["title"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("hotline:issue", pk=issue.pk)
    messages.success(request, _("已拆分为新的热点。"))
    return redirect("hotline:issue", pk=new.pk)


@staff_required
@require_POST
def issue_dismiss(request, pk):
    issue = _issue_for_work(request, pk)
    form = DismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请说明不作为议题的理由。"))
        return redirect("hotline:issue", pk=issue.pk)
    return run_action(
        request,
        lambda: services.issue_dismiss(actor=request.user, issue=issue, note=form.cleaned_data["note"]),
        success=_("已标记为不作为议题。"),
        then=reverse("hotline:issue", args=[issue.pk]),
    )


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def issue_topic(request, pk):
    """Make the hot issue a submission for the station's screening queue."""
    issue = _issue_for_work(request, pk)
    if issue.status != IssueStatus.OPEN:
        raise Http404
    form = TopicForm(request.POST or None, regions=regions_visible_to(request.user), initial=_topic_initial(issue))

    def make(data):
        return services.issue_to_topic(actor=request.user, issue=issue, **data)

    return form_page(
        request,
        form,
        make,
        success=_("已转为群众诉求，进入议题征集的筛选队列。"),
        then=lambda made: reverse("topics:submission_detail", args=[made.submission_id]),
        template="hotline/issue_topic.html",
        context=lambda: {"issue": issue, "form": form, "summary": services.issue_summary(issue)},
        status=400 if request.method == "POST" else 200,
    )


# --- the model ---------------------------------------------------------------------------------


@staff_required
@require_GET
def model_page(request):
    _reader(request)
    versions = Classifier.objects.defer("model").select_related("trained_by")[:20]
    texts, labels = services.training_set()
    return render(
        request,
        "hotline/model.html",
        {"versions": versions, "training": len(texts), "can_train": permissions.can_train(request.user)},
    )


@staff_required
@require_POST
def model_train(request):
    if not permissions.can_train(request.user):
        raise PermissionDenied
    try:
        trained = services.classifier_train(actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        macro = trained.figures.get("macro_f1")
        messages.success(
            request, _("已训练模型 v%(v)s（交叉验证 macro-F1 %(f)s）。") % {"v": trained.version, "f": macro}
        )
    return redirect("hotline:model")


# --- sources -----------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def sources(request):
    _manager(request)
    rows = permissions.sources_managed_by(request.user).select_related("region")
    regions = regions_visible_to(request.user).filter(level__in=["district", "township"])
    form = SourceForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        source = form.save(commit=False)
        try:
            services.source_save(actor=request.user, source=source)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已新建数据来源。"))
            return redirect("hotline:sources")
    status = 400 if request.method == "POST" else 200
    return render(request, "hotline/sources.html", {"rows": rows, "form": form}, status=status)


@staff_required
@require_POST
def source_token(request, pk):
    _manager(request)
    source = permissions.get_or_404(permissions.sources_managed_by(request.user), pk)
    token = services.source_new_token(actor=request.user, source=source)
    return render(
        request, "hotline/token.html", {"source": source, "token": token, "district": district_pk(source.region)}
    )


@staff_required
@require_POST
def record_send(request, pk):
    """Send the record's result back to the hotline system now."""
    from shangliang.hotline import api

    record = _record_for_change(request, pk)
    if api.send_result(actor=request.user, record=record):
        messages.success(request, _("办理结果已回传热线系统。"))
    else:
        messages.error(request, _("回传失败：未设置回传地址，或对方系统未接收。"))
    return redirect("hotline:record", pk=record.pk)
