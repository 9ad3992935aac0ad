"""Uploaded photos: checked by content, size-limited, re-encoded without location metadata."""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 5 * 1024 * 1024
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def clean_photo(upload) -> ContentFile:
    """Return the photo as a fresh JPEG (EXIF and GPS dropped); raise ValidationError otherwise."""
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(_("照片不能超过5MB。"), code="too_large")
    try:
        upload.seek(0)
        image = Image.open(upload)
        image_format = image.format
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("请上传 JPG、PNG、WEBP 或 GIF 格式的图片。"), code="not_image") from None
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(_("请上传 JPG、PNG、WEBP 或 GIF 格式的图片。"), code="not_image")
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((2000, 2000))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue(), name="photo.jpg")
