"""The form a member fills in for a resident they met (代群众反映)."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shangliang.core import limits
from shangliang.core.forms import CleanTextMixin
from shangliang.core.phones import normalize_mobile, validate_mobile
from shangliang.orgs.selectors import villages_for
from shangliang.topics.models import Category
from shangliang.topics.public_forms import VillageChoiceField


class PlatformPick(forms.ChoiceField):
    def __init__(self, *, platforms, **kwargs):
        self.platforms = {str(p.pk): p for p in platforms}
        choices = [(key, f"{p.region.name} · {p.name}") for key, p in self.platforms.items()]
        super().__init__(choices=choices, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.platforms.get(value)


class ProblemLogForm(CleanTextMixin, forms.Form):
    platform = forms.ChoiceField(label=_("转交站点"))  # replaced in __init__
    title = forms.CharField(label=_("反映的问题"), max_length=60, help_text=_("一句话说明是什么问题"))
    content = forms.CharField(
        label=_("详细情况"), max_length=limits.TEXT, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    region = forms.ChoiceField(label=_("所在村（社区）"))  # replaced in __init__
    location_detail = forms.CharField(label=_("具体位置"), max_length=100, required=False)
    category = forms.ModelChoiceField(
        label=_("类别"), queryset=Category.objects.filter(is_archived=False), empty_label=_("请选择")
    )
    resident_name = forms.CharField(label=_("群众姓名"), max_length=50, required=False, help_text=_("可不填"))
    resident_mobile = forms.CharField(
        label=_("群众手机号"),
        max_length=20,
        required=False,
        help_text=_("可不填；填写后工作人员可回访，不会公开"),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric"}),
    )
    client_token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, platforms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"] = PlatformPick(label=_("转交站点"), platforms=platforms)
        villages, seen = [], set()
        for platform in platforms:
            for village in villages_for(platform):
                if village.pk not in seen:
                    seen.add(village.pk)
                    villages.append(village)
        self.fields["region"] = VillageChoiceField(label=_("所在村（社区）"), villages=villages)
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4())

    def clean_resident_mobile(self):
        mobile = normalize_mobile(self.cleaned_data.get("resident_mobile", ""))
        if mobile:
            try:
                validate_mobile(mobile)
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        return mobile
