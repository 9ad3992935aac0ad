"""Error pages that settings name for Django to call (CSRF_FAILURE_VIEW), rather than URLs."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A form came back without a valid CSRF token, mostly a page left open too long or a login
    elsewhere since: a Chinese page that asks to go back and reload, with status 403, instead of
    Django's English one. Django has already logged the reason (django.security.csrf); it is not shown."""
    return render(request, "403_csrf.html", status=403)
