"""Per-address rate limits on the endpoints anyone can reach.

One decorator, ``rate_limited(group)``, counts requests per client address (``core.clients``) in
the shared cache (Redis in production, so every worker counts together) and answers a request
over the limit with a Chinese page and status 429 instead of running the view. Rates live in
``settings.SHANGLIANG_RATE_LIMITS`` ("count/period", e.g. "20/10m"), one per group.

The limits are generous on purpose: residents at a village meeting or behind a carrier's NAT
share one address, so a limit must stop a script, not a room of people.
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from shangliang.core.clients import client_ip

LIMITED_TEMPLATE = "429.html"


def rate_for(group: str) -> str:
    return settings.SHANGLIANG_RATE_LIMITS[group]


def _ip_key(group, request) -> str:
    return client_ip(request)


def hit(request, group: str, *, increment: bool = True, key=None) -> bool:
    """Count one request of ``group`` (unless ``increment`` is off); True once over the limit.

    ``key`` counts by something other than the address (e.g. an account), as a callable
    ``(group, request) -> str``.
    """
    return is_ratelimited(
        request, group=f"shangliang:{group}", key=key or _ip_key, rate=rate_for(group), increment=increment
    )


def limited_response(request):
    return render(request, LIMITED_TEMPLATE, status=429)


def rate_limited(group: str, methods: tuple[str, ...] = ("POST",)):
    """Refuse ``methods`` requests to the view beyond the group's rate from one address."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and hit(request, group):
                return limited_response(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
