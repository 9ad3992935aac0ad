"""Who is on the other end of a request: one definition of the client's address.

Behind nginx every request comes from 127.0.0.1; the real address is the last entry nginx adds
to X-Forwarded-For. ``SHANGLIANG_TRUSTED_PROXIES`` says how many proxies stand in front of the
app (0: none, the address is REMOTE_ADDR). Entries further left are typed by the client and are
never trusted. Rate limits and login lockout both use this function.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"
    proxies = settings.SHANGLIANG_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            remote = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(remote))
    except ValueError:
        return "0.0.0.0"
