"""The public list of upcoming consultations and the session announcement (协商预告) made from a consultation."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations import services as consultation_services
from shangliang.consultations.tests.builders import notified, planned
from shangliang.publicity import services
from shangliang.publicity.models import Article
from shangliang.publicity.states import ArticleKind, ArticleStatus
from shangliang.publicity.tests.builders import article

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_upcoming_lists_planned_and_notified_sessions_to_come_and_nothing_else(client, district, convener):
    soon = planned(district, convener=convener, title="集镇停车难", days_ahead=5)
    later = notified(district, convener=convener, title="河道清淤", days_ahead=12)
    cancelled = planned(district, convener=convener, title="已取消的议题", days_ahead=6)
    consultation_services.consultation_cancel(actor=convener, consultation=cancelled, reason="议题转交镇政府办理")
    response = client.get(reverse("publicity:upcoming"))
    page = text(response)
    assert "集镇停车难" in page and "河道清淤" in page and "已取消的议题" not in page
    assert page.index("集镇停车难") < page.index("河道清淤")  # soonest first
    assert "甲一村党群服务中心" in page and "居（村）民议事会" in page
    # The notified one is open for sign-up on its public page; the planned one says when it will be.
    assert reverse("consultations:public_page", args=[later.pk]) in page
    assert reverse("consultations:public_page", args=[soon.pk]) not in page
    assert "筹备中：通知发出后即可在线报名。" in page
    # Never a name or a phone number of the people invited.
    assert "居民0" not in page and "1390000" not in page and convener.full_name not in page


def test_upcoming_filters_by_township(client, district, convener):
    planned(district, convener=convener, title="甲镇的议题")
    assert "甲镇的议题" in text(client.get(reverse("publicity:upcoming"), {"township": district["a"].pk}))
    assert "甲镇的议题" not in text(client.get(reverse("publicity:upcoming"), {"township": district["b"].pk}))
    assert client.get(reverse("publicity:upcoming"), {"township": "9" * 30}).status_code == 200


def test_upcoming_costs_the_same_queries_for_2_or_8_consultations(
    client, district, convener, django_assert_max_num_queries
):
    for number in range(2):
        article(
            convener, kind=ArticleKind.PREVIEW, consultation=planned(district, convener=convener, title=f"议题{number}")
        )
    with django_assert_max_num_queries(8) as small:
        client.get(reverse("publicity:upcoming"))
    for number in range(6):
        planned(district, convener=convener, title=f"更多议题{number}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("publicity:upcoming"))
    assert "更多议题5" in text(response)


def test_the_convener_announces_a_consultation_from_its_plan(client, district, convener):
    consultation = planned(district, convener=convener, title="集镇停车难")
    client.force_login(convener)
    detail = text(client.get(reverse("consultations:detail", args=[consultation.pk])))
    assert reverse("publicity:preview_new", args=[consultation.pk]) in detail

    form = client.get(reverse("publicity:preview_new", args=[consultation.pk]))
    initial = form.context["form"].initial
    assert initial["title"] == "协商预告：集镇停车难"
    for words in [
        "一、协商内容",
        "二、协商形式",
        "居（村）民议事会",
        "甲一村党群服务中心",
        "三、协商过程",
        "四、参与方式",
        "通报调研情况",
    ]:
        assert words in initial["body"], words

    response = client.post(
        reverse("publicity:preview_new", args=[consultation.pk]),
        {"title": initial["title"], "body": initial["body"], "form_token": str(uuid.uuid4())},
    )
    preview = Article.objects.get()
    assert response.status_code == 302
    assert preview.kind == ArticleKind.PREVIEW and preview.consultation == consultation
    assert preview.platform == consultation.platform and preview.status == ArticleStatus.DRAFT
    client.post(reverse("publicity:publish", args=[preview.pk]))
    preview.refresh_from_db()
    assert preview.is_published

    # The consultation page links to it, and so does the public list of upcoming consultations.
    detail = text(client.get(reverse("consultations:detail", args=[consultation.pk])))
    assert reverse("publicity:detail", args=[preview.pk]) in detail
    client.logout()
    assert reverse("publicity:detail", args=[preview.pk]) in text(client.get(reverse("publicity:upcoming")))
    public = text(client.get(reverse("publicity:detail", args=[preview.pk])))
    assert "通知发出后即可在线报名。" in public


def test_the_public_page_of_a_notified_consultation_links_its_announcement(client, district, convener):
    consultation = notified(district, convener=convener, title="河道清淤")
    preview = article(convener, kind=ArticleKind.PREVIEW, consultation=consultation, title="河道清淤协商预告")
    page = text(client.get(reverse("consultations:public_page", args=[consultation.pk])))
    assert "河道清淤协商预告" in page and reverse("publicity:detail", args=[preview.pk]) in page
    detail = text(client.get(reverse("publicity:detail", args=[preview.pk])))
    assert reverse("consultations:public_page", args=[consultation.pk]) in detail


def test_a_held_or_past_consultation_cannot_be_announced(client, district, convener):
    consultation = planned(district, convener=convener)
    consultation_services.consultation_cancel(actor=convener, consultation=consultation, reason="改期另议")
    client.force_login(convener)
    response = client.get(reverse("publicity:preview_new", args=[consultation.pk]))
    assert response.status_code == 302 and not Article.objects.exists()
    with pytest.raises(Exception, match="尚未召开"):
        services.article_create(
            actor=convener, kind=ArticleKind.PREVIEW, title="预告", body="正文", consultation=consultation
        )


def test_an_announcement_is_not_published_once_its_session_has_started(district, convener):
    consultation = planned(district, convener=convener, days_ahead=1)
    draft = article(convener, kind=ArticleKind.PREVIEW, consultation=consultation, publish=False)
    later = consultation.starts_at + datetime.timedelta(hours=1)
    with pytest.raises(Exception, match="尚未召开"):
        services.article_publish(actor=convener, article=draft, now=later)
    assert services.article_publish(actor=convener, article=draft, now=timezone.now()).is_published


def test_others_may_not_announce_a_consultation(client, district, convener, outsider, resident):
    consultation = planned(district, convener=convener)
    client.force_login(outsider)
    assert client.get(reverse("publicity:preview_new", args=[consultation.pk])).status_code == 404
    response = client.post(
        reverse("publicity:preview_new", args=[consultation.pk]),
        {"title": "预告", "body": "正文", "form_token": str(uuid.uuid4())},
    )
    assert response.status_code == 404
    client.force_login(resident)
    assert client.get(reverse("publicity:preview_new", args=[consultation.pk])).status_code == 403
    client.logout()
    assert client.get(reverse("publicity:preview_new", args=[consultation.pk])).status_code == 302
    assert not Article.objects.exists()


def test_the_home_page_asks_for_the_announcement_and_lists_drafts(client, district, convener, room_a1):
    consultation = planned(district, convener=convener, title="集镇停车难", days_ahead=5)
    article(convener, platform=room_a1, title="我的草稿", publish=False)
    client.force_login(convener)
    home = text(client.get(reverse("portal:home")))
    assert "即将召开、尚未发布协商预告的协商" in home
    assert reverse("publicity:preview_new", args=[consultation.pk]) in home
    assert "未发布的新闻公告草稿" in home and "我的草稿" in home
    article(convener, kind=ArticleKind.PREVIEW, consultation=consultation)
    home = text(client.get(reverse("portal:home")))
    assert "即将召开、尚未发布协商预告的协商" not in home


def test_the_public_navigation_and_landing_page_lead_to_the_news(client):
    page = text(client.get(reverse("portal:home")))
    assert reverse("publicity:list") in page and reverse("publicity:upcoming") in page
