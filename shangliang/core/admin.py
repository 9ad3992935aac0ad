from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from shangliang.core.forms import with_clean_text
from shangliang.core.models import BackgroundJob


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
