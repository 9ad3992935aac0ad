"""Rate limits on the endpoints anyone can reach, per client address and per device.

One decorator, ``rate_limited(group)``, counts each request twice in the shared cache (Redis in
production, so every worker counts together): per client address (``core.clients``) against
``settings.SHANGLIANG_RATE_LIMITS`` and per device (the ``sl_device`` cookie that ``core.devices``
gives every browser) against ``settings.SHANGLIANG_DEVICE_RATE_LIMITS``, both "count/period" (e.g.
"20/10m") per group. A request over either limit gets a Chinese page and status 429 instead of the
view. Views that decide inline call ``limit_reached(request, group)``, which counts the same way.

The per-address limits are generous on purpose: residents at a village meeting or behind a
carrier's NAT share one address, so that limit must stop a script, not a room of people; the
per-device limits are tighter and stop one phone repeating itself. A script that drops its cookies
gets a new device id on every request and is left to the per-address limit.

A cache that cannot be reached lets requests through (``RATELIMIT_FAIL_OPEN``) rather than shutting
everyone out of the login and the public forms.
"""

import logging
from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

from shangliang.core.clients import client_ip

logger = logging.getLogger(__name__)

LIMITED_TEMPLATE = "429.html"
# Look-ups that read by GET (a tracking code in the address) are counted on GET as well.
READ_GROUPS = frozenset({"track"})
# What a cache outage raises: Redis errors, or the file cache's disk errors.
CACHE_ERRORS = (RedisError, OSError)


def rate_for(group: str) -> str:
    return settings.SHANGLIANG_RATE_LIMITS[group]


def _ip_key(group, request) -> str:
    return client_ip(request)


def _over(request, *, group: str, key, rate: str, increment: bool) -> bool:
    """``is_ratelimited``, except that a cache outage lets the request through when failing open."""
    try:
        return is_ratelimited(request, group=group, key=key, rate=rate, increment=increment)
    except CACHE_ERRORS:
        if not getattr(settings, "RATELIMIT_FAIL_OPEN", False):
            raise
        logger.warning("rate-limit cache unavailable; %s let through", group, exc_info=True)
        return False


def hit(request, group: str, *, increment: bool = True, key=None) -> bool:
    """Count one request of ``group`` (unless ``increment`` is off); True once over the limit.

    ``key`` counts by something other than the address (e.g. an account), as a callable
    ``(group, request) -> str``.
    """
    return _over(request, group=f"shangliang:{group}", key=key or _ip_key, rate=rate_for(group), increment=increment)


DEVICE_COOKIE = "sl_device"


def device_id(request) -> str:
    """The device's long-lived random id (``core.devices`` sets the cookie), or "" before it has one."""
    value = request.COOKIES.get(DEVICE_COOKIE, "") if request is not None else ""
    return value if value.isalnum() and len(value) <= 64 else ""


def hit_per(request, group: str, value: str | None = None, *, increment: bool = True) -> bool:
    """Count one request of ``group`` per device (or per ``value``, e.g. a mobile number) against
    ``settings.SHANGLIANG_DEVICE_RATE_LIMITS``; True once over. A request without a device id and
    without a value is not counted here (the per-address limit still holds)."""
    key_value = value if value is not None else device_id(request)
    if not key_value:
        return False
    return _over(
        request,
        group=f"shangliang:{group}:per",
        key=lambda _group, _request: key_value,
        rate=settings.SHANGLIANG_DEVICE_RATE_LIMITS[group],
        increment=increment,
    )


def limit_reached(request, group: str) -> bool:
    """Count one request of ``group`` per address and per device; True once either is over.

    Both counters move on every request, so neither limit can be dodged by tripping the other
    first. Groups without a per-device rate (the login's) are counted per address only.
    """
    over_address = hit(request, group)
    over_device = group in settings.SHANGLIANG_DEVICE_RATE_LIMITS and hit_per(request, group)
    return over_address or over_device


def limited_response(request):
    return render(request, LIMITED_TEMPLATE, status=429)


def rate_limited(group: str, methods: tuple[str, ...] | None = None):
    """Refuse ``methods`` requests to the view beyond the group's rates (``limit_reached``).

    ``methods`` defaults to POST, and to GET and POST for the look-up groups (``READ_GROUPS``).
    """
    counted = methods or (("GET", "POST") if group in READ_GROUPS else ("POST",))

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in counted and limit_reached(request, group):
                return limited_response(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
