"""The Celery app for deployments that run scheduled work in a worker (SHANGLIANG_SCHEDULER=celery).

Configuration comes from Django settings named ``CELERY_*``; the broker and result backend are
the Redis server of ``SHANGLIANG_REDIS_URL``. Start a worker and beat with
``celery -A shangliang worker`` and ``celery -A shangliang beat`` (see docs/deploy.md).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shangliang.settings")

app = Celery("shangliang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
