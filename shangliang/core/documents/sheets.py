"""Spreadsheets (Excel and CSV): every cell goes through ``safe_cell``, tables through ``write_table``.

Text written by residents or units must never reach a spreadsheet as a formula (OWASP "CSV
injection"): ``=HYPERLINK(…)`` in a suggestion would otherwise run on the desk of whoever opens the
supervision sheet.
"""

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

# What Excel, LibreOffice and Google Sheets take as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value):
    """A value to write into a spreadsheet cell (Excel or CSV) that no spreadsheet runs as a formula.

    Numbers and dates pass through; booleans become 是/否. Text loses the control characters an .xlsx
    cannot hold, and text starting like a formula gets a leading apostrophe: Excel shows it as text,
    and openpyxl stores it as a string, never as a formula.
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


def safe_row(values: Iterable) -> list:
    return [safe_cell(value) for value in values]


THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
HIGHLIGHT_FILL = PatternFill("solid", fgColor="FFF2CC")
BOLD = Font(bold=True)
# Cell alignments: long text wraps from the top, short values sit in the middle.
WRAP = Alignment(wrap_text=True, vertical="top")
LEFT = Alignment(wrap_text=True, vertical="center")
CENTRED = Alignment(wrap_text=True, horizontal="center", vertical="center")
HEADER_ROW = 3  # under the title and the line saying what the table covers


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    alignment: Alignment = WRAP


def write_table(sheet, *, title: str, subtitle: str, columns: list[Column], rows: list[list]) -> int:
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
        cell.font, cell.border, cell.fill, cell.alignment = BOLD, BOX, HEADER_FILL, CENTRED
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for offset, values in enumerate(rows, start=1):
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = sheet.cell(row=HEADER_ROW + offset, column=index, value=safe_cell(value))
            cell.border, cell.alignment = BOX, column.alignment
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


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Iterable[Iterable]) -> bytes:
    """Rows as CSV, each cell through ``safe_cell``, in UTF-8 with a byte-order mark so Excel reads the Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(safe_row(row))
    return buffer.getvalue().encode("utf-8-sig")
