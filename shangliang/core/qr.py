"""QR codes (segno) for member codes, platform submission codes and posters."""

import io

import segno
from django.http import Http404, HttpResponse


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
    response = HttpResponse(qr_bytes(url, fmt), content_type="image/svg+xml" if fmt == "svg" else "image/png")
    if download_name:
        response["Content-Disposition"] = f'attachment; filename="{download_name}.{fmt}"'
    return response
