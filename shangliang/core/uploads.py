"""Uploaded attachments: the type is read from the content, never from the name, and must be on a short list.

A file a browser could run (HTML, SVG, scripts) is refused whatever it is called; the stored name and the
served Content-Type both come from ``sniff``, so a page can never be smuggled in as a "PDF".
"""

import zipfile
from dataclasses import dataclass

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from shangliang.core.documents import responses

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# filetype looks at most at the first 8 KB.
HEAD_BYTES = 8192


@dataclass(frozen=True)
class FileType:
    mime: str
    extension: str


PDF = FileType(responses.PDF, "pdf")
JPEG = FileType("image/jpeg", "jpg")
PNG = FileType(responses.PNG, "png")
WEBP = FileType("image/webp", "webp")
DOC = FileType("application/msword", "doc")
XLS = FileType("application/vnd.ms-excel", "xls")
DOCX = FileType(responses.DOCX, "docx")
XLSX = FileType(responses.XLSX, "xlsx")

ATTACHMENT_TYPES = frozenset({PDF, JPEG, PNG, WEBP, DOC, XLS, DOCX, XLSX})
_BY_MIME = {file_type.mime: file_type for file_type in ATTACHMENT_TYPES}
# A Word or Excel 2007+ file is a zip with its content-types list and its main part at these places.
_OOXML_MAIN_PART = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX}

REFUSED_TYPE = _("只能上传 PDF、Word、Excel 文档或 JPG、PNG、WEBP 图片。")
TOO_LARGE = _("附件不能超过10MB。")
HELP_TEXT = _("PDF、Word、Excel 文档或 JPG、PNG、WEBP 图片，不超过10MB")
ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png,.webp"


def _office_open_xml(file) -> FileType | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((file_type for part, file_type in _OOXML_MAIN_PART.items() if part in names), None)


def sniff(file) -> FileType | None:
    """The allowed type of ``file``'s content, or None; leaves the file at its start."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    try:
        if head.startswith(b"PK\x03\x04"):
            return _office_open_xml(file)
        if head.startswith(b"%PDF-"):
            return PDF
        guessed = filetype.guess(head)
        return _BY_MIME.get(guessed.mime) if guessed else None
    finally:
        file.seek(0)


def validate_attachment(upload) -> FileType:
    """Return the type of an allowed attachment; raise ValidationError for a large or refused file."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    file_type = sniff(upload)
    if file_type is None:
        raise ValidationError(REFUSED_TYPE, code="type_not_allowed")
    return file_type


class AttachmentField(forms.FileField):
    """An optional document or picture, checked by ``validate_attachment``; every non-photo upload uses it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", HELP_TEXT)
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if isinstance(upload, UploadedFile):
            validate_attachment(upload)
        return upload
