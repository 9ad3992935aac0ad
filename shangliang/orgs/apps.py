from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "shangliang.orgs"
    verbose_name = _("组织与平台")

    def ready(self):
        from shangliang.core.media import register_protected_file

        # Registers the import job runners, so a job started anywhere (a view, a command) finds them.
        from shangliang.orgs import imports  # noqa: F401
        from shangliang.orgs.models import PlatformCheck
        from shangliang.orgs.permissions import can_download_platform_check_photo

        # Uploaded files are served only to users their app allows (core.media_views).
        register_protected_file(PlatformCheck, "photo", can_download_platform_check_photo, folder="platforms/")
