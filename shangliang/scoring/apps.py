from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "shangliang.scoring"
    label = "scoring"
    verbose_name = _("考核督导")

    def ready(self):
        from shangliang.core.media import register_protected_file
        from shangliang.scoring.models import Inspection
        from shangliang.scoring.permissions import can_download_inspection_attachment

        # Uploaded files are served only to users their app allows (core.media_views).
        register_protected_file(
            Inspection, "attachment", can_download_inspection_attachment, folder="scoring/inspections/"
        )
