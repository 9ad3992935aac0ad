from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shangliang.core"
    verbose_name = _("基础")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from simple_history.signals import pre_create_historical_record

        from shangliang.core import checks  # noqa: F401  (registers the start-up checks)
        from shangliang.core.audit import attach_note
        from shangliang.core.converters import register_converters
        from shangliang.core.media import nobody, register_protected_file
        from shangliang.core.models import BackgroundJob, WorkdayOverride
        from shangliang.core.workdays import forget_overrides

        # An import workbook is input only (members' mobiles): never downloaded, deleted when its job ends.
        register_protected_file(BackgroundJob, "upload", nobody)
        # The person's own words (``save_record(note=...)``) go into the history row beside the reason code.
        pre_create_historical_record.connect(attach_note, dispatch_uid="shangliang.core.audit.attach_note")
        # A local working day or day off changed: the deadlines computed next read the local days again.
        post_save.connect(forget_overrides, sender=WorkdayOverride, dispatch_uid="shangliang.core.workdays.saved")
        post_delete.connect(forget_overrides, sender=WorkdayOverride, dispatch_uid="shangliang.core.workdays.deleted")
        # Before any urls.py is imported: they name these converters (<id:pk>, <token:code> …).
        register_converters()
