import time

from django.conf import settings

from shangliang.orgs.permissions import is_staff_user

# Refreshing the expiry writes the session; once a minute is precise enough for a 30-minute
# idle limit and keeps polling pages from writing on every request.
REFRESH_EVERY_SECONDS = 60


class StaffIdleTimeoutMiddleware:
    """Staff sessions end after a set time without requests; residents keep the long cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_staff_user(user):
            now = int(time.time())
            if now - request.session.get("staff_seen_at", 0) >= REFRESH_EVERY_SECONDS:
                request.session.set_expiry(settings.STAFF_IDLE_TIMEOUT_SECONDS)
                request.session["staff_seen_at"] = now
        return self.get_response(request)
