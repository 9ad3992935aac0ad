"""Pages of members' points: one member's ledger, the annual ranking and its Excel export.

The ledger, and the member's own view of each of its lines, are open to the member themself and to
staff who may view the member; anyone else gets 404, as if the member did not exist. The ranking is
a staff page and lists only the members the user may view. Points are computed from the records on
every request; nothing here writes.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shangliang.core.documents.responses import XLSX, download
from shangliang.orgs.access import staff_required
from shangliang.points import documents, permissions, selectors
from shangliang.points.forms import RankingFilterForm, YearForm


@login_required
@require_GET
def member_ledger(request, pk):
    member = permissions.get_member_for_points(request.user, pk)
    form = YearForm(request.GET)
    year = form.chosen_year()
    context = {
        "member": member,
        "form": form,
        "year": year,
        "ledger": permissions.link_evidence(request.user, selectors.ledger(member, year)),
        "is_own": member.user_id is not None and member.user_id == request.user.pk,
    }
    return render(request, "points/ledger.html", context)


@login_required
@require_GET
def entry(request, pk, year, kind, record):
    """One line of a member's ledger: what the record that earned it says. Whoever may read the ledger
    may open it; a record that earns the member nothing that year is 404, like a member out of reach."""
    member = permissions.get_member_for_points(request.user, pk)
    line = selectors.ledger_line(member, year, kind, record)
    if line is None:
        raise Http404
    context = {
        "member": member,
        "year": year,
        "line": line,
        "facts": selectors.entry_facts(line, member),
        "is_own": member.user_id is not None and member.user_id == request.user.pk,
    }
    return render(request, "points/entry.html", context)


def _ranking(request):
    if not permissions.can_view_ranking(request.user):
        raise PermissionDenied
    form = RankingFilterForm(request.GET, regions=permissions.ranking_regions_for(request.user))
    year, region = form.chosen_year(), form.chosen_region()
    ranking = selectors.ranking(year, region=region, members=permissions.members_ranked_for(request.user))
    return form, year, region, ranking


@staff_required
@require_GET
def ranking(request):
    form, year, region, result = _ranking(request)
    query = {"year": year, **({"region": region.pk} if region else {})}
    context = {"form": form, "year": year, "region": region, "ranking": result, "export_query": urlencode(query)}
    return render(request, "points/ranking.html", context)


@staff_required
@require_GET
def ranking_xlsx(request):
    _form, year, region, result = _ranking(request)
    scope = region.name if region else _("本人可查看的全部委员")
    content = documents.ranking_xlsx(result, scope=scope)
    return download(content, XLSX, documents.ranking_title(result), "xlsx")
