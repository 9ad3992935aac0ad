import re

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from shangliang.core.forms import CleanTextModelForm, with_clean_text
from shangliang.core.models import (
    BackgroundJob,
    Channel,
    Delivery,
    MessageKind,
    MessageTemplate,
    Provider,
    WorkdayOverride,
)
from shangliang.core.phones import mask_mobile
from shangliang.core.senders import template_params
from shangliang.core.workdays import official_working_day


def _checked_pk(field, value):
    try:
        return field.to_python(unquote(value))
    except (ValidationError, ValueError, TypeError):
        raise Http404 from None


class BoundedLookupsMixin:
    """A list filter whose value cannot be sent to the database is treated as the admin treats an
    unknown filter: back to the list with "?e=1", not a 500 (security finding 9).

    A 30-digit id on a foreign-key filter (SQLite) or a year-1 date on a date-time filter (year 0 in
    UTC) raise OverflowError in Python, before any query is sent, so nothing is left half done. NUL
    bytes in filters and searches never get here: ``RefuseNulBytesMiddleware`` answers 400 first.
    """

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class HistoryAdmin(BoundedLookupsMixin, SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history pages answer 404 to an id that is not one.

    django-simple-history passes the id from the URL straight to the query, so "/1.5/history/"
    or a NUL byte ended as a 500 (security finding 9). Every admin with history derives from this.
    Its forms refuse control characters in text, as every other form does (security finding 3).
    """

    def get_form(self, request, obj=None, change=False, **kwargs):
        return with_clean_text(super().get_form(request, obj, change=change, **kwargs))

    def history_view(self, request, object_id, extra_context=None):
        _checked_pk(self.model._meta.pk, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _checked_pk(self.model._meta.pk, object_id)
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        _checked_pk(history.model._meta.pk, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)


class NoDeleteAdmin(HistoryAdmin):
    """Official records are never deleted: no delete button; archiving goes through a service."""

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoDeleteAdmin):
    """Records that move only through their pages, where the state rules apply: shown, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BackgroundJob)
class BackgroundJobAdmin(BoundedLookupsMixin, admin.ModelAdmin):
    list_display = ["pk", "kind", "status", "created_by", "done", "total", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in BackgroundJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# What each provider calls its template variables: 腾讯云 numbers them {1}, {2} …; 阿里云 names them
# ${code}; WeChat's template messages name their fields (thing1, time2 …).
_NAMED = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")
VARIABLE_NAMES = {
    Provider.TENCENT: (re.compile(r"^[1-9]\d?$"), _("腾讯云的变量按顺序编号：1、2、3 …")),
    Provider.ALIYUN: (_NAMED, _("阿里云的变量名以字母开头，只含字母、数字和下划线。")),
    Provider.WECHAT: (_NAMED, _("微信模板的字段名以字母开头，只含字母、数字和下划线。")),
}


class MessageTemplateForm(CleanTextModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["provider", "kind", "template_code", "sign_name", "params", "is_active"]
        widgets = {"params": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        cleaned = super().clean()
        provider, text = cleaned.get("provider"), cleaned.get("params")
        if provider is None or text is None:
            return cleaned
        try:
            pairs = template_params(text)
        except ValueError as error:
            self.add_error("params", str(error))
            return cleaned
        if provider in VARIABLE_NAMES:
            pattern, rule = VARIABLE_NAMES[provider]
            if any(not pattern.match(name) for name, _source in pairs):
                self.add_error("params", rule)
            elif provider == Provider.TENCENT and [n for n, _s in pairs] != [str(i) for i in range(1, len(pairs) + 1)]:
                self.add_error("params", _("腾讯云的变量须从1起连续编号，按模板中出现的顺序填写。"))
        if provider in (Provider.ALIYUN, Provider.TENCENT) and not cleaned.get("sign_name"):
            self.add_error("sign_name", _("短信模板须填写已审核通过的签名。"))
        if cleaned.get("kind") == MessageKind.CODE and "code" not in {source for _name, source in pairs}:
            self.add_error("params", _("验证码模板须有一个变量填入 code（验证码）。"))
        return cleaned


@admin.register(MessageTemplate)
class MessageTemplateAdmin(HistoryAdmin):
    """Approved provider templates (模板) per kind of message; keys stay in the environment."""

    form = MessageTemplateForm
    list_display = ["provider", "kind", "template_code", "sign_name", "is_active"]
    list_filter = ["provider", "kind", "is_active"]


@admin.register(Delivery)
class DeliveryAdmin(BoundedLookupsMixin, admin.ModelAdmin):
    """The delivery log as rows: read only; mobiles masked, template parameters (codes) never shown."""

    list_display = ["created_at", "kind", "reason", "channel", "shown_recipient", "status", "provider", "detail"]
    list_filter = ["status", "channel", "kind", "provider"]
    search_fields = ["reason", "provider_id"]
    fields = [
        "reason",
        "kind",
        "channel",
        "shown_recipient",
        "status",
        "detail",
        "title",
        "body",
        "url",
        "provider",
        "provider_id",
        "attempts",
        "next_attempt_at",
        "created_at",
        "sent_at",
        "receipt_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("接收人"))
    def shown_recipient(self, obj):
        return mask_mobile(obj.recipient) if obj.channel == Channel.SMS else obj.recipient

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


WEEKDAYS = (_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日"))


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(HistoryAdmin):
    """Local working days and days off (``core.workdays``), beside what the official table says of the day.

    A row is a setting, not an official record: deleting one gives the day back to the official table,
    and its history keeps who set it and when."""

    list_display = ["day", "weekday", "is_working", "official", "note"]
    list_filter = ["is_working"]
    search_fields = ["note"]

    @admin.display(description=_("星期"))
    def weekday(self, obj):
        return WEEKDAYS[obj.day.weekday()]

    @admin.display(description=_("国家日历"))
    def official(self, obj):
        official = official_working_day(obj.day)
        if official is None:
            return _("未收录（按周一至周五）")
        return _("工作日") if official else _("休息日")
