"""Forms of publicity: an article, its withdrawal, an archive document, and the list filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shangliang.core.form_tokens import FormTokenMixin
from shangliang.core.forms import CleanTextMixin, DateInput, PhotosField
from shangliang.core.uploads import AttachmentField
from shangliang.publicity import permissions
from shangliang.publicity.services import MAX_PHOTOS
from shangliang.publicity.states import ArticleKind, DocumentKind

PHOTO_HELP = _("最多%(count)d张；只上传可以公开的照片（注意人脸、车牌）；重新上传会替换原有照片") % {
    "count": MAX_PHOTOS
}


class ArticleForm(CleanTextMixin, FormTokenMixin, forms.Form):
    """A new article: its kind, its scope (a platform, or a region the writer covers), title, body, photos."""

    kind = forms.ChoiceField(label=_("类别"), choices=ArticleKind.choices)
    scope = forms.ChoiceField(
        label=_("发布范围"),
        help_text=_("选择协商平台，或以村（社区）、乡镇（街道）、全区名义发布"),
        error_messages={"required": _("请选择发布范围。")},
    )
    title = forms.CharField(label=_("标题"), max_length=100, error_messages={"required": _("请填写标题。")})
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("公开内容，不要写群众的姓名和电话"),
        error_messages={"required": _("请填写正文。")},
    )
    photos = PhotosField(label=_("照片"), max_count=MAX_PHOTOS, help_text=PHOTO_HELP)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._regions = {f"r{r.pk}": r for r in permissions.regions_writable_by(user).order_by("path")}
        self._platforms = {
            f"p{p.pk}": p for p in permissions.platforms_writable_by(user).select_related("region").order_by("name")
        }
        self.fields["scope"].choices = [
            ("", "—"),
            (_("协商平台"), [(key, p.name) for key, p in self._platforms.items()]),
            (_("区划"), [(key, r.name) for key, r in self._regions.items()]),
        ]

    @property
    def has_scopes(self) -> bool:
        return bool(self._regions or self._platforms)

    def clean(self):
        data = super().clean()
        key = data.pop("scope", None)
        if key:
            data["platform"] = self._platforms.get(key)
            data["region"] = None if data["platform"] else self._regions.get(key)
        return data


class ArticleEditForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100, error_messages={"required": _("请填写标题。")})
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("公开内容，不要写群众的姓名和电话"),
        error_messages={"required": _("请填写正文。")},
    )
    photos = PhotosField(label=_("照片"), max_count=MAX_PHOTOS, help_text=PHOTO_HELP)


class PreviewForm(CleanTextMixin, FormTokenMixin, forms.Form):
    """A session announcement (协商预告): prefilled from the consultation, edited before it is saved."""

    title = forms.CharField(label=_("标题"), max_length=100, error_messages={"required": _("请填写标题。")})
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("提前公布协商的内容、形式及过程；不要写群众的姓名和电话"),
        error_messages={"required": _("请填写正文。")},
    )
    photos = PhotosField(label=_("照片"), max_count=MAX_PHOTOS, help_text=PHOTO_HELP)


class WithdrawForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=200, error_messages={"required": _("请填写撤回原因。")})


class NewsFilterForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别")), *ArticleKind.choices])
    township = forms.TypedChoiceField(label=_("乡镇（街道）"), required=False, coerce=int, empty_value=None)
    platform = forms.TypedChoiceField(label=_("协商平台"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, townships, platforms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = [("", _("全部乡镇（街道）")), *((t.pk, t.name) for t in townships)]
        self.fields["platform"].choices = [("", _("全部平台")), *((p.pk, p.name) for p in platforms)]


class DocumentForm(CleanTextMixin, FormTokenMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100, error_messages={"required": _("请填写标题。")})
    kind = forms.ChoiceField(label=_("类别"), choices=DocumentKind.choices)
    region = forms.ModelChoiceField(label=_("所属范围"), queryset=None, empty_label=None)
    issued_on = forms.DateField(label=_("日期"), widget=DateInput(format="%Y-%m-%d"))
    source = forms.CharField(
        label=_("来源"), max_length=100, required=False, help_text=_("如：区政协理论研究会、某镇联络站")
    )
    tags = forms.CharField(
        label=_("标签"), max_length=250, required=False, help_text=_("用逗号、顿号或空格分隔，如：议事规则、小微协商")
    )
    summary = forms.CharField(
        label=_("摘要"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(label=_("正文"), required=False, widget=forms.Textarea(attrs={"rows": 12}))
    attachment = AttachmentField(label=_("附件"), help_text=_("PDF 或 Word 文档，不超过10MB"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = permissions.regions_for_documents(user).order_by("path")
        self.fields["attachment"].widget.attrs["accept"] = ".pdf,.doc,.docx"


class DocumentEditForm(DocumentForm):
    """The same fields; the one-time token is for adding only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("form_token", None)


class ArchiveSearchForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label=_("关键词"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别")), *DocumentKind.choices])
    tag = forms.CharField(label=_("标签"), max_length=20, required=False, widget=forms.HiddenInput)
