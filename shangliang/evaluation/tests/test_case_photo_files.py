"""Photos of a published typical case are public, like the case page; once withdrawn, only staff who see
the consultation get them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shangliang.evaluation import services
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import services as outcome_services
from shangliang.outcomes.tests.builders import concluded

pytestmark = pytest.mark.django_db


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "blue").save(buffer, format="PNG")
    return SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def convener(district):
    return grant(make_user("convener"), Role.CONVENER, region=district["a1"])


@pytest.fixture
def case(district, convener):
    consultation = concluded(district, convener=convener)
    outcome_services.publication_publish(actor=convener, consultation=consultation, summary="停放点已划定")
    return services.typical_case_publish(
        actor=convener, consultation=consultation, title="集镇停车难题商量解决", story="划定了停放点。", photos=[png()]
    )


def test_a_published_case_photo_is_served_to_anyone(client, case):
    photo = case.photos.get()
    response = client.get(photo.image.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_withdrawn_case_photo_is_404_for_visitors_but_shown_to_its_convener(client, case, convener, district):
    services.typical_case_withdraw(actor=convener, case=case, reason="当事方要求")
    photo = case.photos.get()
    assert client.get(photo.image.url).status_code == 404
    client.force_login(grant(make_user(), Role.CONVENER, region=district["b1"]))
    assert client.get(photo.image.url).status_code == 404
    client.force_login(convener)
    assert client.get(photo.image.url).status_code == 200
