"""The one shape of a form that runs a service: refusals go next to the field, success to a message."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from shangliang.core.errors import DomainError, TransitionNotAllowed
from shangliang.core.forms import add_service_error


def run_form(
    request,
    form,
    action: Callable[[dict], object],
    *,
    success: str | Callable[[object], str],
    then: str | Callable[[object], str],
    reload: str = "",
):
    """On a valid POST run ``action(cleaned_data)``; return the redirect after success, else None.

    A service's refusal (a domain rule or a validation error) is put on the form, so the caller
    renders it again with the message next to the field. When ``reload`` is given, a status that
    moved meanwhile (someone else acted first) is said as a message and that page is shown as it
    now stands.
    ``success`` and ``then`` are text and a URL, or functions of what the action returned.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except TransitionNotAllowed as error:
        if not reload:
            add_service_error(form, error)
            return None
        messages.error(request, error.message)
        return redirect(reload)
    except (DomainError, ValidationError) as error:
        add_service_error(form, error)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(then(result) if callable(then) else then)


def run_action(request, action: Callable[[], object], *, success: str, then: str):
    """A button's POST (publish, withdraw …): run ``action``; its refusal or ``success`` is said as a
    message, and either way the browser goes back to ``then``."""
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(then)


def reloaded(record):
    """``record`` as the database now has it: a bound model form writes the refused input onto its
    instance, and someone else may have moved it meanwhile."""
    record.refresh_from_db()
    return record


def form_page(
    request,
    form,
    action: Callable[[dict], object],
    *,
    success: str | Callable[[object], str],
    then: str | Callable[[object], str],
    template: str,
    context: dict | Callable[[], dict],
    status: int = 200,
    reload: str = "",
):
    """``run_form``, and unless it redirects, ``template`` with the form as it stands.

    ``context`` is the page's context, or a function that builds it, called only when the page is
    shown (a success costs none of its queries). ``status`` is the page's: 400 where a form posted
    to its own URL comes back to an object's page with its errors.
    """
    done = run_form(request, form, action, success=success, then=then, reload=reload)
    if done is not None:
        return done
    return render(request, template, context() if callable(context) else context, status=status)
