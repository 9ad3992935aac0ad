import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

# What an account gains when its owner logs in with the password. Later apps register here when
# they load (accounts imports none of them): topics attaches the submissions given with the
# account's mobile number. Called by the site's login view, once per successful login.
_after_login = []


def register_after_login(action) -> None:
    """``action(user=...)`` runs after each successful login on the site, in the login request."""
    if action not in _after_login:
        _after_login.append(action)


def after_login(user) -> None:
    for action in _after_login:
        action(user=user)


@transaction.atomic
def resident_register(*, mobile: str, password: str, full_name: str = "", username: str | None = None):
    """Create a resident's account; the mobile number is the contact and, unless a name is given, the login."""
    user_model = get_user_model()
    user = user_model(username=username or mobile, mobile=mobile, full_name=full_name.strip())
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user._history_user = None
    user.save()
    return user


def resident_self_register(*, mobile: str, password: str, full_name: str = ""):
    """A resident registers themselves: the account, or None when the number or login is taken.

    The caller answers the same either way, so registration cannot tell who has an account.
    Two registrations of one number at once make one account (the unique constraint decides).
    """
    user_model = get_user_model()
    if user_model.objects.filter(Q(mobile=mobile) | Q(username__iexact=mobile)).exists():
        return None
    try:
        with transaction.atomic():
            return resident_register(mobile=mobile, password=password, full_name=full_name)
    except IntegrityError:
        return None


@transaction.atomic
def password_change(*, actor, user, new_password: str) -> None:
    """The user's own new password (already validated); clears a pending forced change."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    user.set_password(new_password)
    user.must_change_password = False
    user._history_user = actor
    user.save(update_fields=["password", "must_change_password"])


@transaction.atomic
def password_reset_by_admin(*, actor, user) -> str:
    """Give ``user`` a temporary password to be changed at the next login; returns it (shown once).

    Records who reset it in the account's history. Raises PermissionDenied when ``actor`` is not
    an administrator (the admin site checks this first; the service does not rely on it).
    """
    if not getattr(actor, "is_superuser", False):
        raise PermissionDenied
    temporary = "-".join(secrets.token_hex(2) for _ in range(3))
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    user.set_password(temporary)
    user.must_change_password = True
    user._history_user = actor
    user.save(update_fields=["password", "must_change_password"])
    return temporary


@transaction.atomic
def staff_account_create(
    *, actor, username: str, password: str, full_name: str = "", mobile: str | None = None, is_superuser: bool = False
):
    """Create a staff account; a superuser also gets the Django admin (is_staff)."""
    user_model = get_user_model()
    user = user_model(
        username=username,
        full_name=full_name,
        mobile=mobile or None,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user._history_user = actor
    user.save()
    return user


def last_login_record(sender, user, **kwargs) -> None:
    """Stamp ``last_login`` without a history row: a login is not a change to the account."""
    get_user_model().objects.filter(pk=user.pk).update(last_login=timezone.now())
