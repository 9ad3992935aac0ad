"""Forms of the outcomes staff pages. Rules of the domain stay in the services; forms check shapes."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from shangliang.consultations.models import Suggestion
from shangliang.core.form_tokens import FormTokenMixin
from shangliang.core.forms import CleanTextMixin, DateInput
from shangliang.core.images import clean_photo
from shangliang.core.phones import normalize_mobile, validate_mobile
from shangliang.core.uploads import JPEG, MAX_ATTACHMENT_BYTES, PNG, WEBP, AttachmentField, sniff
from shangliang.core.widgets import SearchableSelect, SearchableSelectMultiple
from shangliang.orgs.models import Member, Platform, Unit
from shangliang.outcomes.states import AssignmentStatus, PublicChannel, ReportKind


def _date_input():
    """A date picker whose value is ISO, the only form browsers accept whatever the page's language."""
    return DateInput(format="%Y-%m-%d")


class VersionedForm(CleanTextMixin, forms.Form):
    """A form on an assignment carries the version it was opened with, so a later save cannot overwrite."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean(self):
        cleaned = super().clean()
        if self.has_error("version"):
            # The field is hidden, so its error would go unseen; say it above the form.
            self.add_error(None, _("页面已过期，请刷新后再提交。"))
        return cleaned

    def refresh_version(self, version: int) -> None:
        """After a conflict: keep what the user typed, but let the next submit build on the latest record."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(version)


# --- one consultation ----------------------------------------------------------------------


class AssignForm(FormTokenMixin, CleanTextMixin, forms.Form):
    """One 交办 action: the page's suggestion, and any others ticked (``also``), to one lead unit, with one
    message to the people concerned."""

    also = forms.ModelMultipleChoiceField(
        label=_("同时交办以下建议"),
        queryset=Suggestion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("交同一单位、同一时限办理的可一并勾选，相关群众只收到一条通知"),
    )
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=Unit.objects.none(), widget=SearchableSelect)
    co_units = forms.ModelMultipleChoiceField(
        label=_("配合单位"), queryset=Unit.objects.none(), required=False, widget=SearchableSelectMultiple
    )
    responsible_person = forms.CharField(label=_("责任人"), max_length=50)
    responsible_mobile = forms.CharField(
        label=_("责任人电话"), max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    deadline = forms.DateField(label=_("办理时限"), widget=_date_input())
    cppcc_committee = forms.ModelChoiceField(label=_("政协责任委室"), queryset=Unit.objects.none(), required=False)
    supervisor = forms.ModelChoiceField(label=_("督办负责人"), queryset=get_user_model().objects.none())

    def __init__(self, *args, others, units, committees, supervisors, unit_group=None, first=(), **kwargs):
        """``others``: the consultation's other suggestions not yet assigned (the field is left out when there
        are none). ``unit_group(unit)`` names a unit's group in the pickers; ``first`` are (label, unit pks)
        groups offered before the rest (units of the item's region, recently used ones)."""
        super().__init__(*args, **kwargs)
        others = list(others)
        if others:
            self.fields["also"].queryset = Suggestion.objects.filter(pk__in=[s.pk for s in others])
            self.fields["also"].label_from_instance = lambda suggestion: suggestion.text
        else:
            del self.fields["also"]
        for name in ("lead_unit", "co_units"):
            self.fields[name].queryset = units
            self.fields[name].widget.configure(group_of=unit_group, first=first)
        self.fields["cppcc_committee"].queryset = committees
        self.fields["supervisor"].queryset = supervisors
        self.fields["supervisor"].label_from_instance = lambda user: user.display_name

    def clean_responsible_mobile(self):
        mobile = normalize_mobile(self.cleaned_data.get("responsible_mobile", ""))
        if mobile:
            validate_mobile(mobile)
        return mobile


class ReportForm(FormTokenMixin, CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("报送形式"), choices=ReportKind.choices)
    recipient = forms.CharField(label=_("报送对象"), max_length=100, help_text=_("如：镇党委、镇政府"))
    recipient_unit = forms.ModelChoiceField(
        label=_("报送单位"), queryset=Unit.objects.none(), required=False, widget=SearchableSelect
    )
    is_entrusted = forms.BooleanField(
        label=_("政府委托事项"), required=False, help_text=_("委托事项须在规定期限内书面答复")
    )
    members = forms.ModelMultipleChoiceField(
        label=_("署名委员"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("政协提案、社情民意信息的提案人，计入其履职积分。"),
    )
    lead_member = forms.ModelChoiceField(
        label=_("提案人（反映人）"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("第一署名委员；其他署名委员为附议人。不选则为第一位署名委员。"),
    )
    proposal_category = forms.CharField(
        label=_("提案类别"), max_length=30, required=False, help_text=_("如：经济建设、社会事业、城乡建设")
    )
    suggested_handlers = forms.CharField(
        label=_("建议承办单位"), max_length=200, required=False, help_text=_("如：区住房和城乡建设局")
    )
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 16}))

    def __init__(self, *args, units, members, unit_group=None, first=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_unit"].queryset = units
        self.fields["recipient_unit"].widget.configure(group_of=unit_group, first=first)
        self.fields["members"].queryset = members
        self.fields["lead_member"].queryset = members


class ReportEditForm(CleanTextMixin, forms.Form):
    recipient = forms.CharField(label=_("报送对象"), max_length=100)
    proposal_category = forms.CharField(label=_("提案类别"), max_length=30, required=False)
    suggested_handlers = forms.CharField(label=_("建议承办单位"), max_length=200, required=False)
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 16}))


class ReplyForm(CleanTextMixin, forms.Form):
    text = forms.CharField(label=_("书面答复内容"), widget=forms.Textarea(attrs={"rows": 6}))
    attachment = AttachmentField(label=_("答复附件"), help_text=_("答复函扫描件等，不超过10MB"))


class PublishForm(CleanTextMixin, forms.Form):
    summary = forms.CharField(
        label=_("公开内容"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("面向群众的结果说明，不含姓名和电话"),
    )
    channels = forms.MultipleChoiceField(
        label=_("公开方式"),
        choices=PublicChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[PublicChannel.BOARD],
    )


# --- one assignment ------------------------------------------------------------------------


class AcceptForm(VersionedForm):
    pass


class ReturnForm(VersionedForm):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}))


class ProgressForm(FormTokenMixin, VersionedForm):
    progress = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 4}))
    problems = forms.CharField(label=_("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(label=_("解决思路"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reported_on = forms.DateField(label=_("填报日期"), required=False, widget=_date_input(), help_text=_("默认今天"))
    attachment = AttachmentField(label=_("附件"))


class CompleteForm(VersionedForm):
    result = forms.CharField(
        label=_("落实效果"), widget=forms.Textarea(attrs={"rows": 4}), help_text=_("做了什么、解决了什么")
    )
    evidence = AttachmentField(label=_("佐证材料"), help_text=_("照片、文件等；已填报进展的可不上传"))
    evidence_public = forms.BooleanField(
        label=_("佐证照片可公开"),
        required=False,
        help_text=_("验收通过后照片显示在群众可见的结果公开页；请确认照片中没有可辨认的人脸、车牌等"),
    )

    def clean_evidence(self):
        """A photo is stored re-encoded, without its EXIF data (place, time, device)."""
        upload = self.cleaned_data.get("evidence")
        if upload and hasattr(upload, "seek") and sniff(upload) in {JPEG, PNG, WEBP}:
            return clean_photo(upload, max_bytes=MAX_ATTACHMENT_BYTES)
        return upload


class CheckForm(VersionedForm):
    note = forms.CharField(
        label=_("验收意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("选填")
    )


class SendBackForm(VersionedForm):
    reason = forms.CharField(
        label=_("退回理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("说明哪里没有达到要求，承办单位继续办理后重新办结"),
    )


class DeferForm(VersionedForm):
    reason = forms.CharField(
        label=_("暂缓原因"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_("这段说明会告知相关群众")
    )


class ResumeForm(VersionedForm):
    pass


class ExtensionForm(FormTokenMixin, CleanTextMixin, forms.Form):
    requested_deadline = forms.DateField(label=_("申请延期至"), widget=_date_input())
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(CleanTextMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("审批"),
        choices=[("approve", _("同意延期")), ("refuse", _("不同意"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("审批意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不同意时必填"),
    )


# --- lists ---------------------------------------------------------------------------------

BOARD_STATES = [
    ("", _("逾期及临期")),
    ("overdue", _("已逾期")),
    ("due_soon", _("即将到期")),
    ("open", _("未办结")),
    (AssignmentStatus.ASSIGNED, AssignmentStatus.ASSIGNED.label),
    (AssignmentStatus.ACCEPTED, AssignmentStatus.ACCEPTED.label),
    (AssignmentStatus.FINISHED, AssignmentStatus.FINISHED.label),
    (AssignmentStatus.DONE, AssignmentStatus.DONE.label),
    (AssignmentStatus.DEFERRED, AssignmentStatus.DEFERRED.label),
    (AssignmentStatus.RETURNED, AssignmentStatus.RETURNED.label),
    ("all", _("全部")),
]


class BoardFilterForm(CleanTextMixin, forms.Form):
    state = forms.ChoiceField(label=_("状态"), choices=BOARD_STATES, required=False)
    platform = forms.ModelChoiceField(
        label=_("平台"), queryset=Platform.objects.none(), required=False, empty_label=_("全部平台")
    )
    unit = forms.ModelChoiceField(
        label=_("单位"), queryset=Unit.objects.none(), required=False, empty_label=_("全部单位")
    )
    start = forms.DateField(label=_("协商日期自"), required=False, widget=_date_input())
    end = forms.DateField(label=_("至"), required=False, widget=_date_input())

    def __init__(self, *args, platforms, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].queryset = platforms
        self.fields["unit"].queryset = units

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", _("结束日期应不早于开始日期。"))
        return cleaned
