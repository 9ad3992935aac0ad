"""The public side of outcomes (公开): a consultation's results, the public board of a platform or a
village, and the printable results poster.

Residents open these on phones, without logging in. They show what was decided and what became of
each suggestion, and the public bodies in charge; never a person's name or phone number (no
participant, responsible person or supervisor).
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shangliang.consultations.models import Consultation
from shangliang.orgs.models import Platform, Region
from shangliang.orgs.states import RegionLevel
from shangliang.outcomes import page_sections, public_results, selectors
from shangliang.outcomes.documents_views import poster_response, public_consultation_or_404
from shangliang.outcomes.models import Publication

PAGE_SIZE = 10


@dataclass
class BoardCard:
    """One consultation on a public board."""

    consultation: Consultation
    total: int
    counts: list[tuple[str, str, int]]
    publication: Publication | None


def _card(consultation: Consultation) -> BoardCard:
    items = public_results.public_items(consultation)
    counts = public_results.status_counts(items)
    return BoardCard(consultation, len(items), counts, public_results.publication_of(consultation))


def _board(request, consultations) -> dict:
    page = Paginator(consultations, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "cards": [_card(c) for c in page.object_list]}


@require_GET
def result(request, pk):
    consultation = public_results.with_measures(public_consultation_or_404(pk))
    items = public_results.public_items(consultation)
    context = {
        "consultation": consultation,
        "topic": consultation.topic,
        "items": items,
        "counts": public_results.status_counts(items),
        "publication": public_results.publication_of(consultation),
        "dissent_line": public_results.dissent_line(consultation),
        # What apps above outcomes add (funds: the spending on this consultation), ``page_sections``.
        "sections": page_sections.public_sections(consultation),
    }
    return render(request, "outcomes/public/result.html", context)


@require_GET
def poster(request, pk):
    return poster_response(request, public_consultation_or_404(pk), attachment=False)


@require_GET
def platform_board(request, pk):
    platform = Platform.objects.filter(pk=pk, is_archived=False).select_related("region").first()
    if platform is None:
        raise Http404
    context = {"platform": platform, **_board(request, selectors.board_consultations(platform=platform))}
    return render(request, "outcomes/public/board.html", context)


@require_GET
def village_board(request, pk):
    village = Region.objects.filter(pk=pk, level=RegionLevel.VILLAGE, is_archived=False).first()
    if village is None:
        raise Http404
    platforms = Platform.objects.filter(region__path__startswith=village.path, is_archived=False).order_by("name")
    context = {
        "village": village,
        "platforms": list(platforms),
        **_board(request, selectors.board_consultations(village=village)),
    }
    return render(request, "outcomes/public/board.html", context)
