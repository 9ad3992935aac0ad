"""The stations' ranking as an Excel workbook (考核排名表). Every cell goes through ``safe_cell``."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from shangliang.core.documents import sheets
from shangliang.core.documents.formats import NO_FIGURE, percent
from shangliang.scoring.selectors import StationRow
from shangliang.scoring.states import Component


def percent_text(share: float | None) -> str:
    """85.7%, 50% (no ".0"), or a dash: the ranking's way of printing a rate, on the page and in the sheet."""
    return percent(share, drop_zero_decimal=True)


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
        percent_text(row.items_on_time_rate),
        f"{f.replies_on_time}/{f.replies_due}",
        percent_text(row.reply_rate),
        f.ratings,
        percent_text(row.satisfaction_rate),
        *[row.component_scores[c.value] if row.component_scores[c.value] is not None else NO_FIGURE for c in Component],
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
    sheet.append([sheets.safe_cell(title)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(sheets.safe_row(columns))
    for cell in sheet[2]:
        cell.font = sheets.BOLD
    for row in rows:
        sheet.append(sheets.safe_row(row_values(row)))
        if row.is_top_third:
            for cell in sheet[sheet.max_row]:
                cell.fill = sheets.HIGHLIGHT_FILL
    sheet.append([])
    sheet.append(
        [
            sheets.safe_cell(
                _(
                    "说明：按实际成效计分（开展协商、建议按期落实、十日内书面答复、群众满意度），不以台账资料为考核依据。"
                )
            )
        ]
    )
    sheet.column_dimensions["B"].width = 18
    return sheets.workbook_bytes(book)
