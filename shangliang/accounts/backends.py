from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from shangliang.core.phones import MOBILE_RE, normalize_mobile


class UsernameOrMobileBackend(ModelBackend):
    """Log in with a username or an 11-digit mobile number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user_model = get_user_model()
        lookup = Q(username__iexact=username.strip())
        mobile = normalize_mobile(username)
        if MOBILE_RE.match(mobile):
            lookup |= Q(mobile=mobile)
        user = user_model.objects.filter(lookup).order_by("pk").first()
        if user is None:
            user_model().set_password(password)  # same time as a real check, so accounts cannot be probed
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
