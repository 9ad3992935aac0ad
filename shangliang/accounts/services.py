from django.contrib.auth import get_user_model
from django.db import transaction


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
