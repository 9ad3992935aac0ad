"""The three lists (三张清单) of one consultation: suggestions, responsibilities and effects, one Excel sheet each."""

import datetime
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from shangliang.consultations import safeguards
from shangliang.consultations.models import Consultation
from shangliang.core.documents import sheets
from shangliang.core.documents.formats import chinese_date, local_date
from shangliang.core.documents.sheets import CENTRED, Column
from shangliang.outcomes import selectors
from shangliang.outcomes.documents.assignment_text import person_name, status_line
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.states import AssignmentStatus


def _three_lists_columns():
    return (
        [Column(_("序号"), 6, CENTRED), Column(_("建议内容"), 60), Column(_("争议、表决、纠正与采纳情况"), 40)],
        [
            Column(_("序号"), 6, CENTRED),
            Column(_("建议"), 34),
            Column(_("牵头单位"), 18),
            Column(_("配合单位"), 18),
            Column(_("责任人"), 10, CENTRED),
            Column(_("办理时限"), 12, CENTRED),
            Column(_("政协责任委室"), 14),
            Column(_("督办负责人"), 11, CENTRED),
            Column(_("状态"), 12, CENTRED),
        ],
        [
            Column(_("序号"), 6, CENTRED),
            Column(_("建议"), 34),
            Column(_("办理情况"), 30),
            Column(_("落实效果"), 30),
            Column(_("佐证材料"), 16),
            Column(_("办结时间/暂缓原因"), 22),
        ],
    )


def _line_status(line: selectors.SuggestionLine, today: datetime.date) -> str:
    if line.assignment is not None:
        return status_line(line.assignment, today)
    if line.returned:
        return _("已退回，待重新交办")
    return _("未交办")


def _handling(line: selectors.SuggestionLine, today: datetime.date) -> str:
    assignment = line.assignment
    if assignment is None:
        return _line_status(line, today)
    text = [status_line(assignment, today)]
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
        return local_date(assignment.done_at) or ""
    if assignment.status == AssignmentStatus.DEFERRED:
        return _("暂缓：%(reason)s") % {"reason": assignment.deferral_reason}
    return ""


def three_lists_xlsx(
    consultation: Consultation,
    lines: list[selectors.SuggestionLine],
    *,
    shows_person: Callable[[Assignment], bool] = lambda assignment: True,
) -> bytes:
    """The suggestion list, the responsibility list and the effect list of one consultation.

    ``shows_person``: whether the reader may see an item's responsible person (a unit's liaison sees
    other units' items by unit only, ``permissions.shows_responsible_person``)."""
    today = timezone.localdate()
    suggestion_columns, responsibility_columns, effect_columns = _three_lists_columns()
    subtitle = _("议题：%(topic)s　协商平台：%(platform)s　协商时间：%(date)s") % {
        "topic": consultation.topic.title,
        "platform": consultation.platform.name,
        "date": chinese_date(consultation.starts_at),
    }
    suggestions, responsibilities, effects = [], [], []
    for number, line in enumerate(lines, start=1):
        text, assignment = line.suggestion.text, line.assignment
        # Contested, voted (with the original text when changed), corrected, not adopted (``safeguards``).
        suggestions.append([number, text, safeguards.suggestion_marks_text(line.suggestion)])
        if assignment is None:
            responsibilities.append([number, text, "", "", "", "", "", "", _line_status(line, today)])
        else:
            responsibilities.append(
                [
                    number,
                    text,
                    assignment.lead_unit.name,
                    "、".join(unit.name for unit in assignment.co_units.all()),
                    assignment.responsible_person if shows_person(assignment) else "",
                    assignment.deadline,
                    assignment.cppcc_committee.name if assignment.cppcc_committee else "",
                    person_name(assignment.supervisor),
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
    lists = [
        (_("协商意见建议清单"), suggestion_columns, suggestions),
        (_("工作责任清单"), responsibility_columns, responsibilities),
        (_("落实效果清单"), effect_columns, effects),
    ]
    for index, (title, columns, rows) in enumerate(lists):
        worksheet = workbook.active if index == 0 else workbook.create_sheet()
        worksheet.title = title
        sheets.write_table(worksheet, title=title, subtitle=subtitle, columns=columns, rows=rows)
    return sheets.workbook_bytes(workbook)
