"""Form pieces shared by every stage."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shangliang.core.errors import DomainError
from shangliang.core.images import clean_photo


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
    input_type = "date"


def add_service_error(form: forms.Form, error: Exception) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    if isinstance(error, DomainError):
        form.add_error(error.field if error.field in form.fields else None, error.message)
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
