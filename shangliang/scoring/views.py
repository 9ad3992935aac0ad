"""Staff pages of the assessment: the district ranking of stations, one station's records, the year's
targets and scheme, and the committees' inspections against their schedule.

Residents are refused (403) at the entry; other staff without a reading role as well. A township
outside the user's scope is a 404, like a missing one. Services decide what may be saved; their
refusals are shown next to the form.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shangliang.core.documents.responses import XLSX, download
from shangliang.core.errors import DomainError
from shangliang.core.form_tokens import submitted_once
from shangliang.core.forms import add_service_error
from shangliang.core.params import year_param
from shangliang.orgs.access import staff_required
from shangliang.scoring import documents, permissions, selectors, services
from shangliang.scoring.forms import InspectionForm, PlatformTargetForm, SchemeForm, TownshipTargetsForm
from shangliang.scoring.models import AnnualTarget, default_township_minimum
from shangliang.scoring.states import Component, MonthState

# The year's newest inspections on the page; the spreadsheet has them all.
INSPECTIONS_SHOWN = 200


def year_of(request) -> int:
    """The year asked for (?year=), else the current one."""
    return year_param(request) or timezone.localdate().year


def _years(year: int) -> list[int]:
    this_year = timezone.localdate().year
    return sorted({*range(this_year - 4, this_year + 1), year}, reverse=True)


def _reader_required(request) -> None:
    if not permissions.can_view_scoring(request.user):
        raise PermissionDenied


def _visible_rows(user, year: int) -> list[selectors.StationRow]:
    """All townships are scored and ranked together; the user sees the rows in their scope."""
    visible = set(permissions.townships_visible_to(user).values_list("pk", flat=True))
    return [row for row in selectors.station_scores(year) if row.pk in visible]


@staff_required
@require_GET
def station_ranking(request):
    _reader_required(request)
    year = year_of(request)
    rows = _visible_rows(request.user, year)
    context = {
        "year": year,
        "years": _years(year),
        "rows": rows,
        "components": list(Component),
        "scheme": selectors.scheme_for(year),
        "platform_rows": [
            r
            for r in selectors.platform_scores(year)
            if any(r.platform.region.path.startswith(s.township.path) for s in rows)
        ],
        "can_set_targets": permissions.can_set_targets(request.user),
    }
    return render(request, "scoring/ranking.html", context)


@staff_required
@require_GET
def station_ranking_xlsx(request):
    _reader_required(request)
    year = year_of(request)
    rows = _visible_rows(request.user, year)
    name = _("%(year)s年度联络站考核排名") % {"year": year}
    return download(documents.ranking_xlsx(rows, year), XLSX, name, "xlsx")


@staff_required
@require_GET
def station_detail(request, pk):
    _reader_required(request)
    township = permissions.get_township_for_scoring(request.user, pk)
    year = year_of(request)
    row = next(r for r in selectors.station_scores(year, township.parent or township) if r.pk == township.pk)
    context = {
        "year": year,
        "years": _years(year),
        "row": row,
        "township": township,
        "components": list(Component),
        "records": selectors.station_records(year, township),
        "platform_rows": selectors.platform_scores(year, township),
    }
    return render(request, "scoring/station.html", context)


# --- targets and scheme ----------------------------------------------------------------------


def _save_township_targets(user, year: int, form: TownshipTargetsForm) -> str:
    services.township_targets_set(actor=user, year=year, targets=form.values())
    return _("已保存%(year)s年度各乡镇（街道）目标任务。") % {"year": year}


def _save_platform_target(user, year: int, form: PlatformTargetForm) -> str:
    data = form.cleaned_data
    services.target_set(
        actor=user,
        year=year,
        platform=data["platform"],
        min_consultations=data["min_consultations"],
        min_on_time_rate=data["min_on_time_rate"],
        min_satisfaction_rate=data["min_satisfaction_rate"],
        note=data["note"],
    )
    return _("已保存平台目标任务。")


def _save_scheme(user, year: int, form: SchemeForm) -> str:
    services.scheme_set(actor=user, year=year, **form.cleaned_data)
    return _("已保存%(year)s年度考核办法。") % {"year": year}


# What each form of the targets page saves (returning the success message), and the refusals shown on it.
TARGET_SAVES = {
    "townships": (_save_township_targets, (DomainError,)),
    "platform": (_save_platform_target, (DomainError,)),
    "scheme": (_save_scheme, (DomainError, ValidationError)),
}


def _target_forms(request, action, *, townships, current, platforms, scheme) -> dict:
    """The page's three forms by action; only the one the POST was for is bound."""

    def data(name):
        return request.POST if action == name else None

    return {
        "townships": TownshipTargetsForm(
            data("townships"), townships=townships, targets=current, default_min=default_township_minimum()
        ),
        "platform": PlatformTargetForm(data("platform"), platforms=platforms),
        "scheme": SchemeForm(
            data("scheme"), initial={name: getattr(scheme, name) for name in (*SchemeForm.WEIGHTS, "full_points")}
        ),
    }


def _save_target_form(request, action, forms: dict, year: int):
    """Saves the form the POST was for: a redirect when saved, else None (refusals are on the form)."""
    if action not in TARGET_SAVES:
        return None
    save, refusals = TARGET_SAVES[action]
    form = forms[action]
    if not form.is_valid():
        return None
    try:
        message = save(request.user, year, form)
    except refusals as error:
        add_service_error(form, error)
        return None
    messages.success(request, message)
    return redirect(f"{reverse('scoring:targets')}?year={year}")


@staff_required
@require_http_methods(["GET", "POST"])
def targets(request):
    if not permissions.can_set_targets(request.user):
        raise PermissionDenied
    year = year_of(request)
    user = request.user
    townships = list(permissions.townships_for_targets(user))
    current = {t.region_id: t for t in AnnualTarget.objects.filter(year=year, region__in=townships, is_archived=False)}
    platforms = permissions.platforms_for_targets(user)
    action = request.POST.get("action") if request.method == "POST" else None
    scheme = selectors.scheme_for(year)
    forms = _target_forms(request, action, townships=townships, current=current, platforms=platforms, scheme=scheme)
    saved = _save_target_form(request, action, forms, year)
    if saved is not None:
        return saved
    failed = any(f.errors for f in forms.values())
    context = {
        "year": year,
        "years": _years(year),
        "township_form": forms["townships"],
        "platform_form": forms["platform"],
        "scheme_form": forms["scheme"],
        "scheme": scheme,
        "platform_targets": AnnualTarget.objects.filter(year=year, platform__in=platforms, is_archived=False)
        .select_related("platform__region")
        .order_by("platform__region__path", "platform__name"),
    }
    return render(request, "scoring/targets.html", context, status=400 if failed else 200)


# --- inspections -----------------------------------------------------------------------------


@staff_required
@require_GET
def inspection_list(request):
    _reader_required(request)
    user = request.user
    year = year_of(request)
    schedule = [row for row in selectors.inspection_schedule(year) if permissions.can_view_link(user, row.link)]
    inspections = (
        permissions.inspections_visible_to(user)
        .filter(visited_on__year=year)
        .select_related("committee", "platform__region", "recorded_by")
        .order_by("-visited_on", "-pk")[:INSPECTIONS_SHOWN]
    )
    links = permissions.links_for_recording(user, selectors.active_links(timezone.localdate().year))
    context = {
        "year": year,
        "years": _years(year),
        "schedule": schedule,
        "inspections": inspections,
        "months": range(1, 13),
        "can_record": links.exists(),
        "GAP": MonthState.GAP,
        "DONE": MonthState.DONE,
    }
    return render(request, "scoring/inspections.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def inspection_add(request):
    user = request.user
    today = timezone.localdate()
    # Links in force this year or last, so a visit late in December can still be entered in January.
    links = permissions.links_for_recording(
        user, selectors.active_links(today.year) | selectors.active_links(today.year - 1)
    ).distinct()
    if not links.exists():
        raise PermissionDenied
    form = InspectionForm(request.POST or None, request.FILES or None, links=links)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        link = data["link"]
        if not permissions.can_record_inspection(user, link.committee, link.platform):
            raise PermissionDenied
        try:
            services.inspection_record(
                actor=user,
                committee=link.committee,
                platform=link.platform,
                kind=data["kind"],
                visited_on=data["visited_on"],
                findings=data["findings"],
                problems=data["problems"],
                attachment=data["attachment"],
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已录入督导记录。"))
            return redirect(f"{reverse('scoring:inspections')}?year={data['visited_on'].year}")
    return render(request, "scoring/inspection_add.html", {"form": form}, status=400 if form.errors else 200)
