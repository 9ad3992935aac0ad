"""Word (.docx) files: the A4 page, the font names, and every text a document writes (through ``xml_text``).

A .docx is XML 1.0, which cannot hold the C0 control characters other than tab, line feed and
carriage return, nor U+FFFE, U+FFFF or a lone surrogate; lxml refuses such text with a ValueError,
so one pasted vertical tab in the minutes would make the whole download fail. The writers add text
only through the functions below, which drop those characters.

Fonts are named, not embedded: Word and WPS draw them from the reader's machine. The names are the
faces every Chinese Windows has and WPS maps (仿宋 FangSong, 宋体 SimSun, 黑体 SimHei), so the file
looks the same on any office desk.
"""

import io
import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

# Body in 仿宋, titles in 宋体, headings in 黑体, after the official-document standard (GB/T 9704).
BODY_FONT = "FangSong"
TITLE_FONT = "SimSun"
HEADING_FONT = "SimHei"
RED = RGBColor(0xC0, 0x39, 0x2B)
CENTER = WD_ALIGN_PARAGRAPH.CENTER
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT

XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text) -> str:
    """``text`` as a string without the characters XML 1.0 cannot hold."""
    return XML_ILLEGAL_RE.sub("", str(text))


def a4_document(*, margins_mm: dict[str, float] | None = None, font=None, size=None):
    """An empty A4 document; ``margins_mm`` by side (top, right, bottom, left); ``font`` and ``size`` of its text."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side, value in (margins_mm or {}).items():
        setattr(section, f"{side}_margin", Mm(value))
    normal = document.styles["Normal"]
    if font:
        normal.font.name = font
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), font)
    if size:
        normal.font.size = Pt(size)
    return document


def document_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_run(paragraph, text, *, font: str | None = None, size: float | None = None, bold=False, color=None):
    """A run of ``text`` at the end of ``paragraph``; ``font`` applies to Chinese characters too."""
    run = paragraph.add_run(xml_text(text))
    if font:
        run.font.name = font
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if size:
        run.font.size = Pt(size)
    if bold:
        run.bold = True
    if color is not None:
        run.font.color.rgb = color
    return run


def add_paragraph(container, text="", *, style=None, alignment=None, **run_options):
    """A paragraph at the end of ``container`` (the document, a table cell, a header) holding ``text``."""
    paragraph = container.add_paragraph(style=style)
    if alignment is not None:
        paragraph.alignment = alignment
    if text:
        add_run(paragraph, text, **run_options)
    return paragraph


def add_heading(document, text, *, level: int = 1):
    return add_paragraph(document, text, style="Title" if level == 0 else f"Heading {level}")


def set_title(document, text) -> None:
    """The title in the file's properties, which Word shows in the title bar."""
    document.core_properties.title = xml_text(text)


# Children of <w:pPr> that the schema puts after <w:pBdr>; Word refuses a file with them out of order.
AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def bottom_rule(paragraph, color: str = "C0392B") -> None:
    """A line under the paragraph (red by default): the rule under a red head."""
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": "18", "w:space": "4", "w:color": color}.items():
        bottom.set(qn(key), value)
    borders.append(bottom)
    properties.insert_element_before(borders, *AFTER_PBDR)
