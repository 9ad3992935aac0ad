"""Forms of briefings, lectures and training: the staff's, and the public sign-in and question forms."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shangliang.core.form_tokens import FormTokenMixin
from shangliang.core.forms import CleanTextMixin, DateInput, PhotosField
from shangliang.core.phones import normalize_mobile, validate_mobile
from shangliang.core.uploads import AttachmentField
from shangliang.events.models import Event
from shangliang.events.services import MAX_PHOTOS_AT_ONCE
from shangliang.events.states import EventKind, EventStatus
from shangliang.orgs.models import Member, Platform, Unit


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class EventForm(CleanTextMixin, forms.Form):
    """An event's details: one day, a start and an end time (the phone's pickers)."""

    kind = forms.ChoiceField(label=_("类型"), choices=EventKind.choices)
    title = forms.CharField(label=_("主题"), max_length=200)
    platform = forms.ModelChoiceField(label=_("举办平台"), queryset=Platform.objects.none())
    day = forms.DateField(label=_("日期"), widget=DateInput())
    start_time = forms.TimeField(label=_("开始时间"), widget=TimeInput())
    end_time = forms.TimeField(label=_("结束时间"), widget=TimeInput())
    place = forms.CharField(label=_("地点"), max_length=200, required=False, help_text=_("不填则为举办平台的地址"))
    speaker_unit = forms.ModelChoiceField(
        label=_("宣讲部门"), queryset=Unit.objects.filter(is_archived=False).order_by("name"), required=False
    )
    speaker_member = forms.ModelChoiceField(
        label=_("宣讲委员"),
        queryset=Member.objects.filter(is_archived=False).order_by("name", "pk"),
        required=False,
        help_text=_("委员宣讲授课，活动举办后计入其履职积分"),
    )
    speaker_name = forms.CharField(
        label=_("主讲人"), max_length=100, required=False, help_text=_("外请专家、律师等，填写姓名和身份")
    )
    audience = forms.CharField(
        label=_("面向对象"), max_length=200, required=False, help_text=_("如：辖区居民、村组干部")
    )
    summary = forms.CharField(
        label=_("内容简介"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, platforms, event: Event | None = None, **kwargs):
        if event is not None and "initial" not in kwargs:
            start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
            kwargs["initial"] = {
                "kind": event.kind,
                "title": event.title,
                "platform": event.platform_id,
                "day": start.date(),
                "start_time": start.time(),
                "end_time": end.time(),
                "place": event.place,
                "speaker_unit": event.speaker_unit_id,
                "speaker_member": event.speaker_member_id,
                "speaker_name": event.speaker_name,
                "audience": event.audience,
                "summary": event.summary,
            }
        super().__init__(*args, **kwargs)
        self.fields["platform"].queryset = platforms.select_related("region").order_by("region__path", "name")
        self.fields["platform"].label_from_instance = lambda p: f"{p.name}（{p.region.name}）"
        self.fields["speaker_unit"].label_from_instance = lambda u: u.name

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", _("结束时间应晚于开始时间。"))
            cleaned["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, start))
            cleaned["ends_at"] = timezone.make_aware(datetime.datetime.combine(day, end))
        return cleaned

    def service_data(self) -> dict:
        """What the services take: the day and times combined into moments."""
        data = dict(self.cleaned_data)
        for name in ("day", "start_time", "end_time"):
            data.pop(name, None)
        return data


class EventCreateForm(FormTokenMixin, EventForm):
    """登记活动: the one-time token keeps a double click from registering it twice."""


class HoldForm(CleanTextMixin, forms.Form):
    headcount = forms.IntegerField(
        label=_("未扫码的现场人数"),
        min_value=0,
        max_value=100000,
        required=False,
        help_text=_("没有手机或未扫码签到的到场人数，不含已签到的人；没有则不填"),
    )
    record = forms.CharField(
        label=_("举办情况"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CancelForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=300, help_text=_("将在公开页面显示"))


class StaffSignInForm(FormTokenMixin, CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    mobile = forms.CharField(label=_("手机号"), max_length=20, required=False, help_text=_("没有手机的可不填"))

    def clean_mobile(self):
        mobile = normalize_mobile(self.cleaned_data.get("mobile", ""))
        if mobile:
            validate_mobile(mobile)
        return mobile


class WithdrawForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200)


class QuestionRecordForm(FormTokenMixin, CleanTextMixin, forms.Form):
    text = forms.CharField(label=_("群众提问"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    answer = forms.CharField(label=_("现场答复"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    answered_by = forms.CharField(label=_("答复人（单位）"), max_length=100, required=False)


class AnswerForm(CleanTextMixin, forms.Form):
    answer = forms.CharField(
        label=_("答复"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不填答复则仅公开问题"),
    )
    answered_by = forms.CharField(label=_("答复人（单位）"), max_length=100, required=False)


class HideForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("不予公开原因"), max_length=200)


class PhotoForm(FormTokenMixin, CleanTextMixin, forms.Form):
    photos = PhotosField(label=_("活动照片"), max_count=MAX_PHOTOS_AT_ONCE, required=True)


class MaterialForm(FormTokenMixin, CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("材料名称"), max_length=200)
    file = AttachmentField(label=_("文件"), required=True)


class StatusFilterForm(CleanTextMixin, forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部状态")), *EventStatus.choices], required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("全部类型")), *EventKind.choices], required=False)


# --- public -------------------------------------------------------------------------------------


class SelfSignInForm(CleanTextMixin, forms.Form):
    name = forms.CharField(
        label=_("姓名"),
        max_length=50,
        error_messages={"required": _("请填写姓名。")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    mobile = forms.CharField(
        label=_("手机号"),
        max_length=20,
        error_messages={"required": _("请填写手机号。")},
        help_text=_("仅用于签到统计，不会公开"),
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel", "placeholder": "13800000000"}
        ),
    )

    def clean_mobile(self):
        mobile = normalize_mobile(self.cleaned_data.get("mobile", ""))
        validate_mobile(mobile)
        return mobile


class AskForm(CleanTextMixin, forms.Form):
    text = forms.CharField(
        label=_("我想问"),
        max_length=1000,
        error_messages={"required": _("请填写问题。")},
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        help_text=_("工作人员答复后在本页公开；请勿填写身份证号、住址等个人信息"),
    )
    asker_name = forms.CharField(label=_("称呼"), max_length=50, required=False, help_text=_("可不填，不会公开"))
