"""Documents of the outcomes stage.

- The report as sent up (Word and PDF), laid out as each kind is: a consultation report (协商报告)
  with a red head, a CPPCC proposal (政协提案) with its fields, a public-opinion bulletin
  (社情民意信息) with its issue number.
- The supervision sheet (督办落实情况表, Excel and CSV) in the official columns.
- The three lists (三张清单) of one consultation, one Excel sheet each.
- The results poster (协商结果公开) for the notice board, with a QR code to the public page.

PDFs reuse the consultation documents' CID font (STSong-Light), so Chinese stays searchable.
Every spreadsheet cell goes through ``safe_cell``: text written by residents or units must never
reach Excel as a formula.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from shangliang.consultations.documents import BODY, CAPTION, FONT, MARGIN, PLAIN, RED, RIGHT, TEXT_WIDTH
from shangliang.consultations.models import Consultation
from shangliang.core import word
from shangliang.core.qr import qr_bytes
from shangliang.orgs.permissions import roles_of
from shangliang.outcomes import selectors
from shangliang.outcomes.models import Assignment, OutcomeReport, Publication
from shangliang.outcomes.states import AssignmentStatus, ReportKind, ReportStatus

# --- spreadsheet cells ---------------------------------------------------------------------

# What Excel, LibreOffice and Google Sheets take as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value):
    """A value to write into a spreadsheet cell (Excel or CSV) that no spreadsheet runs as a formula.

    Numbers and dates pass through. Text loses the control characters an .xlsx cannot hold, and text
    starting like a formula gets a leading apostrophe: Excel shows it as text, and openpyxl stores it
    as a string, never as a formula.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, int | float | datetime.date):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRED = Alignment(wrap_text=True, horizontal="center", vertical="center")
HEADER_ROW = 3  # under the title and the line saying what the table covers


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    is_centred: bool = False


def _write_table(sheet, *, title: str, subtitle: str, columns: list[Column], rows: list[list]) -> int:
    """A titled, bordered, wrapped table that prints on A4 landscape, one page wide; returns its last row."""
    last = get_column_letter(len(columns))
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = safe_cell(title)
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = CENTRED
    sheet.row_dimensions[1].height = 32
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"] = safe_cell(subtitle)
    sheet["A2"].alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=safe_cell(column.header))
        cell.font, cell.border, cell.fill, cell.alignment = Font(bold=True), BOX, HEADER_FILL, CENTRED
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for offset, values in enumerate(rows, start=1):
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = sheet.cell(row=HEADER_ROW + offset, column=index, value=safe_cell(value))
            cell.border, cell.alignment = BOX, CENTRED if column.is_centred else WRAP
            if isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    setup = sheet.page_setup
    setup.orientation, setup.paperSize = "landscape", sheet.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    return HEADER_ROW + len(rows)


def _workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _date(value) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return _("%(year)d年%(month)d月%(day)d日") % {"year": value.year, "month": value.month, "day": value.day}


def _local_date(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(value).date() if value else None


def _units(assignment: Assignment) -> str:
    co = "、".join(unit.name for unit in assignment.co_units.all())
    if not co:
        return assignment.lead_unit.name
    return _("%(lead)s（牵头）；%(co)s（配合）") % {"lead": assignment.lead_unit.name, "co": co}


def _person(user) -> str:
    return (user.full_name or user.username) if user else ""


def _status_line(assignment: Assignment, today: datetime.date) -> str:
    label = assignment.get_status_display()
    if assignment.status == AssignmentStatus.DONE and assignment.done_at:
        return _("%(status)s（%(date)s）") % {"status": label, "date": _local_date(assignment.done_at).isoformat()}
    if selectors.is_overdue(assignment, today):
        days = selectors.days_overdue(assignment, today)
        return _("%(status)s（已逾期%(days)d天）") % {"status": label, "days": days}
    return label


# --- the supervision sheet (督办落实情况表) ----------------------------------------------------

SHEET_TITLE = gettext_lazy("督办落实情况表")
# The official form's columns, in its order (see DOMAIN.md, 转化落实).
SHEET_COLUMNS = [
    (gettext_lazy("序号"), 6, True),
    (gettext_lazy("协商时间"), 12, True),
    (gettext_lazy("协商议题"), 20, False),
    (gettext_lazy("协商建议"), 34, False),
    (gettext_lazy("交办单位"), 20, False),
    (gettext_lazy("政协责任委室"), 14, False),
    (gettext_lazy("督办负责人"), 11, True),
    (gettext_lazy("进展情况"), 34, False),
    (gettext_lazy("存在问题"), 24, False),
    (gettext_lazy("解决思路"), 24, False),
]
# The footer sits under the first column and under 进展情况, as on the paper form.
FOOTER_TIME_COLUMN = 8


@dataclass
class SupervisionSheet:
    subtitle: str
    department: str
    filled_on: datetime.date
    rows: list[list] = field(default_factory=list)

    @property
    def columns(self) -> list[Column]:
        return [Column(str(header), width, centred) for header, width, centred in SHEET_COLUMNS]

    @property
    def footer(self) -> list[str]:
        cells = [""] * len(SHEET_COLUMNS)
        cells[0] = _("填报部门：%(name)s") % {"name": self.department}
        cells[FOOTER_TIME_COLUMN - 1] = _("填报时间：%(date)s") % {"date": _date(self.filled_on)}
        return cells


def department_of(user) -> str:
    """The body the user fills the form in for: the unit, platform or region of their role (first found)."""
    grants = roles_of(user)
    for scope in ("unit", "platform", "region"):
        for grant in grants:
            if getattr(grant, f"{scope}_id"):
                return getattr(grant, scope).name
    return ""


def sheet_row(number: int, assignment: Assignment, today: datetime.date) -> list:
    """One line of the form; progress, problems and next steps come from the unit's latest update."""
    consultation = assignment.suggestion.consultation
    latest = selectors.latest_update(assignment)
    progress = [_status_line(assignment, today)]
    if latest is not None:
        progress.append(_("%(date)s：%(text)s") % {"date": latest.reported_on.isoformat(), "text": latest.progress})
    if assignment.status == AssignmentStatus.DONE and assignment.result:
        progress.append(_("落实效果：%(text)s") % {"text": assignment.result})
    if assignment.status == AssignmentStatus.DEFERRED and assignment.deferral_reason:
        progress.append(_("暂缓原因：%(text)s") % {"text": assignment.deferral_reason})
    return [
        number,
        _local_date(consultation.starts_at),
        consultation.topic.title,
        assignment.suggestion.text,
        _units(assignment),
        assignment.cppcc_committee.name if assignment.cppcc_committee else "",
        _person(assignment.supervisor),
        "\n".join(progress),
        latest.problems if latest else "",
        latest.next_steps if latest else "",
    ]


def supervision_sheet(assignments, *, subtitle: str, department: str, today: datetime.date) -> SupervisionSheet:
    """``assignments`` must come through ``selectors.with_related`` so the rows cost no queries."""
    rows = [sheet_row(n, a, today) for n, a in enumerate(assignments, start=1)]
    return SupervisionSheet(subtitle=subtitle, department=department, filled_on=today, rows=rows)


def sheet_xlsx(sheet: SupervisionSheet) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = str(SHEET_TITLE)
    last = _write_table(
        worksheet, title=str(SHEET_TITLE), subtitle=sheet.subtitle, columns=sheet.columns, rows=sheet.rows
    )
    footer_row = last + 2
    footer = sheet.footer
    time_column = FOOTER_TIME_COLUMN
    worksheet.merge_cells(start_row=footer_row, start_column=1, end_row=footer_row, end_column=time_column - 1)
    worksheet.merge_cells(
        start_row=footer_row, start_column=time_column, end_row=footer_row, end_column=len(SHEET_COLUMNS)
    )
    for column in (1, time_column):
        cell = worksheet.cell(row=footer_row, column=column, value=safe_cell(footer[column - 1]))
        cell.alignment = Alignment(horizontal="left", vertical="center")
    return _workbook_bytes(workbook)


def sheet_csv(sheet: SupervisionSheet) -> bytes:
    """The same table as CSV, UTF-8 with a byte-order mark so Excel opens the Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(column.header) for column in sheet.columns])
    for row in sheet.rows:
        writer.writerow([safe_cell(value) for value in row])
    writer.writerow([])
    writer.writerow([safe_cell(value) for value in sheet.footer])
    return buffer.getvalue().encode("utf-8-sig")


# --- the three lists (三张清单) --------------------------------------------------------------


def _three_lists_columns():
    return (
        [Column(_("序号"), 6, True), Column(_("建议内容"), 90)],
        [
            Column(_("序号"), 6, True),
            Column(_("建议"), 34),
            Column(_("牵头单位"), 18),
            Column(_("配合单位"), 18),
            Column(_("责任人"), 10, True),
            Column(_("办理时限"), 12, True),
            Column(_("政协责任委室"), 14),
            Column(_("督办负责人"), 11, True),
            Column(_("状态"), 12, True),
        ],
        [
            Column(_("序号"), 6, True),
            Column(_("建议"), 34),
            Column(_("办理情况"), 30),
            Column(_("落实效果"), 30),
            Column(_("佐证材料"), 16),
            Column(_("办结时间/暂缓原因"), 22),
        ],
    )


def _line_status(line: selectors.SuggestionLine, today: datetime.date) -> str:
    if line.assignment is not None:
        return _status_line(line.assignment, today)
    if line.returned:
        return _("已退回，待重新交办")
    return _("未交办")


def _handling(line: selectors.SuggestionLine, today: datetime.date) -> str:
    assignment = line.assignment
    if assignment is None:
        return _line_status(line, today)
    text = [_status_line(assignment, today)]
    latest = selectors.latest_update(assignment)
    if latest is not None:
        text.append(_("%(date)s：%(text)s") % {"date": latest.reported_on.isoformat(), "text": latest.progress})
    return "\n".join(text)


def _evidence(assignment: Assignment | None) -> str:
    if assignment is None:
        return ""
    if assignment.evidence:
        # Stored names are random (core.storage); the sheet says that a file is on record.
        return _("已上传")
    return _("无")


def _finished(assignment: Assignment | None):
    if assignment is None:
        return ""
    if assignment.status == AssignmentStatus.DONE:
        return _local_date(assignment.done_at) or ""
    if assignment.status == AssignmentStatus.DEFERRED:
        return _("暂缓：%(reason)s") % {"reason": assignment.deferral_reason}
    return ""


def three_lists_xlsx(consultation: Consultation, lines: list[selectors.SuggestionLine]) -> bytes:
    """The suggestion list, the responsibility list and the effect list of one consultation."""
    today = timezone.localdate()
    suggestion_columns, responsibility_columns, effect_columns = _three_lists_columns()
    subtitle = _("议题：%(topic)s　协商平台：%(platform)s　协商时间：%(date)s") % {
        "topic": consultation.topic.title,
        "platform": consultation.platform.name,
        "date": _date(consultation.starts_at),
    }
    suggestions, responsibilities, effects = [], [], []
    for number, line in enumerate(lines, start=1):
        text, assignment = line.suggestion.text, line.assignment
        suggestions.append([number, text])
        if assignment is None:
            responsibilities.append([number, text, "", "", "", "", "", "", _line_status(line, today)])
        else:
            responsibilities.append(
                [
                    number,
                    text,
                    assignment.lead_unit.name,
                    "、".join(unit.name for unit in assignment.co_units.all()),
                    assignment.responsible_person,
                    assignment.deadline,
                    assignment.cppcc_committee.name if assignment.cppcc_committee else "",
                    _person(assignment.supervisor),
                    _line_status(line, today),
                ]
            )
        effects.append(
            [
                number,
                text,
                _handling(line, today),
                assignment.result if assignment else "",
                _evidence(assignment),
                _finished(assignment),
            ]
        )
    workbook = Workbook()
    sheets = [
        (_("协商意见建议清单"), suggestion_columns, suggestions),
        (_("工作责任清单"), responsibility_columns, responsibilities),
        (_("落实效果清单"), effect_columns, effects),
    ]
    for index, (title, columns, rows) in enumerate(sheets):
        worksheet = workbook.active if index == 0 else workbook.create_sheet()
        worksheet.title = title
        _write_table(worksheet, title=title, subtitle=subtitle, columns=columns, rows=rows)
    return _workbook_bytes(workbook)


# --- PDF building blocks -------------------------------------------------------------------


class BoldParagraph(Paragraph):
    """A paragraph in a faux bold: STSong-Light has no bold face, so each glyph is also outlined.

    Text render mode 2 (fill, then stroke) is set for this paragraph only; the flowable's own
    saveState/restoreState around ``draw`` puts the mode back.
    """

    def draw(self):
        canvas = self.canv
        canvas.setStrokeColor(self.style.textColor)
        canvas.setLineWidth(self.style.fontSize / 32)
        canvas.addLiteral("2 Tr")
        super().draw()


MASTHEAD = ParagraphStyle(
    "masthead", parent=PLAIN, fontSize=28, leading=40, alignment=TA_CENTER, textColor=RED, spaceAfter=2
)
ISSUE = ParagraphStyle("issue", parent=PLAIN, fontSize=14, leading=22, alignment=TA_CENTER)
DOC_TITLE = ParagraphStyle("doc_title", parent=PLAIN, fontSize=20, leading=30, alignment=TA_CENTER, spaceAfter=12)
SECTION = ParagraphStyle("section", parent=BODY, spaceBefore=4)
LABEL = ParagraphStyle("label", parent=PLAIN, fontSize=13, leading=20)
CELL = ParagraphStyle("cell", parent=PLAIN, fontSize=11, leading=16)
CELL_HEAD = ParagraphStyle("cell_head", parent=CELL, alignment=TA_CENTER)
DRAFT_MARK = gettext_lazy("草稿（尚未报送）")
SECTION_RE = re.compile(r"^[一二三四五六七八九十]+、")


def _p(text: str, style: ParagraphStyle = PLAIN) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _bold(text: str, style: ParagraphStyle) -> BoldParagraph:
    return BoldParagraph(escape(text), style)


def _fitted(text: str, style: ParagraphStyle, smallest: int = 16) -> BoldParagraph:
    """A title shrunk to fit one line where it can."""
    size = style.fontSize
    width = pdfmetrics.stringWidth(text, FONT, size)
    if width > TEXT_WIDTH:
        size = max(smallest, int(size * TEXT_WIDTH / width))
    return _bold(text, ParagraphStyle(f"{style.name}_fitted", parent=style, fontSize=size, leading=size * 1.5))


def _pdf(story, *, title: str, on_page=None) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=20 * mm, title=title
    )
    doc.build(story, **({"onFirstPage": on_page, "onLaterPages": on_page} if on_page else {}))
    return buffer.getvalue()


def _red_rule():
    return HRFlowable(width="100%", thickness=2, color=RED, spaceBefore=2, spaceAfter=14)


# --- reports -------------------------------------------------------------------------------


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


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _report_date(report: OutcomeReport) -> str:
    return _date(report.sent_at or report.created_at)


def bulletin_number(report: OutcomeReport) -> int:
    """The issue number: bulletins of the same platform this year, in the order they were written."""
    created = timezone.localtime(report.created_at)
    return OutcomeReport.objects.filter(
        kind=ReportKind.OPINION_BULLETIN,
        consultation__platform_id=report.consultation.platform_id,
        created_at__year=created.year,
        created_at__lte=report.created_at,
    ).count()


def _salutation(recipient: str) -> str:
    recipient = recipient.strip().rstrip(":：")
    return f"{recipient}：" if recipient else ""


def _proposal_parts(report: OutcomeReport) -> tuple[list[str], list[str]]:
    """理由 and 办法 from the body: what comes before the suggestions heading, and the suggestions.

    A body rewritten without that heading is all 理由, and the 办法 are the consultation's suggestions.
    """
    lines = _lines(report.body)
    suggestions_heading = {_("二、协商意见建议"), "二、协商意见建议"}
    background_heading = {_("一、基本情况"), "一、基本情况"}
    for index, line in enumerate(lines):
        if line in suggestions_heading:
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
        letter.masthead = str(ReportKind.PROPOSAL.label)
        letter.fields = [
            (_("案由"), report.title),
            (_("提案人/单位"), "、".join(m.name for m in report.members.all()) or sender),
            (_("报送对象"), report.recipient),
        ]
        letter.sections = [(_("理由"), reasons), (_("办法"), measures)]
    elif report.kind == ReportKind.OPINION_BULLETIN:
        letter.masthead = str(ReportKind.OPINION_BULLETIN.label)
        year = timezone.localtime(report.created_at).year
        letter.issue = _("%(year)d年第%(number)d期") % {"year": year, "number": bulletin_number(report)}
        letter.issuer = sender
        letter.sections = [("", _lines(report.body))]
        letter.closing = [
            _("反映人：%(name)s") % {"name": sender},
            _("报送：%(recipient)s") % {"recipient": report.recipient},
        ]
    else:
        letter.salutation = _salutation(report.recipient)
        letter.sections = [("", _lines(report.body))]
    return letter


def _body_style(line: str) -> ParagraphStyle:
    return SECTION if SECTION_RE.match(line) else BODY


def report_pdf(report: OutcomeReport) -> bytes:
    letter = report_letter(report)
    story = [_fitted(letter.masthead, MASTHEAD, smallest=18)]
    if letter.issue:
        story.append(_p(letter.issue, ISSUE))
        issuer = Table(
            [[_p(letter.issuer, LABEL), _p(letter.date, ParagraphStyle("issued", parent=LABEL, alignment=TA_RIGHT))]],
            colWidths=[TEXT_WIDTH * 0.6, TEXT_WIDTH * 0.4],
        )
        issuer.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        story.append(issuer)
    story += [_red_rule(), _fitted(letter.title, DOC_TITLE)]
    if letter.salutation:
        story.append(_p(letter.salutation))
    if letter.fields:
        rows = [[_bold(label, LABEL), _p(value, LABEL)] for label, value in letter.fields]
        form = Table(rows, colWidths=[32 * mm, TEXT_WIDTH - 32 * mm])
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
            story.append(_bold(heading, ParagraphStyle("field_heading", parent=LABEL, spaceBefore=8)))
        story += [_p(line, _body_style(line)) for line in lines]
    story += [_p(line) for line in letter.closing]
    story += [Spacer(1, 12 * mm), KeepTogether([_p(letter.signature, RIGHT), _p(letter.date, RIGHT)])]

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 10)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"— {doc.page} —")
        if letter.is_draft:
            canvas.setFillColor(RED)
            canvas.drawRightString(A4[0] - MARGIN, A4[1] - 15 * mm, str(DRAFT_MARK))
        canvas.restoreState()

    return _pdf(story, title=letter.title, on_page=decorate)


# Word: body in 仿宋, titles in 宋体 bold, sizes after the official-document standard (GB/T 9704).
DOCX_BODY_FONT = "FangSong"
DOCX_TITLE_FONT = "SimSun"
DOCX_HEADING_FONT = "SimHei"
DOCX_RED = RGBColor(0xC0, 0x39, 0x2B)


def _docx_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = DOCX_BODY_FONT, Pt(16)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), DOCX_BODY_FONT)
    return doc


def _run(paragraph, text: str, *, font: str | None = None, size: float | None = None, bold=False, color=None):
    return word.add_run(paragraph, text, font=font, size=size, bold=bold, color=color)


def _centred(doc, text: str, **run_options):
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, **run_options)
    return paragraph


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


def _bottom_rule(paragraph, color: str = "C0392B") -> None:
    """A red line under the paragraph: the rule under a red head."""
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": "18", "w:space": "4", "w:color": color}.items():
        bottom.set(qn(key), value)
    borders.append(bottom)
    properties.insert_element_before(borders, *AFTER_PBDR)


def _body_paragraph(doc, line: str):
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(32)
    if SECTION_RE.match(line):
        _run(paragraph, line, font=DOCX_HEADING_FONT)
    else:
        _run(paragraph, line)
    return paragraph


def _right(doc, text: str):
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(paragraph, text)
    return paragraph


def report_docx(report: OutcomeReport) -> bytes:
    letter = report_letter(report)
    doc = _docx_document()
    if letter.is_draft:
        mark = doc.sections[0].header.paragraphs[0]
        mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(mark, str(DRAFT_MARK), bold=True, color=DOCX_RED, size=12)
    head = _centred(doc, letter.masthead, font=DOCX_TITLE_FONT, size=26, bold=True, color=DOCX_RED)
    if letter.issue:
        _centred(doc, letter.issue, size=16)
        head = doc.add_paragraph()
        head.paragraph_format.tab_stops.add_tab_stop(Mm(156), alignment=WD_TAB_ALIGNMENT.RIGHT)
        _run(head, f"{letter.issuer}\t{letter.date}", size=14)
    _bottom_rule(head)
    _centred(doc, letter.title, font=DOCX_TITLE_FONT, size=22, bold=True)
    if letter.salutation:
        word.add_paragraph(doc, letter.salutation)
    if letter.fields:
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in letter.fields:
            cells = table.add_row().cells
            cells[0].width, cells[1].width = Mm(32), Mm(124)
            _run(cells[0].paragraphs[0], label, font=DOCX_HEADING_FONT)
            _run(cells[1].paragraphs[0], value)
    for heading, lines in letter.sections:
        if heading:
            _run(doc.add_paragraph(), heading, font=DOCX_HEADING_FONT, bold=True)
        for line in lines:
            _body_paragraph(doc, line)
    for line in letter.closing:
        word.add_paragraph(doc, line)
    doc.add_paragraph()
    _right(doc, letter.signature)
    _right(doc, letter.date)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- public results (公开) -------------------------------------------------------------------

NOT_ASSIGNED = "not_assigned"


@dataclass
class PublicItem:
    """One suggestion as residents see it: no person, no phone number, only the public body in charge."""

    number: int
    text: str
    status: str
    status_label: str
    unit: str = ""
    deadline: datetime.date | None = None
    result: str = ""
    deferral_reason: str = ""
    done_on: datetime.date | None = None

    @property
    def is_done(self) -> bool:
        return self.status == AssignmentStatus.DONE

    @property
    def is_deferred(self) -> bool:
        return self.status == AssignmentStatus.DEFERRED


def public_items(consultation: Consultation) -> list[PublicItem]:
    """From ``selectors.public_consultations``' prefetch: costs no query."""
    items = []
    for number, suggestion in enumerate(consultation.suggestions.all(), start=1):
        live = [a for a in suggestion.assignments.all() if a.status != AssignmentStatus.RETURNED]
        if not live:
            items.append(PublicItem(number, suggestion.text, NOT_ASSIGNED, _("待交办")))
            continue
        assignment = live[0]
        items.append(
            PublicItem(
                number,
                suggestion.text,
                assignment.status,
                assignment.get_status_display(),
                unit=assignment.lead_unit.name,
                deadline=assignment.deadline,
                result=assignment.result if assignment.status == AssignmentStatus.DONE else "",
                deferral_reason=assignment.deferral_reason if assignment.status == AssignmentStatus.DEFERRED else "",
                done_on=_local_date(assignment.done_at),
            )
        )
    return items


# The order counts are shown in: finished first, as residents look for what got done.
COUNT_ORDER = [
    AssignmentStatus.DONE,
    AssignmentStatus.ACCEPTED,
    AssignmentStatus.ASSIGNED,
    AssignmentStatus.DEFERRED,
    NOT_ASSIGNED,
]


def status_counts(items: list[PublicItem]) -> list[tuple[str, str, int]]:
    """(status, label, count) for each status that occurs, in ``COUNT_ORDER``."""
    labels, counts = {}, {}
    for item in items:
        labels[item.status] = item.status_label
        counts[item.status] = counts.get(item.status, 0) + 1
    return [(status, labels[status], counts[status]) for status in COUNT_ORDER if status in counts]


def publication_of(consultation: Consultation) -> Publication | None:
    return consultation.publication if selectors.has_publication(consultation) else None


def _item_state(item: PublicItem) -> str:
    lines = [item.status_label]
    if item.unit:
        lines.append(_("牵头单位：%(unit)s") % {"unit": item.unit})
    if item.is_done:
        if item.done_on:
            lines.append(_("办结时间：%(date)s") % {"date": _date(item.done_on)})
        if item.result:
            lines.append(_("落实效果：%(text)s") % {"text": item.result})
    elif item.is_deferred:
        lines.append(_("暂缓原因：%(text)s") % {"text": item.deferral_reason})
    elif item.deadline:
        lines.append(_("办理时限：%(date)s") % {"date": _date(item.deadline)})
    return "\n".join(lines)


POSTER_TITLE = ParagraphStyle("poster_title", parent=MASTHEAD, fontSize=32, leading=44, alignment=TA_LEFT)
POSTER_TOPIC = ParagraphStyle("poster_topic", parent=PLAIN, fontSize=17, leading=26)
POSTER_FACT = ParagraphStyle("poster_fact", parent=PLAIN, fontSize=12, leading=19)
POSTER_HEADING = ParagraphStyle("poster_heading", parent=PLAIN, fontSize=15, leading=24, spaceBefore=10, spaceAfter=4)


def results_poster_pdf(consultation: Consultation, public_url: str) -> bytes:
    """An A4 notice (协商结果公开) for the public board; ``consultation`` from ``selectors.public_consultations``.

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
            % {"date": _date(consultation.starts_at), "form": consultation.form.name},
            POSTER_FACT,
        ),
    ]
    caption = _("扫码查看结果并评议") if publication else _("扫码查看详情")
    qr = [Image(io.BytesIO(qr_bytes(public_url, "png")), width=36 * mm, height=36 * mm), _p(caption, CAPTION)]
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
    story = [top, _red_rule(), _bold(_("协商意见落实情况"), POSTER_HEADING)]
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
        story += [_p(line, BODY) for line in _lines(publication.summary)]
    issued = publication.published_at if publication else timezone.now()
    story += [Spacer(1, 8 * mm), KeepTogether([_p(consultation.platform.name, RIGHT), _p(_date(issued), RIGHT)])]
    story.append(_p(_("欢迎群众监督。对落实情况有意见建议，请扫码查看并联系本平台。"), CAPTION))
    return _pdf(story, title=f"{title} · {topic}")
