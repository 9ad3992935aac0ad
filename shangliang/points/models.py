"""The rules that turn a member's records into points (履职积分). Points themselves are never stored:
they are computed from the records each time (see ``selectors``)."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shangliang.core import limits
from shangliang.core.audit import history_records
from shangliang.core.constraints import valid_choices
from shangliang.core.models import ArchivableModel
from shangliang.points.formatting import points_text
from shangliang.points.states import PointKind


class PointRule(ArchivableModel):
    """How many points one occurrence of an activity earns, and the most it earns a member in a year."""

    kind = models.CharField(_("履职事项"), max_length=40, choices=PointKind.choices)
    points = models.DecimalField(_("每次分值"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)])
    yearly_cap = models.DecimalField(
        _("年度上限"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("每名委员每年在此事项上最多可得的分数；留空表示不设上限"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    note = models.TextField(_("说明"), max_length=limits.NOTE, blank=True)
    history = history_records()

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["kind", "pk"]
        constraints = [
            *valid_choices("points_rule", kind=PointKind),
            models.CheckConstraint(condition=Q(points__gte=0), name="points_rule_points_not_negative"),
            models.CheckConstraint(
                condition=Q(yearly_cap__isnull=True) | Q(yearly_cap__gte=0), name="points_rule_cap_not_negative"
            ),
            # One rule in force per activity; a replaced rule is deactivated or archived, never deleted.
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(is_active=True, is_archived=False),
                name="points_rule_one_in_force_per_kind",
                violation_error_message=_("该履职事项已有一条启用的规则，请先停用原规则。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {points_text(self.points)}"
