"""Back office: briefings, lectures and training are shown here; they change only through their pages.

An event and its questions move through their workflows (``events.states``: held, cancelled, answered,
not made public), where the services check the state and write the history, so the admin shows them
read-only. Sign-ins show the mobile number masked. Photos and materials may be taken down (撤下) from
here, through the same services as on the event's page; nothing is ever deleted.
"""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shangliang.core.admin import ReadOnlyAdmin
from shangliang.events import services
from shangliang.events.models import Event, EventMaterial, EventPhoto, EventQuestion, EventSignIn


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "platform", "starts_at", "status", "is_archived"]
    list_filter = ["kind", "status", "is_archived"]
    list_select_related = ["platform"]
    search_fields = ["title", "platform__name", "speaker_name"]


@admin.register(EventSignIn)
class EventSignInAdmin(ReadOnlyAdmin):
    list_display = ["event", "name", "masked_mobile", "via", "signed_in_at", "withdrawn_at"]
    list_filter = ["via"]
    list_select_related = ["event"]
    search_fields = ["event__title"]
    exclude = ["mobile"]
    readonly_fields = ["masked_mobile"]

    @admin.display(description=_("手机号"))
    def masked_mobile(self, obj):
        return obj.masked_mobile


@admin.register(EventQuestion)
class EventQuestionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "event", "source", "status", "asked_at", "published_at"]
    list_filter = ["source", "status"]
    list_select_related = ["event"]
    search_fields = ["event__title", "text"]


class TakeDownAdmin(ReadOnlyAdmin):
    """Photos and materials: shown read-only, taken down (archived) by the action through the service."""

    take_down = None

    @admin.action(description=_("撤下所选记录"))
    def take_down_selected(self, request, queryset):
        taken = 0
        for obj in queryset.filter(is_archived=False):
            type(self).take_down(obj, actor=request.user)
            taken += 1
        self.message_user(request, gettext("已撤下 %(count)d 条记录。") % {"count": taken})

    actions = ["take_down_selected"]


@admin.register(EventPhoto)
class EventPhotoAdmin(TakeDownAdmin):
    take_down = services.photo_archive
    list_display = ["__str__", "event", "uploaded_by", "created_at", "is_archived"]
    list_filter = ["is_archived"]
    list_select_related = ["event", "uploaded_by"]
    search_fields = ["event__title"]


@admin.register(EventMaterial)
class EventMaterialAdmin(TakeDownAdmin):
    take_down = services.material_archive
    list_display = ["title", "event", "uploaded_by", "created_at", "is_archived"]
    list_filter = ["is_archived"]
    list_select_related = ["event", "uploaded_by"]
    search_fields = ["title", "event__title"]
