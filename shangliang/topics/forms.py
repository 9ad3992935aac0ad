from django import forms
from django.utils.translation import gettext_lazy as _

from shangliang.core.form_tokens import FormTokenMixin
from shangliang.core.forms import CleanTextMixin, DateInput, PhotosField
from shangliang.core.phones import normalize_mobile, validate_mobile
from shangliang.orgs.models import Platform, Region, Unit
from shangliang.orgs.states import RegionLevel, UnitKind
from shangliang.topics.models import Category, Topic
from shangliang.topics.states import STAFF_RECORDED_SOURCES, ExclusionReason, Source, SubmissionStatus, TopicStatus


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region):
        parent = getattr(obj, "parent", None)
        return f"{parent.name} · {obj.name}" if parent and obj.level != RegionLevel.TOWNSHIP else obj.name


class RegionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Region):
        return f"{'　' * max(obj.depth - 1, 0)}{obj.name}（{obj.get_level_display()}）"


def _categories():
    return Category.objects.filter(is_archived=False)


class QueueFilterForm(CleanTextMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("标题、内容或查询码")})
    )
    status = forms.ChoiceField(label=_("状态"), required=False)
    source = forms.ChoiceField(label=_("来源"), required=False, choices=[("", _("全部来源")), *Source.choices])
    category = forms.ModelChoiceField(
        label=_("类别"), required=False, queryset=Category.objects.none(), empty_label=_("全部类别")
    )
    region = RegionChoiceField(
        label=_("区划"), required=False, queryset=Region.objects.none(), empty_label=_("全部区划")
    )
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())

    def __init__(self, *args, tab: str, regions, **kwargs):
        super().__init__(*args, **kwargs)
        statuses = TopicStatus.choices if tab == "topics" else SubmissionStatus.choices
        self.fields["status"].choices = [("", _("全部状态")), *statuses]
        self.fields["category"].queryset = _categories()
        self.fields["region"].queryset = regions.filter(
            level__in=[RegionLevel.TOWNSHIP, RegionLevel.VILLAGE]
        ).select_related("parent")


class StaffSubmissionForm(FormTokenMixin, CleanTextMixin, forms.Form):
    """Grid reports, offline collections, hotline problems and party/government assignments."""

    source = forms.ChoiceField(label=_("来源"), choices=[(s.value, s.label) for s in STAFF_RECORDED_SOURCES])
    title = forms.CharField(label=_("反映的问题"), max_length=60)
    content = forms.CharField(label=_("详细情况"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    region = RegionChoiceField(label=_("所在村（社区）"), queryset=Region.objects.none())
    location_detail = forms.CharField(label=_("具体位置"), max_length=100, required=False)
    category = forms.ModelChoiceField(label=_("类别"), queryset=Category.objects.none())
    platform = forms.ModelChoiceField(label=_("协商平台"), queryset=Platform.objects.none(), required=False)
    assigning_unit = forms.ModelChoiceField(
        label=_("点题单位"), queryset=Unit.objects.none(), required=False, help_text=_("党政点题时填写")
    )
    submitter_name = forms.CharField(label=_("反映人姓名"), max_length=50, required=False)
    submitter_mobile = forms.CharField(label=_("反映人手机号"), max_length=20, required=False)
    photos = PhotosField(label=_("照片"))

    def __init__(self, *args, regions, platforms, can_assign: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions.filter(level=RegionLevel.VILLAGE).select_related("parent")
        self.fields["platform"].queryset = platforms
        self.fields["category"].queryset = _categories()
        self.fields["assigning_unit"].queryset = Unit.objects.filter(
            is_archived=False,
            kind__in=[UnitKind.PARTY_ORGANISATION, UnitKind.GOVERNMENT_DEPARTMENT, UnitKind.TOWNSHIP_GOVERNMENT],
        )
        if not can_assign:
            self.fields["source"].choices = [c for c in self.fields["source"].choices if c[0] != Source.GOVERNMENT]
            del self.fields["assigning_unit"]

    def clean_submitter_mobile(self):
        mobile = normalize_mobile(self.cleaned_data.get("submitter_mobile", ""))
        if mobile:
            validate_mobile(mobile)
        return mobile

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") == Source.GOVERNMENT and not cleaned.get("assigning_unit"):
            self.add_error("assigning_unit", _("党政点题请选择点题单位。"))
        return cleaned


class RecommendForm(FormTokenMixin, CleanTextMixin, forms.Form):
    """A member recommends a topic (委员荐题)."""

    title = forms.CharField(label=_("建议的议题"), max_length=60)
    content = forms.CharField(label=_("情况和理由"), widget=forms.Textarea(attrs={"rows": 5}))
    region = RegionChoiceField(label=_("涉及的村（社区）"), queryset=Region.objects.none())
    category = forms.ModelChoiceField(label=_("类别"), queryset=Category.objects.none())
    platform = forms.ModelChoiceField(label=_("建议在哪个平台协商"), queryset=Platform.objects.none(), required=False)

    def __init__(self, *args, platforms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(
            level=RegionLevel.VILLAGE, is_archived=False
        ).select_related("parent")
        self.fields["category"].queryset = _categories()
        self.fields["platform"].queryset = platforms


class ScreenForm(CleanTextMixin, forms.Form):
    eligible = forms.TypedChoiceField(
        label=_("筛查结论"),
        choices=[("1", _("符合协商范围，予以受理")), ("0", _("不纳入协商范围"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("不纳入的情形"), required=False, choices=[("", _("请选择")), *ExclusionReason.choices]
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不纳入时必填，群众将在查询页看到这段说明。"),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("eligible") is False:
            if not cleaned.get("reason"):
                self.add_error("reason", _("请选择不纳入协商的情形。"))
            if not (cleaned.get("note") or "").strip():
                self.add_error("note", _("请写明不纳入的理由，群众将在查询页看到。"))
        return cleaned


class ReplyForm(FormTokenMixin, CleanTextMixin, forms.Form):
    text = forms.CharField(label=_("答复群众"), widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(CleanTextMixin, forms.Form):
    note = forms.CharField(label=_("重新筛查的原因"), widget=forms.Textarea(attrs={"rows": 2}))


class TopicForm(CleanTextMixin, forms.ModelForm):
    regions = RegionsField(
        label=_("涉及区划"), queryset=Region.objects.none(), widget=forms.SelectMultiple(attrs={"size": 8})
    )

    class Meta:
        model = Topic
        fields = [
            "title",
            "background",
            "category",
            "is_livelihood",
            "urgency",
            "weight",
            "meets_party_needs",
            "meets_public_wishes",
            "within_cppcc_reach",
            "within_members_reach",
            "small_cut_reason",
            "regions",
            "platform",
        ]
        widgets = {
            "background": forms.Textarea(attrs={"rows": 5}),
            "small_cut_reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, regions, platforms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = regions.exclude(level=RegionLevel.DISTRICT).order_by("path")
        self.fields["category"].queryset = _categories()
        self.fields["platform"].queryset = platforms
        self.fields["background"].required = True


class VerificationForm(FormTokenMixin, CleanTextMixin, forms.Form):
    checked_by = forms.CharField(label=_("核实人员"), max_length=100)
    checked_on = forms.DateField(label=_("核实日期"), widget=DateInput())
    findings = forms.CharField(label=_("核实情况"), widget=forms.Textarea(attrs={"rows": 4}))
    photos = PhotosField(label=_("现场照片"))


class DecisionForm(CleanTextMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("审定结果"),
        choices=[("approve", _("同意，列为协商议题")), ("return", _("退回补充")), ("reject", _("不予审定"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("审定意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回或不予审定时必填"),
    )
    # Saved with an approval: a wide-reaching matter must be held as a hearing or a similar form.
    needs_hearing = forms.BooleanField(label=_("涉及面广、关注度高（须采用听证会等形式）"), required=False)
    # The party committee meeting that discussed the topic (经党委会讨论通过), when the district's rule asks.
    party_meeting_on = forms.DateField(label=_("党委会召开日期"), required=False, widget=DateInput())
    party_meeting_name = forms.CharField(
        label=_("会议名称"), max_length=100, required=False, help_text=_("如：镇党委会第12次会议")
    )
    party_meeting_ref = forms.CharField(label=_("会议纪要编号"), max_length=50, required=False)
    MEETING_FIELDS = ("party_meeting_on", "party_meeting_name", "party_meeting_ref")

    def __init__(self, *args, party_meeting_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.party_meeting_required = party_meeting_required
        if party_meeting_required:
            for name in self.MEETING_FIELDS:
                self.fields[name].help_text = _("本区规定须经党委会讨论通过，同意时必填")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") in {"reject", "return"} and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("不予审定或退回时，请写明理由。"))
        if cleaned.get("decision") == "approve" and self.party_meeting_required:
            for name in self.MEETING_FIELDS:
                if name in cleaned and not cleaned[name]:
                    self.add_error(name, _("本区规定议题须经党委会讨论通过，请填写此项。"))
        return cleaned
