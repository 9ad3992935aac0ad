"""The shared document helpers: formula-safe cells, download file names, the PDF font and its start-up check."""

import datetime
import io
from urllib.parse import quote

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from shangliang.core import checks
from shangliang.core.documents import formats, pdf, responses, sheets
from shangliang.core.tests.pdf_fonts import assert_cjk_font_embedded, fonts_of

FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", '=HYPERLINK("http://example.com","点我")', "\t=1+1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_that_looks_like_a_formula_is_written_as_text(text):
    workbook = Workbook()
    sheet = workbook.active
    columns = [sheets.Column("建议", 30)]
    sheets.write_table(sheet, title="标题", subtitle="说明", columns=columns, rows=[[text]])
    sheet.append(sheets.safe_row([text, "=SUM(1,2)"]))
    reopened = load_workbook(io.BytesIO(sheets.workbook_bytes(workbook))).active
    cells = [reopened.cell(row=sheets.HEADER_ROW + 1, column=1), *reopened[reopened.max_row]]
    assert [cell.data_type for cell in cells] == ["s", "s", "s"]
    assert [cell.value for cell in cells] == [f"'{text}", f"'{text}", "'=SUM(1,2)"]


def test_a_plain_formula_written_without_safe_cell_would_be_a_formula():
    """The check above can fail: openpyxl takes a bare "=…" string as a formula."""
    workbook = Workbook()
    workbook.active.append(["=1+1"])
    reopened = load_workbook(io.BytesIO(sheets.workbook_bytes(workbook))).active
    assert reopened["A1"].data_type == "f"


def test_numbers_dates_and_booleans_pass_through_safe_cell():
    day = datetime.date(2026, 3, 1)
    assert sheets.safe_row([-3, 2.5, day, True, False, None, "正文\x01"]) == [-3, 2.5, day, "是", "否", "", "正文"]


def test_csv_cells_that_look_like_formulas_are_text_and_excel_reads_the_chinese():
    content = sheets.csv_bytes([["序号", "建议"], [1, "=1+1"], [], ["-2", "在主街"]])
    assert content.startswith("\ufeff".encode())
    assert content.decode("utf-8-sig").splitlines() == ["序号,建议", "1,'=1+1", "", "'-2,在主街"]


def test_a_chinese_file_name_is_sent_as_an_rfc_5987_utf8_name():
    response = responses.download(b"%PDF", responses.PDF, "关于召开“集镇电动车乱停放”的通知", "pdf")
    assert response["Content-Type"] == "application/pdf"
    expected = quote("关于召开“集镇电动车乱停放”的通知.pdf")
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{expected}"


def test_characters_windows_refuses_in_a_file_name_become_underscores():
    response = responses.download(b"x", responses.CSV, '议题 A/B:"清单"?', "csv", attachment=False)
    assert response["Content-Disposition"] == f"inline; filename*=utf-8''{quote('议题_A_B_清单_.csv')}"


def test_percent_and_dates_as_documents_print_them(settings):
    assert [formats.percent(None), formats.percent(0.857), formats.percent(0.5)] == ["—", "85.7%", "50.0%"]
    assert formats.percent(0.5, drop_zero_decimal=True) == "50%"
    assert formats.chinese_date(datetime.date(2026, 3, 1)) == "2026年3月1日"
    moment = timezone.make_aware(datetime.datetime(2026, 3, 1, 23, 30), datetime.UTC)
    local = timezone.localtime(moment)
    assert formats.chinese_date(moment) == f"{local.year}年{local.month}月{local.day}日"
    assert formats.chinese_date_time(moment) == local.strftime("%Y年%m月%d日 %H:%M")
    assert formats.text_lines(" 一\n\n 二 \n") == ["一", "二"]


def test_a_pdf_embeds_a_truetype_subset_of_the_chinese_font_and_keeps_its_text():
    content = pdf.build_pdf([pdf.fitted("协商通知", pdf.TITLE), pdf.paragraph("各位参会代表：，。")], title="协商通知")
    assert_cjk_font_embedded(content)
    assert not [name for name in fonts_of(content) if "STSong" in name]
    text = "".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())
    assert "协商通知" in text and "各位参会代表" in text


def test_the_embedded_font_check_catches_an_unembedded_cid_font():
    """What the documents used before: Adobe's STSong-Light, which the reader had to supply."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("STSong-Light", 12)
    page.drawString(72, 720, "协商通知")
    page.save()
    assert fonts_of(buffer.getvalue())["/STSong-Light"] == set()
    with pytest.raises(AssertionError):
        assert_cjk_font_embedded(buffer.getvalue())


@pytest.fixture
def no_font(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "FONT_PATH", tmp_path / "missing.ttc")
    pdf.font.cache_clear()
    yield
    pdf.font.cache_clear()


def test_without_the_font_file_a_pdf_is_refused_with_the_package_to_install(no_font):
    with pytest.raises(pdf.FontMissing, match="fonts-arphic-uming"):
        pdf.build_pdf([], title="x")


def test_without_the_font_file_the_start_up_check_fails(no_font):
    assert [error.id for error in checks.pdf_font_installed()] == ["shangliang.E002"]


def test_with_the_font_file_the_start_up_check_passes():
    assert checks.pdf_font_installed() == []


def _last_lines(content: bytes) -> list[str]:
    """The last line of text on each page."""
    return [page.extract_text().strip().splitlines()[-1] for page in PdfReader(io.BytesIO(content)).pages]


def test_a_heading_with_room_moves_to_the_next_page_rather_than_end_one():
    filler = [pdf.paragraph(f"第{n}行正文") for n in range(29)]  # leaves a line or two at the page's foot
    heading = pdf.paragraph("二、主要工作", pdf.HEADING)
    after = [pdf.paragraph("正文" * 200, pdf.BODY)]
    alone, pages = pdf.build_pdf_pages([*filler, pdf.paragraph("二、主要工作", pdf.PLAIN), *after], title="t")
    assert pages == 2 and _last_lines(alone)[0] == "二、主要工作"  # what happens without it
    kept, pages = pdf.build_pdf_pages([*filler, *pdf.heading_with_room(heading, after=66), *after], title="t")
    assert _last_lines(kept)[0] == "第28行正文"
    assert PdfReader(io.BytesIO(kept)).pages[1].extract_text().startswith("二、主要工作")


def test_build_pdf_pages_counts_the_pages():
    content, pages = pdf.build_pdf_pages([pdf.paragraph("一页")], title="t")
    assert pages == len(PdfReader(io.BytesIO(content)).pages) == 1
