"""The annual report read back: Word with python-docx, PDF with pypdf."""

import datetime
import io
import logging
import re
from decimal import Decimal
from types import SimpleNamespace

import docx
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx.oxml.ns import qn
from pypdf import PdfReader

from shangliang.core.tests.word_style import assert_official_word_style
from shangliang.dashboard import chart_images, event_figures, fund_figures, handoff_figures, report
from shangliang.dashboard.selectors import Scope
from shangliang.dashboard.tests.around_data import build_around
from shangliang.dashboard.tests.conftest import YEAR, at
from shangliang.evaluation.models import TypicalCase
from shangliang.events import services as event_services
from shangliang.events.states import EventKind
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant

pytestmark = pytest.mark.django_db

TITLE = f"示范区{YEAR}年度基层协商议事工作报告"
CASE = "助学路上商量出新办法"


def _url(fmt, year=YEAR):
    return reverse("dashboard:annual_report", args=[year, fmt])


def _docx_text(document) -> tuple[str, list[list[str]]]:
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    return paragraphs, cells


def test_word_report_has_the_title_summary_figures_charts_and_typical_cases(client, world):
    client.force_login(world.convener)
    response = client.get(_url("docx"), {"region": world.district["district"].pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    text, rows = _docx_text(document)
    assert document.paragraphs[0].text == TITLE
    assert "开展协商4次" in text and "民生议题2次，占50.0%" in text and "解决群众反映的实际问题3件" in text
    assert ["开展协商（次）", "4"] in rows
    assert ["协商建议（条）", "7"] in rows
    assert ["10日内答复率", "50.0%"] in rows
    assert ["甲镇", "3", "1", "4", "4", "2", "1"] in rows
    assert CASE in text and "落实成效：已全部落实，群众认可。" in text
    assert len(document.inline_shapes) == 3  # months, categories, townships compared


def test_pdf_report_has_the_title_a_figure_and_the_typical_case(client, world):
    client.force_login(world.convener)
    response = client.get(_url("pdf"), {"region": world.district["district"].pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert TITLE in text
    assert "开展协商4次" in text
    assert CASE in text
    assert reader.metadata.title == TITLE
    assert sum(len(page.images) for page in reader.pages) == 3


def test_report_of_a_township_counts_only_its_records(client, world):
    client.force_login(world.convener)
    response = client.get(_url("docx"), {"region": world.district["a"].pk})
    text, rows = _docx_text(docx.Document(io.BytesIO(response.content)))
    assert text.startswith(f"甲镇{YEAR}年度基层协商议事工作报告")
    assert ["开展协商（次）", "3"] in rows


def test_report_of_a_year_without_records_says_so(client, world):
    client.force_login(world.convener)
    response = client.get(_url("docx", 2023), {"region": world.district["district"].pk})
    text, rows = _docx_text(docx.Document(io.BytesIO(response.content)))
    assert ["开展协商（次）", "0"] in rows
    assert "本年度暂无发布的典型案例。" in text
    assert "全年未举办宣讲培训活动。" in text and "全年没有转交其他渠道办理的事项。" in text
    assert "全年没有协商资金收支记录。" in text


def test_report_without_a_cjk_font_is_still_written_with_a_warning(client, world, monkeypatch, caplog):
    monkeypatch.setattr(chart_images.font_manager, "findfont", _no_font)
    chart_images.cjk_font.cache_clear()
    client.force_login(world.convener)
    try:
        with caplog.at_level(logging.WARNING, logger="shangliang.dashboard.chart_images"):
            response = client.get(_url("pdf"), {"region": world.district["district"].pk})
    finally:
        chart_images.cjk_font.cache_clear()
    assert response.status_code == 200
    assert "No CJK font" in caplog.text


def _no_font(*args, **kwargs):
    raise ValueError("no such font")


def test_cjk_font_is_found_on_this_machine():
    chart_images.cjk_font.cache_clear()
    assert chart_images.cjk_font() is not None


def test_report_of_another_township_is_404_and_residents_are_refused(client, world):
    head = grant(get_user_model().objects.create(username="r_head_a"), Role.STATION_HEAD, region=world.district["a"])
    client.force_login(head)
    assert client.get(_url("pdf"), {"region": world.district["b"].pk}).status_code == 404
    assert client.get(_url("docx"), {"region": world.district["a"].pk}).status_code == 200
    # Without a region the report is of the widest region they read.
    response = client.get(_url("docx"))
    assert docx.Document(io.BytesIO(response.content)).paragraphs[0].text == f"甲镇{YEAR}年度基层协商议事工作报告"
    resident = grant(get_user_model().objects.create(username="r_resident"), Role.RESIDENT, region=world.district["a1"])
    client.force_login(resident)
    assert client.get(_url("pdf"), {"region": world.district["a"].pk}).status_code == 403
    client.logout()
    assert client.get(_url("pdf"), {"region": world.district["a"].pk}).status_code == 302


def test_unknown_format_or_year_is_404(client, world):
    client.force_login(world.convener)
    assert client.get(_url("xlsx"), {"region": world.district["district"].pk}).status_code == 404
    assert client.get(_url("pdf", 1999), {"region": world.district["district"].pk}).status_code == 404


def test_sections_are_numbered_in_chinese_past_ten():
    from shangliang.dashboard.report import chinese_number

    assert [chinese_number(n) for n in (1, 10, 11, 14, 20, 23)] == ["一", "十", "十一", "十四", "二十", "二十三"]


def test_word_report_drops_control_characters_that_word_cannot_hold(client, world):
    TypicalCase.objects.filter(title=CASE).update(title="助学\x0b路上", story="放学\x02时段\x01拥堵")
    client.force_login(world.convener)
    response = client.get(_url("docx"), {"region": world.district["district"].pk})
    assert response.status_code == 200
    text, _rows = _docx_text(docx.Document(io.BytesIO(response.content)))
    assert "助学路上" in text and "放学时段拥堵" in text


# --- the report reads as a work report (工作报告) ------------------------------------------------------

SECTIONS = [
    "一、总体情况",
    "二、主要工作和成效",
    "（一）搭建平台，扩大协商覆盖面",
    "（二）聚焦民生，深入开展协商议事",
    "（三）推动成果转化，抓好建议落实",
    "（四）强化监督评价，让群众评判成效",
    "（五）开展宣讲培训，管好协商资金，衔接其他渠道",
    "三、存在的问题和不足",
    f"四、{YEAR + 1}年工作打算",
    "（一）扩大平台覆盖",
    "（二）推动协商常态化",
    "（三）抓好成果落实",
    "（四）提升群众满意度",
    "（五）发挥委员作用",
    "附件1　统计附表",
    "附件2　统计图",
    "附件3　典型案例",
]


def _district_docx(client, world):
    client.force_login(world.convener)
    response = client.get(_url("docx"), {"region": world.district["district"].pk})
    return docx.Document(io.BytesIO(response.content))


def _body_order(document) -> list[tuple[str, str]]:
    """The body in order: ("heading", text) for each heading, ("table", first header cell) for each table."""
    order = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:tbl"):
            order.append(("table", element.xpath("string(.//w:tc)")))
        elif element.tag == qn("w:p"):
            style = element.xpath("string(./w:pPr/w:pStyle/@w:val)")
            if style.startswith("Heading"):
                order.append((style, element.xpath("string(.)")))
    return order


def test_word_report_is_a_work_report_with_its_sections_in_order_and_the_tables_appended(client, world):
    document = _district_docx(client, world)
    order = _body_order(document)
    headings = [text for kind, text in order if kind in ("Heading1", "Heading2")]
    assert headings == SECTIONS
    # Every table comes after "附件1 统计附表", each under its 附表 heading; the narrative has none.
    appendix = order.index(("Heading1", "附件1　统计附表"))
    assert all(index > appendix for index, (kind, _text) in enumerate(order) if kind == "table")
    table_titles = [text for kind, text in order if kind == "Heading3" and text.startswith("附表")]
    assert table_titles[:3] == ["附表1　平台建设与覆盖", "附表2　各乡镇（街道）覆盖情况", "附表3　协商开展情况"]
    assert len(table_titles) == len(document.tables)
    # The appendix starts on a page of its own.
    assert document.element.body.xpath(".//w:br[@w:type='page']")
    # The office edits a draft: the page header says so.
    assert document.sections[0].header.paragraphs[0].text.startswith("初稿")


def test_pdf_report_has_the_same_sections_in_the_same_order(client, world):
    client.force_login(world.convener)
    response = client.get(_url("pdf"), {"region": world.district["district"].pk})
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    positions = [text.find(heading.replace("　", "")) for heading in SECTIONS]
    assert -1 not in positions, [h for h, p in zip(SECTIONS, positions, strict=True) if p == -1]
    assert positions == sorted(positions)
    assert text.find("附表1平台建设与覆盖") > text.find("附件1统计附表") > text.find("（五）发挥委员作用")


# (phrase in the text with the figure as a group, label of the table row or column holding the same figure)
FIGURES = [
    (r"开展协商(\d+)次", "开展协商（次）"),
    (r"民生议题(\d+)次", "民生议题（次）"),
    (r"占([\d.]+%)", "民生议题比重"),
    (r"形成协商建议(\d+)条", "协商建议（条）"),
    (r"已交办(\d+)条", "已交办（条）"),
    (r"交办率([\d.]+%)", "交办率"),
    (r"采纳率([\d.]+%)", "采纳率"),
    (r"已办结(\d+)条", "已办结（条）"),
    (r"办结率([\d.]+%)", "办结率"),
    (r"逾期未办结(\d+)条", "逾期未办结（条）"),
    (r"仍有(\d+)条建议逾期未办结", "逾期未办结（条）"),
    (r"解决群众反映的实际问题(\d+)件", "解决实际问题（件）"),
    (r"政府委托事项(\d+)件", "政府委托事项（件）"),
    (r"10日内书面答复(\d+)件", "10日内答复（件）"),
    (r"10日内答复率([\d.]+%)", "10日内答复率"),
    (r"有(\d+)件未在10日内书面答复", "逾期答复或逾期未答复（件）"),
    (r"协商过程满意率([\d.]+%)", "协商过程"),
    (r"落实结果满意率([\d.]+%)", "落实结果"),
    (r"下沉委员(\d+)名", "下沉委员（名）"),
    (r"其中(\d+)名参加了协商", "参加协商的委员（名）"),
    (r"委员参与率([\d.]+%)", "委员参与率"),
    (r"共有协商议事平台(\d+)个", "协商议事平台"),
    (r"平台覆盖率([\d.]+%)", "村（社区）议事室覆盖"),
]


def _table_figure(rows: list[list[str]], label: str) -> str:
    [row] = [row for row in rows if row[0] == label]
    value = row[-1]  # a count, a rate, or "2/3（66.7%）"
    return value.split("（")[-1].rstrip("）") if "（" in value else value


def test_every_figure_in_the_text_is_the_one_in_its_table(client, world):
    text, rows = _docx_text(_district_docx(client, world))
    narrative = text.split("附件1　统计附表")[0]
    for pattern, label in FIGURES:
        found = set(re.findall(pattern, narrative))
        assert found == {_table_figure(rows, label)}, (pattern, found, _table_figure(rows, label))


def test_problems_and_plans_are_drafted_from_the_figures(client, world):
    text, _rows = _docx_text(_district_docx(client, world))
    problems = text.split("三、存在的问题和不足")[1].split(f"四、{YEAR + 1}年工作打算")[0]
    plans = text.split(f"四、{YEAR + 1}年工作打算")[1].split("附件1")[0]
    assert "一是部分协商成果落实不够及时，仍有1条建议逾期未办结（甲镇1条）。" in problems
    assert "政府委托事项中有1件未在10日内书面答复" in problems
    # Both rated places: 甲一村 (result 1 of 2 rated well), 乙一村 (process and result 1 of 2).
    assert "满意率低于80%的有乙一村议事室（50.0%）、甲一村议事室（50.0%）" in problems
    # Platforms in place that held nothing: the sector room and the grid point.
    assert "区政协经济界议事室、甲一村网格议事点全年未开展协商" in problems
    assert "尚有1个村（社区）未建立协商议事室" in problems and "有1名下沉委员全年未参加协商" in problems
    assert "督促区政协经济界议事室、甲一村网格议事点" in plans
    assert "对逾期未办结的1条建议和逾期未答复的1件委托事项逐项督办" in plans
    assert "推动尚未建立议事室的1个村（社区）建立协商议事平台" in plans


def test_when_the_figures_show_no_problem_the_office_is_asked_to_add_them():
    board = SimpleNamespace(outcomes=SimpleNamespace(overdue=0))
    found = report.Findings([], 0, [], [], [], 0, 0)
    assert report._problems(board, found) == [
        "从统计数据看，本年度各项工作未发现突出问题。请结合实际补充存在的问题和不足。"
    ]


def test_word_report_is_in_the_official_style_with_headings_kept_with_their_text(client, world):
    document = _district_docx(client, world)
    assert_official_word_style(document)
    assert document.paragraphs[0].style.name == "Title"
    for level in (1, 2, 3):
        assert document.styles[f"Heading {level}"].paragraph_format.keep_with_next is True


def test_report_of_one_platform_is_drafted_without_coverage_or_places_compared(client, world):
    client.force_login(world.convener)
    response = client.get(_url("pdf"), {"platform": world.platforms["pa1"].pk})
    assert response.status_code == 200
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    assert f"甲一村议事室{YEAR}年度基层协商议事工作报告" in text
    assert "一、总体情况" in text and "三、存在的问题和不足" in text and "附件1统计附表" in text
    assert "建有议事室" not in text  # a platform covers no region
    assert "开展协商2次" in text  # C1 and C2


def test_report_is_built_in_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    scope = Scope.for_year(YEAR, region=world.district["district"])
    # The dashboard's figures, a fixed 26 more for the seeds' statistics and the departments' ranking, and 6 for
    # the part beside the consultations (events 3, the fund 1, hand-offs 2): 70 in all today, whatever the
    # number of records (``test_the_report_tells_the_briefings_the_fund_and_the_handoffs`` adds some).
    with django_assert_max_num_queries(76):
        report.annual_report(scope)


def _held_event(platform, actor, when, *, kind, signs, headcount):
    event = event_services.event_create(
        actor=actor,
        platform=platform,
        kind=kind,
        title=f"{kind}活动",
        speaker_name="区司法局科长",
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=2),
        now=when - datetime.timedelta(days=7),
    )
    for n in range(signs):
        event_services.sign_in_self(
            event=event, name=f"参加者{n}", mobile=f"1370000{n:04d}", now=when + datetime.timedelta(minutes=n)
        )
    return event_services.event_hold(event, actor=actor, headcount=headcount, now=when + datetime.timedelta(hours=3))


def test_the_report_tells_the_briefings_the_fund_and_the_handoffs_with_the_dashboards_numbers(client, world):
    scope = Scope.for_year(YEAR, region=world.district["district"])
    with CaptureQueriesContext(connection) as before:
        report.annual_report(scope)
    build_around(world)
    staff = grant(
        get_user_model().objects.create(username="r_event_staff"),
        Role.COMMITTEE_STAFF,
        region=world.district["district"],
    )
    _held_event(world.platforms["pa"], staff, at(4, 8, 14), kind=EventKind.BRIEFING, signs=2, headcount=10)
    _held_event(world.platforms["pb1"], staff, at(9, 1, 9), kind=EventKind.LEGAL, signs=0, headcount=5)
    with CaptureQueriesContext(connection) as after:
        report.annual_report(scope)
    assert len(after) == len(before)
    # The dashboard's numbers (the same selectors), then the report's text and tables.
    events = event_figures.event_figures(scope)
    fund = fund_figures.fund_figures(scope)
    handoffs = handoff_figures.handoff_figures(scope)
    assert (events.held, events.attendance) == (2, 17)
    assert (fund.income, fund.spent, fund.balance) == (Decimal("15000"), Decimal("1200"), Decimal("18400"))
    assert (handoffs.handed, handoffs.answered, handoffs.awaiting) == (3, 1, 2)
    text, rows = _docx_text(_district_docx(client, world))
    part = text.split("（五）开展宣讲培训，管好协商资金，衔接其他渠道")[1].split("三、存在的问题和不足")[0]
    assert (
        "全年举办宣讲培训活动2场，参加17人次（知情明政1场12人次、法治宣传1场5人次），单独统计，不计入协商次数。" in part
    )
    assert (
        "村（社区）协商资金收入15,000.00元，支出1,200.00元（已扣除冲正1,600.00元），"
        "其中协商活动运作400.00元、成果落实800.00元；期末余额18,400.00元。"
        "已支付的支出中关联协商2笔、关联交办事项1笔。"
    ) in part
    assert "转交其他渠道办理的事项3件（人大协商1件、12345热线2件），已答复1件，待答复2件，答复率33.3%。" in part
    # The same numbers in the appendix.
    for row in (
        ["知情明政", "1", "12"],
        ["合计", "2", "17"],
        ["收入（元）", "15,000.00"],
        ["其中社会捐赠（元）", "5,000.00"],
        ["支出（元，扣除冲正）", "1,200.00"],
        ["冲正（元）", "1,600.00"],
        ["期末余额（元）", "18,400.00"],
        ["关联协商的支出（笔）", "2"],
        ["关联交办事项的支出（笔）", "1"],
        ["12345热线", "2", "1", "1"],
        ["合计", "3", "1", "2"],
    ):
        assert row in rows, row
    # The PDF prints the same part.
    client.force_login(world.convener)
    response = client.get(_url("pdf"), {"region": world.district["district"].pk})
    pdf_text = "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "全年举办宣讲培训活动2场，参加17人次" in pdf_text
    assert "期末余额18,400.00元" in pdf_text and "答复率33.3%" in pdf_text


def test_a_platforms_report_has_its_spending_without_income_or_balance(client, world):
    build_around(world)
    client.force_login(world.convener)
    response = client.get(_url("docx"), {"platform": world.platforms["pb1"].pk})
    text, rows = _docx_text(docx.Document(io.BytesIO(response.content)))
    assert "与本平台协商及其交办事项关联的协商资金支出500.00元" in text and "期末余额" not in text
    assert "全年未举办宣讲培训活动。" in text
    assert "转交其他渠道办理的事项1件（12345热线1件），已答复0件，待答复1件" in text
    assert ["支出（元，扣除冲正）", "500.00"] in rows and not [row for row in rows if row[0] == "收入（元）"]
