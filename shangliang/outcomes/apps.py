from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "shangliang.outcomes"
    label = "outcomes"
    verbose_name = _("成果落实")

    def ready(self):
        from shangliang.core.media import register_protected_file
        from shangliang.outcomes import permissions
        from shangliang.outcomes.models import Assignment, OutcomeReport, ProgressUpdate

        # Uploaded files are served only to users their app allows (core.media_views).
        register_protected_file(OutcomeReport, "reply_attachment", permissions.can_download_reply_attachment)
        register_protected_file(Assignment, "evidence", permissions.can_download_evidence)
        register_protected_file(ProgressUpdate, "attachment", permissions.can_download_progress_attachment)

        # The township's legal review (consultations.legal) ends once a report is sent or an item assigned;
        # the people concerned are told of a correction.
        from shangliang.consultations import legal
        from shangliang.outcomes import legal_review

        legal.register_outcome_stage(
            moved_on=legal_review.moved_on,
            not_moved_on=legal_review.not_reported,
            after_review=legal_review.tell_corrected,
        )

        # 有活动 and 有实效 of the six-haves are read from held consultations and done items (orgs.six_haves).
        from shangliang.outcomes import six_haves

        six_haves.register()
