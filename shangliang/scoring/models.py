"""Annual targets of stations and platforms (目标任务), the scoring scheme of a year (考核办法), and the
CPPCC committees' inspections of the stations linked to them (督导).

Scores themselves are never stored: ``selectors.station_scores`` computes them from the records of
consultations, assignments, reports and ratings, so filing more documents cannot change them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from shangliang.core import limits
from shangliang.core.audit import history_records
from shangliang.core.constraints import valid_choices
from shangliang.core.dates import FIRST_YEAR, LAST_YEAR
from shangliang.core.models import ArchivableModel
from shangliang.orgs.models import Platform, Region, Unit
from shangliang.orgs.states import RegionLevel, UnitKind
from shangliang.scoring.states import InspectionKind

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
YEAR = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]


def default_township_minimum() -> int:
    """Consultations a township must hold in a year when no target row says otherwise (default 2)."""
    return settings.SHANGLIANG_TOWNSHIP_MIN_CONSULTATIONS


class AnnualTarget(ArchivableModel):
    """The year's target (目标任务) of one township station or one platform."""

    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR)
    region = models.ForeignKey(
        Region,
        verbose_name=_("乡镇（街道）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="annual_targets",
        limit_choices_to={"level": RegionLevel.TOWNSHIP},
    )
    platform = models.ForeignKey(
        Platform,
        verbose_name=_("协商平台"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="annual_targets",
    )
    min_consultations = models.PositiveSmallIntegerField(_("至少开展协商（次）"), default=default_township_minimum)
    min_on_time_rate = models.PositiveSmallIntegerField(
        _("建议按期落实率不低于（%）"), null=True, blank=True, validators=PERCENT
    )
    min_satisfaction_rate = models.PositiveSmallIntegerField(
        _("群众满意率不低于（%）"), null=True, blank=True, validators=PERCENT
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = history_records()

    class Meta:
        verbose_name = _("年度目标任务")
        verbose_name_plural = _("年度目标任务")
        ordering = ["-year", "region__path", "platform__region__path", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False, platform__isnull=True)
                | Q(region__isnull=True, platform__isnull=False),
                name="scoring_target_one_subject",
                violation_error_message=_("目标任务须针对一个乡镇（街道）或一个协商平台。"),
            ),
            models.UniqueConstraint(
                fields=["year", "region"],
                condition=Q(region__isnull=False),
                name="scoring_target_one_per_township_year",
                violation_error_message=_("该乡镇（街道）本年度已有目标任务。"),
            ),
            models.UniqueConstraint(
                fields=["year", "platform"],
                condition=Q(platform__isnull=False),
                name="scoring_target_one_per_platform_year",
                violation_error_message=_("该平台本年度已有目标任务。"),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.region or self.platform}"

    def clean(self):
        super().clean()
        if self.region_id and self.region.level != RegionLevel.TOWNSHIP:
            raise ValidationError({"region": _("年度目标只能设在乡镇（街道）一级。")})


class ScoringScheme(ArchivableModel):
    """How a year's score is made: the weight of each component (summing to 100) and the points it is worth."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True, validators=YEAR)
    weight_consultations = models.PositiveSmallIntegerField(_("开展协商权重"), default=30, validators=PERCENT)
    weight_on_time = models.PositiveSmallIntegerField(_("建议按期落实权重"), default=30, validators=PERCENT)
    weight_replies = models.PositiveSmallIntegerField(_("十日内书面答复权重"), default=15, validators=PERCENT)
    weight_satisfaction = models.PositiveSmallIntegerField(_("群众满意度权重"), default=25, validators=PERCENT)
    full_points = models.DecimalField(
        _("折合考核分值"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("5.0"),
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text=_("满分100分折合为全区年度考核中的分值"),
    )
    history = history_records()

    class Meta:
        verbose_name = _("考核办法")
        verbose_name_plural = _("考核办法")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Exact(
                    F("weight_consultations") + F("weight_on_time") + F("weight_replies") + F("weight_satisfaction"),
                    100,
                ),
                name="scoring_scheme_weights_sum_100",
                violation_error_message=_("四项权重之和应为100。"),
            ),
        ]

    def __str__(self):
        return f"{self.year}"

    @property
    def weights(self) -> dict[str, int]:
        return {
            "consultations": self.weight_consultations,
            "on_time": self.weight_on_time,
            "replies": self.weight_replies,
            "satisfaction": self.weight_satisfaction,
        }

    def clean(self):
        super().clean()
        total = sum(w or 0 for w in self.weights.values())
        if total != 100:
            raise ValidationError(_("四项权重之和应为100，当前为%(total)s。") % {"total": total})


def inspection_attachment_path(instance, filename):
    return f"scoring/inspections/{instance.visited_on:%Y/%m}/{filename}"


class Inspection(ArchivableModel):
    """A CPPCC committee's visit to a station linked to it: a monthly research visit or a half-yearly inspection."""

    committee = models.ForeignKey(
        Unit,
        verbose_name=_("政协专委会"),
        on_delete=models.PROTECT,
        related_name="inspections",
        limit_choices_to={"kind": UnitKind.CPPCC_COMMITTEE},
    )
    platform = models.ForeignKey(
        Platform, verbose_name=_("联系站点"), on_delete=models.PROTECT, related_name="inspections"
    )
    kind = models.CharField(_("督导类型"), max_length=20, choices=InspectionKind.choices)
    visited_on = models.DateField(_("督导日期"))
    findings = models.TextField(_("调研督导情况"), max_length=limits.TEXT)
    problems = models.TextField(_("存在问题"), max_length=limits.TEXT, blank=True)
    attachment = models.FileField(_("附件"), upload_to=inspection_attachment_path, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )
    history = history_records()

    class Meta:
        verbose_name = _("督导记录")
        verbose_name_plural = _("督导记录")
        ordering = ["-visited_on", "-pk"]
        constraints = valid_choices("scoring_inspection", kind=InspectionKind)
        indexes = [models.Index(fields=["committee", "platform", "visited_on"])]

    def __str__(self):
        return f"{self.committee} → {self.platform} {self.visited_on}"

    def clean(self):
        super().clean()
        if self.committee_id and self.committee.kind != UnitKind.CPPCC_COMMITTEE:
            raise ValidationError({"committee": _("请选择政协专委会。")})
