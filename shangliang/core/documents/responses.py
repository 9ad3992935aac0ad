"""Download responses: the content type of each kind of document and its file name.

The file name goes into Content-Disposition through Django's ``content_disposition_header``,
which writes a Chinese name as an RFC 5987 ``filename*=utf-8''…`` parameter that every current
browser reads.
"""

import re

from django.http import HttpResponse
from django.utils.http import content_disposition_header

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
PNG = "image/png"
SVG = "image/svg+xml"

# Characters Windows refuses in file names (and white space) would make the browser rename or cut the download.
UNSAFE_IN_FILE_NAME_RE = re.compile(r'[\\/:*?"<>|\s]+')


def file_name(name: str, ext: str) -> str:
    """``name.ext`` with what Windows refuses in a file name replaced by "_"."""
    return f"{UNSAFE_IN_FILE_NAME_RE.sub('_', name)}.{ext}"


def download(content: bytes, content_type: str, name: str, ext: str, *, attachment: bool = True) -> HttpResponse:
    """``content`` as a file named ``name.ext``: saved by the browser, or shown inline when not ``attachment``."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(attachment, file_name(name, ext))
    return response
