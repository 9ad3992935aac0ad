"""Photos on the anonymous form: a decompression bomb is refused before it is decoded; stored photos are
served to the staff who see the submission and to nobody else."""

import io
import resource
import uuid

import pytest
from django.urls import reverse
from PIL import Image

from shangliang.core.tests.files import png_bomb, upload
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.topics.models import Category, Submission, SubmissionPhoto

pytestmark = pytest.mark.django_db


def form_data(district, **overrides):
    return {
        "title": "村口路灯坏了",
        "content": "晚上看不见路，老人容易摔倒",
        "region": district["a1"].pk,
        "grid": "",
        "location_detail": "村口小桥",
        "category": Category.objects.get(name="环境卫生").pk,
        "identity": "anonymous",
        "submitter_name": "",
        "submitter_mobile": "",
        "client_token": str(uuid.uuid4()),
        **overrides,
    }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_10000_by_10000_png_is_refused_in_chinese_without_being_decoded(client, district):
    bomb = upload("photo.png", png_bomb(10000, 10000), "image/png")
    assert bomb.size < 50 * 1024
    before = peak_rss_mb()
    response = client.post(reverse("topics:submit"), form_data(district, photos=[bomb]))
    grown = peak_rss_mb() - before
    assert response.status_code == 200
    field_block = response.content.decode().split('id="id_photos"')[1].split("</div>")[0]
    assert "图片尺寸过大（超过4000万像素），请缩小后再上传。" in field_block
    assert not Submission.objects.exists()
    assert grown < 100, f"peak memory grew by {grown:.0f} MB"


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def photo(client, district):
    data = form_data(district, photos=[upload("p.jpg", jpeg(), "image/jpeg")])
    assert client.post(reverse("topics:submit"), data).status_code == 302
    return SubmissionPhoto.objects.get()


def test_a_submission_photo_is_404_for_visitors_and_staff_of_another_township(client, district, photo):
    assert client.get(photo.image.url).status_code == 404
    client.force_login(grant(make_user(), Role.CONVENER, region=district["b1"]))
    assert client.get(photo.image.url).status_code == 404


def test_a_submission_photo_is_shown_to_the_convener_of_its_village(client, district, photo):
    client.force_login(grant(make_user(), Role.CONVENER, region=district["a1"]))
    response = client.get(photo.image.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    page = client.get(reverse("topics:submission_detail", args=[photo.submission_id])).content.decode()
    assert f'src="{photo.image.url}"' in page
