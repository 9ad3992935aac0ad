"""Pages of publicity.

Public (no login): the news list and a published item, and the upcoming consultations. Staff: writing,
publishing and withdrawing news (within the regions and platforms where they run consultations), the
session announcement of a consultation, and the media-centre package. The archive of theory and
experience is for staff and CPPCC members.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shangliang.consultations.permissions import consultations_visible_to, get_consultation_for_view
from shangliang.consultations.states import ConsultationStatus
from shangliang.core.documents.responses import download
from shangliang.core.form_tokens import submitted_once
from shangliang.core.forms import errors_text
from shangliang.core.links import absolute_url
from shangliang.core.views import form_page, run_action
from shangliang.orgs.access import staff_required
from shangliang.outcomes import feedback
from shangliang.outcomes import selectors as outcome_selectors
from shangliang.publicity import package, permissions, selectors, services
from shangliang.publicity.forms import (
    ArchiveSearchForm,
    ArticleEditForm,
    ArticleForm,
    DocumentEditForm,
    DocumentForm,
    NewsFilterForm,
    PreviewForm,
    WithdrawForm,
)
from shangliang.publicity.states import ArticleKind, ArticleStatus, DocumentStatus

PAGE_SIZE = 12
ZIP = "application/zip"


def _form_status(request) -> int:
    """A form posted and shown again with its errors answers 400."""
    return 400 if request.method == "POST" else 200


def _page(request, qs, size=PAGE_SIZE):
    return Paginator(qs, size).get_page(request.GET.get("page"))


# --- public: news ----------------------------------------------------------------------------------


@require_GET
def news_list(request):
    townships = list(selectors.townships())
    platforms = list(selectors.platforms_with_news())
    form = NewsFilterForm(request.GET or None, townships=townships, platforms=platforms)
    kind, township, platform = "", None, None
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        township = next((t for t in townships if t.pk == form.cleaned_data["township"]), None)
        platform = next((p for p in platforms if p.pk == form.cleaned_data["platform"]), None)
    page = _page(request, selectors.public_articles(kind=kind, platform=platform, township=township))
    return render(request, "publicity/news_list.html", {"form": form, "page": page})


@require_GET
def article_detail(request, pk):
    article = permissions.get_article_for_reading(request.user, pk)
    photos = list(article.photos.filter(is_archived=False))
    consultation = article.consultation
    context = {
        "article": article,
        "photos": photos,
        "consultation": consultation,
        "can_edit": request.user.is_authenticated and permissions.can_edit_article(request.user, article),
        "withdraw_form": WithdrawForm(auto_id="withdraw_%s"),
    }
    if consultation is not None:
        context["joinable"] = consultation.status in {ConsultationStatus.NOTIFIED, ConsultationStatus.IN_SESSION}
        context["results_public"] = consultation.status == ConsultationStatus.CONCLUDED and not consultation.is_archived
    return render(request, "publicity/article_detail.html", context)


@require_GET
def upcoming(request):
    townships = list(selectors.townships())
    wanted = request.GET.get("township", "")
    township = next((t for t in townships if str(t.pk) == wanted), None)
    page = _page(request, selectors.upcoming_consultations(township=township), size=20)
    return render(request, "publicity/upcoming.html", {"page": page, "townships": townships, "township": township})


# --- staff: writing news ---------------------------------------------------------------------------


@staff_required
@require_GET
def manage(request):
    status = request.GET.get("status", "")
    if status not in ArticleStatus.values:
        status = ""
    page = _page(request, selectors.articles_for_staff(request.user, status=status), size=20)
    return render(
        request,
        "publicity/manage.html",
        {
            "page": page,
            "status": status,
            "statuses": ArticleStatus.choices,
            "can_write": permissions.platforms_writable_by(request.user).exists()
            or permissions.regions_writable_by(request.user).exists(),
        },
    )


def _with_reason(request, action, *, success: str, then: str):
    """A withdrawal: the reason is required; ``action(reason)`` runs as ``run_action`` does."""
    form = WithdrawForm(request.POST, auto_id="withdraw_%s")
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(then)
    return run_action(request, lambda: action(form.cleaned_data["reason"]), success=success, then=then)


def _article_url(article) -> str:
    return reverse("publicity:detail", args=[article.pk])


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def article_new(request):
    form = ArticleForm(request.POST or None, request.FILES or None, user=request.user)
    if not form.has_scopes:
        raise PermissionDenied

    def create(data):
        return services.article_create(actor=request.user, **data)

    return form_page(
        request,
        form,
        create,
        success=_("草稿已保存，核对无误后即可发布。"),
        then=_article_url,
        status=_form_status(request),
        template="publicity/article_form.html",
        context=lambda: {"form": form, "heading": _("撰写新闻公告")},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def article_edit(request, pk):
    article = permissions.get_article_for_editing(request.user, pk)
    if article.status == ArticleStatus.WITHDRAWN:
        raise Http404
    form = ArticleEditForm(
        request.POST or None, request.FILES or None, initial={"title": article.title, "body": article.body}
    )
    return form_page(
        request,
        form,
        lambda data: services.article_update(actor=request.user, article=article, **data),
        success=_("已保存修改。"),
        then=_article_url,
        status=_form_status(request),
        template="publicity/article_form.html",
        context=lambda: {"form": form, "article": article, "heading": _("修改新闻公告")},
    )


@staff_required
@require_POST
def article_publish(request, pk):
    article = permissions.get_article_for_editing(request.user, pk)
    return run_action(
        request,
        lambda: services.article_publish(actor=request.user, article=article),
        success=_("已发布，群众可在“新闻公告”中看到。"),
        then=_article_url(article),
    )


@staff_required
@require_POST
def article_withdraw(request, pk):
    article = permissions.get_article_for_editing(request.user, pk)
    return _with_reason(
        request,
        lambda reason: services.article_withdraw(actor=request.user, article=article, reason=reason),
        success=_("已撤回，不再公开显示。"),
        then=_article_url(article),
    )


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def preview_new(request, pk):
    """The session announcement of a consultation (协商预告), prefilled from its plan."""
    consultation = get_consultation_for_view(request.user, pk)
    if not permissions.can_announce(request.user, consultation):
        raise Http404
    if not services.is_announceable(consultation):
        messages.error(request, _("只能为尚未召开的协商（筹备中或已通知）发布预告。"))
        return redirect("consultations:detail", pk=consultation.pk)
    form = PreviewForm(request.POST or None, request.FILES or None, initial=selectors.preview_text(consultation))
    return form_page(
        request,
        form,
        lambda data: services.article_create(
            actor=request.user,
            kind=ArticleKind.PREVIEW,
            consultation=consultation,
            platform=consultation.platform,
            **data,
        ),
        success=_("协商预告草稿已保存，核对无误后即可发布。"),
        then=_article_url,
        status=_form_status(request),
        template="publicity/article_form.html",
        context=lambda: {"form": form, "consultation": consultation, "heading": _("发布协商预告")},
    )


# --- staff: the media-centre package ---------------------------------------------------------------


@staff_required
@require_GET
def media(request):
    """Consultations whose results are public, in the user's scope: each with its package to download."""
    qs = (
        outcome_selectors.board_consultations()
        .filter(publication__isnull=False, pk__in=consultations_visible_to(request.user).values("pk"))
        .select_related("platform__region")
        .order_by("-publication__published_at", "-pk")
    )
    return render(request, "publicity/media.html", {"page": _page(request, qs, size=20)})


@staff_required
@require_GET
def media_package(request, pk):
    consultation = permissions.get_consultation_for_package(request.user, pk)
    content = package.package_zip(consultation, absolute_url(feedback.result_path(consultation), request))
    return download(content, ZIP, f"{consultation.topic.title}-{_('融媒体素材包')}", "zip")


# --- the archive (理论研究与经验交流) ------------------------------------------------------------------


def archive_reader_required(view):
    """Anonymous users go to the login page; residents without a member record are refused with 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.can_read_archive(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@archive_reader_required
@require_GET
def archive(request):
    form = ArchiveSearchForm(request.GET or None)
    query = tag = kind = ""
    if form.is_valid():
        query, tag, kind = form.cleaned_data["q"], form.cleaned_data["tag"], form.cleaned_data["kind"]
    visible = permissions.documents_visible_to(request.user)
    found = selectors.search_documents(visible, query=query, tag=tag, kind=kind)
    # No document holds every word: show those holding some of them, and say so.
    partial = bool(query) and len(selectors.search_words(query)) > 1 and not found.exists()
    if partial:
        found = selectors.search_documents(visible, query=query, tag=tag, kind=kind, any_word=True)
    page = _page(request, found, size=15)
    context = {
        "partial": partial,
        "form": form,
        "page": page,
        "query": query,
        "tag": tag,
        "tags": list(selectors.tags_in_use(visible.filter(status=DocumentStatus.PUBLISHED))[:60]),
        "can_file": permissions.can_file_documents(request.user),
    }
    return render(request, "publicity/archive.html", context)


def _document_url(document) -> str:
    return reverse("publicity:document", args=[document.pk])


@archive_reader_required
@require_GET
def document_detail(request, pk):
    document = permissions.get_document_for_view(request.user, pk)
    context = {
        "document": document,
        "tags": list(document.tags.all()),
        "can_edit": permissions.can_edit_document(request.user, document),
        "withdraw_form": WithdrawForm(auto_id="withdraw_%s"),
    }
    return render(request, "publicity/document_detail.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def document_new(request):
    if not permissions.can_file_documents(request.user):
        raise PermissionDenied
    form = DocumentForm(request.POST or None, request.FILES or None, user=request.user)
    return form_page(
        request,
        form,
        lambda data: services.document_create(actor=request.user, **data),
        success=_("文档已保存为草稿，核对无误后即可发布。"),
        then=_document_url,
        status=_form_status(request),
        template="publicity/document_form.html",
        context=lambda: {"form": form, "heading": _("录入文档")},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def document_edit(request, pk):
    document = permissions.get_document_for_editing(request.user, pk)
    initial = {
        "title": document.title,
        "kind": document.kind,
        "region": document.region_id,
        "issued_on": document.issued_on,
        "source": document.source,
        "tags": "、".join(tag.name for tag in document.tags.all()),
        "summary": document.summary,
        "body": document.body,
    }
    form = DocumentEditForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.document_update(actor=request.user, document=document, **data),
        success=_("已保存修改。"),
        then=_document_url,
        status=_form_status(request),
        template="publicity/document_form.html",
        context=lambda: {"form": form, "document": document, "heading": _("修改文档")},
    )


@staff_required
@require_POST
def document_publish(request, pk):
    document = permissions.get_document_for_editing(request.user, pk)
    return run_action(
        request,
        lambda: services.document_publish(actor=request.user, document=document),
        success=_("已发布，工作人员和政协委员可以查阅。"),
        then=_document_url(document),
    )


@staff_required
@require_POST
def document_unpublish(request, pk):
    document = permissions.get_document_for_editing(request.user, pk)
    return _with_reason(
        request,
        lambda reason: services.document_unpublish(actor=request.user, document=document, reason=reason),
        success=_("已撤回为草稿。"),
        then=_document_url(document),
    )
