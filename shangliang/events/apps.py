from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "shangliang.events"
    label = "events"
    verbose_name = _("宣讲培训")

    def ready(self):
        from shangliang.core.media import register_protected_file
        from shangliang.events.models import EventMaterial, EventPhoto
        from shangliang.events.permissions import can_download_event_material, can_download_event_photo

        # Uploaded files are served only to users their app allows (core.media_views): the photos and
        # materials of a public event to anyone, the others to the staff who may see the event.
        register_protected_file(EventPhoto, "image", can_download_event_photo, folder="events/photos/")
        register_protected_file(EventMaterial, "file", can_download_event_material, folder="events/materials/")
