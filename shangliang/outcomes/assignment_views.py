"""One assignment: its page, and the one POST view for every action on it (see ``actions``).

The page shows exactly the forms the table of actions opens to the user in the item's status. A
POST names its action (the URL pattern passes it): the user's right is checked first (404, like
every object they may not act on), then whether the action is open now (a message, nothing
written), then the form and the service, whose refusals are shown next to the form.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shangliang.consultations.permissions import consultations_visible_to
from shangliang.core.errors import DomainError, EditConflict
from shangliang.core.form_tokens import submitted_once
from shangliang.core.forms import add_service_error
from shangliang.core.workdays import period_label
from shangliang.orgs.access import staff_required
from shangliang.outcomes import page_sections, permissions, selectors, services
from shangliang.outcomes.actions import ACTIONS, Situation, blank_form, bound_form, page_state
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.states import ExtensionStatus

TEMPLATE = "outcomes/assignment.html"


def _assignment_context(request, assignment: Assignment, **bound):
    """The page; ``bound`` holds a submitted form (by its form key) to show again with its errors."""
    user = request.user
    # Reload with the joins of the lists: pending extensions and reminders for the badges.
    assignment = selectors.with_related(Assignment.objects.filter(pk=assignment.pk)).get()
    consultation = assignment.suggestion.consultation
    extensions = list(assignment.extensions.select_related("requested_by", "decided_by"))
    pending = next((e for e in extensions if e.status == ExtensionStatus.PENDING), None)
    shown, hints = page_state(Situation(user, assignment, pending, timezone.now()))
    context = {
        "a": assignment,
        "c": consultation,
        "row": selectors.assignment_row(assignment, timezone.localdate()),
        "co_units": list(assignment.co_units.all()),
        "updates": assignment.updates.select_related("unit", "created_by"),
        "reminders": assignment.reminders.order_by("sent_at"),
        "extensions": extensions,
        "pending_extension": pending,
        "timeline": assignment.history.select_related("history_user").order_by("history_date", "history_id"),
        "show_mobile": permissions.can_supervise(user, assignment) or permissions.can_assign(user, consultation),
        "is_reader": consultations_visible_to(user).filter(pk=consultation.pk).exists(),
        "return_until": services.return_until(assignment),
        "return_period": period_label("return", services.return_days()),
        "show": {action.form_key: action.key in shown for action in ACTIONS.values()},
        "hints": {ACTIONS[key].form_key: hint for key, hint in hints.items()},
        # What apps above outcomes add (funds: the item's fund requests), ``page_sections``.
        "sections": page_sections.assignment_sections(user, assignment),
    }
    for action in ACTIONS.values():
        if bound.get(action.form_key) is not None:
            context[action.form_key] = bound[action.form_key]
        elif action.key in shown:
            context[action.form_key] = blank_form(action, assignment)
    return context


@staff_required
def assignment_detail(request, pk):
    assignment = permissions.get_assignment_for_view(request.user, pk)
    return render(request, TEMPLATE, _assignment_context(request, assignment))


def _situation(user, pk, action) -> Situation:
    """The object the URL names, fetched through the access functions (404 for "missing" and "not yours")."""
    if action.on_extension:
        extension = permissions.get_extension_for_decision(user, pk)
        return Situation(user, extension.assignment, extension, timezone.now())
    assignment = permissions.get_assignment_for_view(user, pk)
    pending = assignment.extensions.filter(status=ExtensionStatus.PENDING).first()
    return Situation(user, assignment, pending, timezone.now())


def _shown_again(request, assignment: Assignment, key: str, form=None):
    """The page again (400) with the submitted form; what cannot be shown next to a form is said above the page."""
    assignment = permissions.get_assignment_for_view(request.user, assignment.pk)
    context = _assignment_context(request, assignment, **{key: form})
    if form is not None and not context["show"][key]:
        for error in form.non_field_errors():
            messages.error(request, error)
    return render(request, TEMPLATE, context, status=400)


@staff_required
@require_POST
@submitted_once
def assignment_act(request, pk, action: str):
    """Check the right and whether the action ``action`` (a key of ``ACTIONS``) is open now, validate the
    form, call the service."""
    action = ACTIONS.get(action)
    if action is None:
        raise Http404
    situation = _situation(request.user, pk, action)
    assignment = situation.assignment
    if not action.may(request.user, assignment):
        raise Http404
    refusal = action.refused(situation)
    if refusal is not None:
        messages.error(request, refusal)
        return _shown_again(request, assignment, action.form_key)
    form = bound_form(action, request.POST, request.FILES)
    if form.is_valid():
        try:
            action.call(situation, form.cleaned_data)
        except EditConflict as error:
            add_service_error(form, error)
            form.refresh_version(Assignment.objects.values_list("version", flat=True).get(pk=assignment.pk))
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, str(action.success))
            return redirect("outcomes:assignment", pk=assignment.pk)
    return _shown_again(request, assignment, action.form_key, form)
