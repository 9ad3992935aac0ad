"""Forms of the evaluation pages. Forms check shapes; the services decide whether a rating may be recorded now."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shangliang.core.form_tokens import FormTokenMixin
from shangliang.core.forms import CleanTextMixin, DateInput, PhotosField
from shangliang.core.phones import normalize_mobile, validate_mobile
from shangliang.evaluation.states import STAFF_CHANNELS, RatingChannel, Satisfaction

COMMENT_MAX = 500


def _level(label, missing):
    """Three choices shown as big buttons; a missing or unknown choice says which question is unanswered."""
    return forms.ChoiceField(
        label=label,
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": missing, "invalid_choice": missing},
    )


class RatingForm(CleanTextMixin, forms.Form):
    """A resident's own rating on the public page."""

    process = _level(_("对协商过程"), _("请评价协商过程。"))
    result = _level(_("对落实结果"), _("请评价落实结果。"))
    comment = forms.CharField(
        label=_("意见建议"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("选填，只有工作人员能看到"),
    )


class StaffRatingForm(FormTokenMixin, RatingForm):
    """A rating gathered offline (visit, meeting, paper questionnaire) and typed in by staff."""

    channel = forms.ChoiceField(
        label=_("评议方式"),
        choices=[("", _("请选择"))] + [(c.value, c.label) for c in RatingChannel if c in STAFF_CHANNELS],
        error_messages={"required": _("请选择评议方式。"), "invalid_choice": _("请选择评议方式。")},
    )
    mobile = forms.CharField(
        label=_("手机号"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("选填；填写后同一手机号只能评议一次"),
    )
    field_order = ["channel", "process", "result", "comment", "mobile"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].help_text = _("群众的原话或要点")

    def clean_mobile(self):
        mobile = normalize_mobile(self.cleaned_data.get("mobile", ""))
        if mobile:
            validate_mobile(mobile)
        return mobile


class FollowUpCloseForm(CleanTextMixin, forms.Form):
    result = forms.CharField(
        label=_("回访重办情况"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("回访了哪些群众、重新办理了什么、群众是否认可"),
        error_messages={"required": _("请填写回访重办情况。")},
    )


class ThirdPartyEvaluationForm(FormTokenMixin, CleanTextMixin, forms.Form):
    organisation = forms.CharField(label=_("评估机构"), max_length=100)
    process = _level(_("协商过程评价"), _("请评价协商过程。"))
    result = _level(_("落实结果评价"), _("请评价落实结果。"))
    findings = forms.CharField(label=_("评估意见"), widget=forms.Textarea(attrs={"rows": 5}))
    evaluated_on = forms.DateField(label=_("评估日期"), widget=DateInput(format="%Y-%m-%d"))

    def clean_evaluated_on(self):
        evaluated_on = self.cleaned_data["evaluated_on"]
        if evaluated_on > timezone.localdate():
            raise forms.ValidationError(_("评估日期不能晚于今天。"))
        return evaluated_on


class TypicalCaseForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("案例标题"), max_length=100, error_messages={"required": _("请填写案例标题。")})
    story = forms.CharField(
        label=_("案例故事"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("群众反映了什么、怎样协商、办成了什么；不要写群众的姓名和电话"),
        error_messages={"required": _("请填写案例故事。")},
    )
    photos = PhotosField(label=_("照片"), max_count=3, help_text=_("最多3张；重新上传会替换原有照片"))


class TypicalCaseWithdrawForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=80, error_messages={"required": _("请填写撤回原因。")})


class DoubtfulRatingForm(CleanTextMixin, forms.Form):
    """Mark a rating doubtful, with the reason, or count it again."""

    is_doubtful = forms.BooleanField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("存疑原因"), max_length=200, required=False)
