"""Behind the TLS proxy, QR codes, posters and messages carry the public https address."""

import io

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from shangliang.consultations.tests.builders import planned
from shangliang.core.senders import Message
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_platform, make_user

pytestmark = pytest.mark.django_db

PUBLIC = "https://xieshang.example.gov.cn"


@pytest.fixture
def behind_proxy(settings):
    settings.SHANGLIANG_PUBLIC_BASE_URL = PUBLIC
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True


def decoded(response) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))]


def test_the_platform_qr_code_points_to_the_public_https_address(client, district, behind_proxy):
    room = make_platform(district["a1"], name="甲一村议事室")
    # The proxy reaches the app over plain http on the loopback address.
    response = client.get(
        reverse("topics:platform_qr", args=[room.pk, "png"]), HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1"
    )
    assert decoded(response) == [PUBLIC + reverse("topics:submit_platform", args=[room.pk])]


def test_the_door_sign_in_qr_code_points_to_the_public_https_address(client, district, behind_proxy):
    convener = grant(make_user("convener"), Role.CONVENER, region=district["a1"])
    consultation = planned(district, convener=convener)
    client.force_login(convener)
    response = client.get(
        reverse("consultations:sign_in_qr", args=[consultation.pk, "png"]),
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_HOST="127.0.0.1",
    )
    assert decoded(response)[0].startswith(PUBLIC + "/c/")


def test_plain_http_is_sent_to_https(client, behind_proxy):
    response = client.get(reverse("topics:pool"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert client.get(reverse("topics:pool"), HTTP_X_FORWARDED_PROTO="https").status_code == 200


def test_a_text_message_link_is_the_public_address(behind_proxy):
    message = Message(channel="sms", to="13800000000", title="协商通知", body="请按时参加", url="/c/7/")
    assert message.url == PUBLIC + "/c/7/"
