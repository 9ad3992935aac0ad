"""Start-up checks: a production install that would answer every page with an error refuses to start.

``static_files_collected`` and ``pdf_font_installed`` run with ``manage.py check`` (and migrate,
runserver) like any Django check, and the WSGI module runs them again before serving, because
gunicorn runs no checks.
"""

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core import checks

from shangliang.core.documents import pdf

DEPLOY_TAG = "shangliang_startup"


@checks.register(DEPLOY_TAG)
def static_files_collected(app_configs=None, **kwargs):
    """With debug off, the hashed static files must have been collected (collectstatic)."""
    if settings.DEBUG or not hasattr(staticfiles_storage, "load_manifest"):
        return []
    if staticfiles_storage.exists(staticfiles_storage.manifest_name):
        return []
    return [
        checks.Error(
            "Static files have not been collected: with debug off every page would fail.",
            hint="Run `manage.py collectstatic --noinput` (docs/deploy.md, section 5), then start again.",
            id="shangliang.E001",
        )
    ]


@checks.register(DEPLOY_TAG)
def pdf_font_installed(app_configs=None, **kwargs):
    """The Chinese font every PDF embeds must be installed; without it every PDF download would fail."""
    problem = pdf.font_problem()
    if problem is None:
        return []
    return [checks.Error(problem, hint="Run `make fonts` (docs/deploy.md, section 1).", id="shangliang.E002")]


def startup_errors() -> list[checks.CheckMessage]:
    return [message for message in checks.run_checks(tags=[DEPLOY_TAG]) if message.is_serious()]
