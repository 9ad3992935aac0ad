"""Form pieces shared by every stage."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.utils.translation import gettext_lazy as _

from shangliang.core import limits
from shangliang.core.dates import FIRST_YEAR, LAST_YEAR, validate_date_in_range
from shangliang.core.errors import DomainError
from shangliang.core.images import clean_photo
from shangliang.core.params import MAX_ID_DIGITS

# Control characters (C0, DEL, C1), the two non-characters and lone surrogates: invisible, never typed
# in Chinese text, and the C0 ones cannot be written into a Word or Excel file. A multi-line field
# keeps tab and line breaks; a single-line one keeps only tab (pasted from a spreadsheet).
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff"
CONTROL_CHARACTERS_MESSAGE = _("不能包含控制字符（不可见的特殊字符），请删除后再提交。")
MULTI_LINE_TEXT = RegexValidator(
    re.compile(f"[{_CONTROL}]"), CONTROL_CHARACTERS_MESSAGE, code="control_characters", inverse_match=True
)
SINGLE_LINE_TEXT = RegexValidator(
    re.compile(f"[{_CONTROL}\n\r]"), CONTROL_CHARACTERS_MESSAGE, code="control_characters", inverse_match=True
)


_document_length = MaxLengthValidator(limits.DOCUMENT)


def validate_document_length(value) -> None:
    """A text field with no limit of its own still stops here; the model's limit is usually smaller."""
    if isinstance(value, str):
        _document_length(value)


# The admin's date-time input is a SplitDateTimeField; its validators see the combined value.
DATE_FIELDS = (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)


def text_validator(field: forms.Field) -> RegexValidator | None:
    """The control-character check that fits a text field, None for a field that takes no free text."""
    if not isinstance(field, forms.CharField):
        return None
    return MULTI_LINE_TEXT if isinstance(field.widget, forms.Textarea) else SINGLE_LINE_TEXT


class CleanTextMixin:
    """Every text field of the form refuses control characters and text beyond ``limits.DOCUMENT``
    characters, and every date or date-time field a
    year outside ``core.dates``' range (security finding 14), with a message next to the field.

    Every form of the project takes this mixin first in its bases (a test checks it). The checks are
    added when the form validates, so fields that ``__init__`` adds or replaces are covered too.
    """

    def full_clean(self):
        self._refuse_unusable_choices()
        for field in self.fields.values():
            validator = text_validator(field)
            if validator is not None and validator not in field.validators:
                field.validators.append(validator)
            if validator is not None and field.max_length is None and validate_document_length not in field.validators:
                field.validators.append(validate_document_length)
            if isinstance(field, DATE_FIELDS) and validate_date_in_range not in field.validators:
                field.validators.append(validate_date_in_range)
        super().full_clean()

    def _refuse_unusable_choices(self):
        """A chosen record's key that no database can look up (a 30-digit number overflows SQLite's
        integers; PostgreSQL refuses NUL) becomes an invalid choice instead of a 500."""
        if not self.is_bound or not hasattr(self.data, "getlist"):
            return
        data = None
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            key = self.add_prefix(name)
            values = self.data.getlist(key)
            if any(len(value) > MAX_ID_DIGITS or "\x00" in value for value in values if isinstance(value, str)):
                data = data if data is not None else self.data.copy()
                data.setlist(key, ["invalid"])
        if data is not None:
            self.data = data


def with_clean_text(form_class: type) -> type:
    """``form_class`` with ``CleanTextMixin`` in front, for a form class built elsewhere (the admin's)."""
    if issubclass(form_class, CleanTextMixin):
        return form_class
    return type(form_class.__name__, (CleanTextMixin, form_class), {"__module__": form_class.__module__})


class CleanTextModelForm(CleanTextMixin, forms.ModelForm):
    """The base of the admin's inline forms."""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to ``max_count`` photos, each checked by content and re-encoded without location data."""

    def __init__(self, *args, max_count: int = 3, **kwargs):
        self.max_count = max_count
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data or []) if f] if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_count:
            raise ValidationError(_("最多上传%(count)d张照片。") % {"count": self.max_count}, code="too_many")
        return [clean_photo(super(PhotosField, self).clean(f, initial)) for f in files]


class DateInput(forms.DateInput):
    """The phone's date picker, offering only the years the forms accept. Its value is always ISO
    (2025-12-20): a date input shows nothing for any other format, so an edit form would look empty."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        attrs = {"min": f"{FIRST_YEAR}-01-01", "max": f"{LAST_YEAR}-12-31", **(attrs or {})}
        super().__init__(attrs, format or "%Y-%m-%d")


def errors_text(form: forms.Form) -> str:
    """All of a form's errors in one line, for a small form posted from a list (shown as a message)."""
    return " ".join(error for errors in form.errors.values() for error in errors)


def add_service_error(form: forms.Form, error: Exception) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    if isinstance(error, DomainError):
        form.add_error(error.field if error.field in form.fields else None, error.message)
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
