"""The member code (履职码): a QR code that opens the member's public page."""

from django.urls import reverse

from shangliang.core.links import absolute_url


def member_public_url(request, member) -> str:
    return absolute_url(reverse("orgs:member_public", args=[member.code]), request)
