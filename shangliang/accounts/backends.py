from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from shangliang.accounts.lockout import account_for_login


class UsernameOrMobileBackend(ModelBackend):
    """Log in with a username (any case, spaces around it ignored) or an 11-digit mobile number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = account_for_login(username)
        if user is None:
            get_user_model()().set_password(password)  # same time as a real check, so accounts cannot be probed
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
