"""The archive of theory research and experience (理论研究与经验交流): filed by staff, read by staff and members."""

import datetime
import uuid

import pytest
from django.urls import reverse

from shangliang.core.tests.files import docx_bytes, html, pdf, upload
from shangliang.publicity import selectors, services
from shangliang.publicity.models import ArchiveDocument
from shangliang.publicity.states import DocumentKind, DocumentStatus

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 1)


def text(response) -> str:
    return response.content.decode()


def document(
    actor, region, *, title="村民说事制度的实践", body="", tags="", publish=True, kind=DocumentKind.PRACTICE, **kw
):
    made = services.document_create(
        actor=actor, title=title, kind=kind, region=region, issued_on=DAY, body=body or "正文", tags=tags, **kw
    )
    return services.document_publish(actor=actor, document=made) if publish else made


def post_new(client, region, **fields):
    data = {
        "title": "小微协商的理论思考",
        "kind": DocumentKind.THEORY,
        "region": region.pk,
        "issued_on": "2025-03-01",
        "source": "区政协理论研究会",
        "tags": "小微协商、议事规则, 基层治理",
        "summary": "关于小微协商的思考。",
        "body": "",
        "form_token": str(uuid.uuid4()),
    }
    data.update(fields)
    return client.post(reverse("publicity:document_new"), data)


def test_the_office_files_a_document_with_tags_and_a_pdf_and_members_read_it_once_published(
    client, office, member_user, district
):
    client.force_login(office)
    response = post_new(client, district["district"], attachment=pdf())
    document_ = ArchiveDocument.objects.get()
    assert response.status_code == 302 and document_.status == DocumentStatus.DRAFT
    assert [t.name for t in document_.tags.all()] == ["基层治理", "小微协商", "议事规则"]
    assert document_.attachment.name.endswith(".pdf")
    # One history row records the document and its tags together.
    assert document_.history.count() == 1
    assert document_.history.first().history_change_reason == "archive_document.drafted"

    client.force_login(member_user)
    assert client.get(reverse("publicity:document", args=[document_.pk])).status_code == 404
    assert "小微协商的理论思考" not in text(client.get(reverse("publicity:archive")))

    client.force_login(office)
    client.post(reverse("publicity:document_publish", args=[document_.pk]))
    document_.refresh_from_db()
    assert document_.is_published and document_.published_at

    client.force_login(member_user)
    assert "小微协商的理论思考" in text(client.get(reverse("publicity:archive")))
    detail = client.get(reverse("publicity:document", args=[document_.pk]))
    assert detail.status_code == 200 and "区政协理论研究会" in text(detail)
    assert client.get(document_.attachment.url).status_code == 200
    # A member may read, not edit.
    assert client.get(reverse("publicity:document_edit", args=[document_.pk])).status_code == 403


def test_residents_and_anonymous_users_do_not_see_the_archive(client, office, resident, district):
    published = document(office, district["district"], attachment=pdf())
    client.force_login(resident)
    assert client.get(reverse("publicity:archive")).status_code == 403
    assert client.get(reverse("publicity:document", args=[published.pk])).status_code == 403
    assert client.get(published.attachment.url).status_code == 404
    client.logout()
    response = client.get(reverse("publicity:archive"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(published.attachment.url).status_code == 404


def test_staff_of_another_township_read_published_documents_but_neither_drafts_nor_edits(
    client, convener, outsider, district
):
    published = document(convener, district["a1"], title="甲一村的经验")
    draft = document(convener, district["a1"], title="甲一村的草稿", publish=False)
    client.force_login(outsider)
    page = text(client.get(reverse("publicity:archive")))
    assert "甲一村的经验" in page and "甲一村的草稿" not in page
    assert client.get(reverse("publicity:document", args=[draft.pk])).status_code == 404
    assert client.get(reverse("publicity:document_edit", args=[published.pk])).status_code == 404
    assert client.post(reverse("publicity:document_publish", args=[draft.pk])).status_code == 404
    response = client.post(reverse("publicity:document_unpublish", args=[published.pk]), {"reason": "x"})
    assert response.status_code == 404
    published.refresh_from_db()
    assert published.is_published
    # Filing under a region outside the own scope is refused.
    response = post_new(client, district["a1"])
    assert response.status_code == 400 and ArchiveDocument.objects.count() == 2


def test_search_finds_words_apart_in_title_summary_body_and_tags(client, office, district):
    region = district["district"]
    document(office, region, title="议事室建设的几点做法", body="总结了三年协商工作的经验。", tags="阵地建设")
    document(office, region, title="协商规则汇编", kind=DocumentKind.RULES, body="议事规则全文。", tags="议事规则")
    document(office, region, title="调研报告：农村人居环境", kind=DocumentKind.SURVEY, body="垃圾分类。")
    client.force_login(office)
    url = reverse("publicity:archive")
    page = text(client.get(url, {"q": "协商议事室建设经验"}))
    assert "议事室建设的几点做法" in page and "协商规则汇编" not in page
    page = text(client.get(url, {"q": "人居 环境"}))
    assert "调研报告：农村人居环境" in page and "议事室建设的几点做法" not in page
    page = text(client.get(url, {"tag": "议事规则"}))
    assert "协商规则汇编" in page and "调研报告：农村人居环境" not in page
    page = text(client.get(url, {"kind": DocumentKind.SURVEY}))
    assert "调研报告：农村人居环境" in page and "协商规则汇编" not in page
    assert "没有找到符合条件的文档。" in text(client.get(url, {"q": "不存在的词语"}))
    # No document holds every word: those holding some are shown, and the page says so.
    page = text(client.get(url, {"q": "垃圾 议事室"}))
    assert "没有同时包含全部关键词的文档" in page
    assert "调研报告：农村人居环境" in page and "议事室建设的几点做法" in page and "协商规则汇编" not in page
    assert selectors.search_words("协商议事室建设经验") == ["协商", "议事", "建设", "经验"]


def test_only_pdf_or_word_attachments_are_taken(client, office, district):
    client.force_login(office)
    response = post_new(client, district["district"], attachment=html())
    assert response.status_code == 400 and "只能上传" in text(response)
    response = post_new(client, district["district"], attachment=upload("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64))
    assert response.status_code == 400 and not ArchiveDocument.objects.exists()
    response = post_new(client, district["district"], attachment=upload("做法.docx", docx_bytes()))
    assert response.status_code == 302 and ArchiveDocument.objects.get().attachment.name.endswith(".docx")


def test_a_document_needs_a_body_or_an_attachment_and_few_short_tags(client, office, district):
    client.force_login(office)
    response = post_new(client, district["district"])
    assert response.status_code == 400 and "请填写正文或上传附件。" in text(response)
    response = post_new(client, district["district"], body="正文", tags="、".join(f"标签{n}" for n in range(11)))
    assert response.status_code == 400 and "标签最多10个。" in text(response)
    assert not ArchiveDocument.objects.exists()


def test_editing_changes_tags_and_unpublishing_needs_a_reason(client, office, district):
    published = document(office, district["district"], tags="甲、乙")
    client.force_login(office)
    response = client.post(
        reverse("publicity:document_edit", args=[published.pk]),
        {
            "title": "新标题",
            "kind": DocumentKind.PRACTICE,
            "region": district["district"].pk,
            "issued_on": "2025-03-02",
            "tags": "丙",
            "body": "新正文",
        },
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.title == "新标题" and [t.name for t in published.tags.all()] == ["丙"]
    client.post(reverse("publicity:document_unpublish", args=[published.pk]), {"reason": ""})
    published.refresh_from_db()
    assert published.is_published
    client.post(reverse("publicity:document_unpublish", args=[published.pk]), {"reason": "数据需要更新"})
    published.refresh_from_db()
    assert published.status == DocumentStatus.DRAFT
    assert published.history.first().history_note == "数据需要更新"


def test_the_archive_list_costs_the_same_queries_for_3_or_20_documents(
    client, office, district, django_assert_max_num_queries
):
    for number in range(3):
        document(office, district["district"], title=f"文档{number}", tags=f"标签{number}、共同")
    client.force_login(office)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("publicity:archive"))
    for number in range(17):
        document(office, district["district"], title=f"更多文档{number}", tags=f"更多{number}、共同")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("publicity:archive"))
    assert "第 1 / 2 页" in text(response)
