"""The delivery log (投递记录): what went to whom, by which channel, and whether it arrived.

Read by district-level staff only (``portal.deliveries.can_view_delivery_log``); anyone else who is
logged in gets 403, anonymous visitors go to the login page.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shangliang.core.models import DeliveryStatus
from shangliang.portal.deliveries import (
    STATUS_BADGE,
    can_view_delivery_log,
    deliveries_list,
    delivery_counts,
    get_delivery_for_log,
    is_code_message,
    mask_mobiles_in,
    recipient_labels,
)
from shangliang.portal.forms import DeliveryFilterForm

PER_PAGE = 50


def log_reader_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_view_delivery_log(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _row(delivery, recipient: str) -> dict:
    return {
        "delivery": delivery,
        "recipient": recipient,
        "reason": mask_mobiles_in(delivery.reason),
        "detail": mask_mobiles_in(delivery.detail),
        "badge": "no" if delivery.is_logged_only else STATUS_BADGE.get(delivery.status, ""),
        "status_label": delivery.outcome_label,
    }


@require_GET
@log_reader_required
def delivery_log(request):
    form = DeliveryFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(deliveries_list(filters), PER_PAGE).get_page(request.GET.get("page"))
    labels = recipient_labels(page.object_list)
    rows = [_row(delivery, labels[delivery.pk]) for delivery in page.object_list]
    # The counts link to the log filtered by their status, keeping the other filters.
    others = request.GET.copy()
    others.pop("page", None)
    others.pop("status", None)
    counts = [
        {
            "status": status,
            "label": label,
            "count": count,
            "badge": STATUS_BADGE.get(status, ""),
            "query": f"{others.urlencode()}&status={status}" if others else f"status={status}",
            "is_current": status == filters.status,
        }
        for status, label, count in delivery_counts(filters)
    ]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "counts": counts,
        "total": sum(c["count"] for c in counts),
        "all_query": others.urlencode(),
        "sent_status": DeliveryStatus.SENT,
    }
    return render(request, "portal/deliveries.html", context)


@require_GET
@log_reader_required
def delivery_detail(request, pk):
    delivery = get_delivery_for_log(request.user, pk)
    label = recipient_labels([delivery])[delivery.pk]
    context = {
        **_row(delivery, label),
        "is_code": is_code_message(delivery),
        "title": mask_mobiles_in(delivery.title),
        "body": mask_mobiles_in(delivery.body),
        "url": delivery.url,
    }
    return render(request, "portal/delivery_detail.html", context)
