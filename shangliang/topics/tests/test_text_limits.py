"""Free text has a length limit everywhere: a huge submission is refused next to the field."""

import uuid

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.urls import reverse

from shangliang.core import limits
from shangliang.core.forms import CleanTextMixin
from shangliang.topics.models import Category, Submission

pytestmark = pytest.mark.django_db


def test_a_submission_of_a_million_characters_is_refused_next_to_the_field(client, district):
    data = {
        "title": "村口路灯坏了",
        "content": "很长" * 600_000,
        "region": district["a1"].pk,
        "category": Category.objects.get(name="环境卫生").pk,
        "identity": "anonymous",
        "client_token": str(uuid.uuid4()),
    }
    response = client.post(reverse("topics:submit"), data)
    assert response.status_code in (200, 400)
    errors = " ".join(response.context["form"].errors["content"])
    assert "5000" in errors and "字符" in errors
    assert not Submission.objects.exists()


def test_every_text_column_of_the_project_has_a_length_limit():
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("shangliang.")
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField | models.CharField) and not field.max_length
    ]
    assert unbounded == []


def test_a_form_field_without_a_limit_of_its_own_stops_at_the_document_limit():
    class Note(CleanTextMixin, forms.Form):
        text = forms.CharField(widget=forms.Textarea)

    form = Note({"text": "字" * (limits.DOCUMENT + 1)})
    assert not form.is_valid()
    assert str(limits.DOCUMENT) in form.errors["text"][0]
