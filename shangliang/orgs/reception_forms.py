"""Forms of reception hours, bookings and members' requests to join a station."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shangliang.core import limits
from shangliang.core.form_tokens import FormTokenMixin
from shangliang.core.forms import CleanTextMixin
from shangliang.core.phones import normalize_mobile, validate_mobile
from shangliang.orgs.models import Member, Platform
from shangliang.orgs.reception import holds_number


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PlatformChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.region.name} · {obj.name}"


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.sector.name}）"


class SlotForm(FormTokenMixin, CleanTextMixin, forms.Form):
    platform = PlatformChoice(label=_("接待地点"), queryset=Platform.objects.none(), empty_label=_("请选择"))
    member = MemberChoice(
        label=_("接待委员"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("站点负责人接待"),
        help_text=_("只能选择已下沉到该站点的委员；不选表示由站点负责人接待。"),
    )
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DateTimeInput())
    capacity = forms.IntegerField(label=_("可预约人数"), min_value=1, max_value=50, initial=5)
    note = forms.CharField(label=_("说明"), max_length=200, required=False, help_text=_("如：带好相关材料"))

    def __init__(self, *args, platforms, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].queryset = platforms.select_related("region")
        self.fields["member"].queryset = members.select_related("sector")


class BookingForm(CleanTextMixin, forms.Form):
    """A resident's booking: the number is proved by an SMS code ("获取验证码" next to it), unless the
    signed-in account holds it verified (``reception.holds_number``); the code itself is checked by
    ``reception.appointment_request``."""

    name = forms.CharField(label=_("姓名"), max_length=50, help_text=_("仅接待人员可见"))
    mobile = forms.CharField(
        label=_("手机号"),
        max_length=20,
        help_text=_("接待人员会打电话与您确认，仅接待人员可见"),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
    )
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=12,
        required=False,
        help_text=_("请点击“获取验证码”，填写短信收到的6位数字；已登录且手机号已验证的，填本人手机号可不填。"),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6, "pattern": "[0-9]*"}
        ),
    )
    matter = forms.CharField(
        label=_("想谈的事"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("简要说明，方便提前准备；请不要填写身份证号等个人信息。"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not self.is_bound and user is not None and getattr(user, "is_authenticated", False):
            if user.has_verified_mobile:
                # The account's own verified number needs no code.
                self.initial.setdefault("mobile", user.verified_mobile)
            if user.full_name:
                self.initial.setdefault("name", user.full_name)

    def clean_mobile(self):
        mobile = normalize_mobile(self.cleaned_data.get("mobile", ""))
        try:
            validate_mobile(mobile)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return mobile

    def clean_code(self):
        return "".join(self.cleaned_data.get("code", "").split())

    def clean(self):
        cleaned = super().clean()
        mobile = cleaned.get("mobile")
        if mobile and not cleaned.get("code") and "code" not in self.errors and not holds_number(self.user, mobile):
            self.add_error("code", _("请先点击“获取验证码”，填写短信收到的验证码。"))
        return cleaned


class CancelForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200, required=False)


class StaffCancelForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200, help_text=_("请先电话告知群众"))


class CloseForm(CleanTextMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("接待结果"), choices=[("attended", _("已接待")), ("missed", _("未到场"))], widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("接待情况"), max_length=limits.NOTE, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class WithdrawSlotForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200)


class JoinForm(FormTokenMixin, CleanTextMixin, forms.Form):
    platform = PlatformChoice(label=_("申请加入的站点"), queryset=Platform.objects.none(), empty_label=_("请选择"))
    reason = forms.CharField(
        label=_("申请理由"), max_length=limits.NOTE, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, platforms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].queryset = platforms.select_related("region")


class DecideForm(CleanTextMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"), choices=[("approve", _("同意")), ("refuse", _("不同意"))], widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("审核意见"),
        max_length=limits.NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不同意时必填，委员将看到这段说明。"),
    )
