"""The results poster fits one A4 sheet up to six long suggestions, and continues cleanly beyond.

Posters are laid out from ``results_poster.Poster`` (what ``poster_of`` reads from a consultation),
so these tests need no database; the download itself is tested in ``test_documents``.
"""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from shangliang.outcomes.documents import results_poster
from shangliang.outcomes.public_results import PublicItem

# Long, but what a village writes: an 80-character suggestion, a 60-character result, a 500-character summary.
LONG_SUGGESTION = (
    "在集镇主街东西两端各划定一处电动车集中停放点，设置明显标识和遮雨棚，安排网格员在赶集日早七点至十二点轮流值守，"
    "引导群众规范停放，并对长期占道停放的车辆登记劝离。"
)
LONG_RESULT = (
    "主街两端已划定停放点两处并设置标识和遮雨棚，赶集日安排网格员和志愿者轮流值守，占道停放明显减少，群众反映较好。"
)
LONG_SUMMARY = (
    "本次协商围绕集镇电动车乱停放问题，形成协商建议若干条。经交办，相关单位已按期办理，多数建议已办结并经验收，"
    "个别事项因需与全区赶集日调整统一安排暂缓办理，已向群众说明原因。下一步将持续跟踪落实情况，"
    "欢迎群众通过扫码或到村党群服务中心反映意见建议。"
) * 2
A4_POINTS = (595, 842)


def _item(number: int, text: str = LONG_SUGGESTION, result: str = LONG_RESULT) -> PublicItem:
    if number % 3 == 1:
        return PublicItem(
            number,
            f"第{number}条：{text}",
            "done",
            "已办结",
            unit="区住房和城乡建设局",
            result=result,
            done_on=datetime.date(2026, 5, 1),
        )
    if number % 3 == 2:
        return PublicItem(
            number,
            f"第{number}条：{text}",
            "accepted",
            "办理中",
            unit="区住房和城乡建设局",
            deadline=datetime.date(2026, 8, 1),
        )
    return PublicItem(
        number,
        f"第{number}条：{text}",
        "deferred",
        "暂缓办理",
        unit="甲镇综合行政执法队",
        deferral_reason="需与区里赶集日调整统一安排，待全区方案确定后再办理" if result == LONG_RESULT else "待统一安排",
    )


def _poster(
    n: int, *, text: str = LONG_SUGGESTION, result: str = LONG_RESULT, summary: str = LONG_SUMMARY
) -> results_poster.Poster:
    return results_poster.Poster(
        title="协商结果公开",
        platform="甲一村协商议事室",
        topic="集镇电动车乱停放问题如何治理",
        facts="协商时间：2026年3月1日　协商形式：居（村）民议事会",
        items=[_item(number, text, result) for number in range(1, n + 1)],
        summary=[summary],
        public_url="http://testserver/results/1/",
        qr_caption="扫码查看结果并评议",
        issued_on="2026年5月2日",
    )


def _pages(poster) -> list[str]:
    """The text of each sheet, without white space and with its number ("— 2 —") moved to the end."""
    printed = results_poster.poster_pdf(poster)
    reader = PdfReader(io.BytesIO(printed.content))
    assert len(reader.pages) == printed.pages
    assert all((round(p.mediabox.width), round(p.mediabox.height)) == A4_POINTS for p in reader.pages)
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        text = "".join(page.extract_text().split())
        mark = f"—{number}—"
        pages.append(text.replace(mark, "") + mark if mark in text else text)
    return pages


@pytest.mark.parametrize("n", range(1, 7))
def test_up_to_six_long_suggestions_and_a_long_summary_fit_one_sheet(n):
    [page] = _pages(_poster(n))
    for number in range(1, n + 1):
        assert f"第{number}条" in page
    assert "结果说明" in page and "欢迎群众监督" in page and "甲一村协商议事室" in page


@pytest.mark.parametrize("n", [7, 8, 12])
def test_more_continue_on_further_sheets_that_say_what_they_continue(n):
    pages = _pages(_poster(n))
    assert 2 <= len(pages) <= 3
    assert pages[0].startswith("协商结果公开") and "（续）" not in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert page.startswith("协商结果公开（续）议题：集镇电动车乱停放问题如何治理"), page[:60]
        if re.search(r"第\d+条", page):
            assert "序号协商建议办理情况" in page  # the table continues under its heads
        assert page.endswith(f"—{number}—")
    text = "".join(pages)
    for number in range(1, n + 1):
        assert text.count(f"第{number}条") == 1  # each printed once, none lost at the break
    assert "结果说明" in text and "欢迎群众监督。对落实情况有意见建议，请扫码查看并联系本平台。" in pages[-1]


def test_eight_short_suggestions_fit_one_sheet():
    assert len(_pages(_poster(8, text="错峰放学，增设接送点", result="已落实", summary="八条建议已全部交办。"))) == 1


def test_the_same_poster_is_laid_out_the_same_way_every_time():
    assert _pages(_poster(7)) == _pages(_poster(7))
    assert _pages(_poster(4)) == _pages(_poster(4))


def test_a_poster_takes_the_largest_type_that_fits_one_sheet():
    assert results_poster.poster_pdf(_poster(1, summary="已办结。")).layout.name == "standard"
    assert results_poster.poster_pdf(_poster(6)).layout.name == "dense"
    assert results_poster.poster_pdf(_poster(8)).layout.name == "continued"
