"""The media-centre package (融媒体中心素材包): a ZIP of a consultation's public material, for its staff only."""

import io
import re
import zipfile

import pytest
from django.urls import reverse

from shangliang.evaluation import services as evaluation_services
from shangliang.outcomes import services as outcome_services
from shangliang.outcomes.tests.builders import assigned, concluded
from shangliang.publicity.states import ArticleKind
from shangliang.publicity.tests.builders import article, png

pytestmark = pytest.mark.django_db

MOBILE = re.compile(r"1[3-9]\d{9}")


@pytest.fixture
def consultation(district, convener, resident):
    """Concluded with two items: the first done with a public evidence photo, the second assigned; results
    published (the summary carelessly naming a phone number), a typical case with a photo, and one rating."""
    consultation = concluded(district, convener=convener, suggestions=("规划电动车停放点", "安排赶集日值守"))
    first = assigned(consultation, order=0, responsible_person="王科长", responsible_mobile="13912345678")
    outcome_services.assignment_accept(actor=convener, assignment=first)
    outcome_services.assignment_complete(
        actor=convener, assignment=first, result="划定停放点120个", evidence=png("现场.png"), evidence_public=True
    )
    outcome_services.assignment_check(first, actor=convener)
    assigned(consultation, order=1, responsible_person="赵主任", responsible_mobile="13687654321")
    outcome_services.publication_publish(
        actor=convener, consultation=consultation, summary="停放点已划定，有问题请联系13800138000。"
    )
    evaluation_services.typical_case_publish(
        actor=convener,
        consultation=consultation,
        title="停车难题商量解决",
        story="群众说、大家议、部门办。",
        photos=[png()],
    )
    evaluation_services.rating_submit(user=resident, consultation=consultation, process="satisfied", result="basic")
    article(convener, kind=ArticleKind.NEWS, consultation=consultation, title="停放点建成", photos=[png(colour="red")])
    return consultation


def open_zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def texts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Every text in the ZIP, the Word file's XML included."""
    out = {}
    for name in archive.namelist():
        if name.endswith((".txt", ".html")):
            out[name] = archive.read(name).decode("utf-8")
        elif name.endswith(".docx"):
            with zipfile.ZipFile(io.BytesIO(archive.read(name))) as docx:
                out[name] = docx.read("word/document.xml").decode("utf-8")
    return out


def test_the_package_holds_the_story_the_public_photos_and_a_note_without_names_or_phones(
    client, consultation, convener
):
    client.force_login(convener)
    archive = open_zip(client.get(reverse("publicity:package", args=[consultation.pk])))
    names = set(archive.namelist())
    assert {"稿件.docx", "稿件.txt", "稿件.html", "说明.txt"} <= names
    photos = sorted(name for name in names if name.startswith("照片/"))
    assert photos == [
        "照片/典型案例照片1.jpg",
        f"照片/新闻{consultation.articles.get().pk}-照片1.jpg",
        "照片/第1条建议落实佐证.png",
    ]
    for name in photos:
        assert archive.read(name)[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1", b"\xff\xd8\xff\xdb")

    contents = texts(archive)
    story = contents["稿件.txt"]
    for words in [
        "集镇电动车乱停放",
        "规划电动车停放点",
        "划定停放点120个",
        "安排赶集日值守",
        "停放点已划定",
        "群众评议",
        "停车难题商量解决",
    ]:
        assert words in story, words
    assert "集镇电动车乱停放" in contents["稿件.docx"] and "划定停放点120个" in contents["稿件.html"]
    note = contents["说明.txt"]
    assert "第1条建议的落实佐证照片" in note and reverse("outcomes_public:result", args=[consultation.pk]) in note
    for name, content in contents.items():
        assert not MOBILE.search(content), name
        for person in ["王科长", "赵主任", "居民0", "张三", convener.full_name]:
            assert person not in content, (name, person)
    assert "138****8000" in story  # the number in the summary is masked


def test_a_photo_the_unit_did_not_make_public_stays_out(client, district, convener):
    consultation = concluded(district, convener=convener, suggestions=("修路灯",))
    item = assigned(consultation, order=0)
    outcome_services.assignment_accept(actor=convener, assignment=item)
    outcome_services.assignment_complete(
        actor=convener, assignment=item, result="已修好", evidence=png(), evidence_public=False
    )
    outcome_services.assignment_check(item, actor=convener)
    outcome_services.publication_publish(actor=convener, consultation=consultation, summary="路灯已修好")
    client.force_login(convener)
    archive = open_zip(client.get(reverse("publicity:package", args=[consultation.pk])))
    assert not [name for name in archive.namelist() if name.startswith("照片/")]
    assert "没有已公开的照片" in archive.read("说明.txt").decode()


def test_only_staff_covering_the_consultation_get_the_package(client, consultation, head, outsider, resident):
    url = reverse("publicity:package", args=[consultation.pk])
    client.force_login(head)  # the township's station head covers the village
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert str(consultation.topic.title) not in client.get(reverse("publicity:media")).content.decode()
    client.force_login(resident)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_no_package_before_the_results_are_public(client, district, convener):
    consultation = concluded(district, convener=convener)
    client.force_login(convener)
    assert client.get(reverse("publicity:package", args=[consultation.pk])).status_code == 404
    assert client.get("/news/media/" + "9" * 30 + ".zip").status_code == 404


def test_the_media_page_lists_published_results_in_bounded_queries(
    client, consultation, convener, django_assert_max_num_queries
):
    client.force_login(convener)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("publicity:media"))
    assert reverse("publicity:package", args=[consultation.pk]) in response.content.decode()
