from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shangliang.core"
    verbose_name = _("基础")

    def ready(self):
        from shangliang.core import checks  # noqa: F401  (registers the start-up checks)
        from shangliang.core.converters import register_converters
        from shangliang.core.media import nobody, register_protected_file
        from shangliang.core.models import BackgroundJob

        # An import workbook is input only (members' mobiles): never downloaded, deleted when its job ends.
        register_protected_file(BackgroundJob, "upload", nobody)
        # Before any urls.py is imported: they name these converters (<id:pk>, <token:code> …).
        register_converters()
