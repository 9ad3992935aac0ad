"""The annual report read back: Word with python-docx, PDF with pypdf."""

import io
import logging

import docx
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from shangliang.dashboard import chart_images
from shangliang.dashboard.tests.conftest import YEAR
from shangliang.evaluation.models import TypicalCase
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
    assert "开展协商4次" in text and "民生议题2次，占50.0%" in text and "解决群众反映的实际问题2件" in text
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
