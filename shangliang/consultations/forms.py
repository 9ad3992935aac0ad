import re

from django import forms
from django.utils.translation import gettext_lazy as _

from shangliang.consultations.models import AgendaItem, Participant, SessionFormat, Suggestion
from shangliang.consultations.services import notice_period_refusal
from shangliang.consultations.states import (
    AssemblyBody,
    ExplanationOutcome,
    Mode,
    NoticeMeans,
    ParticipantCategory,
    Stance,
    VoteResult,
)
from shangliang.core.form_tokens import FormTokenMixin
from shangliang.core.forms import CleanTextMixin, DateInput
from shangliang.core.phones import normalize_mobile, validate_mobile
from shangliang.core.uploads import AttachmentField
from shangliang.orgs.models import Member, Platform


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class StartInput(DateTimeInput):
    """A start time that, with ``check_url``, asks the server at once whether the notice period allows it
    (htmx) and shows the answer under the field."""

    template_name = "consultations/widgets/start_input.html"

    def __init__(self, *, check_url: str = "", **kwargs):
        super().__init__(**kwargs)
        self.set_check_url(check_url)

    def set_check_url(self, check_url: str) -> None:
        if check_url:
            self.attrs.update(
                {
                    "hx-get": check_url,
                    "hx-trigger": "change",
                    "hx-sync": "this:replace",
                    "hx-target": "next .start-warning",
                }
            )


def _refuse_inside_notice_period(form) -> None:
    starts_at = form.cleaned_data.get("starts_at")
    refusal = notice_period_refusal(starts_at) if starts_at else ""
    if refusal:
        form.add_error("starts_at", refusal)


AGENDA_LINE = re.compile(r"^(?P<title>.+?)\s*(?P<minutes>\d{1,3})?\s*(分钟)?$")
AGENDA_TITLE_LENGTH = AgendaItem._meta.get_field("title").max_length


class PlanForm(FormTokenMixin, CleanTextMixin, forms.Form):
    platform = forms.ModelChoiceField(label=_("协商平台"), queryset=Platform.objects.none())
    session_format = forms.ModelChoiceField(
        label=_("协商形式"), queryset=SessionFormat.objects.filter(is_archived=False)
    )
    mode = forms.ChoiceField(label=_("方式"), choices=Mode.choices)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=StartInput())
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DateTimeInput())
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("议程"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一项，末尾可写时长（分钟），如：通报调研情况 10"),
    )

    def __init__(self, *args, platforms, check_url: str = "", hearing=("", None), **kwargs):
        """``hearing``: the topic's hearing requirement in words and the forms it allows
        (``hearings.hearing_requirement`` / ``hearing_formats``); only those forms are offered."""
        super().__init__(*args, **kwargs)
        self.fields["platform"].queryset = platforms
        self.fields["starts_at"].widget.set_check_url(check_url)
        requirement, formats = hearing
        if requirement and formats is not None:
            self.fields["session_format"].queryset = formats
            self.fields["session_format"].error_messages["invalid_choice"] = requirement

    def clean_agenda(self):
        items = []
        for line in self.cleaned_data.get("agenda", "").splitlines():
            line = line.strip()
            if not line:
                continue
            match = AGENDA_LINE.match(line)
            minutes = int(match.group("minutes")) if match and match.group("minutes") else 15
            title = match.group("title").strip() if match else line
            if not 1 <= minutes <= 480:
                raise forms.ValidationError(_("每项议程时长应在1到480分钟之间。"))
            items.append((title[:AGENDA_TITLE_LENGTH], minutes))
        return items

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_at") and cleaned.get("ends_at") and cleaned["ends_at"] <= cleaned["starts_at"]:
            self.add_error("ends_at", _("结束时间应晚于开始时间。"))
        # A start the notice can no longer reach in time would leave the consultation stuck before its notice.
        _refuse_inside_notice_period(self)
        return cleaned


class RescheduleForm(FormTokenMixin, CleanTextMixin, forms.Form):
    """改期: the new time of a notified consultation and why; the service checks the notice period again."""

    starts_at = forms.DateTimeField(label=_("新的开始时间"), widget=StartInput())
    ends_at = forms.DateTimeField(label=_("新的结束时间"), widget=DateTimeInput())
    reason = forms.CharField(label=_("改期原因"), max_length=200, help_text=_("记入办理过程。"))

    def __init__(self, *args, check_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].widget.set_check_url(check_url)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_at") and cleaned.get("ends_at") and cleaned["ends_at"] <= cleaned["starts_at"]:
            self.add_error("ends_at", _("结束时间应晚于开始时间。"))
        return cleaned


class NoticeOtherForm(CleanTextMixin, forms.Form):
    """The notice delivered another way to someone no message reaches."""

    means = forms.ChoiceField(label=_("通知方式"), choices=NoticeMeans.choices)
    note = forms.CharField(label=_("说明"), max_length=200, required=False, help_text=_("如：送达人、时间"))


class ParticipantForm(FormTokenMixin, CleanTextMixin, forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=ParticipantCategory.choices)
    name = forms.CharField(label=_("姓名"), max_length=50)
    organisation = forms.CharField(label=_("单位/身份"), max_length=100, required=False)
    mobile = forms.CharField(label=_("手机号"), max_length=20, required=False)

    def clean_mobile(self):
        mobile = normalize_mobile(self.cleaned_data.get("mobile", ""))
        if mobile:
            validate_mobile(mobile)
        return mobile


class PickForm(FormTokenMixin, CleanTextMixin, forms.Form):
    """The candidates ticked on the participants page; the service decides whether each may be invited."""

    candidate = forms.MultipleChoiceField(
        label=_("系统建议邀请"),
        required=False,
        error_messages={"invalid_choice": _("所选人员已不在建议名单中，请刷新页面后重新选择。")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].choices = [(c.key, c.name or c.organisation) for c in candidates]


class ResearchForm(FormTokenMixin, CleanTextMixin, forms.Form):
    researchers = forms.CharField(label=_("调研人员"), max_length=200)
    members = forms.ModelMultipleChoiceField(
        label=_("参加调研的委员"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("勾选参加调研的政协委员，计入其履职积分。"),
    )
    researched_on = forms.DateField(label=_("调研日期"), widget=DateInput())
    place = forms.CharField(label=_("调研地点"), max_length=200)
    findings = forms.CharField(label=_("调研发现"), widget=forms.Textarea(attrs={"rows": 4}))
    policies = forms.CharField(label=_("查阅的政策"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    attachment = AttachmentField(label=_("附件"))


class NoticeForm(CleanTextMixin, forms.Form):
    acknowledge_warnings = forms.BooleanField(label=_("已知悉代表性检查的提醒，仍然发送"), required=False)


class StatementForm(FormTokenMixin, CleanTextMixin, forms.Form):
    participant = forms.ModelChoiceField(label=_("发言人"), queryset=Participant.objects.none())
    agenda_item = forms.ModelChoiceField(label=_("议程"), queryset=AgendaItem.objects.none(), required=False)
    text = forms.CharField(label=_("发言内容"), widget=forms.Textarea(attrs={"rows": 3}))
    stance = forms.ChoiceField(label=_("态度"), choices=Stance.choices, initial=Stance.NEUTRAL)
    is_dissent = forms.BooleanField(label=_("不同意见"), required=False)

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = consultation.participants.all()
        self.fields["agenda_item"].queryset = consultation.agenda.all()


class HideForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("隐藏原因"), max_length=200)


class MinutesForm(CleanTextMixin, forms.Form):
    text = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 18}))


class SuggestionForm(FormTokenMixin, CleanTextMixin, forms.Form):
    text = forms.CharField(label=_("建议内容"), widget=forms.Textarea(attrs={"rows": 2}))
    proposed_by = forms.ModelChoiceField(
        label=_("提出建议的委员"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("（非委员提出）"),
    )


def with_members(form, members):
    """Offer ``members`` in the form's member field (research and suggestion forms)."""
    field = form.fields.get("members") or form.fields["proposed_by"]
    field.queryset = members
    return form


def _item_field(label, help_text=""):
    return forms.ModelChoiceField(
        label=label,
        queryset=Suggestion.objects.none(),
        required=False,
        empty_label=_("（不针对具体建议）"),
        help_text=help_text,
    )


def with_items(form, items):
    """Offer the resolution's ``items`` in the form's ``suggestion`` field (dissent, explanation, vote)."""
    form.fields["suggestion"].queryset = items
    return form


class DissentForm(FormTokenMixin, CleanTextMixin, forms.Form):
    holder = forms.CharField(label=_("持不同意见者"), max_length=50)
    view = forms.CharField(label=_("不同意见"), widget=forms.Textarea(attrs={"rows": 2}))
    suggestion = _item_field(_("针对的建议"))


class ExplainForm(CleanTextMixin, forms.Form):
    method = forms.CharField(label=_("解释方式"), max_length=50, required=False, help_text=_("如：入户、电话、座谈"))
    explanation = forms.CharField(
        label=_("解释说明"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("未能解释的，写明原因（如本人拒绝见面）"),
    )
    outcome = forms.ChoiceField(
        label=_("解释结果"),
        choices=[
            (ExplanationOutcome.ACCEPTED, ExplanationOutcome.ACCEPTED.label),
            (ExplanationOutcome.RESERVED, ExplanationOutcome.RESERVED.label),
            (ExplanationOutcome.UNABLE, ExplanationOutcome.UNABLE.label),
        ],
    )
    suggestion = _item_field(_("针对的建议"), _("仍保留意见且针对某条建议的，该建议列为争议事项，提交会议表决"))


class VoteForm(FormTokenMixin, CleanTextMixin, forms.Form):
    suggestion = forms.ModelChoiceField(
        label=_("表决的争议事项"), queryset=Suggestion.objects.none(), empty_label=_("（请选择）")
    )
    body = forms.ChoiceField(label=_("表决会议"), choices=AssemblyBody.choices)
    held_on = forms.DateField(label=_("表决日期"), widget=DateInput())
    attendees = forms.IntegerField(label=_("到会人数"), min_value=1, max_value=1_000_000)
    votes_for = forms.IntegerField(label=_("赞成"), min_value=0, max_value=1_000_000)
    votes_against = forms.IntegerField(label=_("反对"), min_value=0, max_value=1_000_000)
    abstentions = forms.IntegerField(label=_("弃权"), min_value=0, max_value=1_000_000)
    result = forms.ChoiceField(label=_("表决结论"), choices=VoteResult.choices)
    changed_text = forms.CharField(
        label=_("修改后的建议"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("修改后通过的，填写会议通过的建议全文"),
    )
    decision = forms.CharField(label=_("表决情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ContestForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("说明"), max_length=200)


class CancelForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("取消原因"), widget=forms.Textarea(attrs={"rows": 2}))


# --- participants and corrections of the record -------------------------------------------------


class MemberInviteForm(FormTokenMixin, CleanTextMixin, forms.Form):
    """One member found by the participants page's search; the service decides whether they may be invited."""

    member = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    q = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)


class RemoveForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("移除原因"), max_length=200)


class WithdrawForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=200)


class StatementEditForm(CleanTextMixin, forms.Form):
    text = forms.CharField(label=_("发言内容"), widget=forms.Textarea(attrs={"rows": 3}))
    stance = forms.ChoiceField(label=_("态度"), choices=Stance.choices)
    is_dissent = forms.BooleanField(label=_("不同意见"), required=False)
    note = forms.CharField(label=_("更正原因"), max_length=200)


class SuggestionEditForm(CleanTextMixin, forms.Form):
    text = forms.CharField(label=_("建议内容"), widget=forms.Textarea(attrs={"rows": 2}))
    proposed_by = forms.ModelChoiceField(
        label=_("提出建议的委员"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("（非委员提出）"),
    )
    note = forms.CharField(label=_("修改原因"), max_length=200)
