import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from shangliang.core.scheduler import scheduler_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shangliang.settings")
application = get_wsgi_application()

# runserver and gunicorn both load this module, so the single-server default starts here; the
# thread is per process and the jobs are once-only, so several web processes do no harm.
if settings.SHANGLIANG_SCHEDULER == "inprocess":
    scheduler_start()
