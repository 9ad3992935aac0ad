"""The public side of outcomes: a consultation's result page, the boards of a platform and a village, the poster.

No login; what was decided and done is shown with the public bodies in charge, and never a
person's name or phone number.
"""

import io
import itertools

import pytest
import zxingcpp
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from shangliang.consultations.models import Consultation
from shangliang.consultations.tests.builders import in_session
from shangliang.core.phones import mask_mobile
from shangliang.orgs.states import Role, UnitKind
from shangliang.orgs.tests.factories import grant, make_platform, make_user
from shangliang.outcomes import public_views, services
from shangliang.outcomes.tests.builders import assigned, concluded, liaison_of, make_unit

pytestmark = pytest.mark.django_db

_seq = itertools.count(1)
# Participants added by the consultation builders.
PARTICIPANT_NAMES = ["居民0", "居民1", "居民2", "部门0", "部门1"]
PARTICIPANT_MOBILES = ["13900000000", "13900000001", "13900000002"]
RESPONSIBLE = [("责任人钱进", "13833330003"), ("责任人孙丽", "13844440004")]


@pytest.fixture
def people(district):
    convener = grant(make_user(full_name="召集人王明", mobile="13811110001"), Role.CONVENER, region=district["a1"])
    supervisor = make_user(full_name="督办赵敏", mobile="13822220002")
    return {"convener": convener, "supervisor": supervisor}


def resolved(district, people, *, title="集镇电动车乱停放", publish=True, **kwargs):
    """Item 1 done with a result, item 2 deferred with a reason; optionally the results published."""
    n = next(_seq)
    consultation = concluded(district, convener=people["convener"], title=title, **kwargs)
    unit = make_unit(district["district"], name=f"区住房和城乡建设局{n}")
    other = make_unit(district["a"], name=f"甲镇综合执法队{n}", kind=UnitKind.TOWNSHIP_GOVERNMENT)
    liaison = liaison_of(unit, full_name="联络员周强")
    other_liaison = liaison_of(other)
    done = assigned(
        consultation,
        unit=unit,
        supervisor=people["supervisor"],
        responsible_person=RESPONSIBLE[0][0],
        responsible_mobile=RESPONSIBLE[0][1],
    )
    services.assignment_accept(actor=liaison, assignment=done)
    services.progress_add(actor=liaison, assignment=done, unit=unit, progress="已完成选址", problems="商户不配合")
    services.assignment_complete(actor=liaison, assignment=done, result="主街两端划定停放点两处")
    services.assignment_check(done, actor=people["convener"])  # the check (验收): only then is it done
    deferred = assigned(
        consultation,
        unit=other,
        supervisor=people["supervisor"],
        responsible_person=RESPONSIBLE[1][0],
        responsible_mobile=RESPONSIBLE[1][1],
        order=1,
    )
    services.assignment_accept(actor=other_liaison, assignment=deferred)
    services.assignment_defer(actor=other_liaison, assignment=deferred, reason="需与区里赶集日调整统一安排")
    if publish:
        services.publication_publish(
            actor=people["convener"], consultation=consultation, summary="停放点已划定，值守暂缓并已解释"
        )
    return consultation


def _secrets(people) -> list[str]:
    mobiles = [*PARTICIPANT_MOBILES, *(m for _, m in RESPONSIBLE), *(p.mobile for p in people.values())]
    names = [*PARTICIPANT_NAMES, *(n for n, _ in RESPONSIBLE), *(p.full_name for p in people.values()), "联络员"]
    return names + mobiles + [mask_mobile(m) for m in mobiles]


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def result_url(consultation) -> str:
    return reverse("outcomes_public:result", args=[consultation.pk])


def platform_url(platform) -> str:
    return reverse("outcomes_public:platform_board", args=[platform.pk])


def village_url(region) -> str:
    return reverse("outcomes_public:village_board", args=[region.pk])


# --- the result page -----------------------------------------------------------------------


def test_result_page_shows_each_suggestion_with_its_status_unit_result_and_the_published_summary(
    client, district, people
):
    consultation = resolved(district, people)
    page = _page(client, result_url(consultation))
    assert "集镇电动车乱停放" in page and consultation.platform.name in page and "居（村）民议事会" in page
    assert "规划电动车停放点" in page and "已办结" in page and "主街两端划定停放点两处" in page
    assert "安排赶集日值守" in page and "暂缓办理" in page and "需与区里赶集日调整统一安排" in page
    assert "区住房和城乡建设局" in page and "甲镇综合执法队" in page
    assert "停放点已划定，值守暂缓并已解释" in page
    published = timezone.localtime(consultation.publication.published_at)
    assert f"{published:%Y-%m-%d} 公开" in page
    assert "已办结 1" in page and "暂缓办理 1" in page


def test_result_page_shows_items_in_progress_with_their_deadline_before_anything_is_published(client, district, people):
    consultation = concluded(district, convener=people["convener"])
    item = assigned(consultation, unit=make_unit(district["district"], name="区住房和城乡建设局"))
    page = _page(client, result_url(consultation))
    assert "落实结果尚未正式公开" in page
    assert "已交办" in page and f"{item.deadline:%Y-%m-%d}" in page and "待交办" in page


def test_result_page_shows_no_names_or_mobiles(client, district, people):
    consultation = resolved(district, people)
    page = _page(client, result_url(consultation))
    for secret in _secrets(people):
        assert secret not in page, secret


def test_result_page_is_404_before_the_resolution_and_once_archived(client, district, people):
    held = in_session(district, convener=people["convener"])
    assert client.get(result_url(held)).status_code == 404
    consultation = resolved(district, people, title="路灯不亮")
    assert client.get(result_url(consultation)).status_code == 200
    Consultation.objects.filter(pk=consultation.pk).update(is_archived=True)
    assert client.get(result_url(consultation)).status_code == 404
    assert client.get(reverse("outcomes_public:result", args=[999999])).status_code == 404


# --- the boards ----------------------------------------------------------------------------


def test_platform_board_lists_its_concluded_consultations_with_counts_and_published_results(client, district, people):
    consultation = resolved(district, people)
    in_session(district, convener=people["convener"], title="广场舞噪音")
    page = _page(client, platform_url(consultation.platform))
    assert "公开栏" in page and result_url(consultation) in page
    assert "共 2 条建议" in page and "已办结 1" in page and "暂缓办理 1" in page
    assert "停放点已划定，值守暂缓并已解释" in page
    assert "广场舞噪音" not in page
    for secret in _secrets(people):
        assert secret not in page, secret


def test_village_board_takes_consultations_held_on_its_platforms_or_convened_there(client, district, people):
    here = resolved(district, people, publish=False)
    elsewhere = resolved(district, people, title="乙村河道清淤")
    Consultation.objects.filter(pk=elsewhere.pk).update(platform=make_platform(district["b1"]))
    page = _page(client, village_url(district["a1"]))
    assert result_url(here) in page and "落实结果尚未正式公开" in page
    assert here.platform.name in page and platform_url(here.platform) in page
    # Convened in 甲一村 though held on 乙一村's platform: on both villages' boards.
    assert result_url(elsewhere) in page
    assert result_url(elsewhere) in _page(client, village_url(district["b1"]))
    assert result_url(here) not in _page(client, village_url(district["b1"]))
    assert result_url(here) not in _page(client, village_url(district["a2"]))


def test_boards_are_404_for_unknown_or_archived_platforms_and_for_regions_that_are_not_villages(client, district):
    platform = make_platform(district["a1"])
    assert client.get(platform_url(platform)).status_code == 200
    assert client.get(reverse("outcomes_public:platform_board", args=[999999])).status_code == 404
    assert client.get(village_url(district["a1"])).status_code == 200
    assert client.get(village_url(district["a"])).status_code == 404
    assert client.get(reverse("outcomes_public:village_board", args=[999999])).status_code == 404


def test_boards_are_paginated(client, district, people, monkeypatch):
    monkeypatch.setattr(public_views, "PAGE_SIZE", 1)
    first = resolved(district, people, title="第一件事", publish=False)
    second = resolved(district, people, title="第二件事", publish=False)
    Consultation.objects.filter(pk=second.pk).update(platform=first.platform)
    pages = [_page(client, f"{platform_url(first.platform)}?page={n}") for n in (1, 2)]
    assert client.get(f"{platform_url(first.platform)}?page=abc").status_code == 200
    assert sum(result_url(first) in page for page in pages) == 1
    assert sum(result_url(second) in page for page in pages) == 1


def _qr_texts(reader: PdfReader) -> list[str]:
    return [code.text for page in reader.pages for image in page.images for code in zxingcpp.read_barcodes(image.image)]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_board_queries_do_not_grow_with_consultations_or_suggestions(client, district, people):
    first = resolved(district, people, title="第一件事")
    few = {
        "platform": _queries(client, platform_url(first.platform)),
        "village": _queries(client, village_url(district["a1"])),
    }
    for n in range(3):
        more = resolved(district, people, title=f"又一件事{n}", suggestions=("一", "二", "三"))
        Consultation.objects.filter(pk=more.pk).update(platform=first.platform)
    assert _queries(client, platform_url(first.platform)) == few["platform"]
    assert _queries(client, village_url(district["a1"])) == few["village"]
    assert few["platform"] <= 6 and few["village"] <= 7


def test_result_page_queries_do_not_grow_with_suggestions(client, district, people):
    small = resolved(district, people, title="第一件事")
    large = resolved(district, people, title="第二件事", suggestions=("一", "二", "三", "四", "五", "六"))
    for order in range(2, 6):
        assigned(large, unit=make_unit(district["a"], name=f"承办单位{order}"), order=order)
    assert _queries(client, result_url(large)) == _queries(client, result_url(small))


# --- the poster ----------------------------------------------------------------------------


def test_public_poster_opens_in_the_browser_and_its_qr_code_leads_to_the_result_page(client, district, people):
    consultation = resolved(district, people)
    response = client.get(reverse("outcomes_public:poster", args=[consultation.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert "协商结果公开" in text and "集镇电动车乱停放" in text and "规划电动车停放点" in text
    for secret in _secrets(people):
        assert secret not in text, secret
    assert _qr_texts(reader) == [f"http://testserver{result_url(consultation)}"]


def test_public_poster_is_404_before_the_resolution(client, district, people):
    held = in_session(district, convener=people["convener"])
    assert client.get(reverse("outcomes_public:poster", args=[held.pk])).status_code == 404


def test_the_consultation_page_links_to_its_results_once_concluded(client, district, people):
    held = in_session(district, convener=people["convener"], title="广场舞噪音")
    assert result_url(held) not in _page(client, reverse("consultations:public_page", args=[held.pk]))
    consultation = resolved(district, people)
    page = _page(client, reverse("consultations:public_page", args=[consultation.pk]))
    assert result_url(consultation) in page and platform_url(consultation.platform) in page
