"""Uploaded files: the type read from the content, size limits, random stored names, the photo pixel limit,
and the media view that answers 404 unless an app says the user may see the file."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from openpyxl import Workbook
from PIL import Image, ImageFile

from shangliang.core import images, uploads
from shangliang.core.models import BackgroundJob
from shangliang.core.tests.files import (
    HTML,
    PDF,
    REFUSED_TYPE,
    SVG,
    TOO_LARGE,
    docx_bytes,
    image_bytes,
    png_bomb,
    upload,
    zip_bytes,
)


def xlsx_bytes() -> bytes:
    book = Workbook()
    book.active.append(["名称", "层级"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- attachments: type by content, size ------------------------------------------------------


@pytest.mark.parametrize(
    "content,mime,extension",
    [
        (PDF, "application/pdf", "pdf"),
        (image_bytes("JPEG"), "image/jpeg", "jpg"),
        (image_bytes("PNG"), "image/png", "png"),
        (image_bytes("WEBP"), "image/webp", "webp"),
        (docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        (xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    ],
)
def test_allowed_attachments_are_recognised_by_content_whatever_their_name(content, mime, extension):
    file_type = uploads.validate_attachment(upload("whatever.html", content, "text/html"))
    assert (file_type.mime, file_type.extension) == (mime, extension)


@pytest.mark.parametrize(
    "name,content",
    [
        ("report.pdf", HTML),
        ("report.html", HTML),
        ("picture.svg", SVG),
        ("picture.png", SVG),
        ("notes.txt", "会议纪要".encode()),
        ("book.docx", zip_bytes()),
        ("image.gif", image_bytes("GIF")),
    ],
)
def test_everything_else_is_refused_in_chinese_whatever_its_name(name, content):
    with pytest.raises(ValidationError) as refused:
        uploads.validate_attachment(upload(name, content, "application/pdf"))
    assert refused.value.messages == [REFUSED_TYPE]


def test_an_attachment_over_the_size_limit_is_refused_before_it_is_read():
    big = upload("big.pdf", PDF + b"0" * uploads.MAX_ATTACHMENT_BYTES)
    with pytest.raises(ValidationError) as refused:
        uploads.validate_attachment(big)
    assert refused.value.messages == [TOO_LARGE]


def test_attachment_field_shows_the_error_and_accepts_an_empty_optional_value():
    field = uploads.AttachmentField(required=False)
    assert field.clean(None) is None
    with pytest.raises(ValidationError) as refused:
        field.clean(upload("x.html", HTML))
    assert refused.value.messages == [REFUSED_TYPE]
    accepted = field.clean(upload("x.pdf", PDF))
    assert accepted.read() == PDF


# --- stored names ----------------------------------------------------------------------------


def test_stored_name_keeps_the_folder_but_is_random_with_the_extension_of_the_content():
    first = default_storage.save("research/2025/01/村民名单 13800000000.html", ContentFile(PDF))
    second = default_storage.save("research/2025/01/村民名单 13800000000.html", ContentFile(PDF))
    for name in (first, second):
        assert re.fullmatch(r"research/2025/01/[0-9a-f]{32}\.pdf", name), name
    assert first != second
    assert default_storage.open(first).read() == PDF


def test_stored_name_of_unknown_content_ends_in_bin_never_the_users_extension():
    name = default_storage.save("outcomes/evidence/x.html", ContentFile(HTML))
    assert re.fullmatch(r"outcomes/evidence/[0-9a-f]{32}\.bin", name), name


# --- photos: the pixel limit -----------------------------------------------------------------


def test_a_photo_above_the_pixel_limit_is_refused_before_it_is_decoded(monkeypatch):
    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(self))
    bomb = upload("bomb.png", png_bomb(10000, 10000), "image/png")
    assert bomb.size < 50 * 1024
    with pytest.raises(ValidationError) as refused:
        images.clean_photo(bomb)
    assert refused.value.messages == ["图片尺寸过大（超过4000万像素），请缩小后再上传。"]
    assert decoded == []


def test_the_pixel_limit_counts_width_times_height(monkeypatch):
    monkeypatch.setattr(images, "MAX_PHOTO_PIXELS", 100)
    assert images.clean_photo(upload("ok.png", image_bytes("PNG", (10, 10)))).name == "photo.jpg"
    with pytest.raises(ValidationError):
        images.clean_photo(upload("big.png", image_bytes("PNG", (11, 10))))


def test_pillow_refuses_to_open_far_larger_images_anywhere():
    assert Image.MAX_IMAGE_PIXELS == images.MAX_PHOTO_PIXELS


# --- the media view --------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_file_or_a_path_outside_the_media_folder_is_404(client):
    default_storage.save("research/2025/01/x.pdf", ContentFile(PDF))
    assert client.get("/media/research/2025/01/nothing.pdf").status_code == 404
    assert client.get("/media/../settings.py").status_code == 404


@pytest.mark.django_db
def test_a_file_on_disk_that_no_record_owns_is_404_even_for_a_superuser(client):
    name = default_storage.save("research/2025/01/x.pdf", ContentFile(PDF))
    root = get_user_model().objects.create_superuser("root", password="pass-12345")
    client.force_login(root)
    assert client.get(f"/media/{name}").status_code == 404


@pytest.mark.django_db
def test_an_import_file_is_never_served_not_even_to_the_user_who_sent_it(client):
    user = get_user_model().objects.create_user("importer")
    job = BackgroundJob.objects.create(
        kind="import_members", created_by=user, upload=ContentFile(xlsx_bytes(), "m.xlsx")
    )
    assert job.upload.url.startswith("/media/jobs/")
    assert client.get(job.upload.url).status_code == 404
    client.force_login(user)
    assert client.get(job.upload.url).status_code == 404
