"""Forms on the public side of a consultation: signing up, posting an opinion, signing in at the door by number."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shangliang.consultations.models import Consultation, OnlinePost
from shangliang.consultations.states import ParticipantCategory, Stance
from shangliang.core.forms import CleanTextMixin
from shangliang.core.phones import normalize_mobile, validate_mobile

MAX_POST_LENGTH = 1000


class SignupForm(CleanTextMixin, forms.Form):
    category = forms.ChoiceField(
        label=_("报名身份"),
        choices=[
            (ParticipantCategory.RESIDENT.value, _("居民")),
            (ParticipantCategory.STAKEHOLDER.value, _("利益相关方（这件事和我直接相关）")),
        ],
        initial=ParticipantCategory.RESIDENT.value,
        required=False,
        widget=forms.RadioSelect,
    )

    def clean_category(self):
        # A plain button without the radio still signs up, as a resident.
        return self.cleaned_data.get("category") or ParticipantCategory.RESIDENT.value


class OnlinePostForm(CleanTextMixin, forms.Form):
    text = forms.CharField(
        label=_("我的意见"),
        max_length=MAX_POST_LENGTH,
        error_messages={"required": _("请填写意见。")},
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_POST_LENGTH}),
    )
    stance = forms.ChoiceField(
        label=_("我的态度"),
        choices=Stance.choices,
        initial=Stance.NEUTRAL.value,
        required=False,
        widget=forms.RadioSelect,
    )
    reply_to = forms.ModelChoiceField(
        queryset=OnlinePost.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("回复的意见不存在。")},
    )

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply_to"].queryset = consultation.posts.select_related("reply_to")

    def clean_stance(self):
        # Leaving the stance unpicked is a neutral opinion, not an error to send the resident back for.
        return self.cleaned_data.get("stance") or Stance.NEUTRAL.value

    def clean_reply_to(self):
        post = self.cleaned_data.get("reply_to")
        # Replies are shown one level deep, so a reply to a reply joins the thread it belongs to.
        return post.reply_to if post is not None and post.reply_to_id else post


class DoorMobileForm(CleanTextMixin, forms.Form):
    """The number a door sign-in code is sent to."""

    mobile = forms.CharField(
        label=_("手机号"),
        max_length=20,
        help_text=_("请填写接到邀请时留的手机号，点“获取验证码”。"),
        error_messages={"required": _("请填写手机号。")},
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel", "placeholder": "13800000000"}
        ),
    )

    def clean_mobile(self):
        mobile = normalize_mobile(self.cleaned_data.get("mobile", ""))
        validate_mobile(mobile)
        return mobile


class DoorSignInForm(DoorMobileForm):
    """Signing in at the door by number: the number and the code just texted to it."""

    code = forms.CharField(
        label=_("短信验证码"),
        max_length=10,
        error_messages={"required": _("请填写短信验证码。")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*", "maxlength": 6}
        ),
    )
