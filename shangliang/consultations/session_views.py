"""The session page, recorded live on a phone or a laptop, and corrections of the record.

Sign-ins and statements go through htmx without reloading the page: a statement's form posts to
``statement_add``, which on success redirects (so the form token stays claimed, ``core.form_tokens``)
to ``session_live``, the fragment with a fresh form and the statements newest first; a sign-in
answers with the participant's row and the "已签到 x/y" counter. Without JavaScript the same forms
post normally and come back to the page.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shangliang.consultations import permissions, selectors, services
from shangliang.consultations.forms import (
    HideForm,
    StatementEditForm,
    StatementForm,
    SuggestionEditForm,
    WithdrawForm,
    with_members,
)
from shangliang.consultations.models import Consultation, Participant, Statement, Suggestion
from shangliang.consultations.states import ConsultationStatus
from shangliang.core.errors import DomainError
from shangliang.core.form_tokens import submitted_once
from shangliang.core.views import run_form
from shangliang.orgs.access import staff_required

SESSION_PAGE = "consultations/session.html"
LIVE = "consultations/_live_record.html"
SIGN_IN_ROW = "consultations/_sign_in_row.html"
SIGN_IN_OPEN = {ConsultationStatus.NOTIFIED, ConsultationStatus.IN_SESSION}


def _session_url(pk: int, anchor: str = "") -> str:
    return reverse("consultations:session", args=[pk]) + anchor


def _live_url(pk: int) -> str:
    return reverse("consultations:session_live", args=[pk])


def _statement_form(consultation: Consultation, statements: list[Statement]) -> StatementForm:
    """A fresh form: the next statement is most likely on the agenda item of the last one."""
    latest = statements[0] if statements else None
    initial = {"agenda_item": latest.agenda_item_id} if latest and latest.agenda_item_id else {}
    return StatementForm(consultation=consultation, initial=initial)


def _with_correction_forms(statement: Statement, bad: dict | None = None) -> Statement:
    """The statement with its edit and withdraw forms (ids unique per row), or the refused one bound
    with its errors. Rows get them on demand: thirty hidden pairs of forms would weigh on a phone."""
    bad = bad or {}
    statement.edit_form = bad.get("edit_form") or StatementEditForm(
        auto_id=f"s{statement.pk}-%s",
        initial={"text": statement.text, "stance": statement.stance, "is_dissent": statement.is_dissent},
    )
    statement.withdraw_form = bad.get("withdraw_form") or WithdrawForm(auto_id=f"s{statement.pk}-w-%s")
    statement.correction_open = True
    return statement


def live_context(request, consultation: Consultation, *, form=None, bad=None) -> dict:
    """The statements part of the session page: the form at the top, the statements newest first."""
    can_run = permissions.can_run_consultation(request.user, consultation)
    statements = list(
        consultation.statements.select_related("participant", "agenda_item").order_by("-created_at", "-pk")
    )
    can_correct = can_run and services.statement_correctable(consultation)
    for statement in statements:
        if can_correct and bad and bad.get("pk") == statement.pk:
            _with_correction_forms(statement, bad)
    return {
        "c": consultation,
        "can_run": can_run,
        "recording": consultation.status in services.RECORDING,
        "can_correct": can_correct,
        "statements": statements,
        "form": form or _statement_form(consultation, statements),
    }


def session_context(request, consultation: Consultation, *, form=None, bad=None) -> dict:
    participants = list(consultation.participants.order_by("signed_in_at", "category", "pk"))
    context = live_context(request, consultation, form=form, bad=bad)
    context.update(
        {
            "participants": participants,
            "signed_in": sum(1 for p in participants if p.signed_in_at),
            "participant_count": len(participants),
            "sign_in_open": consultation.status in SIGN_IN_OPEN,
            "posts": consultation.posts.select_related("author", "participant", "hidden_by"),
            "hide_form": HideForm(),
        }
    )
    return context


def _render_live(request, consultation, *, form=None, bad=None):
    """htmx gets the fragment (200, so it is swapped in); a plain POST the whole page (400)."""
    if request.htmx:
        return render(request, LIVE, live_context(request, consultation, form=form, bad=bad))
    return render(request, SESSION_PAGE, session_context(request, consultation, form=form, bad=bad), status=400)


@staff_required
@require_GET
def session(request, pk):
    consultation = permissions.get_consultation_for_view(request.user, pk)
    return render(request, SESSION_PAGE, session_context(request, consultation))


@staff_required
@require_GET
def session_live(request, pk):
    """The statements fragment, where htmx lands after a statement or a correction is saved."""
    consultation = permissions.get_consultation_for_view(request.user, pk)
    return render(request, LIVE, live_context(request, consultation) | {"fragment": True})


@staff_required
@require_POST
def staff_sign_in(request, pk, participant_pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    participant = get_object_or_404(Participant, pk=participant_pk, consultation=consultation)
    error = ""
    try:
        participant = services.sign_in(participant=participant, actor=request.user)
    except DomainError as refusal:
        error = refusal.message
    if request.htmx:
        signed_in = consultation.participants.filter(signed_in_at__isnull=False).count()
        context = {
            "c": consultation,
            "p": participant,
            "can_run": True,
            "sign_in_open": consultation.status in SIGN_IN_OPEN,
            "error": error,
            "oob": True,
            "signed_in": signed_in,
            "participant_count": consultation.participants.count(),
        }
        return render(request, SIGN_IN_ROW, context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("%(name)s 已签到。") % {"name": participant.name})
    return redirect(_session_url(pk, "#sign-in"))


@staff_required
@require_POST
@submitted_once
def statement_add(request, pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    form = StatementForm(request.POST, consultation=consultation)
    done = run_form(
        request,
        form,
        lambda data: services.statement_add(actor=request.user, consultation=consultation, **data),
        success=_("发言已记录。"),
        # A redirect keeps the form token claimed; htmx follows it to the fragment with a fresh form.
        then=_live_url(pk) if request.htmx else _session_url(pk, "#live-record"),
    )
    return done or _render_live(request, consultation, form=form)


def _corrected(pk: int, message: str) -> str:
    """The success message; minutes someone edited by hand do not follow corrections by themselves."""
    consultation = Consultation.objects.select_related("topic", "platform", "session_format", "convener").get(pk=pk)
    if consultation.status == ConsultationStatus.HELD and consultation.minutes != services.minutes_draft(consultation):
        return message + _("纪要已经人工修改，没有自动更新，请到纪要页核对这处更正。")
    return message


def _correction_page(request, consultation, statement, *, bad=None, status=200):
    """The statement's correction forms on a page of their own (without JavaScript)."""
    context = {"c": consultation, "s": _with_correction_forms(statement, bad)}
    return render(request, "consultations/statement_correction.html", context, status=status)


def _correct_statement(request, pk, statement_pk, form_class, action, message, key):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    statement = get_object_or_404(
        Statement.objects.select_related("participant", "agenda_item"), pk=statement_pk, consultation=consultation
    )
    if not services.statement_correctable(consultation):
        messages.error(request, _("只有协商开始后、纪要确认前可以更正发言记录。"))
        if request.htmx:
            return render(request, LIVE, live_context(request, consultation))
        return redirect(_session_url(pk, "#live-record"))
    if request.method == "GET":
        if request.htmx:
            # The row's link is replaced by its forms.
            context = {"c": consultation, "s": _with_correction_forms(statement), "can_correct": True}
            return render(request, "consultations/_statement_correction.html", context)
        return _correction_page(request, consultation, statement)
    form = form_class(request.POST, auto_id=f"s{statement.pk}-%s" if key == "edit_form" else f"s{statement.pk}-w-%s")
    done = run_form(
        request,
        form,
        lambda data: action(statement, actor=request.user, **data),
        success=lambda _result: _corrected(pk, message),
        then=_live_url(pk) if request.htmx else _session_url(pk, f"#s-{statement.pk}"),
    )
    if done:
        return done
    if request.htmx:
        return _render_live(request, consultation, bad={"pk": statement.pk, key: form})
    return _correction_page(request, consultation, statement, bad={key: form}, status=400)


@staff_required
@require_http_methods(["GET", "POST"])
def statement_edit(request, pk, statement_pk):
    """GET: the correction forms (htmx: in the row; otherwise a page). POST: the corrected statement."""
    return _correct_statement(
        request, pk, statement_pk, StatementEditForm, services.statement_update, _("发言记录已更正。"), "edit_form"
    )


@staff_required
@require_POST
def statement_withdraw(request, pk, statement_pk):
    return _correct_statement(
        request, pk, statement_pk, WithdrawForm, services.statement_withdraw, _("发言记录已撤回。"), "withdraw_form"
    )


# --- suggestions of the resolution ---------------------------------------------------------


def _suggestion_refused(request, consultation, suggestion, form):
    """The suggestion's correction forms on a page of their own, the refused one with its message next
    to the field (status 400)."""
    edit = form if isinstance(form, SuggestionEditForm) else None
    edit = edit or with_members(
        SuggestionEditForm(initial={"text": suggestion.text, "proposed_by": suggestion.proposed_by_id}),
        selectors.members_for(consultation),
    )
    withdraw = form if isinstance(form, WithdrawForm) else WithdrawForm()
    context = {"c": consultation, "s": suggestion, "edit_form": edit, "withdraw_form": withdraw}
    return render(request, "consultations/suggestion_correction.html", context, status=400)


@staff_required
@require_POST
def suggestion_edit(request, pk, suggestion_pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    suggestion = get_object_or_404(Suggestion, pk=suggestion_pk, consultation=consultation)
    form = with_members(SuggestionEditForm(request.POST), selectors.members_for(consultation))
    done = run_form(
        request,
        form,
        lambda data: services.suggestion_update(suggestion, actor=request.user, **data),
        success=_("建议已修改。"),
        then=reverse("consultations:resolution", args=[pk]) + "#suggestions",
    )
    return done or _suggestion_refused(request, consultation, suggestion, form)


@staff_required
@require_POST
def suggestion_withdraw(request, pk, suggestion_pk):
    consultation = permissions.get_consultation_for_running(request.user, pk)
    suggestion = get_object_or_404(Suggestion, pk=suggestion_pk, consultation=consultation)
    form = WithdrawForm(request.POST)
    done = run_form(
        request,
        form,
        lambda data: services.suggestion_withdraw(suggestion, actor=request.user, **data),
        success=_("建议已撤回。"),
        then=reverse("consultations:resolution", args=[pk]) + "#suggestions",
    )
    return done or _suggestion_refused(request, consultation, suggestion, form)
