"""Login failures: what counts as one account, and the three limits on guessing.

1. An account and an address: five wrong passwords for one account from one address lock that
   pair for 30 minutes (django-axes). A stranger's typos lock the stranger, not the owner typing
   at another address, and villagers behind one carrier address do not lock each other.
2. An address, whatever the account: past ``login`` failures per window the address is refused
   (spraying one password over many accounts, or locking people out one by one).
3. An account, whatever the address: past ``login_account`` failures per window the account is
   refused from everywhere (guessing from many addresses).

Every spelling of an account counts as that account: ``Supervisor``, `` supervisor ``,
``+86 139-1234-0012`` and ``13912340012`` are one key, the account's primary key, because the
login backend accepts all of them. Text that matches no account is normalised the same way, so
its spellings are one key too.
"""

from django.contrib.auth import get_user_model

from shangliang.core import ratelimits
from shangliang.core.phones import MOBILE_RE, normalize_mobile


def account_for_login(typed: str):
    """The account a login name resolves to, as the backend resolves it; None if none does."""
    typed = (typed or "").strip()
    if not typed or "\x00" in typed:
        return None
    users = get_user_model().objects
    mobile = normalize_mobile(typed)
    if MOBILE_RE.match(mobile):
        # The holder of the number first: a number proved by SMS moves to whoever proved it, while an
        # older account may still carry it as its login name.
        holder = users.filter(mobile=mobile).first()
        if holder is not None:
            return holder
    return users.filter(username__iexact=typed).order_by("pk").first()


def login_key(typed: str) -> str:
    """One key per account, whatever spelling was typed."""
    user = account_for_login(typed)
    if user is not None:
        return f"account:{user.pk}"
    mobile = normalize_mobile((typed or "").strip())
    if MOBILE_RE.match(mobile):
        return f"unknown:{mobile}"
    return "unknown:" + "".join((typed or "").split()).lower()[:150]


def axes_username(request, credentials) -> str:
    """AXES_USERNAME_CALLABLE: the canonical key instead of the text typed."""
    typed = (credentials or {}).get("username")
    if typed is None and request is not None:
        typed = request.POST.get("username", "")
    return login_key(typed or "")


def is_throttled(request, key: str) -> bool:
    """True when the address or the account (``login_key``) is past its limit of failures (nothing counted)."""
    return ratelimits.hit(request, "login", increment=False) or ratelimits.hit(
        request, "login_account", increment=False, key=lambda group, req: key
    )


def record_failure(request, key: str) -> None:
    ratelimits.hit(request, "login")
    ratelimits.hit(request, "login_account", key=lambda group, req: key)
