from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopicsConfig(AppConfig):
    name = "shangliang.topics"
    verbose_name = _("议题")

    def ready(self):
        from shangliang.accounts.services import register_after_login
        from shangliang.core.media import register_protected_file
        from shangliang.topics.models import SubmissionPhoto, VerificationPhoto
        from shangliang.topics.permissions import can_download_submission_photo, can_download_verification_photo
        from shangliang.topics.services import submissions_claim

        # Uploaded files are served only to users their app allows (core.media_views).
        register_protected_file(SubmissionPhoto, "image", can_download_submission_photo, folder="submissions/")
        register_protected_file(VerificationPhoto, "image", can_download_verification_photo, folder="verifications/")
        # A resident who gave their mobile number with a named submission finds it under their account.
        register_after_login(submissions_claim)
