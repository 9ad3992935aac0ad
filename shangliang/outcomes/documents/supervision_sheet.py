"""The supervision sheet (督办落实情况表) in the official columns, as Excel and as CSV."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment

from shangliang.core.documents import sheets
from shangliang.core.documents.formats import chinese_date, local_date
from shangliang.core.documents.sheets import CENTRED, WRAP, Column
from shangliang.orgs.permissions import roles_of
from shangliang.outcomes import selectors
from shangliang.outcomes.documents.assignment_text import person_name, status_line, units_text
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.states import AssignmentStatus

SHEET_TITLE = gettext_lazy("督办落实情况表")
# The official form's columns, in its order (see DOMAIN.md, 转化落实).
SHEET_COLUMNS = [
    (gettext_lazy("序号"), 6, CENTRED),
    (gettext_lazy("协商时间"), 12, CENTRED),
    (gettext_lazy("协商议题"), 20, WRAP),
    (gettext_lazy("协商建议"), 34, WRAP),
    (gettext_lazy("交办单位"), 20, WRAP),
    (gettext_lazy("政协责任委室"), 14, WRAP),
    (gettext_lazy("督办负责人"), 11, CENTRED),
    (gettext_lazy("进展情况"), 34, WRAP),
    (gettext_lazy("存在问题"), 24, WRAP),
    (gettext_lazy("解决思路"), 24, WRAP),
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
        return [Column(str(header), width, alignment) for header, width, alignment in SHEET_COLUMNS]

    @property
    def footer(self) -> list[str]:
        cells = [""] * len(SHEET_COLUMNS)
        cells[0] = _("填报部门：%(name)s") % {"name": self.department}
        cells[FOOTER_TIME_COLUMN - 1] = _("填报时间：%(date)s") % {"date": chinese_date(self.filled_on)}
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
    progress = [status_line(assignment, today)]
    if latest is not None:
        progress.append(_("%(date)s：%(text)s") % {"date": latest.reported_on.isoformat(), "text": latest.progress})
    if assignment.status == AssignmentStatus.DONE and assignment.result:
        progress.append(_("落实效果：%(text)s") % {"text": assignment.result})
    if assignment.status == AssignmentStatus.DEFERRED and assignment.deferral_reason:
        progress.append(_("暂缓原因：%(text)s") % {"text": assignment.deferral_reason})
    return [
        number,
        local_date(consultation.starts_at),
        consultation.topic.title,
        assignment.suggestion.text,
        units_text(assignment),
        assignment.cppcc_committee.name if assignment.cppcc_committee else "",
        person_name(assignment.supervisor),
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
    last = sheets.write_table(
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
        cell = worksheet.cell(row=footer_row, column=column, value=sheets.safe_cell(footer[column - 1]))
        cell.alignment = Alignment(horizontal="left", vertical="center")
    return sheets.workbook_bytes(workbook)


def sheet_csv(sheet: SupervisionSheet) -> bytes:
    """The same table as CSV, UTF-8 with a byte-order mark so Excel opens the Chinese correctly."""
    header = [column.header for column in sheet.columns]
    return sheets.csv_bytes([header, *sheet.rows, [], sheet.footer])
