from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "shangliang.orgs"
    verbose_name = _("组织与平台")

    def ready(self):
        # Registers the import job runners, so a job started anywhere (a view, a command) finds them.
        from shangliang.orgs import imports  # noqa: F401
