"""Word (.docx) files: the A4 page, the font names, and every text a document writes (through ``xml_text``).

A .docx is XML 1.0, which cannot hold the C0 control characters other than tab, line feed and
carriage return, nor U+FFFE, U+FFFF or a lone surrogate; lxml refuses such text with a ValueError,
so one pasted vertical tab in the minutes would make the whole download fail. The writers add text
only through the functions below, which drop those characters.

Fonts are named, not embedded: Word and WPS draw them from the reader's machine. The names are the
faces every Chinese Windows has and WPS maps (仿宋 FangSong, 宋体 SimSun, 黑体 SimHei, 楷体 KaiTi), so the
file looks the same on any office desk. The title asks for 方正小标宋简体, which the font table of the
file lets fall back to 宋体 where it is not installed.

Every document starts from ``a4_document``, which replaces python-docx's template look (blue Calibri
"Title" and "Heading" styles, theme fonts) with one official style after GB/T 9704: black text, a
centred title in 小标宋 二号, headings in 黑体 / 楷体 / bold 仿宋, the body in 仿宋 三号 on a 28-point
line, and headings kept with the paragraph after them (no heading alone at a page's foot). A writer
uses the styles (``add_heading``, ``add_paragraph``) and sets a font or size on a run only where a
document departs from them (a red head, a table).
"""

import io
import re

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

# Body in 仿宋, the title in 小标宋 (宋体 where it is missing), headings in 黑体 and 楷体, after the
# official-document standard (GB/T 9704).
BODY_FONT = "FangSong"
TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK_FONT = "SimSun"
HEADING_FONT = "SimHei"
SUBHEADING_FONT = "KaiTi"
LATIN_FONT = "Times New Roman"
# Sizes by their Chinese names: 二号 22, 三号 16, 四号 14, 小四 12, 五号 10.5 points.
TITLE_SIZE = 22
BODY_SIZE = 16
TABLE_SIZE = 12
# The line of the body: 16-point text on a 28-point line gives the standard's 22 lines a page.
LINE_RATIO = 1.75
# GB/T 9704 margins: the text block is 156 × 225 mm.
OFFICIAL_MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
BLACK = RGBColor(0, 0, 0)
RED = RGBColor(0xC0, 0x39, 0x2B)
CENTER = WD_ALIGN_PARAGRAPH.CENTER
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
# The paragraph style of the body text: indented by two characters.
BODY_TEXT = "Body Text"
# The paragraph style of table cells: 小四 on a single line, no indent.
TABLE_TEXT = "Table Text"

XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text) -> str:
    """``text`` as a string without the characters XML 1.0 cannot hold."""
    return XML_ILLEGAL_RE.sub("", str(text))


def a4_document(*, margins_mm: dict[str, float] | None = None, font=None, size=None):
    """An empty A4 document in the official style; ``margins_mm`` by side (top, right, bottom, left),
    the standard's when not given; ``font`` and ``size`` of the body (仿宋 三号 when not given)."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side, value in {**OFFICIAL_MARGINS_MM, **(margins_mm or {})}.items():
        setattr(section, f"{side}_margin", Mm(value))
    official_styles(document, font=font or BODY_FONT, size=size or BODY_SIZE)
    return document


THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _set_fonts(r_pr, font: str) -> None:
    """``font`` for Chinese text and Times New Roman for Latin text, with no theme font taking over."""
    fonts = r_pr.get_or_add_rFonts()
    for attribute in THEME_FONT_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for attribute, value in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:eastAsia", font)):
        fonts.set(qn(attribute), value)


def _style(document, name: str, *, font: str, size: float, bold=False, alignment=None, line: float | None = None):
    style = document.styles[name]
    r_pr = style.element.get_or_add_rPr()
    for child in list(r_pr):  # the template's letter spacing, kerning, complex-script size…
        r_pr.remove(child)
    _set_fonts(r_pr, font)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = BLACK
    paragraph = style.paragraph_format
    paragraph.alignment = alignment
    paragraph.first_line_indent = None
    paragraph.space_before = paragraph.space_after = Pt(0)
    paragraph.line_spacing = Pt(line) if line else 1.0
    return style


def official_styles(document, *, font: str = BODY_FONT, size: float = BODY_SIZE) -> None:
    """Replace the template's look by the official one (see the module's docstring)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    default_run = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(default_run, font)
    default_run.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    default_spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    for attribute, value in (("w:after", "0"), ("w:line", "240"), ("w:lineRule", "auto")):
        default_spacing.set(qn(attribute), value)
    # Every style of the template loses its colour (Word's blue headings, their linked character
    # styles), its theme fonts and its coloured rules (the line under "Title").
    for element in styles.iterchildren(qn("w:style")):
        for colour in list(element.iter(qn("w:color"))):
            colour.getparent().remove(colour)
        for fonts in element.iter(qn("w:rFonts")):
            for attribute in THEME_FONT_ATTRIBUTES:
                fonts.attrib.pop(qn(attribute), None)
        for rule in list(element.iter(qn("w:pBdr"))):
            rule.getparent().remove(rule)
    line = round(size * LINE_RATIO)
    _style(document, "Normal", font=font, size=size, line=line)
    title = _style(document, "Title", font=TITLE_FONT, size=TITLE_SIZE, alignment=CENTER, line=round(TITLE_SIZE * 1.6))
    title.paragraph_format.space_after = Pt(line / 2)
    title.paragraph_format.keep_with_next = True
    # 一、 in 黑体, （一） in 楷体, 1. in bold 仿宋; like the body, each indented by two characters.
    headings = ((HEADING_FONT, False), (SUBHEADING_FONT, False), (font, True))
    for level, (heading_font, bold) in enumerate(headings, start=1):
        heading = _style(document, f"Heading {level}", font=heading_font, size=size, bold=bold, line=line)
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.keep_together = True
        heading.paragraph_format.first_line_indent = Pt(size * 2)
    body = _style(document, BODY_TEXT, font=font, size=size, line=line)
    body.paragraph_format.first_line_indent = Pt(size * 2)
    if TABLE_TEXT not in [s.name for s in document.styles]:
        document.styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH).base_style = document.styles["Normal"]
    _style(document, TABLE_TEXT, font=font, size=TABLE_SIZE)
    _declare_fonts(document)


# The font table tells Word what each named face is and what to use without it (w:altName).
FONT_TABLE_ENTRIES = {
    TITLE_FONT: (TITLE_FALLBACK_FONT, "roman"),
    TITLE_FALLBACK_FONT: ("宋体", "roman"),
    BODY_FONT: ("仿宋", "modern"),
    HEADING_FONT: ("黑体", "modern"),
    SUBHEADING_FONT: ("楷体", "modern"),
}


def _declare_fonts(document) -> None:
    part = next(rel.target_part for rel in document.part.rels.values() if rel.reltype == RT.FONT_TABLE)
    table = etree.fromstring(part.blob)
    known = {element.get(qn("w:name")) for element in table.iterchildren(qn("w:font"))}
    for name, (alternative, family) in FONT_TABLE_ENTRIES.items():
        if name in known:
            continue
        entry = etree.SubElement(table, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(entry, qn("w:altName"), {qn("w:val"): alternative})
        etree.SubElement(entry, qn("w:charset"), {qn("w:val"): "86"})  # GB2312
        etree.SubElement(entry, qn("w:family"), {qn("w:val"): family})
        etree.SubElement(entry, qn("w:pitch"), {qn("w:val"): "variable"})
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


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
    """The title (``level`` 0) or a heading of the official style."""
    return add_paragraph(document, text, style="Title" if level == 0 else f"Heading {level}")


def add_red_head(document, text, *, size: float = 26):
    """A red head (红头): the issuer's name in red 小标宋 over a red rule; returns the paragraph."""
    head = add_paragraph(document, text, alignment=CENTER, font=TITLE_FONT, size=size, color=RED)
    bottom_rule(head)
    return head


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


RULE_RED = "C0392B"
RULE_GREY = "808080"


def bottom_rule(paragraph, color: str = RULE_RED, size: int = 18, space_after: float = BODY_SIZE) -> None:
    """A line under the paragraph (red by default: the rule under a red head), ``space_after`` points
    above what follows (a line of the body under a red head); ``size`` in eighths of a point."""
    paragraph.paragraph_format.space_after = Pt(space_after)
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": str(size), "w:space": "4", "w:color": color}.items():
        bottom.set(qn(key), value)
    borders.append(bottom)
    properties.insert_element_before(borders, *AFTER_PBDR)
