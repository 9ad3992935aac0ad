"""Forms of the consultation fund's pages. Rules of the domain stay in the services; forms check shapes."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from shangliang.core.form_tokens import FormTokenMixin
from shangliang.core.forms import CleanTextMixin, DateInput
from shangliang.core.images import clean_photo
from shangliang.core.uploads import JPEG, MAX_ATTACHMENT_BYTES, PDF, PNG, TOO_LARGE, WEBP, sniff
from shangliang.funds.models import MIN_AMOUNT
from shangliang.funds.states import INCOME_KINDS, SPENDING_KINDS, Decision, EntryKind
from shangliang.orgs.models import Unit

VOUCHER_TYPES = {PDF, JPEG, PNG, WEBP}
VOUCHER_HELP = _("发票、收据或转账凭证：PDF 或 JPG、PNG、WEBP 图片，不超过10MB")
MAX_AMOUNT = Decimal("9999999999.99")


def _date_input():
    return DateInput(format="%Y-%m-%d")


class VoucherField(forms.FileField):
    """A voucher (凭证): a PDF, or a photo checked by content and re-encoded without its location data."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("凭证"))
        kwargs.setdefault("help_text", VOUCHER_HELP)
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not isinstance(upload, UploadedFile):
            return upload
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(TOO_LARGE, code="too_large")
        file_type = sniff(upload)
        if file_type not in VOUCHER_TYPES:
            raise ValidationError(_("凭证只能是 PDF 文件或 JPG、PNG、WEBP 图片。"), code="type_not_allowed")
        if file_type == PDF:
            return upload
        return clean_photo(upload, max_bytes=MAX_ATTACHMENT_BYTES)


def amount_field():
    return forms.DecimalField(
        label=_("金额（元）"),
        min_value=MIN_AMOUNT,
        max_value=MAX_AMOUNT,
        max_digits=12,
        decimal_places=2,
        help_text=_("精确到分，如 1250.50"),
    )


class AccountForm(FormTokenMixin, CleanTextMixin, forms.Form):
    """Open an account (with ``villages``) or change its details."""

    village = forms.ModelChoiceField(label=_("村（社区）"), queryset=None)
    name = forms.CharField(label=_("账户名称"), max_length=100, help_text=_("如：某某村协商资金专户"))
    bank = forms.CharField(label=_("开户银行"), max_length=100, required=False)
    account_name = forms.CharField(label=_("户名"), max_length=100, required=False)
    account_number = forms.CharField(label=_("账号"), max_length=40, required=False)
    opened_on = forms.DateField(label=_("开户日期"), widget=_date_input())
    keeper_unit = forms.ModelChoiceField(label=_("管理单位"), queryset=Unit.objects.none(), required=False)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, villages=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if villages is None:
            del self.fields["village"]
        else:
            self.fields["village"].queryset = villages.order_by("path")
        if units is not None:
            self.fields["keeper_unit"].queryset = units.order_by("name")

    def clean_account_number(self):
        value = self.cleaned_data["account_number"].replace(" ", "")
        if value and not value.replace("-", "").isalnum():
            raise ValidationError(_("账号只能包含数字和字母。"))
        return value


class IncomeForm(FormTokenMixin, CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("收入类别"), choices=[(k.value, k.label) for k in INCOME_KINDS])
    amount = amount_field()
    booked_on = forms.DateField(label=_("到账日期"), widget=_date_input())
    counterparty = forms.CharField(label=_("付款单位"), max_length=100, help_text=_("如：某某镇财政所、某某公司"))
    purpose = forms.CharField(label=_("事由"), max_length=200, help_text=_("如：2026年度村级协商资金"))
    voucher = VoucherField()


class SpendingForm(FormTokenMixin, CleanTextMixin, forms.Form):
    """A spending request tied to one of the village's consultations or items (``link``: c<pk> or a<pk>)."""

    link = forms.ChoiceField(label=_("关联协商或交办事项"), help_text=_("每笔支出须用于一场协商或一项协商成果的落实"))
    kind = forms.ChoiceField(label=_("支出用途"), choices=[(k.value, k.label) for k in SPENDING_KINDS])
    amount = amount_field()
    counterparty = forms.CharField(label=_("收款单位"), max_length=100, help_text=_("如：某某建材店、某某印刷厂"))
    purpose = forms.CharField(label=_("事由"), max_length=200, help_text=_("如：购置停车标识牌8块"))
    voucher = VoucherField(help_text=_("报价单或发票，可在支付时再上传"))

    def __init__(self, *args, consultations=(), assignments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.consultations = {c.pk: c for c in consultations}
        self.assignments = {a.pk: a for a in assignments}
        choices = [("", "---------")]
        if self.consultations:
            choices.append(
                (
                    _("协商"),
                    [(f"c{c.pk}", f"{c.starts_at:%Y-%m-%d} {c.topic.title}") for c in self.consultations.values()],
                )
            )
        if self.assignments:
            choices.append(
                (
                    _("交办事项"),
                    [
                        (f"a{a.pk}", f"{a.suggestion.text[:40]}（{a.lead_unit.name}，{a.get_status_display()}）")
                        for a in self.assignments.values()
                    ],
                )
            )
        self.fields["link"].choices = choices

    def clean(self):
        cleaned = super().clean()
        link = cleaned.pop("link", "")
        cleaned["consultation"] = self.consultations.get(int(link[1:])) if link.startswith("c") else None
        cleaned["assignment"] = self.assignments.get(int(link[1:])) if link.startswith("a") else None
        return cleaned


class DecisionForm(FormTokenMixin, CleanTextMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("审批意见"), choices=Decision.choices, widget=forms.RadioSelect, initial=Decision.APPROVED
    )
    opinion = forms.CharField(
        label=_("意见说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不同意时必填"),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == Decision.REFUSED and not cleaned.get("opinion", "").strip():
            self.add_error("opinion", _("请写明不同意的理由。"))
        return cleaned


class PayForm(FormTokenMixin, CleanTextMixin, forms.Form):
    paid_on = forms.DateField(label=_("支付日期"), widget=_date_input())
    voucher = VoucherField(help_text=_("尚未上传凭证的须上传：发票、收据或转账凭证"))


class VoucherForm(FormTokenMixin, CleanTextMixin, forms.Form):
    voucher = VoucherField(required=True)


class WithdrawForm(FormTokenMixin, CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReverseForm(FormTokenMixin, CleanTextMixin, forms.Form):
    """Correct a paid line (冲正): the reason is required; the day defaults to today."""

    reason = forms.CharField(
        label=_("冲正原因"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：收款单位退回多付款项、支出记错了关联事项"),
    )
    booked_on = forms.DateField(label=_("冲正日期"), widget=_date_input())
    voucher = VoucherField(help_text=_("如有退款凭证、更正说明等可上传"))


class LedgerFilterForm(CleanTextMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部")), *EntryKind.choices])

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部")), *((y, str(y)) for y in years)]
