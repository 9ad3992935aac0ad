# Binds @shared_task to the project's app so the web process enqueues to the configured broker.
# Creating the app reads no settings and opens no connection, so it works without a broker.
from shangliang.celery import app as celery_app

__all__ = ["celery_app"]
