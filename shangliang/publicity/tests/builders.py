"""Builders for publicity records, through the services."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shangliang.publicity import services
from shangliang.publicity.states import ArticleKind


def png(name="photo.png", colour="blue", size=(8, 6)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def article(actor, *, platform=None, region=None, kind=ArticleKind.NEWS, title="村口路灯修好了", publish=True, **kw):
    made = services.article_create(
        actor=actor,
        kind=kind,
        title=title,
        body=kw.pop("body", "经协商，路灯已修复。"),
        platform=platform,
        region=region,
        **kw,
    )
    if publish:
        made = services.article_publish(actor=actor, article=made)
    return made
