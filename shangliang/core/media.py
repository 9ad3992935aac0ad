"""Which record owns a stored file, and who may download it.

Uploaded files are never served as a folder: each app registers its file fields with the question that
decides access (usually "may this user see the record?"), and the media view asks it for every request.
A file that no registered field owns is not served at all. Core imports no app, so the apps register
themselves when they load (``AppConfig.ready``).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models.fields.files import FieldFile

CanView = Callable[[object, models.Model], bool]


@dataclass(frozen=True)
class ProtectedFile:
    model: type[models.Model]
    field_name: str
    can_view: CanView
    folder: str  # where the field stores its files, below MEDIA_ROOT ("research/")


_registry: dict[tuple[str, str], ProtectedFile] = {}


def register_protected_file(
    model: type[models.Model], field_name: str, can_view: CanView, *, folder: str | None = None
) -> None:
    """Serve ``model.field_name`` files to the users for whom ``can_view(user, record)`` is true.

    ``folder`` is where the field stores its files; it is read from a text ``upload_to`` and must be
    given with a callable one. A request is looked up only among the fields of its folder.
    """
    field = model._meta.get_field(field_name)
    if not isinstance(field, models.FileField):
        raise TypeError(f"{model.__name__}.{field_name} is not a file field")
    if folder is None:
        if callable(field.upload_to):
            raise TypeError(f"{model.__name__}.{field_name} names its files in code: give its folder")
        folder = field.upload_to.split("%", 1)[0]
    _registry[(model._meta.label, field_name)] = ProtectedFile(model, field_name, can_view, folder)


def nobody(user, record) -> bool:
    return False


def file_owner(name: str) -> tuple[ProtectedFile, models.Model] | None:
    """The registered field and the record whose file is stored as ``name``, or None."""
    if not name:
        return None
    for entry in _registry.values():
        if not name.startswith(entry.folder):
            continue
        record = entry.model._base_manager.filter(**{entry.field_name: name}).first()
        if record is not None:
            return entry, record
    return None


def file_for(user, name: str) -> FieldFile | None:
    """The stored file ``name`` if a registered record owns it and ``user`` may see that record, else None."""
    owner = file_owner(name)
    if owner is None:
        return None
    entry, record = owner
    if not entry.can_view(user, record):
        return None
    return getattr(record, entry.field_name)
