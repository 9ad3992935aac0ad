"""The participants page's own parts: search and invite members by name, sector or specialty, and remove
someone before the session (the row and the reason are kept)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shangliang.consultations import permissions, selectors, services
from shangliang.consultations.forms import MemberInviteForm, RemoveForm
from shangliang.consultations.models import Consultation, Participant
from shangliang.core.errors import DomainError
from shangliang.core.form_tokens import submitted_once
from shangliang.core.views import run_form
from shangliang.orgs.access import staff_required

QUERY_LENGTH = 50


def _query(request) -> str:
    return " ".join(request.GET.get("q", "").split())[:QUERY_LENGTH]


def search_context(consultation: Consultation, query: str) -> dict:
    """The member search's results: every member in scope matching ``query`` (all of them, by name, when empty)."""
    found = selectors.member_search(consultation, query, limit=selectors.MEMBERS_FOUND + 1)
    more, found = len(found) > selectors.MEMBERS_FOUND, found[: selectors.MEMBERS_FOUND]
    for member in found:
        member.invite_form = MemberInviteForm(initial={"member": member.pk, "q": query}, auto_id=False)
    return {"member_query": query, "members_found": found, "members_more": more}


def participants_extra(request, consultation: Consultation, *, can_run: bool, open_: bool) -> dict:
    """What the participants page adds for the member search and the removals."""
    removed = Participant.all_objects.filter(consultation=consultation, removed_at__isnull=False).select_related(
        "removed_by"
    )
    context = {"removed": list(removed.order_by("removed_at", "pk"))}
    if can_run and consultation.status in services.OPEN_FOR_MEMBER_CONFIRMATION:
        people = {p.pk: p for p in consultation.participants.all()}
        matches = services.members_matching(people.values())
        context["member_matches"] = [(people[pk], member) for pk, member in sorted(matches.items())]
    if can_run and open_:
        context |= search_context(consultation, _query(request))
    return context


@staff_required
@require_GET
def member_search(request, pk):
    """The results as the convener types (htmx); without JavaScript the page itself shows them."""
    consultation = permissions.get_consultation_for_running(request.user, pk)
    query = _query(request)
    if not request.htmx:
        url = reverse("consultations:participants", args=[pk])
        return redirect(f"{url}?{urlencode({'q': query})}#member-search")
    context = {"c": consultation, **search_context(consultation, query)}
    return render(request, "consultations/_member_results.html", context)


@staff_required
@require_POST
@submitted_once
def member_invite(request, pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    form = MemberInviteForm(request.POST)
    page = reverse("consultations:participants", args=[pk])

    def invite(data):
        return services.participants_invite(
            actor=request.user, consultation=consultation, picks=[f"member:{data['member']}"]
        )

    query = form.data.get("q", "")[:QUERY_LENGTH]
    back = f"{page}?{urlencode({'q': query})}#member-search" if query else f"{page}#member-search"
    done = run_form(
        request,
        form,
        invite,
        success=lambda people: _("已邀请 %(name)s。") % {"name": people[0].name},
        then=back,
    )
    if done:
        return done
    errors = [str(e) for errors in form.errors.values() for e in errors]
    messages.error(request, "".join(errors) or _("所选委员不能邀请，请刷新页面后重新选择。"))
    return redirect(back)


@staff_required
@require_POST
def participant_confirm_member(request, pk, participant_pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    participant = get_object_or_404(Participant, pk=participant_pk, consultation=consultation)
    try:
        participant = services.participant_confirm_member(participant, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        confirmed = _("已确认 %(name)s 以政协委员身份参加，计入其履职积分。") % {"name": participant.name}
        messages.success(request, confirmed)
    return redirect("consultations:participants", pk=pk)


@staff_required
@require_POST
def participant_remove(request, pk, participant_pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    participant = get_object_or_404(Participant, pk=participant_pk, consultation=consultation)
    form = RemoveForm(request.POST, auto_id=f"p{participant.pk}-%s")
    done = run_form(
        request,
        form,
        lambda data: services.participant_remove(participant, actor=request.user, **data),
        success=_("%(name)s 已从参与名单中移除，原因已记录。") % {"name": participant.name},
        then=reverse("consultations:participants", args=[pk]),
    )
    if done:
        return done
    if not form.has_error("reason"):
        # Refused as a whole (the session has opened, already signed in): the row's form is gone from the page.
        messages.error(request, "".join(form.non_field_errors()))
        return redirect("consultations:participants", pk=pk)
    from shangliang.consultations.views import STAGE_PAGES

    template, build = STAGE_PAGES["participants"]
    context = build(request, consultation)
    context["remove_bad"] = {"pk": participant.pk, "form": form}
    return render(request, template, context, status=400)
