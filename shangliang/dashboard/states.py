"""Vocabularies and audit reasons of the dashboard app (the chair council's half-yearly review)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Half(models.IntegerChoices):
    FIRST = 1, _("上半年")
    SECOND = 2, _("下半年")


AUDIT_REASONS = {
    "chair_review.recorded": _("记录主席会议专题研究"),
    "chair_review.updated": _("修改主席会议专题研究记录"),
}
