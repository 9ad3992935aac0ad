from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "shangliang.consultations"
    verbose_name = _("协商")

    def ready(self):
        from shangliang.consultations.models import Research
        from shangliang.consultations.permissions import can_download_research_attachment
        from shangliang.core.media import register_protected_file

        # Uploaded files are served only to users their app allows (core.media_views).
        register_protected_file(Research, "attachment", can_download_research_attachment)
