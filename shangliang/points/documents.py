"""The annual ranking as an Excel workbook (履职积分排名): a title row, what it covers, the header and
one row per member, printed on A4 landscape one page wide. Every cell goes through ``safe_cell``."""

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from shangliang.outcomes.documents import safe_cell
from shangliang.points.selectors import Ranking

THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
CENTRED = Alignment(wrap_text=True, horizontal="center", vertical="center")
LEFT = Alignment(wrap_text=True, vertical="center")
HEADER_ROW = 3


def number(value: Decimal) -> int | float:
    """A point value as a spreadsheet number: whole numbers stay whole."""
    return int(value) if value == value.to_integral_value() else float(value)


def ranking_title(ranking: Ranking) -> str:
    return _("%(year)d年度政协委员履职积分排名") % {"year": ranking.year}


def ranking_xlsx(ranking: Ranking, *, scope: str) -> bytes:
    """The ranking as .xlsx bytes; ``scope`` says whose members it lists (the region, or the user's view)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("积分排名")
    headers = [(_("名次"), 7), (_("姓名"), 12), (_("委员层级"), 16), (_("界别"), 14)]
    headers += [(label, 14) for _kind, label in ranking.kinds]
    headers.append((_("合计"), 9))
    last = get_column_letter(len(headers))

    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = safe_cell(ranking_title(ranking))
    sheet["A1"].font, sheet["A1"].alignment = Font(bold=True, size=16), CENTRED
    sheet.row_dimensions[1].height = 32
    sheet.merge_cells(f"A2:{last}2")
    generated = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    sheet["A2"] = safe_cell(
        _("范围：%(scope)s；共%(count)d名委员；积分由系统根据履职记录计算，导出时间 %(time)s")
        % {"scope": scope, "count": len(ranking.rows), "time": generated}
    )
    sheet["A2"].alignment = LEFT

    for index, (header, width) in enumerate(headers, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=safe_cell(header))
        cell.font, cell.border, cell.fill, cell.alignment = Font(bold=True), BOX, HEADER_FILL, CENTRED
        sheet.column_dimensions[get_column_letter(index)].width = width
    for offset, row in enumerate(ranking.rows, start=1):
        values = [row.rank, row.member.name, row.member.get_level_display(), row.member.sector.name]
        values += [number(points) for points in row.by_kind]
        values.append(number(row.total))
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=HEADER_ROW + offset, column=index, value=safe_cell(value))
            cell.border = BOX
            cell.alignment = LEFT if index in (2, 3, 4) else CENTRED

    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    setup = sheet.page_setup
    setup.orientation, setup.paperSize = "landscape", sheet.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
