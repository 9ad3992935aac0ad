"""The stations' ranking as an Excel workbook (考核排名表). Every cell goes through ``safe_cell``."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from shangliang.outcomes.documents import safe_cell
from shangliang.scoring.selectors import StationRow
from shangliang.scoring.states import Component

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TOP_FILL = PatternFill("solid", fgColor="FFF2CC")


def percent_text(share: float | None) -> str:
    if share is None:
        return "—"
    return f"{share * 100:.1f}".removesuffix(".0") + "%"


def headers() -> list[str]:
    return [
        _("排名"),
        _("乡镇（街道）"),
        _("开展协商（次）"),
        _("目标（次）"),
        _("是否完成目标"),
        _("建议按期落实"),
        _("按期落实率"),
        _("十日内书面答复"),
        _("答复及时率"),
        _("参评人数"),
        _("群众满意率"),
        *[c.label + _("得分") for c in Component],
        _("总分"),
        _("折合考核分"),
        _("前三分之一"),
    ]


def row_values(row: StationRow) -> list:
    f = row.figures
    return [
        row.rank,
        row.name,
        f.held,
        row.min_consultations,
        row.is_met,
        f"{f.items_on_time}/{f.items_due}",
        percent_text(row.on_time_rate),
        f"{f.replies_on_time}/{f.replies_due}",
        percent_text(row.reply_rate),
        f.ratings,
        percent_text(row.satisfaction_rate),
        *[row.component_scores[c.value] if row.component_scores[c.value] is not None else "—" for c in Component],
        row.total,
        row.points,
        row.is_top_third,
    ]


def ranking_xlsx(rows: list[StationRow], year: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("考核排名")
    title = _("%(year)s年度政协联络站基层协商工作考核排名") % {"year": year}
    columns = headers()
    sheet.append([safe_cell(title)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([safe_cell(h) for h in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(v) for v in row_values(row)])
        if row.is_top_third:
            for cell in sheet[sheet.max_row]:
                cell.fill = TOP_FILL
    sheet.append([])
    sheet.append(
        [
            safe_cell(
                _(
                    "说明：按实际成效计分（开展协商、建议按期落实、十日内书面答复、群众满意度），不以台账资料为考核依据。"
                )
            )
        ]
    )
    sheet.column_dimensions["B"].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
