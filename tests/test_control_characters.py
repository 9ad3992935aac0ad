"""Forms refuse control characters, and Word files drop them (penetration test finding 3).

One vertical tab pasted into the minutes made the minutes, the report and the annual report fail to
download as Word files. Every form of the project now refuses such characters with a message next
to the field (``core.forms.CleanTextMixin``); the Word writers drop what is stored already
(``core.documents.word``; see the ``*_drops_control_characters_*`` tests of the documents).
"""

import datetime
import importlib
import pkgutil
import uuid

import pytest
from django import forms
from django.contrib import admin
from django.http import QueryDict
from django.urls import reverse

import shangliang
from shangliang.consultations.models import Research
from shangliang.consultations.tests.builders import planned
from shangliang.core.forms import CONTROL_CHARACTERS_MESSAGE, CleanTextMixin
from shangliang.orgs.models import Region
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.topics.models import Category, Submission

SKIPPED_PARTS = {"tests", "migrations", "management"}


def _project_forms() -> list[type]:
    """Every form class defined in the project's modules (each module imported, so none is missed)."""
    for module in pkgutil.walk_packages(shangliang.__path__, "shangliang."):
        if SKIPPED_PARTS.isdisjoint(module.name.split(".")) and module.name.count(".") > 1:
            importlib.import_module(module.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        for cls in todo.pop().__subclasses__():
            todo.append(cls)
            if cls.__module__.startswith("shangliang.") and ".tests." not in cls.__module__:
                found.add(cls)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def test_every_form_of_the_project_refuses_control_characters():
    project_forms = _project_forms()
    assert len(project_forms) > 50, "the forms modules were found and imported"
    unprotected = [cls for cls in project_forms if not issubclass(cls, CleanTextMixin)]
    assert [f"{cls.__module__}.{cls.__qualname__}" for cls in unprotected] == []


def _takes_text(form_class) -> bool:
    return any(isinstance(field, forms.CharField) for field in form_class.base_fields.values())


@pytest.mark.django_db
def test_every_admin_form_that_takes_text_refuses_control_characters(rf):
    request = rf.get("/")
    request.user = make_user("admin-checker", is_superuser=True, is_staff=True)
    missing = []
    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith("shangliang."):
            continue
        if model_admin.has_add_permission(request) or model_admin.has_change_permission(request):
            for form in (model_admin.get_form(request), model_admin.get_form(request, model())):
                if _takes_text(form) and not issubclass(form, CleanTextMixin):
                    missing.append(f"{model.__name__}: {form.__name__}")
        for inline in model_admin.get_inline_instances(request):
            form = inline.get_formset(request).form
            if _takes_text(form) and not issubclass(form, CleanTextMixin):
                missing.append(f"{model.__name__}: {inline.model.__name__} inline")
    assert missing == []


@pytest.mark.parametrize(
    ("text", "multi_line", "is_valid"),
    [
        ("第一行\n第二行\t缩进\r\n", True, True),
        ("一行\t字", False, True),
        ("一行\n两行", False, False),
        ("垂直\x0b制表", True, False),
        ("空\x00字符", True, False),
        ("单元\x1f分隔", True, False),
        ("删除\x7f字符", True, False),
        ("控制\x85字符", True, False),
        ("非字符\ufffe", False, False),
    ],
)
def test_text_fields_refuse_control_characters_and_multi_line_ones_keep_tabs_and_line_breaks(
    text, multi_line, is_valid
):
    class NoteForm(CleanTextMixin, forms.Form):
        note = forms.CharField(widget=forms.Textarea if multi_line else forms.TextInput, strip=False)

    form = NoteForm({"note": text})
    assert form.is_valid() is is_valid
    if not is_valid:
        assert str(CONTROL_CHARACTERS_MESSAGE) in form.errors["note"]


@pytest.mark.django_db
def test_the_anonymous_submission_form_refuses_a_control_character_next_to_the_field(client, district):
    data = {
        "title": "村口路灯\x0b坏了",
        "content": "晚上看不见路，\n老人\t容易摔倒",
        "region": district["a1"].pk,
        "grid": "",
        "location_detail": "",
        "category": Category.objects.get(name="环境卫生").pk,
        "identity": "anonymous",
        "submitter_name": "",
        "submitter_mobile": "",
        "client_token": str(uuid.uuid4()),
    }
    response = client.post(reverse("topics:submit"), data)
    assert response.status_code == 200
    assert "不能包含控制字符" in response.content.decode()
    assert not Submission.objects.exists()

    response = client.post(reverse("topics:submit"), data | {"title": "村口路灯坏了"})
    assert response.status_code == 302
    assert Submission.objects.get().content == "晚上看不见路，\n老人\t容易摔倒"


@pytest.mark.django_db
def test_a_staff_form_refuses_a_control_character_next_to_the_field(client, district):
    convener = grant(make_user("control-convener"), Role.CONVENER, region=district["a1"])
    consultation = planned(district, convener=convener)
    client.force_login(convener)
    data = {
        "researchers": "林站长",
        "researched_on": datetime.date.today().isoformat(),
        "place": "集镇主街",
        "findings": "赶集日\x01人行道被占",
    }
    response = client.post(reverse("consultations:research_add", args=[consultation.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    error = page[page.index('name="findings"') :]
    assert error[: error.index("</div>")].count("不能包含控制字符") == 1
    assert not Research.objects.filter(consultation=consultation).exists()


def test_a_30_digit_key_posted_to_a_multiple_choice_is_an_invalid_choice_not_a_500():
    class Pick(CleanTextMixin, forms.Form):
        regions = forms.ModelMultipleChoiceField(queryset=Region.objects.all())
        region = forms.ModelChoiceField(queryset=Region.objects.all())

    data = QueryDict(mutable=True)
    data.setlist("regions", ["9" * 30])
    data.setlist("region", ["1\x00"])
    form = Pick(data)
    assert not form.is_valid()
    assert form.errors["regions"] and form.errors["region"]
