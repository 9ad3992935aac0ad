"""QR codes (segno) for member codes, platform submission codes and posters."""

import io

import segno
from django.http import Http404, HttpResponse

from shangliang.core.documents.responses import PNG, SVG, download


def qr_bytes(url: str, fmt: str) -> bytes:
    buffer = io.BytesIO()
    code = segno.make(url, error="m")
    if fmt == "svg":
        code.save(buffer, kind="svg", scale=6, border=2, xmldecl=True)
    else:
        code.save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()


def qr_response(url: str, fmt: str, *, download_name: str | None = None) -> HttpResponse:
    """The QR code of ``url`` as SVG or PNG; any other format is a 404."""
    if fmt not in ("svg", "png"):
        raise Http404
    content, content_type = qr_bytes(url, fmt), SVG if fmt == "svg" else PNG
    if download_name:
        return download(content, content_type, download_name, fmt)
    return HttpResponse(content, content_type=content_type)
