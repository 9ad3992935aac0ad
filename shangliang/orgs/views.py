from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from shangliang.core.form_tokens import submitted_once
from shangliang.core.forms import errors_text
from shangliang.core.qr import qr_response
from shangliang.core.views import form_page, reloaded, run_form
from shangliang.orgs import joining, permissions, selectors, services, six_haves
from shangliang.orgs.access import staff_required
from shangliang.orgs.forms import (
    ArchiveForm,
    AssignmentForm,
    MemberFilterForm,
    MemberForm,
    PlatformCheckForm,
    PlatformFilterForm,
    PlatformForm,
    RegionForm,
)
from shangliang.orgs.member_codes import member_public_url
from shangliang.orgs.models import PlatformCheck
from shangliang.orgs.states import REGION_CHILD_LEVEL, RegionLevel, SixHave

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@dataclass(frozen=True)
class RecordForm:
    """The page of a record's own form, for a new record or an existing one's details.

    Both show ``<app>/<model>_form.html`` (Django's generic views' name) and lead to the record's page,
    ``<app>:<model>_detail``, when saved; they differ only in the service and what is said.
    """

    form_class: type[forms.ModelForm]
    create: Callable[..., Model]  # service(actor=, **cleaned_data)
    update: Callable[..., Model]  # service(actor=, <model>=record, **cleaned_data)
    created: Promise  # "%(name)s" is the new record's name
    saved: Promise

    @property
    def name(self) -> str:
        """The model's name: the record's keyword in the update service and in the template."""
        return self.form_class._meta.model._meta.model_name

    def page(self, request, record: Model | None = None, **form_options):
        app = self.form_class._meta.model._meta.app_label
        form = self.form_class(request.POST or None, instance=record, **form_options)

        def save(data):
            if record is None:
                return self.create(actor=request.user, **data)
            return self.update(actor=request.user, **{self.name: record}, **data)

        def success(saved) -> str:
            return str(self.saved) if record else str(self.created) % {"name": saved.name}

        return form_page(
            request,
            form,
            save,
            success=success,
            then=lambda saved: reverse(f"{app}:{self.name}_detail", args=[(record or saved).pk]),
            template=f"{app}/{self.name}_form.html",
            context=lambda: {"form": form, self.name: reloaded(record)} if record else {"form": form},
        )


PLATFORM_FORM = RecordForm(
    PlatformForm,
    services.platform_create,
    services.platform_update,
    created=gettext_lazy("已新建平台“%(name)s”。"),
    saved=gettext_lazy("平台信息已保存。"),
)

MEMBER_FORM = RecordForm(
    MemberForm,
    services.member_create,
    services.member_update,
    created=gettext_lazy("已新增委员“%(name)s”。"),
    saved=gettext_lazy("委员信息已保存。"),
)


# --- regions -------------------------------------------------------------------------------


@staff_required
def region_tree(request):
    return render(request, "orgs/region_tree.html", {"roots": selectors.region_tree_for(request.user)})


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def region_create(request, parent_pk):
    parent = permissions.get_region_for_view(request.user, parent_pk)
    if not permissions.can_add_region_under(request.user, parent) or parent.level == RegionLevel.GRID:
        raise Http404
    form = RegionForm(request.POST or None)
    done = run_form(
        request,
        form,
        lambda data: services.region_create(
            actor=request.user,
            name=data["name"],
            level=REGION_CHILD_LEVEL[parent.level],
            parent=parent,
            code=data["code"] or None,
        ),
        success=lambda region: _("已添加区划“%(name)s”。") % {"name": region.name},
        then=reverse("orgs:region_tree"),
    )
    return done or render(request, "orgs/region_form.html", {"form": form, "parent": parent})


@staff_required
@require_http_methods(["GET", "POST"])
def region_edit(request, pk):
    region = permissions.get_region_for_view(request.user, pk)
    if not permissions.can_change_region(request.user, region):
        raise Http404
    village = region.level == RegionLevel.VILLAGE
    initial = {"name": region.name, "code": region.code}
    initial |= {"electorate": region.electorate, "representatives": region.representatives} if village else {}
    form = RegionForm(request.POST or None, initial=initial, village=village)
    done = run_form(
        request,
        form,
        lambda data: services.region_update(
            actor=request.user,
            region=region,
            name=data["name"],
            code=data["code"] or None,
            **({"electorate": data["electorate"], "representatives": data["representatives"]} if village else {}),
        ),
        success=_("区划已保存。"),
        then=reverse("orgs:region_tree"),
    )
    return done or render(request, "orgs/region_form.html", {"form": form, "region": region, "parent": region.parent})


# --- platforms -----------------------------------------------------------------------------


@staff_required
def platform_list(request):
    townships = list(selectors.townships_for(request.user))
    form = PlatformFilterForm(request.GET or None, townships=townships)
    filters = form.cleaned_data if form.is_valid() else {}
    platforms = selectors.platform_list_for(
        request.user, kind=filters.get("kind") or "", township=filters.get("township"), q=filters.get("q") or ""
    )
    page = _page(request, platforms)
    met = six_haves.met_counts(page.object_list)
    for platform in page.object_list:
        platform.checks_met = met[platform.pk]
    context = {
        "form": form,
        "page": page,
        "coverage": selectors.coverage_for(request.user),
        "six_total": len(SixHave.values),
        "can_add": bool(permissions.role_names(request.user) & permissions.PLATFORM_EDITORS)
        or request.user.is_superuser,
    }
    template = (
        "orgs/_platform_rows.html"
        if request.htmx and request.htmx.target == "platform-rows"
        else "orgs/platform_list.html"
    )
    return render(request, template, context)


@staff_required
def platform_detail(request, pk):
    platform = permissions.get_platform_for_view(request.user, pk)
    context = {
        "platform": platform,
        "can_change": permissions.can_change_platform(request.user, platform),
        **selectors.platform_detail(platform),
    }
    return render(request, "orgs/platform_detail.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def platform_create(request):
    regions = permissions.regions_for_editing(request.user)
    if not regions.exists():
        raise PermissionDenied
    return PLATFORM_FORM.page(request, regions=regions)


@staff_required
@require_http_methods(["GET", "POST"])
def platform_edit(request, pk):
    platform = permissions.get_platform_for_change(request.user, pk)
    return PLATFORM_FORM.page(request, platform, regions=permissions.regions_for_editing(request.user))


@staff_required
@require_http_methods(["GET", "POST"])
def platform_check_edit(request, pk, item):
    platform = permissions.get_platform_for_change(request.user, pk)
    if item not in SixHave.values:
        raise Http404
    if item in six_haves.DERIVED:
        # 有活动 and 有实效 are read from the records, not ticked by hand.
        messages.error(request, str(six_haves.DERIVED_REFUSAL))
        return redirect(f"{reverse('orgs:platform_detail', args=[platform.pk])}#check-{item}")
    check = PlatformCheck.objects.filter(platform=platform, item=item).first()
    initial = {"is_met": check.is_met, "note": check.note} if check else {}
    form = PlatformCheckForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        check = services.platform_check_update(
            actor=request.user,
            platform=platform,
            item=item,
            is_met=form.cleaned_data["is_met"],
            note=form.cleaned_data["note"],
            photo=form.cleaned_data["photo"],
        )
        if request.htmx:
            return render(
                request, "orgs/_platform_check.html", {"check": check, "platform": platform, "can_change": True}
            )
        messages.success(request, _("六有核查已保存。"))
        return redirect("orgs:platform_detail", pk=platform.pk)
    context = {"form": form, "platform": platform, "item": SixHave(item), "check": check}
    return render(request, "orgs/platform_check_form.html", context, status=400 if form.errors else 200)


@staff_required
@require_POST
def platform_archive(request, pk):
    platform = permissions.get_platform_for_change(request.user, pk)
    form = ArchiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("orgs:platform_detail", pk=platform.pk)
    services.platform_archive(actor=request.user, platform=platform, reason=form.cleaned_data["reason"])
    messages.success(request, _("平台已归档。"))
    return redirect("orgs:platform_list")


# --- members -------------------------------------------------------------------------------


@staff_required
def member_list(request):
    townships = list(selectors.townships_for(request.user))
    form = MemberFilterForm(request.GET or None, townships=townships)
    filters = form.cleaned_data if form.is_valid() else {}
    members = selectors.member_list_for(
        request.user,
        level=filters.get("level") or "",
        sector=filters["sector"].pk if filters.get("sector") else None,
        township=filters.get("township"),
        q=filters.get("q") or "",
        unassigned=bool(filters.get("unassigned")),
    )
    context = {"form": form, "page": _page(request, members), "can_add": permissions.can_add_member(request.user)}
    return render(request, "orgs/member_list.html", context)


@staff_required
def member_detail(request, pk):
    member = permissions.get_member_for_view(request.user, pk)
    assignments = member.assignments.select_related("platform__region").order_by("-started_on")
    context = {
        "member": member,
        "assignments": assignments,
        "can_change": permissions.can_change_member(request.user, member),
        "public_url": member_public_url(request, member),
    }
    return render(request, "orgs/member_detail.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def member_create(request):
    if not permissions.can_add_member(request.user):
        raise PermissionDenied
    return MEMBER_FORM.page(request, regions=permissions.regions_visible_to(request.user))


@staff_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    member = permissions.get_member_for_change(request.user, pk)
    return MEMBER_FORM.page(request, member, regions=permissions.regions_visible_to(request.user))


@staff_required
@require_http_methods(["GET", "POST"])
def member_assign(request, pk):
    member = permissions.get_member_for_change(request.user, pk)
    platforms = permissions.platforms_visible_to(request.user).select_related("region")
    form = AssignmentForm(request.POST or None, platforms=platforms, initial={"platform": request.GET.get("platform")})
    done = run_form(
        request,
        form,
        lambda data: services.member_assign(actor=request.user, member=member, **data),
        success=lambda assignment: _("已下沉到“%(name)s”。") % {"name": form.cleaned_data["platform"].name},
        then=reverse("orgs:member_detail", args=[member.pk]),
    )
    if done:
        return done
    # Stations ranked by proximity and specialty (就近、对口), each with its reasons.
    context = {"form": form, "member": member, "suggested": joining.suggest_platforms(member, platforms)}
    return render(request, "orgs/member_assign.html", context)


def member_public(request, code):
    """The address a member code (履职码) carries: the member's public record is built where the records
    of consultations and outcomes may be read (``points.public_views.member_page``, /m/<code>/)."""
    member = selectors.member_get_public(code)
    if member is None:
        raise Http404
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return redirect(reverse("public_members:member", args=[member.code]) + query)


def member_qr(request, code, fmt):
    member = selectors.member_get_public(code)
    if member is None:
        raise Http404
    download = f"member-code-{member.code}" if request.GET.get("download") else None
    return qr_response(member_public_url(request, member), fmt, download_name=download)
