import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from shangliang.core.checks import startup_errors
from shangliang.core.scheduler import scheduler_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shangliang.settings")
application = get_wsgi_application()

# gunicorn runs no system checks: refuse to serve rather than answer every page with an error.
if errors := startup_errors():
    raise ImproperlyConfigured("\n".join(f"{error.msg} {error.hint}" for error in errors))

# runserver and gunicorn both load this module, so the single-server default starts here; the
# thread is per process and the jobs are once-only, so several web processes do no harm.
if settings.SHANGLIANG_SCHEDULER == "inprocess":
    scheduler_start()
