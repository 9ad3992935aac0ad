"""Staff pages of hand-offs to other channels: hand a matter off, the list in scope, one hand-off with its
answer and withdrawal."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shangliang.consultations.models import Suggestion
from shangliang.core.form_tokens import submitted_once
from shangliang.core.views import form_page
from shangliang.handoffs import permissions, selectors, services
from shangliang.handoffs.forms import AnswerForm, FilterForm, HandoffForm, WithdrawForm, moment_of
from shangliang.handoffs.models import Handoff
from shangliang.handoffs.states import HandoffStatus, Subject
from shangliang.orgs.access import staff_required
from shangliang.topics import permissions as topic_permissions
from shangliang.topics.models import Submission

PAGE_SIZE = 30


def _subject_for_handoff(user, kind: str, pk):
    """The matter to hand off, when ``user`` may see it and decides it now; 404 for missing and not yours alike."""
    if kind == Subject.SUBMISSION:
        subject = topic_permissions.get_submission_for_view(user, pk)
    elif kind == Subject.TOPIC:
        subject = topic_permissions.get_topic_for_view(user, pk)
    else:
        subject = (
            Suggestion.objects.select_related("consultation__topic__convening_region", "consultation__platform")
            .filter(pk=pk)
            .first()
        )
    if subject is None or not permissions.can_hand_off(user, subject):
        raise Http404
    return subject


def subject_url(subject) -> str:
    """The staff page of the matter a hand-off is about."""
    if isinstance(subject, Submission):
        return reverse("topics:submission_detail", args=[subject.pk])
    if isinstance(subject, Suggestion):
        return reverse("outcomes:consultation", args=[subject.consultation_id]) + f"#decision-{subject.pk}"
    return reverse("topics:topic_detail", args=[subject.pk])


def subject_title(subject) -> str:
    return subject.text if isinstance(subject, Suggestion) else subject.title


def _region_of(subject):
    if isinstance(subject, Submission):
        return subject.region
    if isinstance(subject, Suggestion):
        return subject.consultation.topic.convening_region
    return subject.convening_region


@staff_required
@require_http_methods(["GET", "POST"])
@submitted_once
def handoff_new(request, kind, pk):
    """转交其他渠道: who decides the matter now hands it to the party, congress, government, CPPCC, people's or
    social organisations, or 12345."""
    subject = _subject_for_handoff(request.user, kind, pk)
    form = HandoffForm(request.POST or None, region=_region_of(subject))
    back = subject_url(subject)
    return form_page(
        request,
        form,
        lambda data: services.handoff_create(
            actor=request.user,
            subject=subject,
            channel=data["channel"],
            unit=data["unit"],
            recipient=data["recipient"],
            reason=data["reason"],
            reference=data["reference"],
            handed_at=moment_of(data["handed_on"]),
        ),
        success=lambda handoff: (
            _("已转交%(channel)s办理，相关群众将收到通知。") % {"channel": handoff.get_channel_display()}
        ),
        then=back,
        template="handoffs/new.html",
        context=lambda: {
            "form": form,
            "subject": subject,
            "kind": Subject(kind),
            "subject_title": subject_title(subject),
            "back": back,
            "refusal": services.handoff_refusal(subject),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_GET
def handoff_list(request):
    """The hand-offs in the user's scope, with filters (channel, status, no answer past the period)."""
    filters = FilterForm(request.GET or None)
    chosen = selectors.ListFilters()
    if filters.is_valid():
        chosen = selectors.ListFilters(
            channel=filters.cleaned_data["channel"],
            status=filters.cleaned_data["status"],
            overdue=filters.cleaned_data["overdue"],
        )
    visible = permissions.handoffs_visible_to(request.user)
    rows = selectors.handoff_list(visible, chosen)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for handoff in page:
        handoff.is_overdue = selectors.is_overdue(handoff, today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "handoffs/list.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "figures": selectors.handoff_figures(visible, today=today),
            "answer_days": settings.SHANGLIANG_HANDOFF_ANSWER_DAYS,
        },
    )


def _detail_context(request, handoff: Handoff, *, answer_form=None, withdraw_form=None) -> dict:
    may_follow_up = permissions.can_follow_up(request.user, handoff) and handoff.status == HandoffStatus.HANDED
    return {
        "handoff": handoff,
        "subject": handoff.subject,
        "subject_title": subject_title(handoff.subject),
        "subject_url": subject_url(handoff.subject),
        "is_overdue": selectors.is_overdue(handoff),
        "may_follow_up": may_follow_up,
        "answer_form": answer_form or (AnswerForm(auto_id="answer-%s") if may_follow_up else None),
        "withdraw_form": withdraw_form or (WithdrawForm(auto_id="withdraw-%s") if may_follow_up else None),
        "history": handoff.history.select_related("history_user").order_by("history_date", "history_id"),
    }


@staff_required
@require_GET
def handoff_detail(request, pk):
    handoff = permissions.get_handoff_for_view(request.user, pk)
    return render(request, "handoffs/detail.html", _detail_context(request, handoff))


@staff_required
@require_POST
@submitted_once
def handoff_answer(request, pk):
    handoff = permissions.get_handoff_for_follow_up(request.user, pk)
    form = AnswerForm(request.POST, request.FILES, auto_id="answer-%s")
    page = reverse("handoffs:detail", args=[handoff.pk])
    return form_page(
        request,
        form,
        lambda data: services.handoff_answer(
            actor=request.user,
            handoff=handoff,
            answer=data["answer"],
            answered_at=moment_of(data["answered_on"]),
            attachment=data["attachment"],
        ),
        success=_("已记录答复，相关群众将收到通知。"),
        then=page,
        reload=page,
        template="handoffs/detail.html",
        context=lambda: _detail_context(request, handoff, answer_form=form),
        status=400,
    )


@staff_required
@require_POST
@submitted_once
def handoff_withdraw(request, pk):
    handoff = permissions.get_handoff_for_follow_up(request.user, pk)
    form = WithdrawForm(request.POST, auto_id="withdraw-%s")
    page = reverse("handoffs:detail", args=[handoff.pk])
    return form_page(
        request,
        form,
        lambda data: services.handoff_withdraw(actor=request.user, handoff=handoff, reason=data["reason"]),
        success=_("已撤回转交，该事项回到原来的办理环节。"),
        then=page,
        reload=page,
        template="handoffs/detail.html",
        context=lambda: _detail_context(request, handoff, withdraw_form=form),
        status=400,
    )
