"""Forms of the assessment pages. Forms check shapes; the services decide what may be saved."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shangliang.core.form_tokens import FormTokenMixin
from shangliang.core.forms import CleanTextMixin, DateInput
from shangliang.core.uploads import AttachmentField
from shangliang.orgs.models import ContactLink, Platform, Region
from shangliang.scoring.states import InspectionKind

PERCENT_ERRORS = {
    "min_value": _("请输入0到100之间的整数。"),
    "max_value": _("请输入0到100之间的整数。"),
    "invalid": _("请输入整数。"),
}


def _count_field(label, required=True):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=99,
        required=required,
        error_messages={
            "required": _("请填写协商次数。"),
            "min_value": _("次数不能为负数。"),
            "max_value": _("次数不能超过99。"),
            "invalid": _("请输入整数。"),
        },
        widget=forms.NumberInput(attrs={"class": "narrow"}),
    )


def _rate_field(label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=100,
        required=False,
        error_messages=PERCENT_ERRORS,
        widget=forms.NumberInput(attrs={"class": "narrow"}),
    )


class TownshipTargetsForm(CleanTextMixin, forms.Form):
    """The year's target of every township, one row each (fields ``t<pk>_min``, ``_on_time``, ``_satisfaction``)."""

    def __init__(self, *args, townships: list[Region], targets: dict, default_min: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.townships = townships
        self.rows = []
        for township in townships:
            target = targets.get(township.pk)
            prefix = f"t{township.pk}"
            self.fields[f"{prefix}_min"] = _count_field(_("至少开展协商（次）"))
            self.fields[f"{prefix}_on_time"] = _rate_field(_("建议按期落实率不低于（%）"))
            self.fields[f"{prefix}_satisfaction"] = _rate_field(_("群众满意率不低于（%）"))
            self.initial[f"{prefix}_min"] = target.min_consultations if target else default_min
            if target:
                self.initial[f"{prefix}_on_time"] = target.min_on_time_rate
                self.initial[f"{prefix}_satisfaction"] = target.min_satisfaction_rate
            self.rows.append(
                (
                    township,
                    target,
                    self[f"{prefix}_min"],
                    self[f"{prefix}_on_time"],
                    self[f"{prefix}_satisfaction"],
                )
            )

    def values(self):
        """(township, min, on-time rate, satisfaction rate) per township, once valid."""
        for township in self.townships:
            prefix = f"t{township.pk}"
            yield (
                township,
                self.cleaned_data[f"{prefix}_min"],
                self.cleaned_data[f"{prefix}_on_time"],
                self.cleaned_data[f"{prefix}_satisfaction"],
            )


class PlatformTargetForm(CleanTextMixin, forms.Form):
    platform = forms.ModelChoiceField(
        label=_("协商平台"),
        queryset=Platform.objects.none(),
        error_messages={"required": _("请选择协商平台。"), "invalid_choice": _("请选择协商平台。")},
    )
    min_consultations = _count_field(_("至少开展协商（次）"))
    min_on_time_rate = _rate_field(_("建议按期落实率不低于（%）"))
    min_satisfaction_rate = _rate_field(_("群众满意率不低于（%）"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, platforms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].queryset = platforms
        self.fields["platform"].label_from_instance = lambda p: f"{p.region.name} · {p.name}"


def _weight(label):
    return forms.IntegerField(
        label=label, min_value=0, max_value=100, error_messages={"required": _("请填写权重。"), **PERCENT_ERRORS}
    )


class SchemeForm(CleanTextMixin, forms.Form):
    weight_consultations = _weight(_("开展协商权重"))
    weight_on_time = _weight(_("建议按期落实权重"))
    weight_replies = _weight(_("十日内书面答复权重"))
    weight_satisfaction = _weight(_("群众满意度权重"))
    full_points = forms.DecimalField(
        label=_("折合考核分值"),
        min_value=Decimal("0.1"),
        max_value=Decimal("100"),
        decimal_places=1,
        error_messages={"required": _("请填写折合分值。"), "invalid": _("请输入数字。")},
        help_text=_("满分100分折合为全区年度考核中的分值"),
    )

    WEIGHTS = ("weight_consultations", "weight_on_time", "weight_replies", "weight_satisfaction")

    def clean(self):
        data = super().clean()
        values = [data.get(name) for name in self.WEIGHTS]
        if all(v is not None for v in values) and sum(values) != 100:
            self.add_error("weight_satisfaction", _("四项权重之和应为100，当前为%(total)s。") % {"total": sum(values)})
        return data


class InspectionForm(FormTokenMixin, CleanTextMixin, forms.Form):
    link = forms.ModelChoiceField(
        label=_("专委会与联系站点"),
        queryset=ContactLink.objects.none(),
        error_messages={
            "required": _("请选择专委会与联系站点。"),
            "invalid_choice": _("只能为本专委会的联系站点录入督导记录。"),
        },
    )
    kind = forms.ChoiceField(
        label=_("督导类型"),
        choices=[("", _("请选择"))] + InspectionKind.choices,
        error_messages={"required": _("请选择督导类型。"), "invalid_choice": _("请选择督导类型。")},
    )
    visited_on = forms.DateField(
        label=_("督导日期"),
        widget=DateInput(format="%Y-%m-%d"),
        error_messages={"required": _("请填写督导日期。"), "invalid": _("请输入正确的日期。")},
    )
    findings = forms.CharField(
        label=_("调研督导情况"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写调研督导情况。")},
        help_text=_("看了什么、听取了哪些意见、协商开展和成果落实情况"),
    )
    problems = forms.CharField(label=_("存在问题"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    attachment = AttachmentField(label=_("附件"))

    def __init__(self, *args, links, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["link"].queryset = links
        self.fields["link"].label_from_instance = lambda link: f"{link.committee.name} → {link.platform.name}"
        self.initial.setdefault("visited_on", timezone.localdate())
