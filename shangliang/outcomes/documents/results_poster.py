"""The results poster (协商结果公开): an A4 notice for the public board, with a QR code to the public page."""

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from shangliang.consultations.models import Consultation
from shangliang.core.documents import pdf
from shangliang.core.documents.formats import chinese_date, text_lines
from shangliang.core.documents.pdf import BODY, CAPTION, PLAIN, RED, RIGHT, TEXT_WIDTH
from shangliang.core.documents.pdf import bold as _bold
from shangliang.core.documents.pdf import paragraph as _p
from shangliang.outcomes.public_results import PublicItem, public_items, publication_of

CELL = ParagraphStyle("cell", parent=PLAIN, fontSize=11, leading=16)
CELL_HEAD = ParagraphStyle("cell_head", parent=CELL, alignment=TA_CENTER)


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
    elif item.deadline:
        lines.append(_("办理时限：%(date)s") % {"date": chinese_date(item.deadline)})
    return "\n".join(lines)


POSTER_TITLE = ParagraphStyle("poster_title", parent=PLAIN, fontSize=32, leading=44, textColor=RED, spaceAfter=2)
POSTER_TOPIC = ParagraphStyle("poster_topic", parent=PLAIN, fontSize=17, leading=26)
POSTER_FACT = ParagraphStyle("poster_fact", parent=PLAIN, fontSize=12, leading=19)
POSTER_HEADING = ParagraphStyle("poster_heading", parent=PLAIN, fontSize=15, leading=24, spaceBefore=10, spaceAfter=4)


def results_poster_pdf(consultation: Consultation, public_url: str) -> bytes:
    """An A4 notice (协商结果公开) for the public board; ``consultation`` from ``selectors.board_consultations``.

    It prints what residents may see and nothing else: the topic, the suggestions with their
    status, the public body in charge and the results, the published summary, and a QR code to
    the public page. No participant, responsible person, supervisor or phone number.
    """
    title = _("协商结果公开")
    topic = consultation.topic.title
    items = public_items(consultation)
    publication = publication_of(consultation)
    heading = [
        _bold(title, POSTER_TITLE),
        _p(consultation.platform.name, POSTER_FACT),
        Spacer(1, 3 * mm),
        _bold(_("议题：%(topic)s") % {"topic": topic}, POSTER_TOPIC),
        _p(
            _("协商时间：%(date)s　协商形式：%(form)s")
            % {"date": chinese_date(consultation.starts_at), "form": consultation.session_format.name},
            POSTER_FACT,
        ),
    ]
    caption = _("扫码查看结果并评议") if publication else _("扫码查看详情")
    qr = pdf.qr_with_caption(public_url, caption, size=36 * mm)
    top = Table([[heading, qr]], colWidths=[TEXT_WIDTH - 42 * mm, 42 * mm])
    top.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
            ]
        )
    )
    story = [top, pdf.red_rule(), _bold(_("协商意见落实情况"), POSTER_HEADING)]
    rows = [[_bold(_("序号"), CELL_HEAD), _bold(_("协商建议"), CELL_HEAD), _bold(_("办理情况"), CELL_HEAD)]]
    for item in items:
        rows.append([_p(str(item.number), CELL_HEAD), _p(item.text, CELL), _p(_item_state(item), CELL)])
    if not items:
        rows.append(["", _p(_("暂无"), CELL), ""])
    table = Table(rows, colWidths=[12 * mm, 78 * mm, TEXT_WIDTH - 90 * mm], repeatRows=1, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f5e6e6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    if publication is not None:
        story.append(_bold(_("结果说明"), POSTER_HEADING))
        story += [_p(line, BODY) for line in text_lines(publication.summary)]
    issued = publication.published_at if publication else timezone.now()
    story += [Spacer(1, 8 * mm), KeepTogether([_p(consultation.platform.name, RIGHT), _p(chinese_date(issued), RIGHT)])]
    story.append(_p(_("欢迎群众监督。对落实情况有意见建议，请扫码查看并联系本平台。"), CAPTION))
    return pdf.build_pdf(story, title=f"{title} · {topic}")
