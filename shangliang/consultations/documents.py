"""Printable documents of a consultation: the advance notice (PDF) and the minutes (PDF and Word).

PDFs use reportlab's built-in CID font STSong-Light: no font file ships with the project and the
Chinese text stays searchable and extractable.
"""

import datetime
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from reportlab.lib import colors, textsplit
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import HRFlowable, Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus import paragraph as platypus_paragraph

from shangliang.consultations.models import Consultation
from shangliang.core import word
from shangliang.core.links import absolute_url
from shangliang.core.qr import qr_bytes

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
# reportlab keeps only ASCII and Japanese marks off the start of a wrapped line; without the Chinese full-width
# ones a line can begin with "，" or "：". Marks in this list hang in the margin instead (避头标点).
textsplit.ALL_CANNOT_START += "，。、；：？！）》」』】”’…"
platypus_paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START

MARGIN = 25 * mm
TEXT_WIDTH = A4[0] - 2 * MARGIN - 12  # the frame pads 6 points on each side
RED = colors.HexColor("#c0392b")

BODY = ParagraphStyle("body", fontName=FONT, fontSize=13, leading=22, wordWrap="CJK", firstLineIndent=26)
PLAIN = ParagraphStyle("plain", parent=BODY, firstLineIndent=0)
INDENTED = ParagraphStyle("indented", parent=PLAIN, leftIndent=26)
LISTED = ParagraphStyle("listed", parent=PLAIN, leftIndent=52)
TITLE = ParagraphStyle("title", parent=PLAIN, fontSize=20, leading=30, alignment=TA_CENTER, spaceAfter=14)
HEADING = ParagraphStyle("heading", parent=PLAIN, fontSize=15, leading=24, spaceBefore=10, spaceAfter=2)
SMALL = ParagraphStyle("small", parent=PLAIN, fontSize=11, leading=17)
RIGHT = ParagraphStyle("right", parent=PLAIN, alignment=TA_RIGHT)
CAPTION = ParagraphStyle("caption", parent=PLAIN, fontSize=10, leading=14, alignment=TA_CENTER)

# Literal calls, so makemessages finds each name.
WEEKDAYS = [
    gettext_lazy("星期一"),
    gettext_lazy("星期二"),
    gettext_lazy("星期三"),
    gettext_lazy("星期四"),
    gettext_lazy("星期五"),
    gettext_lazy("星期六"),
    gettext_lazy("星期日"),
]


def public_url(request, consultation: Consultation) -> str:
    return absolute_url(reverse("consultations:public_page", args=[consultation.pk]), request)


def sign_in_url(request, consultation: Consultation) -> str:
    return absolute_url(reverse("consultations:sign_in", args=[consultation.pk, consultation.sign_in_token]), request)


def _date(value) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return _("%(year)d年%(month)d月%(day)d日") % {"year": value.year, "month": value.month, "day": value.day}


def _when(consultation: Consultation) -> str:
    start, end = timezone.localtime(consultation.starts_at), timezone.localtime(consultation.ends_at)
    until = f"{end:%H:%M}" if end.date() == start.date() else f"{_date(end)} {end:%H:%M}"
    return f"{_date(start)}（{WEEKDAYS[start.weekday()]}）{start:%H:%M}–{until}"


def _p(text: str, style: ParagraphStyle = PLAIN) -> Paragraph:
    return Paragraph(escape(text), style)


def _title(text: str) -> Paragraph:
    # Shrunk to fit one line where it can: the wrap does not know to keep "居（" and "村）" together.
    size = max(16, min(20, int(20 * TEXT_WIDTH / pdfmetrics.stringWidth(text, FONT, 20))))
    return _p(text, ParagraphStyle("fitted", parent=TITLE, fontSize=size, leading=size * 1.5))


def _pdf(story, *, title: str, on_page=None) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=20 * mm, title=title
    )
    doc.build(story, **({"onFirstPage": on_page, "onLaterPages": on_page} if on_page else {}))
    return buffer.getvalue()


def _qr_cell(url: str, caption: str) -> list:
    # A PNG, not vector paths, so the code can be pulled out of the file and decoded as an image.
    return [Image(io.BytesIO(qr_bytes(url, "png")), width=32 * mm, height=32 * mm), _p(caption, CAPTION)]


def notice_pdf(consultation: Consultation, request) -> bytes:
    """The advance notice (事先知情通报) as a village would post it, with QR codes to sign up and to join."""
    topic, form = consultation.topic, consultation.form.name
    start = timezone.localtime(consultation.starts_at)
    title = _("关于召开“%(title)s”%(form)s的通知") % {"title": topic.title, "form": form}
    story = [_title(title), _p(_("各位参会代表："))]
    story += [_p(line.strip(), BODY) for line in topic.background.splitlines() if line.strip()]
    story.append(
        _p(
            _("为充分听取各方意见、推动问题解决，经研究，定于%(date)s召开“%(title)s”%(form)s。现将有关事项通知如下：")
            % {"date": _date(start), "title": topic.title, "form": form},
            BODY,
        )
    )
    sections = [
        _("一、时间：%(when)s") % {"when": _when(consultation)},
        _("二、地点：%(place)s") % {"place": consultation.place or consultation.platform.name},
        _("三、协商形式：%(form)s") % {"form": form},
        _("四、协商方式：%(mode)s") % {"mode": consultation.get_mode_display()},
        _("五、召集人：%(name)s") % {"name": consultation.convener.display_name},
        _("六、议程："),
    ]
    story += [_p(text, BODY) for text in sections]
    agenda = [
        _("%(number)d. %(title)s（%(minutes)d分钟）") % {"number": n, "title": item.title, "minutes": item.minutes}
        for n, item in enumerate(consultation.agenda.all(), start=1)
    ]
    story += [_p(line, LISTED) for line in agenda or [_("会上确定")]]
    deadline = start.date() - datetime.timedelta(days=1)
    story.append(
        _p(
            _("请于%(deadline)s前回复是否参加，可通过通知短信或微信中的链接回复，也可直接告知召集人。")
            % {"deadline": _date(deadline)},
            BODY,
        )
    )
    url = public_url(request, consultation)
    if consultation.is_online:
        second = _qr_cell(f"{url}#online", _("扫码参加网上协商"))
    else:
        second = _qr_cell(sign_in_url(request, consultation), _("扫码签到"))
    issuer = [_p(consultation.platform.name, RIGHT), _p(_date(consultation.notified_at or timezone.now()), RIGHT)]
    footer = Table(
        [[_qr_cell(url, _("扫码报名参加")), second, issuer]], colWidths=[40 * mm, 40 * mm, TEXT_WIDTH - 80 * mm]
    )
    footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("ALIGN", (0, 0), (1, 0), "CENTER")]))
    story += [Spacer(1, 10 * mm), footer]
    return _pdf(story, title=title)


@dataclass
class _Minutes:
    """What both the PDF and the Word minutes print, in print order."""

    title: str
    header: list[str]
    lines: list[str]
    suggestions: list[str]
    dissents: list[tuple[str, str]]
    closing: str
    is_confirmed: bool


def _minutes(consultation: Consultation) -> _Minutes:
    start = timezone.localtime(consultation.starts_at)
    topic = consultation.topic.title
    # The same wording as services.minutes_draft, so the draft's own header lines can be recognised below.
    header = [
        _("时间：%(when)s") % {"when": start.strftime("%Y年%m月%d日 %H:%M")},
        _("地点：%(place)s") % {"place": consultation.place or consultation.platform.name},
        _("形式：%(form)s（%(mode)s）") % {"form": consultation.form.name, "mode": consultation.get_mode_display()},
        _("召集人：%(name)s") % {"name": consultation.convener.display_name},
    ]
    # The draft starts with the title and header; printed under the document's own header they would repeat.
    repeated = {*header, _("%(title)s 协商会议纪要") % {"title": topic}}
    lines = consultation.minutes.rstrip().splitlines()
    while lines and (not lines[0].strip() or lines[0].strip() in repeated):
        lines.pop(0)
    dissents = []
    for d in consultation.dissents.all():
        outcome = _("解释结果：%(outcome)s") % {"outcome": d.get_outcome_display()}
        if d.explanation:
            how = f"（{d.explanation_method}）" if d.explanation_method else ""
            outcome += _("；解释说明%(how)s：%(explanation)s") % {"how": how, "explanation": d.explanation}
        dissents.append((_("%(holder)s：%(view)s") % {"holder": d.holder, "view": d.view}, outcome))
    confirmed_at = consultation.minutes_confirmed_at
    return _Minutes(
        title=_("“%(title)s”协商会议纪要") % {"title": topic},
        header=header,
        lines=lines or [_("（纪要尚未填写）")],
        suggestions=[f"{s.order}. {s.text}" for s in consultation.suggestions.all()],
        dissents=dissents,
        closing=(_("纪要已由召集人于%(date)s确认") % {"date": _date(confirmed_at)})
        if confirmed_at
        else _("纪要尚未确认（草稿）"),
        is_confirmed=bool(confirmed_at),
    )


def minutes_pdf(consultation: Consultation) -> bytes:
    """The minutes with suggestions and dissents; every page of unconfirmed minutes carries a draft watermark."""
    m = _minutes(consultation)
    header = Table(
        [[_p(m.header[0], SMALL), _p(m.header[1], SMALL)], [_p(m.header[2], SMALL), _p(m.header[3], SMALL)]],
        colWidths=[TEXT_WIDTH / 2] * 2,
    )
    header.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [_title(m.title), header, HRFlowable(width="100%", color=colors.grey, spaceBefore=4, spaceAfter=8)]
    for line in m.lines:
        # The draft indents statements under their agenda item; keep that as an indent, not as spaces.
        story.append(_p(line.strip(), INDENTED if line[:1].isspace() else PLAIN) if line.strip() else Spacer(1, 6))
    story.append(_p(_("协商建议"), HEADING))
    story += [_p(text) for text in m.suggestions or [_("暂无")]]
    story.append(_p(_("不同意见"), HEADING))
    for view, outcome in m.dissents:
        story += [_p(view), _p(outcome, INDENTED)]
    if not m.dissents:
        story.append(_p(_("暂无")))
    closing = ParagraphStyle("closing", parent=RIGHT, textColor=colors.black if m.is_confirmed else RED)
    story += [Spacer(1, 10 * mm), _p(m.closing, closing)]

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 10)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"— {doc.page} —")
        if not m.is_confirmed:
            canvas.setFillColor(colors.Color(0.75, 0.2, 0.15, alpha=0.15))
            canvas.setFont(FONT, 40)
            canvas.translate(A4[0] / 2, A4[1] / 2)
            canvas.rotate(35)
            canvas.drawCentredString(0, 0, m.closing)
        canvas.restoreState()

    return _pdf(story, title=m.title, on_page=decorate)


def minutes_docx(consultation: Consultation) -> bytes:
    """The minutes as a Word file to edit and print; unconfirmed minutes say so in the page header."""
    m = _minutes(consultation)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "SimSun", Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    if not m.is_confirmed:
        label = section.header.paragraphs[0]
        label.alignment = WD_ALIGN_PARAGRAPH.CENTER
        word.add_run(label, m.closing, bold=True, color=RGBColor(0xC0, 0x39, 0x2B))
    word.add_heading(doc, m.title, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in m.header:
        word.add_paragraph(doc, line)
    for line in filter(str.strip, m.lines):
        paragraph = word.add_paragraph(doc, line.strip())
        if line[:1].isspace():
            paragraph.paragraph_format.left_indent = Pt(24)
    word.add_heading(doc, _("协商建议"), level=1)
    for text in m.suggestions or [_("暂无")]:
        word.add_paragraph(doc, text)
    word.add_heading(doc, _("不同意见"), level=1)
    for view, outcome in m.dissents:
        word.add_paragraph(doc, view)
        word.add_paragraph(doc, outcome).paragraph_format.left_indent = Pt(24)
    if not m.dissents:
        word.add_paragraph(doc, _("暂无"))
    closing = doc.add_paragraph()
    closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    word.add_run(closing, m.closing, color=None if m.is_confirmed else RGBColor(0xC0, 0x39, 0x2B))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
