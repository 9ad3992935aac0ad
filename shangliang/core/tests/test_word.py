"""Word files drop the characters XML 1.0 cannot hold, and every writer adds text only through
``core.documents.word``."""

import io
import re
from pathlib import Path

import docx
import pytest
from docx import Document

from shangliang.core.documents import word
from shangliang.core.tests.word_style import assert_official_word_style

PROJECT = Path(word.__file__).resolve().parents[2]
# What adds text to a python-docx document other than through core.documents.word.
DIRECT_WRITES = re.compile(
    r"(?<!word)\.(add_run\(|add_heading\(|add_paragraph\([^)])|\.text\s*=(?!\s*\"\")|core_properties\.\w+\s*="
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("纪要\x00\x01\x08\x0b\x0c\x0e\x1f正文", "纪要正文"),
        ("第一行\n第二行\r\n\t缩进", "第一行\n第二行\r\n\t缩进"),
        ("非字符\ufffe\uffff", "非字符"),
        ("孤立代理\ud800\udfff", "孤立代理"),
        ("删除\x7f与\x85", "删除\x7f与\x85"),
        (12, "12"),
    ],
)
def test_xml_text_drops_only_what_xml_cannot_hold(text, expected):
    assert word.xml_text(text) == expected


def test_a_document_written_through_core_word_opens_again():
    doc = Document()
    word.set_title(doc, "标题\x0b")
    word.add_heading(doc, "纪要\x00", level=0)
    paragraph = word.add_paragraph(doc, "正文\x1f一", font="SimSun", size=12, bold=True)
    word.add_run(paragraph, "\x0c二\t三")
    cell = doc.add_table(rows=1, cols=1).cell(0, 0)
    word.add_paragraph(cell, "单元格\x01")
    buffer = io.BytesIO()
    doc.save(buffer)
    reopened = docx.Document(io.BytesIO(buffer.getvalue()))
    assert [p.text for p in reopened.paragraphs] == ["纪要", "正文一二\t三"]
    assert reopened.tables[0].cell(0, 0).text.endswith("单元格")
    assert reopened.core_properties.title == "标题"


def test_every_word_writer_adds_text_only_through_core_word():
    writers = [
        path
        for path in PROJECT.rglob("*.py")
        if "tests" not in path.parts and path.name != "word.py" and re.search(r"^from docx\b", path.read_text(), re.M)
    ]
    assert len(writers) >= 3, "the minutes, the report and the annual report"
    direct = [
        f"{path.relative_to(PROJECT)}:{number}: {line.strip()}"
        for path in writers
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if DIRECT_WRITES.search(line)
    ]
    assert direct == []


def test_a4_document_replaces_words_blue_template_by_the_official_style():
    document = word.a4_document()
    word.add_heading(document, "关于某事的报告", level=0)
    word.add_heading(document, "一、总体情况", level=1)
    word.add_heading(document, "（一）搭建平台", level=2)
    word.add_paragraph(document, "正文", style=word.BODY_TEXT)
    word.add_red_head(document, "某某委员会")
    reopened = docx.Document(io.BytesIO(word.document_bytes(document)))
    assert_official_word_style(reopened, red_texts=("某某委员会",))
    normal = reopened.styles["Normal"]
    assert normal.font.size.pt == word.BODY_SIZE and normal.paragraph_format.line_spacing.pt == 28
    assert reopened.styles["Title"].font.size.pt == word.TITLE_SIZE
    for level in (1, 2, 3):
        heading = reopened.styles[f"Heading {level}"].paragraph_format
        assert heading.keep_with_next is True and heading.keep_together is True
    assert reopened.styles[word.BODY_TEXT].paragraph_format.first_line_indent.pt == 2 * word.BODY_SIZE
    section = reopened.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    # The red head's rule is red; the title asks for 小标宋 and the font table lets Word fall back to 宋体.
    assert reopened.paragraphs[-1]._p.xpath("string(./w:pPr/w:pBdr/w:bottom/@w:color)") == word.RULE_RED
    font_table = next(r.target_part for r in reopened.part.rels.values() if r.reltype.endswith("/fontTable"))
    xml = font_table.blob.decode()
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="SimSun"/>' in xml


def test_a_document_with_a_different_body_size_keeps_its_line_in_proportion():
    document = word.a4_document(size=12)
    assert document.styles["Normal"].font.size.pt == 12
    assert document.styles["Normal"].paragraph_format.line_spacing.pt == 21
