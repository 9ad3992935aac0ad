"""Public pages of members and stations (委员群众面对面): what a member did, where to meet them.

The member's page is what the member code (履职码) opens; ``/org/m/<code>/``, printed on the cards, leads
here. Nothing personal is shown: no phone numbers, no workplace, no residents' names.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from shangliang.orgs import reception
from shangliang.orgs.selectors import member_get_public
from shangliang.points import public_record
from shangliang.points.forms import YearForm


@require_GET
def member_page(request, code):
    member = member_get_public(code)
    if member is None:
        raise Http404
    form = YearForm(request.GET)
    year = form.chosen_year()
    this_year = timezone.localdate().year
    own = reception.own_member(request.user)
    context = {
        "member": member,
        "record": public_record.member_record(member, year),
        "year": year,
        "years": list(range(this_year, max(this_year - 5, member.created_at.year - 1), -1)),
        "is_self": own is not None and own.pk == member.pk,
    }
    return render(request, "points/member_public.html", context)


@require_GET
def station_page(request, pk):
    platform = public_record.station_public(pk)
    if platform is None:
        raise Http404
    own = reception.own_member(request.user)
    context = {"platform": platform, "own_member": own, **public_record.station_page(platform)}
    context["serves_here"] = own is not None and any(a.member_id == own.pk for a in context["members"])
    return render(request, "points/station_public.html", context)
