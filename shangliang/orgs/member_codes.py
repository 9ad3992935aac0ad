"""The member code (履职码): a QR code that opens the member's public page."""

from django.urls import reverse


def member_public_url(request, member) -> str:
    return request.build_absolute_uri(reverse("orgs:member_public", args=[member.code]))
