"""Writing text into Word (.docx) files: every text a document writes goes through ``xml_text``.

A .docx is XML 1.0, which cannot hold the C0 control characters other than tab, line feed and
carriage return, nor U+FFFE, U+FFFF or a lone surrogate; lxml refuses such text with a ValueError,
so one pasted vertical tab in the minutes would make the whole download fail. The writers add text
only through the functions below, which drop those characters.
"""

import re

from docx.oxml.ns import qn
from docx.shared import Pt

XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text) -> str:
    """``text`` as a string without the characters XML 1.0 cannot hold."""
    return XML_ILLEGAL_RE.sub("", str(text))


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


def add_paragraph(container, text="", *, style=None, **run_options):
    """A paragraph at the end of ``container`` (the document, a table cell, a header) holding ``text``."""
    paragraph = container.add_paragraph(style=style)
    if text:
        add_run(paragraph, text, **run_options)
    return paragraph


def add_heading(document, text, *, level: int = 1):
    return add_paragraph(document, text, style="Title" if level == 0 else f"Heading {level}")


def set_title(document, text) -> None:
    """The title in the file's properties, which Word shows in the title bar."""
    document.core_properties.title = xml_text(text)
