"""A staff form that adds a record saves once, however often it is posted.

The form carries a hidden one-time token (``FormTokenMixin``); the view that handles it is wrapped in
``submitted_once``. The first POST with a token claims it in the same transaction as the record it
creates. A second POST of the same token, by a double click, a retried request or a concurrent one,
finds the claim (PostgreSQL makes it wait for the first transaction's commit on the unique index)
and is sent where the first was, with no second record. The public submission form does the same
with its own ``client_token`` column.
"""

import uuid
from datetime import timedelta
from functools import wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core.models import FormToken

FIELD = "form_token"
# Claims older than this are deleted when the same user claims a new one.
KEPT_FOR = timedelta(days=7)
REDIRECTS = {301, 302, 303, 307, 308}


class FormTokenMixin:
    """Adds the hidden ``form_token`` field; it is left out of ``cleaned_data``, which feeds the services."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = forms.UUIDField(required=False, widget=forms.HiddenInput)
        if not self.is_bound:
            self.initial.setdefault(FIELD, uuid.uuid4())

    def full_clean(self):
        super().full_clean()
        if hasattr(self, "cleaned_data"):
            self.cleaned_data.pop(FIELD, None)


def _token(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def _repeat(request, token: uuid.UUID):
    claim = FormToken.objects.filter(token=token).first()
    if claim is None or claim.user_id != request.user.pk:
        raise SuspiciousOperation("A form token claimed by another user.")
    messages.info(request, _("这份表单刚才已经提交过，没有重复处理。"))
    return redirect(claim.url or "/")


def submitted_once(view):
    """Handle each form token once: a repeat is redirected where the first POST went, saving nothing.

    A POST without a token is handled as it is. The view runs in one transaction with the claim; a
    response other than a redirect (a form shown again with its errors) gives the token back, so the
    corrected form can be sent with it.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        token = _token(request) if request.method == "POST" and request.user.is_authenticated else None
        if token is None:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = FormToken.objects.create(token=token, user=request.user)
            except IntegrityError:
                return _repeat(request, token)
            response = view(request, *args, **kwargs)
            if response.status_code in REDIRECTS and response.has_header("Location"):
                claim.url = response["Location"][: FormToken._meta.get_field("url").max_length]
                claim.save(update_fields=["url"])
                stale = timezone.now() - KEPT_FOR
                FormToken.objects.filter(user=request.user, created_at__lt=stale).delete()
            else:
                claim.delete()
        return response

    wrapped.is_submitted_once = True  # kept by functools.wraps in the decorators around it
    return wrapped
