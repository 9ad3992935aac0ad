"""Staff pages of evaluation: one consultation's satisfaction, ratings, follow-ups, third-party evaluations and typical
case; entering ratings gathered offline; the list of follow-ups.

Consultations come through ``consultations.permissions.get_consultation_for_view`` (404 for "missing"
and "not yours"); an action the user may not take on a consultation they can see is a 404 as well,
like the outcomes pages. Services decide whether an action is possible now; their refusals are shown
next to the form.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shangliang.consultations.models import Consultation
from shangliang.consultations.permissions import get_consultation_for_view
from shangliang.consultations.states import ConsultationStatus
from shangliang.core.documents import formats
from shangliang.core.errors import DomainError
from shangliang.core.form_tokens import submitted_once
from shangliang.core.forms import errors_text
from shangliang.core.views import run_form
from shangliang.evaluation import permissions, selectors, services
from shangliang.evaluation.forms import (
    DoubtfulRatingForm,
    FollowUpCloseForm,
    StaffRatingForm,
    ThirdPartyEvaluationForm,
    TypicalCaseForm,
    TypicalCaseWithdrawForm,
)
from shangliang.evaluation.models import FollowUp, Rating
from shangliang.evaluation.selectors import SatisfactionFigures
from shangliang.evaluation.states import STAFF_CHANNELS, FollowUpStatus, Satisfaction
from shangliang.orgs.access import staff_required

PER_PAGE = 30


# --- satisfaction figures, shared with the public page -----------------------------------------


def percent(share: float | None) -> str:
    """85.7% (one decimal, none when whole); a dash when nobody rated."""
    return formats.percent(share, drop_zero_decimal=True)


@dataclass
class AspectRow:
    label: str
    counts: list[int]
    rate: str


@dataclass
class Figures:
    total: int
    levels: list[str]
    process: AspectRow
    result: AspectRow

    @property
    def rows(self) -> list[AspectRow]:
        return [self.process, self.result]


def figures_of(figures: SatisfactionFigures) -> Figures:
    """The selector's counts as the pages show them: counts in the order of the levels, rates as text."""
    levels = list(Satisfaction)
    return Figures(
        total=figures.total,
        levels=[level.label for level in levels],
        process=AspectRow(_("对协商过程"), [figures.process[level] for level in levels], percent(figures.process_rate)),
        result=AspectRow(_("对落实结果"), [figures.result[level] for level in levels], percent(figures.result_rate)),
    )


# --- one consultation ----------------------------------------------------------------------------


@dataclass
class FollowUpRow:
    item: FollowUp
    is_overdue: bool
    share: str
    form: FollowUpCloseForm | None


def _close_form(follow_up: FollowUp, *args) -> FollowUpCloseForm:
    """Each follow-up's form gets its own element ids, so labels stay unique on one page."""
    return FollowUpCloseForm(*args, auto_id=f"close_{follow_up.pk}_%s")


def _evaluation_form(*args) -> ThirdPartyEvaluationForm:
    return ThirdPartyEvaluationForm(*args, auto_id="evaluation_%s", initial={"evaluated_on": timezone.localdate()})


def _case_context(user, consultation: Consultation, *, case_form=None, withdraw_form=None) -> dict:
    """The typical case (典型案例) section: the case, and its forms for those who may publish it."""
    case = selectors.case_of(consultation)
    may_publish = permissions.can_publish_case(user, consultation) and services.is_rating_open(consultation)
    if not may_publish or (case is not None and case.is_archived):
        return {"case": case, "case_form": None, "withdraw_form": None}
    if case_form is None:
        initial = {"title": case.title, "story": case.story} if case else {"title": consultation.topic.title}
        case_form = TypicalCaseForm(initial=initial, auto_id="case_%s")
    if withdraw_form is None and case is not None and case.is_published:
        withdraw_form = TypicalCaseWithdrawForm(auto_id="withdraw_%s")
    return {"case": case, "case_form": case_form, "withdraw_form": withdraw_form}


def _consultation_context(
    request, consultation: Consultation, *, evaluation_form=None, close_forms=None, case_form=None, withdraw_form=None
):
    user = request.user
    today = timezone.localdate()
    may_record = permissions.can_record_ratings(user, consultation)
    may_evaluate = permissions.can_evaluate(user, consultation)
    is_concluded = consultation.status == ConsultationStatus.CONCLUDED
    follow_ups = []
    for follow_up in selectors.follow_ups_of(consultation):
        form = None
        if may_record and follow_up.status == FollowUpStatus.OPEN:
            form = (close_forms or {}).get(follow_up.pk)
            if form is None:
                form = _close_form(follow_up)
        share = percent(follow_up.unsatisfied_share)
        follow_ups.append(FollowUpRow(follow_up, selectors.is_follow_up_overdue(follow_up, today), share, form))
    page = Paginator(selectors.ratings_for(consultation), PER_PAGE).get_page(request.GET.get("page"))
    if may_evaluate and is_concluded and evaluation_form is None:
        evaluation_form = _evaluation_form()
    return {
        "c": consultation,
        "is_concluded": is_concluded,
        "is_open": services.is_rating_open(consultation),
        "figures": figures_of(selectors.satisfaction_of(consultation.ratings.counted())),
        "page": page,
        "follow_ups": follow_ups,
        "third_party_evaluations": list(selectors.third_party_evaluations_of(consultation)),
        "can_record": may_record,
        "can_evaluate": may_evaluate,
        "evaluation_form": evaluation_form if may_evaluate and is_concluded else None,
        **_case_context(user, consultation, case_form=case_form, withdraw_form=withdraw_form),
    }


@staff_required
def consultation_evaluation(request, pk):
    consultation = get_consultation_for_view(request.user, pk)
    return render(request, "evaluation/consultation.html", _consultation_context(request, consultation))


def _page_at(pk: int, anchor: str) -> str:
    return reverse("evaluation:consultation", args=[pk]) + f"#{anchor}"


def _back(request, message: str, pk: int, anchor: str):
    messages.success(request, message)
    return redirect(_page_at(pk, anchor))


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def rating_record(request, pk):
    consultation = get_consultation_for_view(request.user, pk)
    if not permissions.can_record_ratings(request.user, consultation):
        raise Http404
    # After a save the same channel stays chosen, so a stack of questionnaires is typed in quickly.
    channel = request.GET.get("channel", "")
    initial = {"channel": channel} if channel in STAFF_CHANNELS else {}
    form = StaffRatingForm(request.POST or None, initial=initial)
    recorded = run_form(
        request,
        form,
        lambda data: services.rating_record(actor=request.user, consultation=consultation, **data),
        success=_("已录入一条评议，可继续录入。"),
        then=lambda rating: reverse("evaluation:rating_record", args=[pk]) + f"?channel={rating.channel}",
    )
    if recorded:
        return recorded
    context = {
        "c": consultation,
        "form": form,
        "is_concluded": consultation.status == ConsultationStatus.CONCLUDED,
        "is_open": services.is_rating_open(consultation),
        "total": selectors.satisfaction_of(consultation.ratings.counted()).total,
    }
    return render(request, "evaluation/rating_record.html", context, status=400 if form.errors else 200)


@staff_required
@require_POST
def rating_doubtful(request, pk, rating_pk):
    """Staff who record ratings mark one doubtful (it stops counting) or count it again."""
    consultation = get_consultation_for_view(request.user, pk)
    if not permissions.can_record_ratings(request.user, consultation):
        raise Http404
    rating = Rating.objects.filter(consultation=consultation, pk=rating_pk).first()
    if rating is None:
        raise Http404
    form = DoubtfulRatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(reverse("evaluation:consultation", args=[pk]) + "#ratings")
    try:
        services.rating_mark_doubtful(
            actor=request.user,
            rating=rating,
            is_doubtful=form.cleaned_data["is_doubtful"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(reverse("evaluation:consultation", args=[pk]) + "#ratings")
    done = _("已标记为存疑，不再计入满意度。") if form.cleaned_data["is_doubtful"] else _("已恢复计入。")
    return _back(request, done, pk, "ratings")


@staff_required
@require_POST
@submitted_once
def third_party_evaluation_add(request, pk):
    consultation = get_consultation_for_view(request.user, pk)
    if not permissions.can_evaluate(request.user, consultation):
        raise Http404
    form = _evaluation_form(request.POST)
    added = run_form(
        request,
        form,
        lambda data: services.third_party_evaluation_add(actor=request.user, consultation=consultation, **data),
        success=_("评估已记录。"),
        then=_page_at(pk, "third-party-evaluations"),
    )
    if added:
        return added
    context = _consultation_context(request, consultation, evaluation_form=form)
    if context["evaluation_form"] is None:
        # The form is not shown in the consultation's current state; say why above the page.
        for error in form.non_field_errors():
            messages.error(request, error)
    return render(request, "evaluation/consultation.html", context, status=400)


@staff_required
@require_POST
def follow_up_close(request, pk):
    follow_up = permissions.get_follow_up_for_view(request.user, pk)
    consultation = follow_up.consultation
    if not permissions.can_record_ratings(request.user, consultation):
        raise Http404
    form = _close_form(follow_up, request.POST)
    closed = run_form(
        request,
        form,
        lambda data: services.follow_up_close(actor=request.user, follow_up=follow_up, result=data["result"]),
        success=_("回访重办已完成。"),
        then=_page_at(consultation.pk, "follow-ups"),
    )
    if closed:
        return closed
    context = _consultation_context(request, consultation, close_forms={follow_up.pk: form})
    if not any(row.form is form for row in context["follow_ups"]):
        # Already closed (by someone else): the form is gone, so say why above the page.
        for error in form.non_field_errors():
            messages.error(request, error)
    return render(request, "evaluation/consultation.html", context, status=400)


# --- the typical case -----------------------------------------------------------------------------


def _case_refused(request, consultation: Consultation, form, **forms):
    context = _consultation_context(request, consultation, **forms)
    if not any(context[name] is form for name in forms):
        # The form is not shown in the case's current state; say why above the page.
        for error in form.non_field_errors():
            messages.error(request, error)
    return render(request, "evaluation/consultation.html", context, status=400)


@staff_required
@require_POST
def case_publish(request, pk):
    consultation = get_consultation_for_view(request.user, pk)
    if not permissions.can_publish_case(request.user, consultation):
        raise Http404
    form = TypicalCaseForm(request.POST, request.FILES, auto_id="case_%s")
    published = run_form(
        request,
        form,
        lambda data: services.typical_case_publish(actor=request.user, consultation=consultation, **data),
        success=_("典型案例已发布。"),
        then=_page_at(pk, "typical-case"),
    )
    return published or _case_refused(request, consultation, form, case_form=form)


@staff_required
@require_POST
def case_withdraw(request, pk):
    consultation = get_consultation_for_view(request.user, pk)
    if not permissions.can_publish_case(request.user, consultation):
        raise Http404
    case = selectors.case_of(consultation)
    if case is None:
        raise Http404
    form = TypicalCaseWithdrawForm(request.POST, auto_id="withdraw_%s")
    withdrawn = run_form(
        request,
        form,
        lambda data: services.typical_case_withdraw(actor=request.user, case=case, reason=data["reason"]),
        success=_("典型案例已撤回。"),
        then=_page_at(pk, "typical-case"),
    )
    return withdrawn or _case_refused(request, consultation, form, withdraw_form=form)


# --- the follow-ups list -------------------------------------------------------------------------


@staff_required
def follow_up_list(request):
    today = timezone.localdate()
    follow_ups = selectors.follow_ups_open_first(permissions.follow_ups_visible_to(request.user))
    page = Paginator(follow_ups, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        FollowUpRow(f, selectors.is_follow_up_overdue(f, today), percent(f.unsatisfied_share), None)
        for f in page.object_list
    ]
    return render(request, "evaluation/follow_ups.html", {"page": page, "rows": rows})
