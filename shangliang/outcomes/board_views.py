"""The lists of items: a unit's desk, the supervision board and the district's overdue board (403 without the role)."""

from datetime import date
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.consultations import dissents
from shangliang.consultations.permissions import consultations_visible_to
from shangliang.orgs.access import staff_required
from shangliang.orgs.models import Unit
from shangliang.outcomes import decisions, permissions, selectors
from shangliang.outcomes.forms import BoardFilterForm
from shangliang.outcomes.states import AssignmentStatus
from shangliang.outcomes.views import page_of

# The board's side lists (extensions and replies waiting) show the oldest this many.
SIDE_LIST_LIMIT = 100
OVERDUE_BOARD_PER_PAGE = 50
# Low-quality answers named on the board, of each kind (reports' replies, items' results).
LOW_REPLIES_SHOWN = 20


def _desk_tabs(today: date) -> dict:
    return {
        "todo": (_("待签收"), Q(status=AssignmentStatus.ASSIGNED)),
        "doing": (_("办理中"), Q(status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.DEFERRED])),
        "overdue": (_("已逾期"), selectors.overdue_q(today)),
        # Reported finished; counted as done only once the check (验收) accepts it.
        "checking": (_("待验收"), Q(status=AssignmentStatus.FINISHED)),
        "done": (_("已办结"), Q(status=AssignmentStatus.DONE)),
        "all": (_("全部"), Q()),
    }


@staff_required
def unit_desk(request):
    user = request.user
    if not permissions.can_use_unit_desk(user):
        raise PermissionDenied
    today = timezone.localdate()
    units = permissions.liaison_unit_ids(user)
    items = permissions.assignments_visible_to(user)
    if units:
        items = selectors.assignments_of_units(units, among=items)
    tabs = _desk_tabs(today)
    counts = items.aggregate(**{key: Count("pk", filter=q) if q else Count("pk") for key, (_label, q) in tabs.items()})
    tab = request.GET.get("tab", "")
    if tab not in tabs:
        tab = next((key for key in ("todo", "overdue") if counts[key]), "doing")
    page = page_of(request, selectors.with_related(items.filter(tabs[tab][1])))
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
    return render(request, "outcomes/unit_desk.html", context)


@staff_required
def supervision_board(request):
    user = request.user
    if not permissions.can_use_board(user):
        raise PermissionDenied
    today = timezone.localdate()
    visible = permissions.assignments_visible_to(user)
    platforms, units = selectors.board_choices(visible)
    form = BoardFilterForm(request.GET, platforms=platforms, units=units)
    data = form.cleaned_data if form.is_valid() else {}
    scope = {
        "platform_id": data["platform"].pk if data.get("platform") else None,
        "unit_id": data["unit"].pk if data.get("unit") else None,
        "start": data.get("start"),
        "end": data.get("end"),
        "today": today,
    }
    filtered = selectors.assignments_filtered(visible, **scope)
    state = data.get("state", "")
    # Without a choice the board lists what needs attention (overdue or due soon).
    listed = (
        filtered
        if state == "all"
        else selectors.assignments_filtered(filtered, state=state or "attention", today=today)
    )
    page = page_of(request, selectors.with_related(listed.order_by("deadline", "pk")))
    rows = [
        selectors.assignment_row(a, today, show_mobile=permissions.can_supervise(user, a)) for a in page.object_list
    ]
    export = {
        "platform": scope["platform_id"] or "",
        "unit": scope["unit_id"] or "",
        "state": "" if state == "all" else state,
        "start": scope["start"].isoformat() if scope["start"] else "",
        "end": scope["end"].isoformat() if scope["end"] else "",
    }
    visible_consultations = consultations_visible_to(user)
    replies = selectors.replies_waiting(selectors.reports_of(visible_consultations))
    context = {
        "form": form,
        "board": selectors.board_for(filtered, today),
        "page": page,
        "rows": rows,
        "state": state,
        "export_query": urlencode({k: v for k, v in export.items() if v}),
        "extensions": selectors.pending_extensions(visible)[:SIDE_LIST_LIMIT],
        "replies": [(report, selectors.is_reply_late(report, today)) for report in replies[:SIDE_LIST_LIMIT]],
        "low_replies": selectors.low_quality_replies(
            selectors.reports_of(visible_consultations), visible, limit=LOW_REPLIES_SHOWN
        ),
        "unpublished": selectors.unpublished_overdue(visible_consultations, today),
        # Dissents still owed their explanation (the report and publication wait for them), overdue first.
        "dissents_owed": dissents.owed_by_consultation(visible_consultations, today, limit=SIDE_LIST_LIMIT),
        # Items no unit holds: waiting for the decision, adopted not yet assigned, not adopted or deferred.
        "unassigned": decisions.unassigned_items(
            decisions.unassigned_suggestions(visible_consultations)[:SIDE_LIST_LIMIT]
        ),
    }
    return render(request, "outcomes/board.html", context)


@staff_required
def district_overdue_board(request):
    user = request.user
    if not permissions.can_use_board(user):
        raise PermissionDenied
    today = timezone.localdate()
    items = selectors.with_related(selectors.district_overdue(permissions.assignments_visible_to(user)))
    page = page_of(request, items, per_page=OVERDUE_BOARD_PER_PAGE)
    rows = [
        selectors.assignment_row(a, today, show_mobile=permissions.can_supervise(user, a)) for a in page.object_list
    ]
    return render(request, "outcomes/overdue_board.html", {"page": page, "rows": rows})
