"""Public pages of typical cases (典型案例): the list and one case with its story, photos and results.

Only published cases of consultations whose results are public are shown; a withdrawn or archived
case is a 404. Like the public result page, no person's name or phone number appears.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shangliang.evaluation import selectors
from shangliang.outcomes import public_results
from shangliang.outcomes.documents_views import public_consultation_or_404

PAGE_SIZE = 12


@require_GET
def case_list(request):
    page = Paginator(selectors.typical_cases_public(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evaluation/cases/list.html", {"page": page})


@require_GET
def case_detail(request, pk):
    case = selectors.typical_cases_public().filter(pk=pk).first()
    if case is None:
        raise Http404
    consultation = public_consultation_or_404(case.consultation_id)
    items = public_results.public_items(consultation)
    context = {
        "case": case,
        "consultation": consultation,
        "topic": consultation.topic,
        "items": items,
        "counts": public_results.status_counts(items),
        "publication": public_results.publication_of(consultation),
    }
    return render(request, "evaluation/cases/detail.html", context)
