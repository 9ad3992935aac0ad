"""The report as sent up (报送), in Word and PDF, laid out as each kind is: a consultation report
(协商报告) with a red head, a CPPCC proposal (政协提案) with its fields, a public-opinion bulletin
(社情民意信息) with its issue number.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from shangliang.core.documents import pdf, word
from shangliang.core.documents.formats import chinese_date, text_lines
from shangliang.core.documents.pdf import BODY, MARGIN, PLAIN, RED, RIGHT, TEXT_WIDTH
from shangliang.core.documents.pdf import bold as _bold
from shangliang.core.documents.pdf import paragraph as _p
from shangliang.outcomes import numbering, report_sections
from shangliang.outcomes.models import OutcomeReport
from shangliang.outcomes.states import ReportKind, ReportStatus

MASTHEAD = ParagraphStyle(
    "masthead", parent=PLAIN, fontSize=28, leading=40, alignment=TA_CENTER, textColor=RED, spaceAfter=2
)
ISSUE = ParagraphStyle("issue", parent=PLAIN, fontSize=14, leading=22, alignment=TA_CENTER)
DOC_TITLE = ParagraphStyle("doc_title", parent=PLAIN, fontSize=20, leading=30, alignment=TA_CENTER, spaceAfter=12)
SECTION = ParagraphStyle("section", parent=BODY, spaceBefore=4, keepWithNext=1)  # a heading never ends a page
LABEL = ParagraphStyle("label", parent=PLAIN, fontSize=13, leading=20)
DRAFT_MARK = gettext_lazy("草稿（尚未报送）")
# A proposal or bulletin has its number from the CPPCC office only once sent (``outcomes/numbering.py``).
UNNUMBERED = gettext_lazy("报送后由政协办公室编号")
SECTION_RE = re.compile(r"^[一二三四五六七八九十]+、")


@dataclass
class Letter:
    """What both the Word and the PDF report print, in print order."""

    masthead: str
    title: str
    issue: str = ""  # 社情民意信息: "2026年第3期"
    issuer: str = ""  # 社情民意信息: the platform, printed under the issue line
    salutation: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)  # 提案: the short fields of the form
    sections: list[tuple[str, list[str]]] = field(default_factory=list)  # (heading or "", lines)
    closing: list[str] = field(default_factory=list)
    signature: str = ""
    date: str = ""
    is_draft: bool = False


def _report_date(report: OutcomeReport) -> str:
    return chinese_date(report.sent_at or report.created_at)


def _salutation(recipient: str) -> str:
    recipient = recipient.strip().rstrip(":：")
    return f"{recipient}：" if recipient else ""


def _proposal_parts(report: OutcomeReport) -> tuple[list[str], list[str]]:
    """理由 and 办法 from the body: what comes before the suggestions heading, and the suggestions.

    A body rewritten without that heading is all 理由, and the 办法 are the consultation's suggestions.
    """
    lines = text_lines(report.body)
    background_heading = {_("一、基本情况"), "一、基本情况"}
    for index, line in enumerate(lines):
        if SECTION_RE.match(line) and line.endswith(("协商意见建议", _("协商意见建议"))):
            rest = lines[index + 1 :]
            end = next((i for i, text in enumerate(rest) if SECTION_RE.match(text)), len(rest))
            reasons = [text for text in lines[:index] if text not in background_heading] + rest[end:]
            return reasons, rest[:end]
    suggestions = report.consultation.suggestions.all()
    return lines, [f"{number}. {s.text.strip()}" for number, s in enumerate(suggestions, start=1)]


def report_letter(report: OutcomeReport) -> Letter:
    consultation = report.consultation
    sender = consultation.platform.name
    letter = Letter(
        masthead=sender,
        title=report.title,
        signature=sender,
        date=_report_date(report),
        is_draft=report.status == ReportStatus.DRAFT,
    )
    if report.kind == ReportKind.PROPOSAL:
        reasons, measures = _proposal_parts(report)
        people = report_sections.signatories(report)  # the printed copy masks the mobile
        letter.masthead = str(ReportKind.PROPOSAL.label)
        letter.fields = [
            (_("提案编号"), numbering.serial_text(report) or str(UNNUMBERED)),
            (_("类别"), report.proposal_category),
            (_("案由"), report.title),
        ]
        if people.name:
            letter.fields += [
                (_("提案人"), people.name),
                (_("界别"), people.sector),
                (_("工作单位及职务"), people.workplace),
                (_("联系方式"), people.phone),
                (_("附议人"), people.seconders or _("无")),
            ]
        else:
            letter.fields.append((_("提案人/单位"), people.seconders or sender))
        letter.fields += [
            (_("建议承办单位"), report.suggested_handlers or report.recipient),
            (_("报送对象"), report.recipient),
        ]
        letter.sections = [(_("理由"), reasons), (_("办法"), measures)]
    elif report.kind == ReportKind.OPINION_BULLETIN:
        people = report_sections.signatories(report)
        letter.masthead = str(ReportKind.OPINION_BULLETIN.label)
        letter.issue = numbering.serial_text(report) or str(UNNUMBERED)
        letter.issuer = sender
        letter.sections = [("", text_lines(report.body))]
        reporter = sender
        if people.name:
            unit = "，".join(part for part in (people.sector, people.workplace) if part)
            reporter = f"{people.name}（{unit}）" if unit else people.name
        letter.closing = [_("反映人：%(name)s") % {"name": reporter}]
        if people.seconders:
            letter.closing.append(_("联名反映：%(names)s") % {"names": people.seconders})
        letter.closing.append(_("报送：%(recipient)s") % {"recipient": report.recipient})
    else:
        letter.salutation = _salutation(report.recipient)
        letter.sections = [("", text_lines(report.body))]
    return letter


def _body_style(line: str) -> ParagraphStyle:
    return SECTION if SECTION_RE.match(line) else BODY


# Body lines kept on the signature's page.
KEPT_WITH_SIGNATURE = 2


def report_pdf(report: OutcomeReport) -> bytes:
    letter = report_letter(report)
    story = [pdf.fitted(letter.masthead, MASTHEAD, smallest=18, is_bold=True)]
    if letter.issue:
        story.append(_p(letter.issue, ISSUE))
        issuer = Table(
            [[_p(letter.issuer, LABEL), _p(letter.date, ParagraphStyle("issued", parent=LABEL, alignment=TA_RIGHT))]],
            colWidths=[TEXT_WIDTH * 0.6, TEXT_WIDTH * 0.4],
        )
        issuer.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        story.append(issuer)
    story += [pdf.red_rule(), pdf.fitted(letter.title, DOC_TITLE, is_bold=True)]
    if letter.salutation:
        story.append(_p(letter.salutation))
    if letter.fields:
        rows = [[_bold(label, LABEL), _p(value, LABEL)] for label, value in letter.fields]
        form = Table(rows, colWidths=[38 * mm, TEXT_WIDTH - 38 * mm])
        form.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        story += [form, Spacer(1, 4 * mm)]
    for heading, lines in letter.sections:
        if heading:
            story.append(_bold(heading, ParagraphStyle("field_heading", parent=LABEL, spaceBefore=8, keepWithNext=1)))
        story += [_p(line, _body_style(line)) for line in lines]
    story += [_p(line) for line in letter.closing]
    # The signature never stands alone on a page (GB/T 9704: no 此页无正文): the last lines go over with it.
    kept = KEPT_WITH_SIGNATURE
    while kept < len(story) and getattr(getattr(story[-kept - 1], "style", None), "keepWithNext", 0):
        kept += 1  # and a heading just above them
    tail, story = story[-kept:], story[:-kept]
    story.append(KeepTogether([*tail, Spacer(1, 12 * mm), _p(letter.signature, RIGHT), _p(letter.date, RIGHT)]))

    def decorate(canvas, doc):
        canvas.saveState()
        pdf.page_number(canvas, doc)
        if letter.is_draft:
            canvas.setFillColor(RED)
            canvas.drawRightString(A4[0] - MARGIN, A4[1] - 15 * mm, str(DRAFT_MARK))
        canvas.restoreState()

    return pdf.build_pdf(story, title=letter.title, on_page=decorate)


def _docx_document():
    """A4 with the margins and the 16-point 仿宋 body of GB/T 9704."""
    return word.a4_document(margins_mm={"top": 37, "bottom": 35, "left": 28, "right": 26}, font=word.BODY_FONT, size=16)


def _body_paragraph(doc, line: str):
    paragraph = word.add_paragraph(doc, line, font=word.HEADING_FONT if SECTION_RE.match(line) else None)
    paragraph.paragraph_format.first_line_indent = Pt(32)
    return paragraph


def report_docx(report: OutcomeReport) -> bytes:
    letter = report_letter(report)
    doc = _docx_document()
    if letter.is_draft:
        mark = doc.sections[0].header.paragraphs[0]
        mark.alignment = word.RIGHT
        word.add_run(mark, str(DRAFT_MARK), bold=True, color=word.RED, size=12)
    head = word.add_paragraph(
        doc, letter.masthead, alignment=word.CENTER, font=word.TITLE_FONT, size=26, bold=True, color=word.RED
    )
    if letter.issue:
        word.add_paragraph(doc, letter.issue, alignment=word.CENTER, size=16)
        head = doc.add_paragraph()
        head.paragraph_format.tab_stops.add_tab_stop(Mm(156), alignment=WD_TAB_ALIGNMENT.RIGHT)
        word.add_run(head, f"{letter.issuer}\t{letter.date}", size=14)
    word.bottom_rule(head)
    word.add_paragraph(doc, letter.title, alignment=word.CENTER, font=word.TITLE_FONT, size=22, bold=True)
    if letter.salutation:
        word.add_paragraph(doc, letter.salutation)
    if letter.fields:
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in letter.fields:
            cells = table.add_row().cells
            cells[0].width, cells[1].width = Mm(40), Mm(116)
            word.add_run(cells[0].paragraphs[0], label, font=word.HEADING_FONT)
            word.add_run(cells[1].paragraphs[0], value)
    for heading, lines in letter.sections:
        if heading:
            word.add_paragraph(doc, heading, font=word.HEADING_FONT, bold=True)
        for line in lines:
            _body_paragraph(doc, line)
    for line in letter.closing:
        word.add_paragraph(doc, line)
    doc.add_paragraph()
    word.add_paragraph(doc, letter.signature, alignment=word.RIGHT)
    word.add_paragraph(doc, letter.date, alignment=word.RIGHT)
    return word.document_bytes(doc)
