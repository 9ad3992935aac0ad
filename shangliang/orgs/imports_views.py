"""Pages of the Excel import: templates to download, uploads, and the job page that polls its progress."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shangliang.core import jobs
from shangliang.core.documents.responses import XLSX, download
from shangliang.core.form_tokens import submitted_once
from shangliang.orgs import imports, permissions
from shangliang.orgs.access import staff_required
from shangliang.orgs.forms import ImportForm


def _check_import_right(request) -> None:
    if not permissions.can_import(request.user):
        raise PermissionDenied


def _kind_or_404(slug: str) -> imports.ImportKind:
    try:
        return imports.KINDS[slug]
    except KeyError:
        raise Http404 from None


def _form(slug: str, *args) -> ImportForm:
    # One form per kind on the same page: distinct ids, the same field name.
    return ImportForm(*args, auto_id=f"id_{slug}_%s")


def _home(request, *, invalid: tuple[str, ImportForm] | None = None, status: int = 200):
    forms = {slug: _form(slug) for slug in imports.KINDS}
    if invalid:
        forms[invalid[0]] = invalid[1]
    sections = [{"kind": kind, "form": forms[slug]} for slug, kind in imports.KINDS.items()]
    recent = [(job, imports.kind_of(job)) for job in imports.recent_jobs_for(request.user)]
    return render(request, "orgs/import_home.html", {"sections": sections, "recent": recent}, status=status)


@staff_required
def import_home(request):
    _check_import_right(request)
    return _home(request)


@staff_required
def import_template(request, kind):
    _check_import_right(request)
    import_kind = _kind_or_404(kind)
    return download(imports.template_bytes(import_kind), XLSX, f"{import_kind.sheet_title}导入模板", "xlsx")


@staff_required
@require_POST
@submitted_once
def import_upload(request, kind):
    _check_import_right(request)
    import_kind = _kind_or_404(kind)
    form = _form(kind, request.POST, request.FILES)
    if not form.is_valid():
        return _home(request, invalid=(kind, form), status=400)
    job = jobs.job_start(kind=import_kind.job_kind, actor=request.user, upload=form.cleaned_data["file"])
    return redirect("orgs:import_job", pk=job.pk)


@staff_required
def import_job(request, pk):
    _check_import_right(request)
    job = imports.get_job_for_view(request.user, pk)
    if not job.is_finished:
        job.done = imports.job_done(job)
    template = "orgs/_import_progress.html" if request.htmx else "orgs/import_job.html"
    return render(request, template, {"job": job, "kind": imports.kind_of(job)})
