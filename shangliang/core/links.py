"""Absolute links for QR codes, posters and messages: one base address for all of them.

Behind a TLS proxy the request says ``http://127.0.0.1:8001``; a printed QR code must say the
address residents can reach. ``SHANGLIANG_PUBLIC_BASE_URL`` (e.g. ``https://xieshang.example.gov.cn``)
is that address; without it (development) the request's own host is used.
"""

from django.conf import settings


def absolute_url(path: str, request=None) -> str:
    base = settings.SHANGLIANG_PUBLIC_BASE_URL
    if base:
        return base.rstrip("/") + "/" + path.lstrip("/")
    if request is not None:
        return request.build_absolute_uri(path)
    return path
