"""Third-party apps under Chinese names in the admin, where their own configs have no name to translate.

django-axes shows as "Axes"; its models and fields are translated in ``locale/zh_Hans`` (their
English msgids come from axes itself).
"""

from axes.apps import AppConfig as BaseAxesConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(BaseAxesConfig):
    verbose_name = _("登录保护")
