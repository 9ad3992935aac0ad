"""Forms residents fill in on their phones: reporting a matter, looking it up, filtering the pool."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shangliang.core import limits
from shangliang.core.forms import CleanTextMixin, PhotosField
from shangliang.core.params import parse_id
from shangliang.core.phones import normalize_mobile, validate_mobile
from shangliang.orgs.models import Platform, Region
from shangliang.orgs.selectors import grids_of, villages_for
from shangliang.orgs.states import RegionLevel
from shangliang.topics.models import Category

MAX_PHOTOS = 3
ANONYMOUS, NAMED = "anonymous", "named"


class VillageChoiceField(forms.ChoiceField):
    """A village select grouped by township (``<optgroup>``); cleans to the Region."""

    def __init__(self, *, villages, empty_label=None, **kwargs):
        self.villages = {str(v.pk): v for v in villages}
        groups: dict[str, list] = {}
        for village in self.villages.values():
            township = village.parent.name if village.parent_id else ""
            groups.setdefault(township, []).append((str(village.pk), village.name))
        # A required select with one village needs no empty choice: it is simply preselected.
        is_single = len(self.villages) == 1 and kwargs.get("required", True)
        choices = [] if is_single else [("", empty_label or _("请选择"))]
        super().__init__(choices=choices + list(groups.items()), **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.villages[value] if value else None


class SubmissionForm(CleanTextMixin, forms.Form):
    title = forms.CharField(
        label=_("反映的问题"),
        max_length=60,
        help_text=_("一句话说明是什么问题，如：村口路灯坏了"),
        widget=forms.TextInput(attrs={"maxlength": 60, "autocomplete": "off"}),
    )
    content = forms.CharField(
        label=_("详细情况"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("请不要在这里填写身份证号等个人信息。"),
    )
    region = forms.ChoiceField(label=_("所在村（社区）"))  # replaced in __init__ with the villages in scope
    grid = forms.ModelChoiceField(
        label=_("网格/小组/楼栋"), queryset=Region.objects.none(), required=False, empty_label=_("不选")
    )
    location_detail = forms.CharField(
        label=_("具体位置"), max_length=100, required=False, help_text=_("如：3号楼东侧、村委会门口")
    )
    category = forms.ModelChoiceField(
        label=_("类别"), queryset=Category.objects.filter(is_archived=False), empty_label=_("请选择")
    )
    photos = PhotosField(
        label=_("照片"),
        max_count=MAX_PHOTOS,
        help_text=_("可选，最多3张。提交未成功时需要重新选择照片。"),
    )
    identity = forms.ChoiceField(
        label=_("反映方式"),
        choices=[(ANONYMOUS, _("匿名反映")), (NAMED, _("实名反映"))],
        initial=ANONYMOUS,
        widget=forms.RadioSelect,
    )
    submitter_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    submitter_mobile = forms.CharField(
        label=_("手机号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
    )
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=12,
        required=False,
        help_text=_("实名反映需验证手机号；已登录且手机号已验证的，填本人手机号可不填验证码。"),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6, "pattern": "[0-9]*"}
        ),
    )
    client_token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, platform: Platform | None = None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not self.is_bound and user is not None and user.is_authenticated and user.has_verified_mobile:
            # The account's own verified number needs no code: offered for a named submission.
            self.initial.setdefault("submitter_mobile", user.mobile)
            self.initial.setdefault("submitter_name", user.full_name)
        villages = list(villages_for(platform))
        self.fields["region"] = VillageChoiceField(
            label=_("所在村（社区）"),
            villages=villages,
            error_messages={"invalid_choice": _("请从列表中选择所在的村（社区）。")},
        )
        self.fields["region"].widget.attrs.update(
            {
                "hx-get": reverse("topics:grid_options"),
                "hx-trigger": "change",
                "hx-target": "#id_grid",
                "hx-swap": "innerHTML",
            }
        )
        if len(villages) == 1:
            self.initial.setdefault("region", str(villages[0].pk))
        if not self.is_bound:
            # A fresh token per rendered form: a double tap or a retry of this form makes one record.
            self.initial.setdefault("client_token", uuid.uuid4())
        # The grid select starts with the grids of the village already chosen (a re-shown form).
        chosen = self.data.get("region") if self.is_bound else self.initial.get("region")
        self.fields["grid"].queryset = grids_of(chosen)

    def clean_submitter_mobile(self):
        return normalize_mobile(self.cleaned_data.get("submitter_mobile", ""))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("identity") == NAMED:
            mobile = cleaned.get("submitter_mobile", "")
            if not mobile:
                self.add_error("submitter_mobile", _("实名反映请填写手机号，方便工作人员联系您。"))
            else:
                try:
                    validate_mobile(mobile)
                except ValidationError as error:
                    self.add_error("submitter_mobile", error)
                else:
                    if not cleaned.get("code") and not self._holds_verified(mobile):
                        self.add_error("code", _("实名反映需要短信验证码：请点击“获取验证码”，填写收到的验证码。"))
        return cleaned

    def clean_code(self):
        return "".join(self.cleaned_data.get("code", "").split())

    def _holds_verified(self, mobile: str) -> bool:
        """The logged-in account has this number verified: no code is needed (the service decides)."""
        user = self.user
        return bool(user and user.is_authenticated and user.has_verified_mobile and user.mobile == mobile)

    @property
    def is_anonymous(self) -> bool:
        return self.cleaned_data.get("identity") != NAMED


class TrackForm(CleanTextMixin, forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=20,
        error_messages={"required": _("请输入查询码。")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "ABCD2345",
            }
        ),
    )


class PoolFilterForm(CleanTextMixin, forms.Form):
    township = forms.ModelChoiceField(
        label=_("乡镇"), queryset=Region.objects.none(), required=False, empty_label=_("全部")
    )
    village = forms.ChoiceField(label=_("村（社区）"), required=False)  # replaced in __init__, grouped by township
    q = forms.CharField(label=_("搜索"), max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Region.objects.filter(
            level=RegionLevel.TOWNSHIP, is_archived=False
        ).order_by("path")
        villages = villages_for(None)
        township = parse_id(self.data.get("township")) if self.is_bound else None
        if township:
            villages = villages.filter(parent_id=township)
        self.fields["village"] = VillageChoiceField(
            label=_("村（社区）"), villages=villages, required=False, empty_label=_("全部")
        )

    @property
    def region(self) -> Region | None:
        """The narrowest valid choice: the village if it lies in the township, else the township."""
        # Invalid fields drop out of cleaned_data, so a stale village falls back to the township.
        self.is_valid()
        return self.cleaned_data.get("village") or self.cleaned_data.get("township")
