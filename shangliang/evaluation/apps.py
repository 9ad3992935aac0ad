from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "shangliang.evaluation"
    label = "evaluation"
    verbose_name = _("评估质效")
