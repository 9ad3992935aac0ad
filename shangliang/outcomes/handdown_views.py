"""镇村联动: the village's list of items a township (or the district) handed down to it (乡镇（街道）下达的事项)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from shangliang.orgs.access import staff_required
from shangliang.orgs.models import Unit
from shangliang.outcomes import handdown, selectors
from shangliang.outcomes.board_views import _desk_tabs
from shangliang.outcomes.views import page_of


@staff_required
def handed_down(request):
    """The village convener's desk for the items handed down to their village committee (403 for others)."""
    user = request.user
    units = handdown.convener_committee_ids(user)
    if not (units or user.is_superuser):
        raise PermissionDenied
    today = timezone.localdate()
    items = handdown.handed_down_to(user)
    tabs = _desk_tabs(today)
    counts = items.aggregate(**{key: Count("pk", filter=q) if q else Count("pk") for key, (_label, q) in tabs.items()})
    tab = request.GET.get("tab", "")
    if tab not in tabs:
        tab = next((key for key in ("todo", "overdue") if counts[key]), "doing")
    page = page_of(request, selectors.with_related(items.filter(tabs[tab][1]).order_by("deadline", "pk")))
    rows = [
        selectors.assignment_row(a, today, is_co_unit=bool(units) and a.lead_unit_id not in units)
        for a in page.object_list
    ]
    context = {
        "tabs": [(key, label, counts[key]) for key, (label, _q) in tabs.items()],
        "tab": tab,
        "page": page,
        "rows": rows,
        "units": Unit.objects.filter(pk__in=units).order_by("name"),
    }
    return render(request, "outcomes/handdown.html", context)
