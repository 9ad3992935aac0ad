from django import forms
from django.utils.translation import gettext_lazy as _

from shangliang.core.forms import CleanTextMixin, DateInput
from shangliang.core.models import Channel, DeliveryStatus, MessageKind
from shangliang.portal.deliveries import DeliveryFilters


class DeliveryFilterForm(CleanTextMixin, forms.Form):
    """The delivery log's filters; a value that does not fit is shown next to its field and ignored."""

    channel = forms.ChoiceField(label=_("渠道"), required=False, choices=[("", _("全部渠道")), *Channel.choices])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *DeliveryStatus.choices])
    kind = forms.ChoiceField(label=_("消息类型"), required=False, choices=[("", _("全部类型")), *MessageKind.choices])
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())
    q = forms.CharField(
        label=_("事由"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": _("如 consultation.notice")}),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return data

    def filters(self) -> DeliveryFilters:
        """The filters from the fields that are valid; the others are left out."""
        if not self.is_bound:
            return DeliveryFilters()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return DeliveryFilters(
            channel=data.get("channel") or "",
            status=data.get("status") or "",
            kind=data.get("kind") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            q=(data.get("q") or "").strip(),
        )
