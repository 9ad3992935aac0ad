"""Pages of the seeds' statistics beyond the dashboard's cards: the members and the villages they reach,
the departments ranked on their items, and the chair council's half-yearly reviews.

The scope comes from the query as on the dashboard (``views.scope_from_request``: 403 for staff without a
reader role, 404 for a region or platform they do not cover, 400 for a malformed period).
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from shangliang.core.form_tokens import FormTokenMixin, submitted_once
from shangliang.core.forms import CleanTextMixin, DateInput
from shangliang.core.uploads import AttachmentField
from shangliang.core.views import form_page
from shangliang.dashboard import links, permissions, reviews, seed_figures
from shangliang.dashboard.selectors import UnknownFigure
from shangliang.dashboard.states import Half
from shangliang.dashboard.views import PER_PAGE, _series, scope_from_request
from shangliang.orgs.access import staff_required
from shangliang.orgs.states import MemberLevel


@staff_required
@require_GET
def members(request):
    """Each member assigned (下沉) in the scope: level, platforms served, villages reached; ``?level=``."""
    scope = scope_from_request(request)
    if not permissions.can_view_member_reach(request.user):
        raise PermissionDenied
    level = request.GET.get("level", "")
    try:
        reach = seed_figures.members_reach(scope, level)
    except UnknownFigure:
        raise Http404 from None
    page = Paginator(reach.rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "scope": scope,
        "reach": reach,
        "level": level,
        "level_label": dict(MemberLevel.choices).get(level, ""),
        "page": page,
        "back": links.dashboard_url(scope),
    }
    return render(request, "dashboard/members.html", context)


@staff_required
@require_GET
def departments(request):
    """Units ranked on the items of the period's consultations (001: 对…部门奖励、批评)."""
    scope = scope_from_request(request)
    rows = seed_figures.department_ranking(scope)
    ranked = [row for row in rows if row.rank is not None]

    def urls(what):
        return [links.records_url(scope, "unit_items", f"{row.unit.pk}:{what}") for row in ranked]

    chart = {
        "id": "chart-departments",
        "type": "bar",
        "labels": [row.unit.name for row in ranked],
        "series": [
            _series(_("综合得分"), [row.score for row in ranked], urls("items")),
            _series(_("按期办结"), [row.done_on_time for row in ranked], urls("on_time")),
            _series(_("逾期未办结"), [row.overdue for row in ranked], urls("overdue")),
        ],
    }
    context = {
        "scope": scope,
        "rows": rows,
        "weights": seed_figures.WEIGHTS,
        "data": {"charts": [chart]},
        "back": links.dashboard_url(scope),
    }
    return render(request, "dashboard/departments.html", context)


class ReviewForm(FormTokenMixin, CleanTextMixin, forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    half = forms.TypedChoiceField(label=gettext_lazy("半年"), choices=Half.choices, coerce=int)
    held_on = forms.DateField(label=gettext_lazy("会议日期"), widget=DateInput())
    title = forms.CharField(
        label=gettext_lazy("会议名称"), max_length=100, help_text=gettext_lazy("如：区政协第十次主席会议")
    )
    reviewed = forms.CharField(
        label=gettext_lazy("听取和研究的内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    findings = forms.CharField(
        label=gettext_lazy("发现的问题"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decisions = forms.CharField(
        label=gettext_lazy("研究决定的事项"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachment = AttachmentField(label=gettext_lazy("附件（会议纪要等）"))


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def chair_council(request):
    """The district's chair council reviews, and (for the CPPCC office) the form to record one."""
    scope = scope_from_request(request)
    district = seed_figures.district_of(scope.region)
    if district is None or not permissions.can_view_region_dashboard(request.user, district):
        raise Http404
    can_record = permissions.can_record_review(request.user, district)
    if request.method == "POST" and not can_record:
        raise PermissionDenied
    today = timezone.localdate()
    if request.method == "POST":
        form = ReviewForm(request.POST, request.FILES)
    else:
        form = ReviewForm(initial={"year": today.year, "half": seed_figures.half_of(today)})
    page = f"{request.path}?region={district.pk}"
    return form_page(
        request,
        form,
        lambda data: reviews.review_record(actor=request.user, region=district, **data),
        success=_("主席会议专题研究已记录。"),
        then=page,
        template="dashboard/chair_council.html",
        context=lambda: {
            "scope": scope,
            "district": district,
            "reviews": list(seed_figures.reviews_of(district)),
            "form": form if can_record else None,
            "state": seed_figures.chair_review_state(type(scope).for_year(today.year, region=district), today),
            "back": links.dashboard_url(scope),
        },
        status=400 if request.method == "POST" else 200,
    )
