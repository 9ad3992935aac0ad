"""The supervision sheet (督办落实情况表) in the official columns, as Excel and as CSV.

Every item of the consultations in view has a row: the items handed to units, with every progress
update the units filed (dated, oldest first), and the items no unit holds — waiting for the decision,
adopted and not yet assigned, not adopted, deferred or dropped by the assembly's vote — with their
state and reason. The Excel file adds a second sheet, 进展记录, with one row per progress update.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment

from shangliang.consultations import safeguards
from shangliang.consultations.models import Suggestion
from shangliang.core.documents import sheets
from shangliang.core.documents.formats import chinese_date, local_date
from shangliang.core.documents.sheets import CENTRED, WRAP, Column
from shangliang.orgs.permissions import roles_of
from shangliang.outcomes import decisions
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
HISTORY_TITLE = gettext_lazy("进展记录")
HISTORY_COLUMNS = [
    (gettext_lazy("序号"), 6, CENTRED),
    (gettext_lazy("协商议题"), 20, WRAP),
    (gettext_lazy("协商建议"), 30, WRAP),
    (gettext_lazy("填报日期"), 12, CENTRED),
    (gettext_lazy("填报单位"), 18, WRAP),
    (gettext_lazy("进展情况"), 34, WRAP),
    (gettext_lazy("存在问题"), 24, WRAP),
    (gettext_lazy("解决思路"), 24, WRAP),
]


@dataclass
class SupervisionSheet:
    subtitle: str
    department: str
    filled_on: datetime.date
    # "甲镇“有事好商量”协商议事室督办落实情况表": the hall the items come from (``hall_title``).
    title: str = field(default_factory=lambda: str(SHEET_TITLE))
    rows: list[list] = field(default_factory=list)
    # One row per progress update (the second sheet), in the order of ``rows``, oldest update first.
    history: list[list] = field(default_factory=list)

    @property
    def columns(self) -> list[Column]:
        return [Column(str(header), width, alignment) for header, width, alignment in SHEET_COLUMNS]

    @property
    def footer(self) -> list[str]:
        cells = [""] * len(SHEET_COLUMNS)
        cells[0] = _("填报部门：%(name)s") % {"name": self.department}
        cells[FOOTER_TIME_COLUMN - 1] = _("填报时间：%(date)s") % {"date": chinese_date(self.filled_on)}
        return cells


def hall_name(platform) -> str:
    """The hall as it is known: its name, with its brand (有事好商量, 有事来协商) when the name lacks it."""
    brand = (platform.brand or "").strip()
    if brand and brand not in platform.name:
        return f"“{brand}”{platform.name}"
    return platform.name


def hall_title(user, assignments, unassigned=()) -> str:
    """The form's title names the hall (XX协商议事厅协商议事活动督办落实情况, 002's annex): the one platform
    all rows come from, else the platform or region of the user's role, else the plain title."""
    platforms = {a.suggestion.consultation.platform_id: a.suggestion.consultation.platform for a in assignments}
    platforms.update({s.consultation.platform_id: s.consultation.platform for s in unassigned})
    if len(platforms) == 1:
        return _("%(hall)s督办落实情况表") % {"hall": hall_name(next(iter(platforms.values())))}
    for grant in roles_of(user):
        if grant.platform_id:
            return _("%(hall)s督办落实情况表") % {"hall": hall_name(grant.platform)}
    for grant in roles_of(user):
        if grant.region_id:
            return _("%(region)s协商议事平台督办落实情况表") % {"region": grant.region.name}
    return str(SHEET_TITLE)


def filling_department(user, assignments) -> str:
    """填报部门: the unit of the user's role (a CPPCC committee's staff fill in for their committee, a unit's
    liaison for the unit); else the CPPCC committee that follows the items (政协责任委室), when all the
    handed-out rows name one; else the body of the user's role (the station, the village)."""
    for grant in roles_of(user):
        if grant.unit_id:
            return grant.unit.name
    committees = {a.cppcc_committee.name for a in assignments if a.cppcc_committee_id}
    if len(committees) == 1:
        return committees.pop()
    return department_of(user)


def department_of(user) -> str:
    """The body the user fills the form in for: the unit, platform or region of their role (first found)."""
    grants = roles_of(user)
    for scope in ("unit", "platform", "region"):
        for grant in grants:
            if getattr(grant, f"{scope}_id"):
                return getattr(grant, scope).name
    return ""


def suggestion_cell(suggestion: Suggestion) -> str:
    """The suggestion's text, and under it what happened to it beyond the session (contested, voted, corrected)."""
    marks = safeguards.suggestion_marks_text(suggestion)
    return f"{suggestion.text}\n（{marks}）" if marks else suggestion.text


def updates_in_order(assignment: Assignment) -> list:
    """Every progress update of the item, oldest first (``with_related`` prefetched them newest first)."""
    return sorted(assignment.updates.all(), key=lambda update: (update.reported_on, update.pk))


def sheet_row(number: int, assignment: Assignment, today: datetime.date) -> list:
    """One line of the form: the status, then every update the units filed, dated and in order; problems
    and next steps come from the latest update."""
    consultation = assignment.suggestion.consultation
    updates = updates_in_order(assignment)
    latest = updates[-1] if updates else None
    progress = [status_line(assignment, today)]
    for update in updates:
        progress.append(
            _("%(date)s %(unit)s：%(text)s")
            % {"date": update.reported_on.isoformat(), "unit": update.unit.name, "text": update.progress}
        )
    if assignment.status == AssignmentStatus.DONE and assignment.result:
        progress.append(_("落实效果：%(text)s") % {"text": assignment.result})
    measures = getattr(assignment, "live_measures", [])  # prefetched by ``selectors.with_related``
    if measures:
        progress.append(
            _("落实成果：%(list)s")
            % {"list": "；".join(f"{m.text}（{m.implemented_on.isoformat()}）" for m in measures)}
        )
    if assignment.status == AssignmentStatus.DEFERRED and assignment.deferral_reason:
        progress.append(_("暂缓原因：%(text)s") % {"text": assignment.deferral_reason})
    return [
        number,
        local_date(consultation.starts_at),
        consultation.topic.title,
        suggestion_cell(assignment.suggestion),
        units_text(assignment),
        assignment.cppcc_committee.name if assignment.cppcc_committee else "",
        person_name(assignment.supervisor),
        "\n".join(progress),
        latest.problems if latest else "",
        latest.next_steps if latest else "",
    ]


def unassigned_row(number: int, suggestion: Suggestion) -> list:
    """A line for an item no unit holds: its state (待决定采纳, 已采纳待交办, 不予采纳 …) and reason."""
    consultation = suggestion.consultation
    state = decisions.item_state(suggestion, False)
    progress = str(decisions.STATE_LABELS[state])
    if state in decisions.NOT_TAKEN:
        progress += _("：%(reason)s") % {"reason": decisions.state_reason(suggestion)}
        text = suggestion.text  # the marks would only repeat the decision
    else:
        text = suggestion_cell(suggestion)
    return [number, local_date(consultation.starts_at), consultation.topic.title, text, "", "", "", progress, "", ""]


def _history_rows(number: int, assignment: Assignment) -> list[list]:
    consultation = assignment.suggestion.consultation
    return [
        [
            number,
            consultation.topic.title,
            assignment.suggestion.text,
            update.reported_on,
            update.unit.name,
            update.progress,
            update.problems,
            update.next_steps,
        ]
        for update in updates_in_order(assignment)
    ]


def _order_key(suggestion: Suggestion) -> tuple:
    return (suggestion.consultation.starts_at, suggestion.consultation_id, suggestion.order, suggestion.pk)


def supervision_sheet(
    assignments, *, subtitle: str, department: str, today: datetime.date, unassigned=(), title: str = ""
) -> SupervisionSheet:
    """``assignments`` must come through ``selectors.with_related`` and ``unassigned`` (suggestions no unit
    holds) through ``decisions.unassigned_suggestions`` so the rows cost no queries. Rows go in the order of
    the consultations and their items."""
    entries = [(_order_key(a.suggestion), 0, a) for a in assignments]
    entries += [(_order_key(s), 1, s) for s in unassigned]
    entries.sort(key=lambda entry: (entry[0], entry[1], entry[2].pk))
    sheet = SupervisionSheet(subtitle=subtitle, department=department, filled_on=today)
    if title:
        sheet.title = title
    for number, (_key, is_unassigned, record) in enumerate(entries, start=1):
        if is_unassigned:
            sheet.rows.append(unassigned_row(number, record))
        else:
            sheet.rows.append(sheet_row(number, record, today))
            sheet.history.extend(_history_rows(number, record))
    return sheet


def sheet_xlsx(sheet: SupervisionSheet) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = str(SHEET_TITLE)
    last = sheets.write_table(
        worksheet, title=sheet.title, subtitle=sheet.subtitle, columns=sheet.columns, rows=sheet.rows
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
    history = workbook.create_sheet(str(HISTORY_TITLE))
    sheets.write_table(
        history,
        title=str(HISTORY_TITLE),
        subtitle=_("每条交办事项的全部进展，按填报日期排列；序号与%(sheet)s一致") % {"sheet": SHEET_TITLE},
        columns=[Column(str(header), width, alignment) for header, width, alignment in HISTORY_COLUMNS],
        rows=sheet.history,
    )
    return sheets.workbook_bytes(workbook)


def sheet_csv(sheet: SupervisionSheet) -> bytes:
    """The same table as CSV, UTF-8 with a byte-order mark so Excel opens the Chinese correctly."""
    header = [column.header for column in sheet.columns]
    return sheets.csv_bytes([header, *sheet.rows, [], sheet.footer])
