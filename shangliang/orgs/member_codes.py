"""The member code (履职码): a QR code that opens the member's public page."""

import io

import segno
from django.urls import reverse


def member_public_url(request, member) -> str:
    return request.build_absolute_uri(reverse("orgs:member_public", args=[member.code]))


def member_qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=2, xmldecl=True)
    return buffer.getvalue()


def member_qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()
