"""A long-lived random id per browser, for the per-device rate limits (``core.ratelimits``).

Residents at a village meeting share one address, so the per-address limits are generous; the
device cookie lets one phone that repeats itself be stopped without stopping the room. The id is
random and says nothing about the person; it is not a login and grants nothing. A missing or
malformed cookie (anything but 32 lowercase hex characters) is replaced, and the request is counted
under the new id at once, so the first request of a device is not free.
"""

import re
import secrets

from django.conf import settings

from shangliang.core.ratelimits import DEVICE_COOKIE

DEVICE_ID_RE = re.compile(r"^[0-9a-f]{32}$")
# Two years: long enough to outlast every limit's period, short of a browser's cap on cookies.
DEVICE_COOKIE_AGE = 2 * 365 * 24 * 3600


def is_device_id(value: str) -> bool:
    return bool(DEVICE_ID_RE.match(value or ""))


def new_device_id() -> str:
    return secrets.token_hex(16)


class DeviceIdMiddleware:
    """Give every browser an ``sl_device`` cookie when it has none (or a forged one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fresh = None
        if not is_device_id(request.COOKIES.get(DEVICE_COOKIE, "")):
            fresh = new_device_id()
            request.COOKIES[DEVICE_COOKIE] = fresh
        response = self.get_response(request)
        if fresh is not None:
            response.set_cookie(
                DEVICE_COOKIE,
                fresh,
                max_age=DEVICE_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
