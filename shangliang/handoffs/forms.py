"""The hand-off forms: hand a matter to another channel, record the answer, withdraw."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shangliang.core import limits
from shangliang.core.form_tokens import FormTokenMixin
from shangliang.core.forms import CleanTextMixin, DateInput
from shangliang.core.uploads import AttachmentField
from shangliang.core.widgets import SearchableSelect
from shangliang.handoffs.states import CHANNEL_HINTS, Channel, HandoffStatus
from shangliang.orgs.models import Region, Unit
from shangliang.orgs.selectors import path_ids


def _date_input():
    return DateInput(format="%Y-%m-%d")


def units_for(region: Region):
    """The bodies a matter of ``region`` may go to: every unit of its district (not archived)."""
    ids = path_ids(region.path)
    district = Region.objects.filter(pk=ids[0]).first() if ids else None
    if district is None:
        return Unit.objects.none()
    return (
        Unit.objects.filter(region__path__startswith=district.path, is_archived=False)
        .select_related("region")
        .order_by("kind", "name")
    )


def moment_of(day: datetime.date | None):
    """The moment a day stands for: today (or none) is now, another day its noon (a later day is refused by
    the service, next to the field)."""
    if day is None or day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


class HandoffForm(CleanTextMixin, FormTokenMixin, forms.Form):
    channel = forms.ChoiceField(label=_("转交渠道"), choices=[("", "—"), *Channel.choices], required=False)
    unit = forms.ModelChoiceField(
        label=_("接收单位"), queryset=Unit.objects.none(), required=False, widget=SearchableSelect
    )
    recipient = forms.CharField(
        label=_("接收对象"),
        max_length=100,
        required=False,
        help_text=_("系统中没有该单位时填写，如：镇人大主席团、区政协提案委员会、12345热线"),
    )
    handed_on = forms.DateField(label=_("转交日期"), widget=_date_input(), required=False)
    reference = forms.CharField(label=_("对方编号"), max_length=50, required=False, help_text=_("如提案号、工单号"))
    reason = forms.CharField(
        label=_("转交理由"),
        max_length=limits.NOTE,
        required=False,  # the service says what is missing, next to the field
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("群众将在查询页看到，如：属于政府职责，转交镇政府直接办理"),
    )

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(region)
        self.fields["channel"].help_text = "；".join(str(hint) for hint in CHANNEL_HINTS.values())
        self.initial.setdefault("handed_on", timezone.localdate())


class AnswerForm(CleanTextMixin, FormTokenMixin, forms.Form):
    answer = forms.CharField(
        label=_("答复内容"),
        max_length=limits.TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("对方的答复或办理结果，群众将在查询页看到"),
    )
    answered_on = forms.DateField(label=_("答复日期"), widget=_date_input(), required=False)
    attachment = AttachmentField(label=_("答复附件"), help_text=_("答复函扫描件等，不超过10MB"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("answered_on", timezone.localdate())


class WithdrawForm(CleanTextMixin, FormTokenMixin, forms.Form):
    reason = forms.CharField(
        label=_("撤回原因"), max_length=limits.NOTE, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FilterForm(CleanTextMixin, forms.Form):
    channel = forms.ChoiceField(label=_("渠道"), choices=[("", _("全部")), *Channel.choices], required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *HandoffStatus.choices], required=False)
    overdue = forms.BooleanField(label=_("超期未答复"), required=False)
