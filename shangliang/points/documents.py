"""The annual ranking as an Excel workbook (履职积分排名): a title row, what it covers, the header and
one row per member, printed on A4 landscape one page wide (``core.documents.sheets.write_table``)."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from shangliang.core.documents import sheets
from shangliang.core.documents.sheets import CENTRED, LEFT, Column
from shangliang.points.selectors import Ranking


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
    columns = [Column(_("名次"), 7, CENTRED), Column(_("姓名"), 12, LEFT)]
    columns += [Column(_("委员层级"), 16, LEFT), Column(_("界别"), 14, LEFT)]
    columns += [Column(label, 14, CENTRED) for _kind, label in ranking.kinds]
    columns.append(Column(_("合计"), 9, CENTRED))
    generated = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    subtitle = _("范围：%(scope)s；共%(count)d名委员；积分由系统根据履职记录计算，导出时间 %(time)s") % {
        "scope": scope,
        "count": len(ranking.rows),
        "time": generated,
    }
    rows = [
        [
            row.rank,
            row.member.name,
            row.member.get_level_display(),
            row.member.sector.name,
            *[number(points) for points in row.by_kind],
            number(row.total),
        ]
        for row in ranking.rows
    ]
    sheets.write_table(sheet, title=ranking_title(ranking), subtitle=subtitle, columns=columns, rows=rows)
    return sheets.workbook_bytes(workbook)
