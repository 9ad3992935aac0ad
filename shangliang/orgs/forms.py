from django import forms
from django.utils.translation import gettext_lazy as _

from shangliang.core.form_tokens import FormTokenMixin
from shangliang.core.forms import CleanTextMixin, DateInput
from shangliang.core.images import clean_photo
from shangliang.core.phones import normalize_mobile
from shangliang.orgs import platform_details
from shangliang.orgs.models import Member, Platform, Region, Sector, Unit
from shangliang.orgs.states import MemberLevel, PlatformKind, RegionLevel


class PlatformForm(FormTokenMixin, CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Platform
        fields = [
            "name",
            "kind",
            "venue_type",
            "is_practice_base",
            "brand",
            "region",
            "shared_regions",
            "address",
            "opening_hours",
            "keeper",
            "keeper_name",
            "contact_phone",
            "supervision_phone",
            "host_unit",
            "sector",
            "active_since",
            "description",
        ]
        widgets = {
            "active_since": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "shared_regions": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "shared_regions": _("乡镇（街道）议事室与所辖村（社区）共用时勾选，计入这些村（社区）的覆盖率"),
            "keeper": _("负责协商人员预约、事项收集的工作人员账号"),
            "supervision_phone": _("印在协商结果公开海报上，接受群众监督"),
        }

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regions is not None:
            self.fields["region"].queryset = regions.exclude(level=RegionLevel.GRID)
            # Only villages can share a township's room; the service checks they lie under its township.
            self.fields["shared_regions"].queryset = regions.filter(level=RegionLevel.VILLAGE).order_by("path")
            # Staff of the regions the editor may edit; the service checks the keeper covers the platform.
            self.fields["keeper"].queryset = platform_details.keeper_users(regions)
        self.fields["host_unit"].queryset = Unit.objects.filter(is_archived=False)
        self.fields["sector"].queryset = Sector.objects.filter(is_archived=False)
        self.fields["keeper"].label_from_instance = lambda user: user.display_name


class PlatformCheckForm(CleanTextMixin, forms.Form):
    is_met = forms.BooleanField(label=_("已达标"), required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    photo = forms.FileField(label=_("照片"), required=False)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        return clean_photo(photo) if photo else None


class RegionForm(FormTokenMixin, CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    code = forms.RegexField(
        label=_("统计用区划代码"),
        regex=r"^\d{12}$",
        required=False,
        error_messages={"invalid": _("统计用区划代码应为12位数字。")},
    )
    # A village's register: the villagers' (representatives') assembly's quorum is counted against it.
    electorate = forms.IntegerField(
        label=_("登记选民数"),
        min_value=1,
        max_value=1_000_000,
        required=False,
        help_text=_("村民会议须有过半数选民到会"),
    )
    representatives = forms.IntegerField(
        label=_("村（居）民代表人数"),
        min_value=1,
        max_value=100_000,
        required=False,
        help_text=_("代表会议须有三分之二以上代表到会"),
    )

    def __init__(self, *args, village: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not village:
            del self.fields["electorate"], self.fields["representatives"]


class MemberForm(FormTokenMixin, CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "name",
            "gender",
            "level",
            "sector",
            "specialty",
            "workplace",
            "mobile",
            "home_region",
            "work_region",
            "bio",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.filter(is_archived=False)
        if regions is not None:
            self.fields["home_region"].queryset = regions
            self.fields["work_region"].queryset = regions
        self.fields["level"].choices = MemberLevel.choices
        # Scope follows the home region for members not yet assigned, so it cannot be left empty.
        self.fields["home_region"].required = True

    def clean_mobile(self):
        return normalize_mobile(self.cleaned_data.get("mobile", ""))


class AssignmentForm(CleanTextMixin, forms.Form):
    platform = forms.ModelChoiceField(label=_("联系站点"), queryset=Platform.objects.none())
    started_on = forms.DateField(label=_("开始日期"), widget=DateInput())

    def __init__(self, *args, platforms=None, **kwargs):
        super().__init__(*args, **kwargs)
        if platforms is not None:
            self.fields["platform"].queryset = platforms


class PlatformFilterForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label=_("搜索"), required=False)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *PlatformKind.choices])
    township = forms.TypedChoiceField(label=_("乡镇"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, townships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = [("", _("全部乡镇")), *((t.pk, t.name) for t in townships)]


class MemberFilterForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label=_("搜索"), required=False)
    level = forms.ChoiceField(label=_("层级"), required=False, choices=[("", _("全部层级")), *MemberLevel.choices])
    sector = forms.ModelChoiceField(
        label=_("界别"), required=False, queryset=Sector.objects.filter(is_archived=False), empty_label=_("全部界别")
    )
    township = forms.TypedChoiceField(label=_("联系乡镇"), required=False, coerce=int, empty_value=None)
    unassigned = forms.BooleanField(label=_("仅看未下沉的委员"), required=False)

    def __init__(self, *args, townships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = [("", _("全部乡镇")), *((t.pk, t.name) for t in townships)]


class ImportForm(FormTokenMixin, CleanTextMixin, forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件。"))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过10MB。"))
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise forms.ValidationError(_("文件不是有效的 Excel（.xlsx）文件。"))
        return upload


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region):
        return f"{'　' * obj.depth}{obj.name}"


class ArchiveForm(CleanTextMixin, forms.Form):
    """Why a record is archived; kept whole as the note of its history row."""

    reason = forms.CharField(label=_("归档原因"), max_length=100, required=False)
