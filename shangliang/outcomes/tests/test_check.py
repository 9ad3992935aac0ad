"""The check (验收): a unit's 办结 waits for the convener (a village's own items) or the supervisor, who accepts
it or sends it back with a reason; only checked items count as done; a photo the unit made public shows on
the public result once the item is checked, and no other file becomes public."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from shangliang.core.models import Delivery, Notification
from shangliang.core.tests.files import pdf
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import feedback, permissions, services
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.states import AssignmentStatus, FeedbackEvent
from shangliang.outcomes.tests.builders import assigned, concluded, liaison_of, make_unit
from shangliang.topics.models import Topic

pytestmark = pytest.mark.django_db

SENT_BACK = "停放点标线不清，请补画后再报办结"


@pytest.fixture
def people(district):
    unit = make_unit(district["district"], "区住房和城乡建设局")
    return {
        "unit": unit,
        "convener": grant(make_user("convener", full_name="李召集"), Role.CONVENER, region=district["a1"]),
        # Another village's convener in the same township.
        "neighbour": grant(make_user("neighbour"), Role.CONVENER, region=district["a2"]),
        "approver": grant(make_user("approver"), Role.APPROVER, region=district["a"]),
        "supervisor": grant(make_user("supervisor", full_name="赵督办"), Role.SUPERVISOR, region=district["a"]),
        "liaison": liaison_of(unit, "liaison", full_name="王联络"),
    }


@pytest.fixture
def consultation(district, people):
    return concluded(district, convener=people["convener"])


def accepted_item(consultation, people, *, deadline=None):
    item = assigned(
        consultation, unit=people["unit"], actor=people["approver"], supervisor=people["supervisor"], deadline=deadline
    )
    return services.assignment_accept(actor=people["liaison"], assignment=item)


@pytest.fixture
def item(consultation, people):
    return accepted_item(consultation, people)


def login(client, user):
    client.force_login(user)
    return client


def url(name, *args):
    return reverse(f"outcomes:{name}", args=args)


def fresh(obj):
    obj.refresh_from_db()
    return obj


def text(response) -> str:
    return response.content.decode()


def photo_with_exif() -> SimpleUploadedFile:
    """A JPEG carrying the camera make and a GPS block, as phones write them."""
    exif = Image.Exif()
    exif[0x010F] = "手机厂商"  # Make
    exif[0x8825] = {1: "N", 2: (30.0, 40.0, 50.0)}  # GPSInfo
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("现场.jpg", buffer.getvalue(), content_type="image/jpeg")


def complete(client, people, item, *, evidence=None, public=False):
    item = fresh(item)
    data = {"result": "主街两端划定停放点两处", "version": item.version, "evidence": evidence or pdf()}
    if public:
        data["evidence_public"] = "on"
    response = login(client, people["liaison"]).post(url("assignment_complete", item.pk), data)
    assert response.status_code == 302, text(response)
    return fresh(item)


# --- the flow through the pages -----------------------------------------------------------------


def test_the_unit_finishes_the_convener_sends_back_with_a_reason_then_accepts(
    client, people, item, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = complete(client, people, item)
    assert item.status == AssignmentStatus.FINISHED and item.done_at and not item.checked_at
    # The village's convener, who checks it, is told; the township's supervisor is not.
    assert Notification.objects.filter(user=people["convener"], title__startswith="【待验收】").count() == 1
    assert not Notification.objects.filter(user=people["supervisor"], title__startswith="【待验收】").exists()
    # The unit sees it waiting for the check, on its desk and on the item's page.
    desk = login(client, people["liaison"]).get(url("unit_desk") + "?tab=checking")
    assert [row.item.pk for row in desk.context["rows"]] == [item.pk] and "已报办结，待验收" in text(desk)
    assert "已报办结，待验收" in text(client.get(url("assignment", item.pk)))
    # Nobody concerned has been told of 办结 yet.
    done_reason = feedback.reason(FeedbackEvent.DONE, f"assignment:{item.pk}")
    assert not Delivery.objects.filter(reason=done_reason).exists()

    page = login(client, people["convener"]).get(url("assignment", item.pk))
    assert page.context["show"]["check_form"] and page.context["show"]["send_back_form"]
    response = client.post(url("assignment_send_back", item.pk), {"reason": " ", "version": item.version})
    assert response.status_code == 400 and "这个字段是必填项" in text(response)
    assert fresh(item).status == AssignmentStatus.FINISHED
    response = client.post(url("assignment_send_back", item.pk), {"reason": SENT_BACK, "version": item.version})
    assert response.status_code == 302
    item = fresh(item)
    assert item.status == AssignmentStatus.ACCEPTED and item.check_note == SENT_BACK
    assert item.done_at is None and item.accepted_at and not item.checked_at
    # The unit's liaison is told why; the history names the send-back and its reason.
    told = Notification.objects.get(user=people["liaison"], title__startswith="【验收退回】")
    assert SENT_BACK in told.body
    page = text(login(client, people["liaison"]).get(url("assignment", item.pk)))
    assert f"验收退回：{SENT_BACK}" in page and 'id="sent-back-reason"' in page

    with django_capture_on_commit_callbacks(execute=True):
        item = complete(client, people, item)
    assert item.status == AssignmentStatus.FINISHED and not item.check_note
    login(client, people["convener"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("assignment_check", item.pk), {"note": "现场核实", "version": item.version})
    assert response.status_code == 302
    item = fresh(item)
    assert item.status == AssignmentStatus.DONE and item.checked_by == people["convener"] and item.checked_at
    assert item.done_at < item.checked_at  # the finish time stays the unit's
    page = text(client.get(url("assignment", item.pk)))
    assert "李召集 于" in page and "验收通过" in page and "现场核实" in page
    # The people concerned are told now, once.
    participants = {p.mobile for p in item.suggestion.consultation.participants.all() if p.mobile}
    texts = Delivery.objects.filter(reason=done_reason, channel="sms").values_list("recipient", flat=True)
    assert participants and sorted(texts) == sorted(participants)


def test_a_neighbour_village_convener_a_liaison_and_the_supervisor_may_not_check_a_village_item(client, people, item):
    item = complete(client, people, item)
    before = (item.status, item.version, item.history.count())
    for who in ("neighbour", "liaison", "supervisor"):
        for action, data in (("assignment_check", {}), ("assignment_send_back", {"reason": "不合格"})):
            response = login(client, people[who]).post(url(action, item.pk), {"version": item.version, **data})
            assert response.status_code == 404, (who, action)
    assert login(client, people["neighbour"]).get(url("assignment", item.pk)).status_code == 404
    page = login(client, people["supervisor"]).get(url("assignment", item.pk))
    assert not page.context["show"]["check_form"]
    item = fresh(item)
    assert (item.status, item.version, item.history.count()) == before
    assert permissions.assignments_to_check(people["convener"]).get() == item
    assert not permissions.assignments_to_check(people["neighbour"]).exists()


def test_the_supervisor_checks_a_township_item_and_its_village_convener_may_not(client, people, consultation):
    Topic.objects.filter(pk=consultation.topic_id).update(
        convening_region=people["supervisor"].scoped_roles.get().region
    )
    item = complete(client, people, accepted_item(consultation, people))
    assert not permissions.is_village_item(item)
    response = login(client, people["convener"]).post(url("assignment_check", item.pk), {"version": item.version})
    assert response.status_code == 404
    assert Notification.objects.filter(user=people["supervisor"], title__startswith="【待验收】").count() == 1
    response = login(client, people["supervisor"]).post(url("assignment_check", item.pk), {"version": item.version})
    assert response.status_code == 302 and fresh(item).status == AssignmentStatus.DONE
    assert fresh(item).checked_by == people["supervisor"]


# --- only checked items count as done -------------------------------------------------------------


# --- the evidence photo on the public result -------------------------------------------------------


def test_a_photo_ticked_public_shows_on_the_public_result_once_checked_without_exif(client, people, item):
    item = complete(client, people, item, evidence=photo_with_exif(), public=True)
    assert item.evidence_public and item.evidence.name.endswith(".jpg")
    with item.evidence.open("rb") as stored:
        exif = Image.open(stored).getexif()
    assert 0x010F not in exif and 0x8825 not in exif
    result = reverse("outcomes_public:result", args=[item.suggestion.consultation_id])
    client.logout()
    # Finished but not checked: not public.
    assert item.evidence.url not in text(client.get(result))
    assert client.get(item.evidence.url).status_code == 404
    services.assignment_check(item, actor=people["convener"])
    page = text(client.get(result))
    assert f'src="{item.evidence.url}"' in page
    response = client.get(item.evidence.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_evidence_not_ticked_public_stays_with_staff_and_other_files_stay_private(client, people, consultation):
    from shangliang.core.tests.files import image_bytes, upload

    private = accepted_item(consultation, people)
    services.progress_add(
        actor=people["liaison"],
        assignment=private,
        unit=people["unit"],
        progress="已选址",
        attachment=upload("现场.png", image_bytes("PNG"), "image/png"),
    )
    private = complete(client, people, private, evidence=photo_with_exif(), public=False)
    services.assignment_check(private, actor=people["convener"])
    second = assigned(consultation, unit=people["unit"], order=1, supervisor=people["supervisor"])
    second = services.assignment_accept(actor=people["liaison"], assignment=second)
    second = complete(client, people, second, evidence=photo_with_exif(), public=True)
    services.assignment_check(second, actor=people["convener"])
    client.logout()
    page = text(client.get(reverse("outcomes_public:result", args=[consultation.pk])))
    assert private.evidence.url not in page and f'src="{fresh(second).evidence.url}"' in page
    assert client.get(private.evidence.url).status_code == 404
    assert client.get(private.updates.get().attachment.url).status_code == 404
    assert client.get(second.evidence.url).status_code == 200
    # Staff who see the item still download the private one.
    assert login(client, people["liaison"]).get(private.evidence.url).status_code == 200


def test_a_document_ticked_public_is_never_public(client, people, item):
    item = complete(client, people, item, evidence=pdf(), public=True)
    services.assignment_check(item, actor=people["convener"])
    item = Assignment.objects.get(pk=item.pk)
    assert not permissions.is_public_evidence(item)
    client.logout()
    assert client.get(item.evidence.url).status_code == 404
