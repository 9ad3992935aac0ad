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


def _chosen_year(request, default: int) -> int:
    """The year asked for in the address; ``default`` when none is, or it is no year of the switcher's
    range (letters, a 30-digit number, a year before 2000 or after this one). An address with a NUL
    byte never gets here: the project's middleware answers it with 400."""
    if not request.GET.get("year"):
        return default
    form = YearForm(request.GET)
    if not form.is_valid():
        return default
    return form.cleaned_data["year"] or default


@require_GET
def member_page(request, code):
    """The member's record of a year: the latest year they have any record in (so the page does not open
    on an empty new year), else the current one; the switcher lists the years with records."""
    member = member_get_public(code)
    if member is None:
        raise Http404
    years = public_record.record_years(member)
    year = _chosen_year(request, years[0] if years else timezone.localdate().year)
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    own = reception.own_member(request.user)
    context = {
        "member": member,
        "record": public_record.member_record(member, year),
        "year": year,
        "years": years,
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
