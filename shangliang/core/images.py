"""Uploaded photos: checked by content, size-limited, re-encoded without location metadata.

A small file can hold a huge picture (a 12 KB PNG of 10000×10000 pixels decodes to hundreds of MB), so
the dimensions are read from the header and checked before a single pixel is decoded.
"""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# Pillow warns above this many pixels and refuses twice as many, wherever an image is opened.
Image.MAX_IMAGE_PIXELS = MAX_PHOTO_PIXELS


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("图片尺寸过大（超过%(count)d万像素），请缩小后再上传。") % {"count": MAX_PHOTO_PIXELS // 10000},
        code="too_many_pixels",
    )


def clean_photo(upload, *, max_bytes: int = MAX_PHOTO_BYTES) -> ContentFile:
    """Return the photo as a fresh JPEG (EXIF and GPS dropped); raise ValidationError otherwise.

    ``max_bytes``: a field that takes larger files (evidence, up to the attachment limit) says so."""
    if upload.size > max_bytes:
        raise ValidationError(_("照片不能超过%(size)dMB。") % {"size": max_bytes // (1024 * 1024)}, code="too_large")
    not_image = ValidationError(_("请上传 JPG、PNG、WEBP 或 GIF 格式的图片。"), code="not_image")
    try:
        upload.seek(0)
        # Reads the header only; nothing is decoded until load().
        image = Image.open(upload)
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise not_image from None
    if image.format not in ALLOWED_FORMATS:
        raise not_image
    width, height = image.size
    if width * height > MAX_PHOTO_PIXELS:
        raise _too_many_pixels()
    try:
        # A JPEG decodes straight at a reduced scale, close to the size kept below.
        image.draft("RGB", (2000, 2000))
        image.load()
    except (OSError, ValueError, Image.DecompressionBombError):
        raise not_image from None
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((2000, 2000))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue(), name="photo.jpg")
