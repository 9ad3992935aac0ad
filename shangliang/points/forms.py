"""Filters of the points pages: the year, and for the ranking the region."""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shangliang.core.dates import FIRST_YEAR
from shangliang.core.forms import CleanTextMixin
from shangliang.orgs.models import Region
from shangliang.points.models import PointRule


class YearForm(CleanTextMixin, forms.Form):
    year = forms.IntegerField(
        label=_("年度"),
        required=False,
        min_value=FIRST_YEAR,
        error_messages={"invalid": _("请输入四位数的年份。"), "min_value": _("年份不能早于%(limit_value)s年。")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, data=None, *args, **kwargs):
        this_year = timezone.localdate().year
        if data is not None and not data.get("year"):
            # The field shows the year the page is about, the current one unless another was asked for.
            data = data.copy()
            data["year"] = str(this_year)
        super().__init__(data, *args, **kwargs)
        field = self.fields["year"]
        field.validators.append(MaxValueValidator(this_year, message=_("年份不能晚于%(limit_value)s年。")))
        field.widget.attrs.update({"min": FIRST_YEAR, "max": this_year, "placeholder": this_year})

    def chosen_year(self) -> int:
        """The year asked for; the current year when none or an invalid one was given."""
        self.is_valid()
        return self.cleaned_data.get("year") or timezone.localdate().year


class RankingFilterForm(YearForm):
    region = forms.ModelChoiceField(
        label=_("区划"), queryset=Region.objects.none(), required=False, empty_label=_("全部（本人可见范围）")
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["region"].label_from_instance = lambda region: "　" * region.depth + region.name

    def chosen_region(self) -> Region | None:
        self.is_valid()
        return self.cleaned_data.get("region")


class PointRuleForm(CleanTextMixin, forms.ModelForm):
    """The admin's form of a rule; a second rule in force for one activity is refused next to the field."""

    class Meta:
        model = PointRule
        fields = ["kind", "points", "yearly_cap", "is_active", "note"]

    def clean(self):
        cleaned = super().clean()
        kind, rule = cleaned.get("kind"), self.instance
        if kind and cleaned.get("is_active") and not rule.is_archived:
            others = PointRule.objects.filter(kind=kind, is_active=True, is_archived=False).exclude(pk=rule.pk)
            if others.exists():
                self.add_error("kind", _("该履职事项已有一条启用的规则，请先停用原规则。"))
        return cleaned
