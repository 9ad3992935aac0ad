"""The district's approval rules for the consultation fund are edited here; accounts and lines are shown only."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shangliang.core.admin import HistoryAdmin, ReadOnlyAdmin
from shangliang.core.forms import CleanTextMixin
from shangliang.core.records import save_record
from shangliang.funds.models import FundAccount, FundEntry, FundRule


class FundRuleForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = FundRule
        fields = ["district", "approver", "from_amount", "is_archived"]

    def clean(self):
        cleaned = super().clean()
        district, approver = cleaned.get("district"), cleaned.get("approver")
        if district is not None and approver and not cleaned.get("is_archived"):
            same = FundRule.objects.filter(district=district, approver=approver, archived_at__isnull=True)
            if same.exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError(_("本区已有该审批人的规则，请修改或归档原规则。"))
        return cleaned


@admin.register(FundRule)
class FundRuleAdmin(HistoryAdmin):
    """Each district's approval steps for fund spending (``funds.rules``): from an amount up, an approver must
    agree. Rules are archived, never deleted; the history shows every change. Lines already requested keep
    the steps they were given."""

    list_display = ["district", "approver", "from_amount", "is_archived"]
    list_filter = ["district", "approver", "is_archived"]
    form = FundRuleForm

    def save_model(self, request, obj, form, change):
        obj.archived_at = (obj.archived_at or timezone.now()) if obj.is_archived else None
        save_record(obj, actor=request.user, reason="fund_rule.changed")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FundAccount)
class FundAccountAdmin(ReadOnlyAdmin):
    list_display = ["name", "village", "opened_on", "is_archived"]
    search_fields = ["name", "village__name"]


@admin.register(FundEntry)
class FundEntryAdmin(ReadOnlyAdmin):
    list_display = ["account", "number", "direction", "kind", "amount", "status", "booked_on"]
    list_filter = ["direction", "kind", "status"]
    search_fields = ["purpose", "counterparty"]
