"""Typical cases (典型案例) through the services and HTTP: publishing needs published results, photos show on
the public list and detail, withdrawing hides the case but keeps it, scope refusals, query bounds, and
no names or phone numbers on the public pages."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from shangliang.core.errors import DomainError
from shangliang.evaluation import permissions, services
from shangliang.evaluation.models import TypicalCase, TypicalCasePhoto
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import services as outcome_services
from shangliang.outcomes.tests.builders import concluded

pytestmark = pytest.mark.django_db

STORY = "赶集日电动车占道，经过议事会协商划定了两处停放点。"
CONVENER_NAME, CONVENER_MOBILE = "召集人王明", "13811110001"


def png(name="photo.png", colour="blue") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def convener(district):
    user = make_user("convener", full_name=CONVENER_NAME, mobile=CONVENER_MOBILE)
    return grant(user, Role.CONVENER, region=district["a1"])


@pytest.fixture
def outsider(district):
    return grant(make_user("outsider", full_name="外村召集人"), Role.CONVENER, region=district["b1"])


def results_published(consultation, actor):
    outcome_services.publication_publish(actor=actor, consultation=consultation, summary="停放点已划定")
    return consultation


@pytest.fixture
def consultation(district, convener):
    return results_published(concluded(district, convener=convener), convener)


def publish(consultation, actor, **kwargs):
    kwargs.setdefault("title", "集镇停车难题商量解决")
    kwargs.setdefault("story", STORY)
    return services.typical_case_publish(actor=actor, consultation=consultation, **kwargs)


def text(response) -> str:
    return response.content.decode()


# --- services ------------------------------------------------------------------------------------


def test_publish_refuses_consultation_whose_results_are_not_published(district, convener):
    consultation = concluded(district, convener=convener)
    with pytest.raises(DomainError, match="协商结果公开后"):
        publish(consultation, convener)
    assert not TypicalCase.objects.exists()
    results_published(consultation, convener)
    assert publish(consultation, convener).is_published


@pytest.mark.parametrize(("field", "kwargs"), [("title", {"title": "  "}), ("story", {"story": ""})])
def test_publish_requires_title_and_story(consultation, convener, field, kwargs):
    with pytest.raises(DomainError) as error:
        publish(consultation, convener, **kwargs)
    assert error.value.field == field
    assert not TypicalCase.objects.exists()


def test_publish_refuses_more_than_three_photos_and_files_that_are_not_images(consultation, convener):
    with pytest.raises(DomainError) as error:
        publish(consultation, convener, photos=[png(f"{i}.png") for i in range(4)])
    assert error.value.field == "photos"
    with pytest.raises(DomainError) as error:
        publish(consultation, convener, photos=[SimpleUploadedFile("a.png", b"not an image")])
    assert error.value.field == "photos"
    assert not TypicalCase.objects.exists()


def test_publish_again_updates_the_case_and_new_photos_replace_the_shown_ones(consultation, convener):
    case = publish(consultation, convener, photos=[png()])
    first_published = case.published_at
    again = publish(consultation, convener, title="新标题", photos=[png("b.png", "red"), png("c.png")])
    assert again.pk == case.pk and again.title == "新标题" and again.published_at == first_published
    assert TypicalCasePhoto.objects.filter(case=case).count() == 3
    assert TypicalCasePhoto.objects.filter(case=case, is_archived=False).count() == 2
    image = TypicalCasePhoto.objects.filter(case=case).first().image
    assert image.name.endswith(".jpg")  # re-encoded by clean_photo
    assert case.history.count() == 2


def test_withdraw_requires_a_reason_and_a_published_case(consultation, convener):
    case = publish(consultation, convener)
    with pytest.raises(DomainError) as error:
        services.typical_case_withdraw(actor=convener, case=case, reason=" ")
    assert error.value.field == "reason"
    services.typical_case_withdraw(actor=convener, case=case, reason="情况有变")
    with pytest.raises(DomainError, match="未在发布中"):
        services.typical_case_withdraw(actor=convener, case=case, reason="再次撤回")
    row = case.history.first()
    assert (row.history_change_reason, row.history_note) == ("typical_case.withdrawn", "情况有变")


def test_committee_staff_covering_the_region_may_publish_and_others_may_not(district, consultation, outsider):
    staff = grant(make_user("staff"), Role.COMMITTEE_STAFF, region=district["a"])
    far_staff = grant(make_user("far_staff"), Role.COMMITTEE_STAFF, region=district["b"])
    assert permissions.can_publish_case(consultation.convener, consultation)
    assert permissions.can_publish_case(staff, consultation)
    assert not permissions.can_publish_case(far_staff, consultation)
    assert not permissions.can_publish_case(outsider, consultation)


# --- HTTP ----------------------------------------------------------------------------------------


def test_staff_page_publish_with_photos_shows_on_the_public_list_and_detail(client, consultation, convener):
    client.force_login(convener)
    page = text(client.get(reverse("evaluation:consultation", args=[consultation.pk])))
    assert 'id="typical-case"' in page and reverse("evaluation:case_publish", args=[consultation.pk]) in page
    response = client.post(
        reverse("evaluation:case_publish", args=[consultation.pk]),
        {"title": "集镇停车难题商量解决", "story": STORY, "photos": [png("a.png"), png("b.png", "red")]},
    )
    assert response.status_code == 302
    case = TypicalCase.objects.get(consultation=consultation)
    assert case.is_published and case.published_by == convener and case.photos.count() == 2

    client.logout()
    listing = text(client.get(reverse("cases:list")))
    assert "集镇停车难题商量解决" in listing and case.photos.first().image.url in listing
    assert reverse("cases:detail", args=[case.pk]) in listing
    detail = client.get(reverse("cases:detail", args=[case.pk]))
    assert detail.status_code == 200
    body = text(detail)
    assert STORY in body and "规划电动车停放点" in body and "停放点已划定" in body
    assert all(photo.image.url in body for photo in case.photos.all())
    assert reverse("outcomes_public:result", args=[consultation.pk]) in body


def test_publish_by_http_before_results_are_published_is_refused(client, district, convener):
    consultation = concluded(district, convener=convener)
    client.force_login(convener)
    address = reverse("evaluation:case_publish", args=[consultation.pk])
    response = client.post(address, {"title": "标题", "story": STORY})
    assert response.status_code == 400 and "协商结果公开后才能发布典型案例" in text(response)
    assert not TypicalCase.objects.exists()


def test_withdraw_hides_the_case_but_keeps_the_row(client, consultation, convener):
    case = publish(consultation, convener, photos=[png()])
    client.force_login(convener)
    response = client.post(reverse("evaluation:case_withdraw", args=[consultation.pk]), {"reason": "当事方要求"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert not case.is_published and TypicalCase.objects.filter(pk=case.pk).exists()
    client.logout()
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert "集镇停车难题商量解决" not in text(client.get(reverse("cases:list")))


def test_withdraw_without_a_reason_is_refused(client, consultation, convener):
    case = publish(consultation, convener)
    client.force_login(convener)
    response = client.post(reverse("evaluation:case_withdraw", args=[consultation.pk]), {"reason": ""})
    assert response.status_code == 400 and "请填写撤回原因" in text(response)
    case.refresh_from_db()
    assert case.is_published


def test_convener_of_another_village_gets_404_and_nothing_changes(client, consultation, convener, outsider):
    case = publish(consultation, convener)
    client.force_login(outsider)
    publish_url = reverse("evaluation:case_publish", args=[consultation.pk])
    withdraw_url = reverse("evaluation:case_withdraw", args=[consultation.pk])
    assert client.post(publish_url, {"title": "改掉", "story": "改掉"}).status_code == 404
    assert client.post(withdraw_url, {"reason": "撤掉"}).status_code == 404
    case.refresh_from_db()
    assert case.is_published and case.title == "集镇停车难题商量解决" and case.history.count() == 1


def test_unknown_case_is_404(client):
    assert client.get(reverse("cases:detail", args=[999999])).status_code == 404


def test_case_list_queries_do_not_grow_with_the_cases(client, district, convener):
    def add_case(n):
        consultation = results_published(concluded(district, convener=convener, title=f"议题{n}"), convener)
        publish(consultation, convener, title=f"案例{n}", photos=[png()])

    add_case(0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("cases:list")).status_code == 200
    for n in range(1, 4):
        add_case(n)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("cases:list"))
    assert text(response).count('class="card case-card"') == 4
    assert len(many) == len(few)


def test_public_pages_show_no_names_or_phone_numbers(client, consultation, convener):
    case = publish(consultation, convener, photos=[png()])
    participants = list(consultation.participants.all())
    assert participants
    for address in (reverse("cases:list"), reverse("cases:detail", args=[case.pk])):
        body = text(client.get(address))
        assert CONVENER_NAME not in body and CONVENER_MOBILE not in body
        for person in participants:
            assert person.name not in body
            if person.mobile:
                assert person.mobile not in body
