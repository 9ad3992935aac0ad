"""The chair council's half-yearly review (区政协主席会坚持每半年专题研究"有事来协商"工作, 004).

One row per meeting: the district, the year and half it belongs to, when it met, what it heard, what
it found and decided. Recorded by the CPPCC office; corrected with history; never deleted. The
dashboard says whether the current half-year's review is recorded (``dashboard.seed_figures``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shangliang.core import limits
from shangliang.core.audit import history_records
from shangliang.core.constraints import valid_choices
from shangliang.core.models import ArchivableModel
from shangliang.dashboard.states import Half
from shangliang.orgs.models import Region


class ChairCouncilReview(ArchivableModel):
    region = models.ForeignKey(
        Region, verbose_name=_("区（县）"), on_delete=models.PROTECT, related_name="chair_council_reviews"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    half = models.PositiveSmallIntegerField(_("半年"), choices=Half.choices)
    held_on = models.DateField(_("会议日期"))
    title = models.CharField(_("会议名称"), max_length=100, help_text=_("如：区政协第十次主席会议"))
    reviewed = models.TextField(_("听取和研究的内容"), max_length=limits.TEXT)
    findings = models.TextField(_("发现的问题"), max_length=limits.TEXT, blank=True)
    decisions = models.TextField(_("研究决定的事项"), max_length=limits.TEXT)
    attachment = models.FileField(_("附件"), upload_to="dashboard/reviews/%Y/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = history_records()

    class Meta:
        verbose_name = _("主席会议专题研究")
        verbose_name_plural = _("主席会议专题研究")
        ordering = ["-year", "-half", "-held_on", "-pk"]
        constraints = valid_choices("dashboard_chair_review", half=Half)

    def __str__(self):
        return f"{self.year}{self.get_half_display()} · {self.title}"
