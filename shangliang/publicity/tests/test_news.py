"""News and announcements: written and published by the staff of the platform's region, read by anyone."""

import uuid

import pytest
from django.urls import reverse

from shangliang.core.tests.files import png_bomb, upload
from shangliang.publicity import services
from shangliang.publicity.models import Article
from shangliang.publicity.states import ArticleKind, ArticleStatus
from shangliang.publicity.tests.builders import article, png

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def post_new(client, **fields):
    data = {
        "kind": ArticleKind.NEWS,
        "title": "甲一村议事室开放",
        "body": "每周三接待群众。",
        "form_token": str(uuid.uuid4()),
    }
    data.update(fields)
    return client.post(reverse("publicity:new"), data)


def test_a_convener_writes_a_draft_publishes_it_and_anyone_reads_it(client, convener, room_a1):
    client.force_login(convener)
    response = post_new(client, scope=f"p{room_a1.pk}", photos=[png()])
    made = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("publicity:detail", args=[made.pk])
    assert made.status == ArticleStatus.DRAFT and made.platform == room_a1 and made.region == room_a1.region
    assert made.author == convener and made.photos.count() == 1

    # A draft is not public.
    client.logout()
    assert client.get(reverse("publicity:detail", args=[made.pk])).status_code == 404
    assert "甲一村议事室开放" not in text(client.get(reverse("publicity:list")))

    client.force_login(convener)
    response = client.post(reverse("publicity:publish", args=[made.pk]))
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == ArticleStatus.PUBLISHED and made.published_at and made.published_by == convener
    assert made.history.first().history_change_reason == "article.published"

    client.logout()
    page = text(client.get(reverse("publicity:list")))
    assert "甲一村议事室开放" in page and "甲一村协商议事室" in page
    detail = client.get(reverse("publicity:detail", args=[made.pk]))
    assert detail.status_code == 200 and "每周三接待群众。" in text(detail)
    # The photo of a published item is public, served through core.media.
    photo = made.photos.get()
    assert client.get(photo.image.url).status_code == 200


def test_the_form_posted_twice_makes_one_article(client, convener, room_a1):
    client.force_login(convener)
    token = str(uuid.uuid4())
    first = post_new(client, scope=f"p{room_a1.pk}", form_token=token)
    second = post_new(client, scope=f"p{room_a1.pk}", form_token=token)
    assert first.status_code == second.status_code == 302
    assert Article.objects.count() == 1


def test_missing_fields_are_refused_next_to_the_field(client, convener):
    client.force_login(convener)
    response = post_new(client, scope="", title="")
    assert response.status_code == 400
    assert "请选择发布范围。" in text(response) and "请填写标题。" in text(response)
    assert not Article.objects.exists()


def test_a_10000_by_10000_photo_is_refused_with_a_message(client, convener, room_a1):
    client.force_login(convener)
    bomb = upload("photo.png", png_bomb(10000, 10000), "image/png")
    response = post_new(client, scope=f"p{room_a1.pk}", photos=[bomb])
    assert response.status_code == 400
    assert "图片尺寸过大（超过4000万像素），请缩小后再上传。" in text(response)
    assert not Article.objects.exists()


def test_a_platform_of_another_township_is_not_offered_and_refused(client, convener, room_b1):
    client.force_login(convener)
    page = text(client.get(reverse("publicity:new")))
    assert "乙一村协商议事室" not in page
    response = post_new(client, scope=f"p{room_b1.pk}")
    assert response.status_code == 400 and not Article.objects.exists()


def test_the_district_news_is_written_by_the_district_office_only(client, office, head, district):
    client.force_login(head)
    assert post_new(client, scope=f"r{district['district'].pk}").status_code == 400
    client.force_login(office)
    assert post_new(client, scope=f"r{district['district'].pk}").status_code == 302
    assert Article.objects.get().region == district["district"] and Article.objects.get().platform is None


def test_staff_of_another_township_cannot_edit_publish_or_withdraw(client, convener, outsider, room_a1):
    draft = article(convener, platform=room_a1, publish=False)
    client.force_login(outsider)
    assert client.get(reverse("publicity:edit", args=[draft.pk])).status_code == 404
    assert client.post(reverse("publicity:publish", args=[draft.pk])).status_code == 404
    assert client.get(reverse("publicity:detail", args=[draft.pk])).status_code == 404
    published = article(convener, platform=room_a1, title="已发布")
    response = client.post(reverse("publicity:withdraw", args=[published.pk]), {"reason": "不对"})
    assert response.status_code == 404
    published.refresh_from_db()
    assert published.status == ArticleStatus.PUBLISHED
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT


def test_the_township_station_head_edits_a_village_item(client, convener, head, room_a1):
    draft = article(convener, platform=room_a1, publish=False)
    client.force_login(head)
    response = client.post(reverse("publicity:edit", args=[draft.pk]), {"title": "新标题", "body": "新正文"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "新标题" and draft.history.first().history_change_reason == "article.updated"


def test_residents_and_anonymous_users_are_refused_the_staff_pages(client, resident, convener, room_a1):
    draft = article(convener, platform=room_a1, publish=False)
    for name, args in [("manage", []), ("new", []), ("edit", [draft.pk]), ("media", [])]:
        client.logout()
        response = client.get(reverse(f"publicity:{name}", args=args))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        client.force_login(resident)
        assert client.get(reverse(f"publicity:{name}", args=args)).status_code == 403
    assert client.post(reverse("publicity:publish", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT


def test_withdrawing_needs_a_reason_and_takes_the_item_off_the_public_pages(client, convener, room_a1):
    published = article(convener, platform=room_a1)
    client.force_login(convener)
    client.post(reverse("publicity:withdraw", args=[published.pk]), {"reason": ""})
    published.refresh_from_db()
    assert published.status == ArticleStatus.PUBLISHED
    client.post(reverse("publicity:withdraw", args=[published.pk]), {"reason": "时间有误"})
    published.refresh_from_db()
    assert published.status == ArticleStatus.WITHDRAWN and published.withdraw_reason == "时间有误"
    assert published.history.first().history_note == "时间有误"
    # Its writer still sees it, marked withdrawn; the public does not.
    assert "已撤回：时间有误" in text(client.get(reverse("publicity:detail", args=[published.pk])))
    client.logout()
    assert client.get(reverse("publicity:detail", args=[published.pk])).status_code == 404
    photo_free = client.get(reverse("publicity:list"))
    assert "村口路灯修好了" not in text(photo_free)


def test_a_withdrawn_item_cannot_be_published_again(convener, room_a1):
    published = article(convener, platform=room_a1)
    services.article_withdraw(actor=convener, article=published, reason="重复")
    with pytest.raises(Exception, match="不能变为"):
        services.article_publish(actor=convener, article=published)


def test_the_public_list_filters_by_township_platform_and_kind(
    client, convener, outsider, office, room_a1, room_b1, district
):
    article(convener, platform=room_a1, title="甲一村新闻")
    article(outsider, platform=room_b1, title="乙一村公告", kind=ArticleKind.ANNOUNCEMENT)
    article(office, region=district["district"], title="全区通知", kind=ArticleKind.ANNOUNCEMENT)
    url = reverse("publicity:list")
    page = text(client.get(url, {"township": district["a"].pk}))
    assert "甲一村新闻" in page and "全区通知" in page and "乙一村公告" not in page
    page = text(client.get(url, {"platform": room_b1.pk}))
    assert "乙一村公告" in page and "甲一村新闻" not in page and "全区通知" not in page
    page = text(client.get(url, {"kind": ArticleKind.ANNOUNCEMENT}))
    assert "乙一村公告" in page and "全区通知" in page and "甲一村新闻" not in page
    # A filter value that is not one is ignored, never an error.
    assert client.get(url, {"township": "9" * 30, "kind": "x"}).status_code == 200


def test_the_newest_comes_first(client, convener, room_a1):
    article(convener, platform=room_a1, title="较早的新闻")
    article(convener, platform=room_a1, title="较新的新闻")
    page = text(client.get(reverse("publicity:list")))
    assert page.index("较新的新闻") < page.index("较早的新闻")


def test_the_public_list_costs_the_same_queries_for_3_or_30_items(
    client, convener, room_a1, django_assert_max_num_queries
):
    for number in range(3):
        article(convener, platform=room_a1, title=f"新闻{number}", photos=[png()])
    with django_assert_max_num_queries(8) as small:
        client.get(reverse("publicity:list"))
    for number in range(27):
        article(convener, platform=room_a1, title=f"更多新闻{number}", photos=[png()])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("publicity:list"))
    assert "第 1 / 3 页" in text(response)


def test_the_staff_list_is_bounded_and_shows_only_the_own_scope(
    client, convener, outsider, room_a1, room_b1, django_assert_max_num_queries
):
    for number in range(15):
        article(convener, platform=room_a1, title=f"甲新闻{number}", publish=number % 2 == 0)
    article(outsider, platform=room_b1, title="乙新闻")
    client.force_login(convener)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("publicity:manage"))
    page = text(response)
    assert "甲新闻14" in page and "乙新闻" not in page
    assert "甲新闻1<" not in text(client.get(reverse("publicity:manage"), {"status": "published"}))


def test_odd_ids_are_404_not_500(client):
    for bad in ["9" * 30, "0"]:
        assert client.get(f"/news/{bad}/").status_code == 404
    assert client.get("/news/1%00/").status_code in (400, 404)
