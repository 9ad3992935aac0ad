"""The back office shows events read-only (their workflow runs on the pages), masks sign-in numbers, and takes
photos down through the service, never deleting them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from shangliang.events import services
from shangliang.events.models import Event, EventPhoto
from shangliang.events.tests.builders import held_event, platform_of, station_head
from shangliang.orgs.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    client.force_login(make_user("events-root", is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def event(district):
    head = station_head(district["a"])
    event = held_event(platform_of(district["a1"]), head, signs=1, title="防诈骗讲座")
    services.question_ask(event=event, text="怎么识别骗局？")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    services.photos_add(
        actor=head, event=event, photos=[SimpleUploadedFile("photo.png", buffer.getvalue(), "image/png")]
    )
    return event


def test_the_event_admin_lists_everything_read_only_with_sign_in_numbers_masked(root, event):
    for name in ("event", "eventsignin", "eventquestion", "eventphoto", "eventmaterial"):
        response = root.get(reverse(f"admin:events_{name}_changelist"))
        assert response.status_code == 200, name
    assert "防诈骗讲座" in root.get(reverse("admin:events_event_changelist")).content.decode()
    sign_in = event.sign_ins.get()
    page = root.get(reverse("admin:events_eventsignin_change", args=[sign_in.pk])).content.decode()
    assert "139****0000" in page and "13900000000" not in page

    change = reverse("admin:events_event_change", args=[event.pk])
    response = root.post(change, {"title": "改掉的标题", "status": "cancelled"})
    assert response.status_code == 403
    assert Event.objects.get(pk=event.pk).title == "防诈骗讲座"
    assert root.get(reverse("admin:events_event_delete", args=[event.pk])).status_code == 403
    assert root.get(reverse("admin:events_event_add")).status_code == 403


def test_a_photo_is_taken_down_through_the_service_with_history(root, event):
    photo = EventPhoto.objects.get(event=event)
    response = root.post(
        reverse("admin:events_eventphoto_changelist"), {"action": "take_down_selected", "_selected_action": [photo.pk]}
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.is_archived
    latest = photo.history.order_by("-history_id").first()
    assert (latest.history_change_reason, latest.history_user.username) == ("event.photo_archived", "events-root")
