"""Forms of the hotline pages: uploading a file, mapping its columns, correcting a record, working hot issues."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shangliang.core.form_tokens import FormTokenMixin
from shangliang.core.forms import CleanTextMixin
from shangliang.hotline.models import HotIssue, Source
from shangliang.hotline.states import FIELDS, REQUIRED_FIELDS
from shangliang.orgs.models import Region
from shangliang.orgs.states import RegionLevel
from shangliang.topics.models import Category

MAX_UPLOAD = 50 * 1024 * 1024


class UploadForm(FormTokenMixin, CleanTextMixin, forms.Form):
    source = forms.ModelChoiceField(label=_("数据来源"), queryset=Source.objects.none())
    file = forms.FileField(label=_("导出文件（.csv 或 .xlsx）"))

    def __init__(self, *args, sources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources if sources is not None else Source.objects.none()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("请上传 .csv 或 .xlsx 文件。"))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("文件不能超过50MB，请分成几个文件。"))
        head = upload.read(4)
        upload.seek(0)
        if name.endswith(".xlsx") and head != b"PK\x03\x04":
            raise forms.ValidationError(_("文件不是有效的 Excel（.xlsx）文件。"))
        return upload


class MappingForm(FormTokenMixin, CleanTextMixin, forms.Form):
    """One choice of column per field; the required fields must be given."""

    def __init__(self, *args, header=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("（无此列）"))] + [(h, h) for h in header if h]
        for name, label in FIELDS.items():
            self.fields[name] = forms.ChoiceField(label=label, choices=choices, required=name in REQUIRED_FIELDS)

    def mapping(self) -> dict[str, str]:
        return {name: value for name, value in self.cleaned_data.items() if value}


class SourceForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Source
        fields = ["name", "kind", "region", "callback_url"]

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions if regions is not None else Region.objects.none()


class PlaceForm(FormTokenMixin, CleanTextMixin, forms.Form):
    region = forms.ModelChoiceField(label=_("村（社区）或网格"), queryset=Region.objects.none())

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = regions if regions is not None else Region.objects.none()
        self.fields["region"].queryset = qs.filter(level__in=[RegionLevel.VILLAGE, RegionLevel.GRID]).order_by("path")


class CategoryForm(FormTokenMixin, CleanTextMixin, forms.Form):
    category = forms.ModelChoiceField(label=_("类别"), queryset=Category.objects.filter(is_archived=False))


class MergeForm(FormTokenMixin, CleanTextMixin, forms.Form):
    into = forms.ModelChoiceField(label=_("并入热点"), queryset=HotIssue.objects.none())

    def __init__(self, *args, issues=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = issues if issues is not None else HotIssue.objects.none()


class SplitForm(FormTokenMixin, CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("新热点标题"), max_length=200, required=False)


class DismissForm(FormTokenMixin, CleanTextMixin, forms.Form):
    note = forms.CharField(label=_("理由"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class TopicForm(FormTokenMixin, CleanTextMixin, forms.Form):
    """The submission a hot issue becomes: where (a village), what category, and its title."""

    title = forms.CharField(label=_("反映的问题"), max_length=60)
    region = forms.ModelChoiceField(label=_("所在村（社区）"), queryset=Region.objects.none())
    category = forms.ModelChoiceField(label=_("类别"), queryset=Category.objects.filter(is_archived=False))

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = regions if regions is not None else Region.objects.none()
        self.fields["region"].queryset = qs.filter(level=RegionLevel.VILLAGE).order_by("path")
