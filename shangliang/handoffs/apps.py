from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoffsConfig(AppConfig):
    name = "shangliang.handoffs"
    label = "handoffs"
    verbose_name = _("转交其他渠道")

    def ready(self):
        from shangliang.core.media import register_protected_file
        from shangliang.handoffs import permissions, selectors
        from shangliang.handoffs.models import Handoff
        from shangliang.topics import elsewhere

        # The answer's letter is served to the staff who may see the hand-off (core.media_views).
        register_protected_file(Handoff, "answer_attachment", permissions.can_download_answer)
        # What the lower apps leave to another channel: the screening queue, the planning list, the
        # decisions and assignments, the resident's tracking page and the public results (topics.elsewhere).
        elsewhere.register(selectors.REGISTRATION)
