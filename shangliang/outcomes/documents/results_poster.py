"""The results poster (协商结果公开): an A4 notice for the public board, with a QR code to the public page.

The poster is one sheet wherever it can be: it is laid out in the largest of a few type sizes that
keeps everything on one A4 page (``LAYOUTS``, tried in order). Only when even the smallest does not
hold it (many or very long suggestions, a long summary) does it continue on further sheets, in the
smallest layout still comfortable to read on a board (``CONTINUED``); each further sheet repeats a
header naming the notice and the topic, the table repeats its column heads, and every sheet carries
its number ("— 2 —"), so a sheet found alone on the board still says what it belongs to.
The choice depends only on the content, so the same consultation always prints the same way.
"""

from dataclasses import dataclass, replace

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from shangliang.consultations.models import Consultation
from shangliang.core.documents import pdf
from shangliang.core.documents.formats import chinese_date, text_lines
from shangliang.core.documents.pdf import PLAIN, RED
from shangliang.core.documents.pdf import bold as _bold
from shangliang.core.documents.pdf import paragraph as _p
from shangliang.outcomes.public_results import PublicItem, dissent_line, public_items, publication_of


@dataclass(frozen=True)
class Layout:
    """Type sizes (points) and the QR code's size (mm) of one way to lay the poster out."""

    name: str
    title: float
    topic: float
    fact: float
    heading: float
    cell: float
    body: float
    qr: float
    padding: float  # of a table cell, top and bottom


LAYOUTS = (
    Layout("standard", title=32, topic=17, fact=12, heading=15, cell=11, body=13, qr=36, padding=3),
    Layout("compact", title=28, topic=15, fact=11, heading=13, cell=10, body=11, qr=32, padding=2),
    Layout("dense", title=24, topic=14, fact=10, heading=12, cell=9, body=10, qr=28, padding=1.5),
)
# Continued over several sheets: the compact type, which reads well on a board.
CONTINUED = replace(LAYOUTS[1], name="continued")
LEADING = 1.45  # line height over type size
# A notice for a board, not a letter: narrower margins than the other documents (printers take 5 mm).
MARGIN = 15 * mm
BOTTOM_MARGIN = 18 * mm  # room for the sheet number
TEXT_WIDTH = pdf.text_width(MARGIN)
PAGE = {"margin": MARGIN, "bottom_margin": BOTTOM_MARGIN}


@dataclass
class Poster:
    """What the poster prints: public facts only (no person, no phone number)."""

    title: str
    platform: str
    topic: str
    facts: str
    items: list[PublicItem]
    summary: list[str]
    public_url: str
    qr_caption: str
    issued_on: str
    # How many dissents were recorded and that each was answered (no names): ``public_results.dissent_line``.
    dissents: str = ""
    # The platform's supervision phone (监督电话), an office number published for residents' complaints.
    supervision_phone: str = ""


def _style(name: str, size: float, **options) -> ParagraphStyle:
    return ParagraphStyle(f"poster_{name}", parent=PLAIN, fontSize=size, leading=size * LEADING, **options)


def _item_state(item: PublicItem) -> str:
    lines = [item.status_label]
    if item.unit:
        lines.append(_("牵头单位：%(unit)s") % {"unit": item.unit})
    if item.is_done:
        if item.done_on:
            lines.append(_("办结时间：%(date)s") % {"date": chinese_date(item.done_on)})
        if item.result:
            lines.append(_("落实效果：%(text)s") % {"text": item.result})
    elif item.is_deferred:
        lines.append(_("暂缓原因：%(text)s") % {"text": item.deferral_reason})
    elif item.is_not_taken:
        lines.append(_("理由：%(text)s") % {"text": item.decision_reason})
    elif item.deadline:
        lines.append(_("办理时限：%(date)s") % {"date": chinese_date(item.deadline)})
    return "\n".join(lines)


def _story(poster: Poster, layout: Layout) -> list:
    title = _style("title", layout.title, textColor=RED, spaceAfter=2)
    fact = _style("fact", layout.fact)
    heading = _style("heading", layout.heading, spaceBefore=layout.heading * 0.6, spaceAfter=4)
    cell = _style("cell", layout.cell)
    cell_head = _style("cell_head", layout.cell, alignment=TA_CENTER)
    body = _style("body", layout.body, firstLineIndent=layout.body * 2)
    right = _style("right", layout.body, alignment=2)
    qr_width = max((layout.qr + 6) * mm, pdf.string_width(poster.qr_caption, pdf.CAPTION.fontSize) + 14)
    top = Table(
        [
            [
                [
                    _bold(poster.title, title),
                    _p(poster.platform, fact),
                    Spacer(1, 2 * mm),
                    _bold(_("议题：%(topic)s") % {"topic": poster.topic}, _style("topic", layout.topic)),
                    _p(poster.facts, fact),
                ],
                pdf.qr_with_caption(poster.public_url, poster.qr_caption, size=layout.qr * mm),
            ]
        ],
        colWidths=[TEXT_WIDTH - qr_width, qr_width],
    )
    top.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
            ]
        )
    )
    story = [top, pdf.red_rule(), _bold(_("协商意见落实情况"), heading)]
    rows = [[_bold(_("序号"), cell_head), _bold(_("协商建议"), cell_head), _bold(_("办理情况"), cell_head)]]
    for item in poster.items:
        rows.append([_p(str(item.number), cell_head), _p(item.text, cell), _p(_item_state(item), cell)])
    if not poster.items:
        rows.append(["", _p(_("暂无"), cell), ""])
    number_width = max(12 * mm, layout.cell * 3.5)
    text_width = (TEXT_WIDTH - number_width) * 0.52
    table = Table(
        rows, colWidths=[number_width, text_width, TEXT_WIDTH - number_width - text_width], repeatRows=1, splitInRow=1
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f5e6e6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), layout.padding),
                ("BOTTOMPADDING", (0, 0), (-1, -1), layout.padding + 1),
            ]
        )
    )
    story.append(table)
    if poster.dissents:
        story += [Spacer(1, layout.body * 0.5), _p(poster.dissents, cell)]
    if poster.summary:
        story += pdf.heading_with_room(_bold(_("结果说明"), heading), after=body.leading * 3)
        story += [_p(line, body) for line in poster.summary]
    story += [
        Spacer(1, layout.body * 0.8),
        KeepTogether([_p(poster.platform, right), _p(poster.issued_on, right)]),
        _p(
            _("欢迎群众监督。对落实情况有意见建议，请扫码查看并联系本平台。"),
            _style("caption", 10, alignment=TA_CENTER),
        ),
    ]
    if poster.supervision_phone:
        story.append(
            _bold(
                _("监督电话：%(phone)s") % {"phone": poster.supervision_phone},
                _style("supervision", 12, alignment=TA_CENTER),
            )
        )
    return story


def _continued_header(poster: Poster):
    """On every sheet after the first: what the sheet belongs to, over a red rule, and its number."""
    label = _("%(title)s（续）　议题：%(topic)s") % {"title": poster.title, "topic": poster.topic}

    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(pdf.font(), 11)
        canvas.setFillColor(RED)
        y = A4[1] - MARGIN + 6 * mm
        width = A4[0] - 2 * MARGIN
        text = label
        while pdf.string_width(text, 11) > width and len(text) > 2:
            text = text[:-2] + "…"
        canvas.drawString(MARGIN, y, text)
        canvas.setStrokeColor(RED)
        canvas.setLineWidth(1)
        canvas.line(MARGIN, y - 2.5 * mm, A4[0] - MARGIN, y - 2.5 * mm)
        canvas.restoreState()
        _sheet_number(canvas, doc)

    return draw


def _sheet_number(canvas, doc) -> None:
    canvas.saveState()
    pdf.page_number(canvas, doc)
    canvas.restoreState()


@dataclass
class PosterPdf:
    content: bytes
    pages: int
    layout: Layout


def poster_pdf(poster: Poster) -> PosterPdf:
    """The poster's PDF: one sheet in the largest layout that fits, else continued on further sheets."""
    title = f"{poster.title} · {poster.topic}"
    for layout in LAYOUTS:
        content, pages = pdf.build_pdf_pages(_story(poster, layout), title=title, **PAGE)
        if pages == 1:
            return PosterPdf(content, pages, layout)
    content, pages = pdf.build_pdf_pages(
        _story(poster, CONTINUED),
        title=title,
        on_page=_sheet_number,
        on_later_pages=_continued_header(poster),
        **PAGE,
    )
    return PosterPdf(content, pages, CONTINUED)


def poster_of(consultation: Consultation, public_url: str) -> Poster:
    """What the poster of ``consultation`` (from ``selectors.board_consultations``) prints."""
    publication = publication_of(consultation)
    issued = publication.published_at if publication else timezone.now()
    return Poster(
        title=_("协商结果公开"),
        platform=consultation.platform.name,
        topic=consultation.topic.title,
        facts=_("协商时间：%(date)s　协商形式：%(form)s")
        % {"date": chinese_date(consultation.starts_at), "form": consultation.session_format.name},
        items=public_items(consultation),
        summary=text_lines(publication.summary) if publication is not None else [],
        public_url=public_url,
        qr_caption=_("扫码查看结果并评议") if publication else _("扫码查看详情"),
        issued_on=chinese_date(issued),
        dissents=dissent_line(consultation),
        supervision_phone=consultation.platform.supervision_phone,
    )


def results_poster_pdf(consultation: Consultation, public_url: str) -> bytes:
    """An A4 notice (协商结果公开) for the public board; ``consultation`` from ``selectors.board_consultations``.

    It prints what residents may see and nothing else: the topic, the suggestions with their
    status, the public body in charge and the results, the published summary, and a QR code to
    the public page. No participant, responsible person, supervisor or personal phone number
    (the platform's supervision phone is an office number, printed for residents' complaints).
    """
    return poster_pdf(poster_of(consultation, public_url)).content
