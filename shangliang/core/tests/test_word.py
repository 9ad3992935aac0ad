"""Word files drop the characters XML 1.0 cannot hold, and every writer adds text only through
``core.documents.word``."""

import io
import re
from pathlib import Path

import docx
import pytest
from docx import Document

from shangliang.core.documents import word

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
