"""PDF typography: the embedded Chinese font, paragraph styles with CJK line breaking, the A4 page.

Every PDF embeds a subset of AR PL UMing CN, a TrueType Song (Ming) face from Debian's
``fonts-arphic-uming`` (``make fonts`` installs it): a printer or reader without Chinese fonts still
shows the text, and the text stays searchable and extractable. ReportLab can embed TrueType outlines
only (not the CFF outlines of Noto CJK). Without the font file a PDF is refused with ``FontMissing``,
never written with a font the reader may not have; the start-up check ``pdf_font_installed`` says
so before the first download.

Every helper that makes a paragraph registers the font first, so a document only has to build its
story through them.
"""

import functools
import io
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.exceptions import ImproperlyConfigured
from reportlab.lib import colors, textsplit
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import CondPageBreak, HRFlowable, Image, Paragraph, SimpleDocTemplate
from reportlab.platypus import paragraph as platypus_paragraph

from shangliang.core.qr import qr_bytes

FONT = "ARPLUMingCN"
FONT_PATH = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
FONT_INDEX = 0  # the collection's first face, AR PL UMing CN: simplified-Chinese glyph forms
FONT_PACKAGE = "fonts-arphic-uming"

# ReportLab keeps only ASCII and Japanese marks off the start of a wrapped line; without the Chinese
# full-width ones a line can begin with "，" or "：". Marks in this list hang in the margin instead (避头标点).
CHINESE_CANNOT_START = "，。、；：？！）》」』】”’…"
textsplit.ALL_CANNOT_START += "".join(c for c in CHINESE_CANNOT_START if c not in textsplit.ALL_CANNOT_START)
platypus_paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START

MARGIN = 25 * mm
BOTTOM_MARGIN = 20 * mm
TEXT_WIDTH = A4[0] - 2 * MARGIN - 12  # the frame pads 6 points on each side


def text_width(margin: float = MARGIN) -> float:
    """The width a flowable may take between side margins of ``margin``."""
    return A4[0] - 2 * margin - 12


RED = colors.HexColor("#c0392b")

BODY = ParagraphStyle("body", fontName=FONT, fontSize=13, leading=22, wordWrap="CJK", firstLineIndent=26)
PLAIN = ParagraphStyle("plain", parent=BODY, firstLineIndent=0)
INDENTED = ParagraphStyle("indented", parent=PLAIN, leftIndent=26)
LISTED = ParagraphStyle("listed", parent=PLAIN, leftIndent=52)
TITLE = ParagraphStyle("title", parent=PLAIN, fontSize=20, leading=30, alignment=TA_CENTER, spaceAfter=14)
# A heading stays on the page of what follows it (no heading alone at the foot of a page).
HEADING = ParagraphStyle("heading", parent=PLAIN, fontSize=15, leading=24, spaceBefore=10, spaceAfter=2, keepWithNext=1)
SMALL = ParagraphStyle("small", parent=PLAIN, fontSize=11, leading=17)
RIGHT = ParagraphStyle("right", parent=PLAIN, alignment=TA_RIGHT)
CAPTION = ParagraphStyle("caption", parent=PLAIN, fontSize=10, leading=14, alignment=TA_CENTER)


class FontMissing(ImproperlyConfigured):
    """The font every PDF embeds is not installed."""


def font_problem() -> str | None:
    """Why PDFs cannot be written on this machine, or None when the font is there."""
    if FONT_PATH.is_file():
        return None
    return (
        f"The Chinese font that PDFs embed is missing: {FONT_PATH}. "
        f"Install the Debian package {FONT_PACKAGE} (`make fonts` does, as root)."
    )


@functools.cache
def font() -> str:
    """The name of the embedded font, registered with ReportLab on first use; ``FontMissing`` without it."""
    problem = font_problem()
    if problem:
        raise FontMissing(problem)
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH), subfontIndex=FONT_INDEX))
    # One face for all: titles are drawn bold by ``BoldParagraph``, and <b> in a paragraph maps here too.
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
    return FONT


def string_width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font(), size)


def paragraph(text: str, style: ParagraphStyle = PLAIN) -> Paragraph:
    """``text`` as a paragraph, taken literally (no markup); a line break stays a line break."""
    font()
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


class BoldParagraph(Paragraph):
    """A paragraph in a faux bold: the font has no bold face, so each glyph is also outlined.

    Text render mode 2 (fill, then stroke) is set for this paragraph only; the flowable's own
    saveState/restoreState around ``draw`` puts the mode back.
    """

    def draw(self):
        canvas = self.canv
        canvas.setStrokeColor(self.style.textColor)
        canvas.setLineWidth(self.style.fontSize / 32)
        canvas.addLiteral("2 Tr")
        super().draw()


def bold(text: str, style: ParagraphStyle) -> BoldParagraph:
    font()
    return BoldParagraph(escape(str(text)), style)


def fitted(text: str, style: ParagraphStyle, *, smallest: int = 16, is_bold: bool = False) -> Paragraph:
    """A title shrunk to fit one line where it can (down to ``smallest`` points, then it wraps).

    CJK wrapping does not know to keep "居（" and "村）" together, so a title that almost fits is
    better a little smaller than broken.
    """
    size = style.fontSize
    width = string_width(text, size)
    if width > TEXT_WIDTH:
        size = max(smallest, int(size * TEXT_WIDTH / width))
    shrunk = ParagraphStyle(f"{style.name}_fitted", parent=style, fontSize=size, leading=size * 1.5)
    return bold(text, shrunk) if is_bold else paragraph(text, shrunk)


def heading_with_room(heading: Paragraph, *, after: float) -> list:
    """``heading``, moved to the next page unless ``after`` points of what follows fit under it.

    Unlike ``keepWithNext`` (which moves the heading with the whole of the next flowable, and so
    leaves half a page empty before a long paragraph or table), what follows still splits.
    """
    style = heading.style
    return [CondPageBreak(style.spaceBefore + style.leading * 2 + style.spaceAfter + after), heading]


def red_rule() -> HRFlowable:
    """The red line under a red head (红头)."""
    return HRFlowable(width="100%", thickness=2, color=RED, spaceBefore=2, spaceAfter=14)


def qr_with_caption(url: str, caption: str, *, size: float = 32 * mm) -> list:
    """A QR code of ``url`` over its caption, for a table cell."""
    # A PNG, not vector paths, so the code can be pulled out of the file and decoded as an image.
    return [Image(io.BytesIO(qr_bytes(url, "png")), width=size, height=size), paragraph(caption, CAPTION)]


def page_number(canvas, doc) -> None:
    """ "— 2 —" centred under the text, as official documents number their pages; call inside saveState."""
    canvas.setFont(font(), 10)
    canvas.drawCentredString(A4[0] / 2, 12 * mm, f"— {doc.page} —")


def build_pdf(story, *, title: str, on_page=None) -> bytes:
    """The A4 PDF of ``story``; ``on_page(canvas, doc)`` draws on every page (number, watermark)."""
    return build_pdf_pages(story, title=title, on_page=on_page)[0]


def build_pdf_pages(
    story,
    *,
    title: str,
    on_page=None,
    on_later_pages=None,
    margin: float = MARGIN,
    bottom_margin: float = BOTTOM_MARGIN,
) -> tuple[bytes, int]:
    """The A4 PDF of ``story`` and its number of pages; ``on_later_pages`` draws on the second page
    on (``on_page`` when not given), ``on_page`` on the first; ``margin`` on the other three sides.

    A story is consumed by the build (tables are split into pieces): build a new one for each try.
    """
    font()
    on_later_pages = on_later_pages or on_page
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=bottom_margin,
        title=title,
    )
    pages = {}
    if on_page:
        pages["onFirstPage"] = on_page
    if on_later_pages:
        pages["onLaterPages"] = on_later_pages
    doc.build(story, **pages)
    return buffer.getvalue(), doc.page
