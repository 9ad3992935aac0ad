"""The demo's news and archive: announcements and news of several platforms and of the district, a session
announced in advance when one is to come, a withdrawn item and a draft, nine published archive documents with
tags and one draft; nothing stamped today; the public pages and the media package work on it."""

import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations.models import Consultation
from shangliang.consultations.states import ConsultationStatus
from shangliang.orgs.states import RegionLevel
from shangliang.publicity.models import ArchiveDocument, Article, Tag
from shangliang.publicity.states import ArticleKind, ArticleStatus, DocumentStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_news_of_several_platforms_and_of_the_district(seeded):
    published = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    assert published.filter(platform__isnull=False).values("platform").distinct().count() >= 3
    assert published.filter(platform__isnull=True, region__level=RegionLevel.DISTRICT).count() >= 2
    assert published.filter(kind=ArticleKind.ANNOUNCEMENT).exists() and published.filter(kind=ArticleKind.NEWS).exists()
    assert published.filter(kind=ArticleKind.NEWS, consultation__status=ConsultationStatus.CONCLUDED).exists()
    assert Article.objects.filter(status=ArticleStatus.WITHDRAWN).exclude(withdraw_reason="").count() == 1
    assert Article.objects.filter(status=ArticleStatus.DRAFT, author__username="convener").count() == 1


def test_a_consultation_to_come_is_announced_in_advance_when_the_demo_has_one(seeded):
    to_come = Consultation.objects.filter(
        status__in=[ConsultationStatus.PLANNED, ConsultationStatus.NOTIFIED], starts_at__gt=timezone.now()
    )
    previews = Article.objects.filter(kind=ArticleKind.PREVIEW, status=ArticleStatus.PUBLISHED)
    if to_come.exists():
        preview = previews.get()
        assert preview.consultation in to_come and preview.published_at < preview.consultation.starts_at
        assert "四、参与方式" in preview.body
    else:
        assert not previews.exists()


def test_the_archive_has_tagged_documents_of_every_kind(seeded):
    published = ArchiveDocument.objects.filter(status=DocumentStatus.PUBLISHED)
    assert published.count() >= 8
    assert {d.kind for d in published} == {"theory", "practice", "rules", "survey"}
    assert all(d.tags.exists() for d in published)
    assert Tag.objects.count() >= 10
    assert ArchiveDocument.objects.filter(status=DocumentStatus.DRAFT).count() == 1


def test_nothing_is_stamped_today(seeded):
    today = timezone.localdate()
    for model, fields in [
        (Article, ["created_at", "updated_at", "published_at", "withdrawn_at"]),
        (ArchiveDocument, ["created_at", "updated_at", "published_at"]),
        (Tag, ["created_at"]),
    ]:
        for field in fields:
            stamps = model.objects.exclude(**{f"{field}__isnull": True}).values_list(field, flat=True)
            assert all(timezone.localdate(stamp) < today for stamp in stamps), (model.__name__, field)
    for article in Article.objects.all():
        assert all(timezone.localdate(h.history_date) < today for h in article.history.all())


def test_the_public_pages_and_the_media_package_work_on_the_demo(client, seeded):
    assert client.get(reverse("publicity:list")).status_code == 200
    assert client.get(reverse("publicity:upcoming")).status_code == 200
    news = Article.objects.filter(status=ArticleStatus.PUBLISHED, consultation__publication__isnull=False).first()
    client.force_login(get_user_model().objects.get(username="cppcc"))
    assert "理论研究" in client.get(reverse("publicity:archive")).content.decode()
    response = client.get(reverse("publicity:package", args=[news.consultation_id]))
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "稿件.docx" in names and "说明.txt" in names
