from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "shangliang.evaluation"
    label = "evaluation"
    verbose_name = _("评估质效")

    def ready(self):
        from shangliang.core.media import register_protected_file
        from shangliang.evaluation.models import TypicalCasePhoto
        from shangliang.evaluation.permissions import can_download_case_photo
        from shangliang.evaluation.tracking import later_stages
        from shangliang.topics.tracking import register_later_stages

        # Uploaded files are served only to users their app allows (core.media_views); the photos of
        # a published typical case are public, like its page.
        register_protected_file(TypicalCasePhoto, "image", can_download_case_photo, folder="cases/")
        # The resident's tracking page (topics) shows the consultation, results and rating that follow.
        register_later_stages(later_stages)
