"""The annual report (年度基层协商议事工作报告) of a district, a township or a platform, in Word and PDF.

One ``AnnualReport`` holds what both files print: the title, a summary paragraph written from the
figures, the figures as tables, the charts as PNG images and the typical cases of the year. The
figures are the dashboard's (``selectors.dashboard_for``), so the report and the screen agree; its
stations' table is the assessment's, which counts consultations held by the same definition
(``consultations.selectors.held_q``): a township's "开展协商" is its station's count.
Fonts, styles and page layout come from ``core.documents`` (PDFs embed its Chinese font).
"""

import io
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from docx.shared import Mm, Pt
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, Spacer, Table, TableStyle

from shangliang.core.documents import pdf, word
from shangliang.core.documents.formats import percent as _percent
from shangliang.core.documents.pdf import BODY, CAPTION, PLAIN, TEXT_WIDTH
from shangliang.core.documents.pdf import paragraph as _p
from shangliang.dashboard import chart_images
from shangliang.dashboard.selectors import Dashboard, Scope, dashboard_for
from shangliang.evaluation.states import Satisfaction
from shangliang.outcomes.selectors import has_publication

EXCERPT = 160
SECTION_NUMBERS = "一二三四五六七八九十"


@dataclass
class ReportTable:
    heading: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class ReportCase:
    title: str
    place: str
    story: str
    results: str


@dataclass
class AnnualReport:
    title: str
    period: str
    summary: str
    tables: list[ReportTable] = field(default_factory=list)
    charts: list[tuple[str, bytes]] = field(default_factory=list)
    cases: list[ReportCase] = field(default_factory=list)


def _excerpt(text: str, limit: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def report_title(scope: Scope) -> str:
    return _("%(name)s%(year)d年度基层协商议事工作报告") % {"name": scope.name, "year": scope.start.year}


def summary_of(board: Dashboard) -> str:
    """The opening paragraph, written from the figures."""
    c, o, r, s, m = board.consultations, board.outcomes, board.replies, board.satisfaction, board.members
    return _(
        "%(year)d年，%(name)s共有协商议事平台%(platforms)d个，村（社区）平台覆盖率%(coverage)s；"
        "开展协商%(consultations)d次，其中民生议题%(livelihood)d次，占%(livelihood_share)s；"
        "形成协商建议%(suggestions)d条，已交办%(assigned)d条，已办结%(done)d条，逾期未办结%(overdue)d条；"
        "解决群众反映的实际问题%(solved)d件。政府委托事项%(entrusted)d件，10日内书面答复%(on_time)d件；"
        "群众评议%(ratings)d人次，协商过程满意率%(process)s，落实结果满意率%(result)s；"
        "下沉委员%(members)d名，其中%(active)d名参加了协商。"
    ) % {
        "year": board.scope.start.year,
        "name": board.scope.name,
        "platforms": board.coverage.platforms,
        "coverage": _percent(board.coverage.village_rate),
        "consultations": c.total,
        "livelihood": c.livelihood,
        "livelihood_share": _percent(c.livelihood_share),
        "suggestions": o.suggestions,
        "assigned": o.assigned,
        "done": o.done,
        "overdue": o.overdue,
        "solved": o.solved,
        "entrusted": r.entrusted,
        "on_time": r.on_time,
        "ratings": s.total,
        "process": _percent(s.process_rate),
        "result": _percent(s.result_rate),
        "members": m.assigned,
        "active": m.active,
    }


def _item_count() -> list[str]:
    return [_("项目"), _("数量")]


def _platform_table(board: Dashboard) -> list[ReportTable]:
    cov = board.coverage
    rows = [[_("协商议事平台"), str(cov.platforms)]]
    rows += [[label, str(n)] for _kind, label, n in cov.by_kind]
    if board.scope.platform is None:
        rows += [
            [_("乡镇（街道）议事室覆盖"), f"{cov.townships_covered}/{cov.townships}（{_percent(cov.township_rate)}）"],
            [_("村（社区）议事室覆盖"), f"{cov.villages_covered}/{cov.villages}（{_percent(cov.village_rate)}）"],
        ]
    return [ReportTable(_("平台建设与覆盖"), _item_count(), rows)]


def _township_coverage_table(board: Dashboard) -> list[ReportTable]:
    rows = board.coverage.rows
    if not rows:
        return []
    return [
        ReportTable(
            _("各乡镇（街道）覆盖情况"),
            [_("乡镇（街道）"), _("乡镇议事室"), _("村（社区）"), _("已覆盖"), _("覆盖率")],
            [
                [
                    row.region.name,
                    _("有") if row.has_township_room else _("无"),
                    str(row.villages),
                    str(row.villages_covered),
                    _percent(row.rate),
                ]
                for row in rows
            ],
        )
    ]


def _consultation_tables(board: Dashboard) -> list[ReportTable]:
    c = board.consultations
    tables = [
        ReportTable(
            _("协商开展情况"),
            _item_count(),
            [
                [_("开展协商（次）"), str(c.total)],
                [_("民生议题（次）"), str(c.livelihood)],
                [_("民生议题比重"), _percent(c.livelihood_share)],
            ]
            + [[_("%(month)s月") % {"month": b.label}, str(b.n)] for b in c.by_month if b.n],
        )
    ]
    for heading, buckets in (
        (_("按协商形式"), c.by_form),
        (_("按议题来源"), c.by_source),
        (_("按议题类别"), c.by_category),
    ):
        if buckets:
            tables.append(ReportTable(heading, [_("项目"), _("次数")], [[b.label, str(b.n)] for b in buckets]))
    return tables


def _outcome_table(board: Dashboard) -> list[ReportTable]:
    o = board.outcomes
    rows = [
        [_("协商建议（条）"), str(o.suggestions)],
        [_("已交办（条）"), str(o.assigned)],
        [_("已办结（条）"), str(o.done)],
        [_("逾期未办结（条）"), str(o.overdue)],
        [_("交办率"), _percent(o.adoption_rate)],
        [_("办结率"), _percent(o.completion_rate)],
        [_("解决实际问题（件）"), str(o.solved)],
    ]
    return [ReportTable(_("成果转化落实"), _item_count(), rows)]


def _reply_table(board: Dashboard) -> list[ReportTable]:
    r = board.replies
    rows = [
        [_("政府委托事项（件）"), str(r.entrusted)],
        [_("10日内答复（件）"), str(r.on_time)],
        [_("逾期答复或逾期未答复（件）"), str(r.late)],
        [_("未到期待答复（件）"), str(r.waiting)],
        [_("10日内答复率"), _percent(r.reply_rate)],
    ]
    return [ReportTable(_("委托事项书面答复"), _item_count(), rows)]


def _satisfaction_table(board: Dashboard) -> list[ReportTable]:
    s = board.satisfaction
    levels = [str(level.label) for level in Satisfaction]
    rows = [
        [_("协商过程"), *[str(s.process[level]) for level in Satisfaction.values], _percent(s.process_rate)],
        [_("落实结果"), *[str(s.result[level]) for level in Satisfaction.values], _percent(s.result_rate)],
    ]
    return [ReportTable(_("群众满意度"), [_("方面"), *levels, _("满意率")], rows)]


def _member_table(board: Dashboard) -> list[ReportTable]:
    m = board.members
    rows = [
        [_("下沉委员（名）"), str(m.assigned)],
        [_("参加协商的委员（名）"), str(m.active)],
        [_("委员参与率"), _percent(m.participation_rate)],
    ]
    return [ReportTable(_("委员履职"), _item_count(), rows)]


def _child_row(row) -> list[str]:
    name = _("%(name)s（本级）") % {"name": row.region.name} if row.is_self else row.region.name
    figures = (row.consultations, row.livelihood, row.suggestions, row.assigned, row.done, row.overdue)
    return [name, *[str(n) for n in figures]]


def _children_table(board: Dashboard) -> list[ReportTable]:
    if not board.children:
        return []
    return [
        ReportTable(
            _("各地对比"),
            [_("区划"), _("开展协商"), _("民生议题"), _("协商建议"), _("已交办"), _("已办结"), _("逾期")],
            [_child_row(row) for row in board.children],
        )
    ]


def _station_row(row) -> list[str]:
    return [
        str(row.rank or "—") + ("★" if getattr(row, "is_top_third", False) else ""),
        row.name,
        f"{row.held}/{row.min_consultations}",
        _percent(row.items_on_time_rate),
        _percent(row.reply_rate),
        _percent(row.satisfaction_rate),
        str(row.points),
    ]


def _station_table(board: Dashboard) -> list[ReportTable]:
    stations = board.station_targets or []
    if not stations:
        return []
    return [
        ReportTable(
            _("联络站年度目标完成情况"),
            [
                _("名次"),
                _("联络站"),
                _("开展协商/目标"),
                _("按期办结率"),
                _("10日答复率"),
                _("满意率"),
                _("考核分"),
            ],
            [_station_row(row) for row in stations],
        )
    ]


def _member_ranking_table(board: Dashboard) -> list[ReportTable]:
    ranked = board.member_ranking
    if ranked is None or not ranked.rows:
        return []
    return [
        ReportTable(
            _("委员履职积分前十名"),
            [_("名次"), _("姓名"), _("界别"), _("积分")],
            [[str(r.rank), r.member.name, r.member.sector.name, str(r.total)] for r in ranked.rows],
        )
    ]


# The report's tables in the order they print; each gives none when it has nothing to show.
TABLES = (
    _platform_table,
    _township_coverage_table,
    _consultation_tables,
    _outcome_table,
    _reply_table,
    _satisfaction_table,
    _member_table,
    _children_table,
    _station_table,
    _member_ranking_table,
)


def _tables(board: Dashboard) -> list[ReportTable]:
    return [table for build in TABLES for table in build(board)]


def _charts(board: Dashboard) -> list[tuple[str, bytes]]:
    c = board.consultations
    charts = [
        (
            _("各月开展协商次数"),
            chart_images.line_chart(
                _("各月开展协商次数"), [b.label[5:] for b in c.by_month], [b.n for b in c.by_month]
            ),
        )
    ]
    if c.by_category:
        charts.append(
            (
                _("按议题类别的协商次数"),
                chart_images.bar_chart(
                    _("按议题类别的协商次数"),
                    [b.label for b in c.by_category],
                    [(_("协商次数"), [b.n for b in c.by_category])],
                ),
            )
        )
    if board.children:
        rows = board.children
        charts.append(
            (
                _("各地开展协商与建议办理对比"),
                chart_images.bar_chart(
                    _("各地开展协商与建议办理对比"),
                    [r.region.name for r in rows],
                    [
                        (_("开展协商"), [r.consultations for r in rows]),
                        (_("协商建议"), [r.suggestions for r in rows]),
                        (_("已办结"), [r.done for r in rows]),
                    ],
                ),
            )
        )
    return charts


def _cases(board: Dashboard) -> list[ReportCase]:
    cases = []
    for case in board.cases:
        consultation = case.consultation
        results = _excerpt(consultation.publication.summary) if has_publication(consultation) else ""
        cases.append(
            ReportCase(
                title=case.title,
                place=consultation.platform.name,
                story=_excerpt(case.story),
                results=results,
            )
        )
    return cases


def annual_report(scope: Scope) -> AnnualReport:
    board = dashboard_for(scope)
    period = _("统计时段：%(start)s至%(end)s；生成日期：%(today)s") % {
        "start": scope.start.isoformat(),
        "end": scope.end.isoformat(),
        "today": timezone.localdate().isoformat(),
    }
    return AnnualReport(
        title=report_title(scope),
        period=period,
        summary=summary_of(board),
        tables=_tables(board),
        charts=_charts(board),
        cases=_cases(board),
    )


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 23 → 二十三 (section numbers of an official report)."""
    if n <= 10:
        return SECTION_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return (SECTION_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (SECTION_NUMBERS[ones - 1] if ones else "")


def _heading(number: int, text: str) -> str:
    return f"{chinese_number(number + 1)}、{text}"


# --- Word --------------------------------------------------------------------------------------------


def _run(paragraph, text: str, *, font: str = word.BODY_FONT, size: float | None = None, bold: bool = False):
    return word.add_run(paragraph, text, font=font, size=size, bold=bold)


def _docx_table(doc, table: ReportTable) -> None:
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = ""
        _run(cell.paragraphs[0], text, font=word.HEADING_FONT, size=11)
    for values in table.rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = ""
            _run(cell.paragraphs[0], text, size=11)


def annual_report_docx(report: AnnualReport) -> bytes:
    doc = word.a4_document(margins_mm={"left": 25, "right": 25})
    word.set_title(doc, report.title)
    title = doc.add_paragraph()
    title.alignment = word.CENTER
    _run(title, report.title, font=word.TITLE_FONT, size=20, bold=True)
    period = doc.add_paragraph()
    period.alignment = word.CENTER
    _run(period, report.period, size=11)
    summary = doc.add_paragraph()
    summary.paragraph_format.first_line_indent = Pt(28)
    _run(summary, report.summary, size=14)
    number = 0
    for table in report.tables:
        _run(doc.add_paragraph(), _heading(number, table.heading), font=word.HEADING_FONT, size=14)
        _docx_table(doc, table)
        number += 1
    if report.charts:
        _run(doc.add_paragraph(), _heading(number, _("图表")), font=word.HEADING_FONT, size=14)
        number += 1
        for caption, png in report.charts:
            doc.add_picture(io.BytesIO(png), width=Mm(160))
            doc.paragraphs[-1].alignment = word.CENTER
            label = doc.add_paragraph()
            label.alignment = word.CENTER
            _run(label, caption, size=10)
    _run(doc.add_paragraph(), _heading(number, _("典型案例")), font=word.HEADING_FONT, size=14)
    if not report.cases:
        _run(doc.add_paragraph(), _("本年度暂无发布的典型案例。"), size=12)
    for case in report.cases:
        _run(doc.add_paragraph(), case.title, font=word.HEADING_FONT, size=13)
        _run(doc.add_paragraph(), _("平台：%(place)s") % {"place": case.place}, size=11)
        _run(doc.add_paragraph(), case.story, size=12)
        if case.results:
            _run(doc.add_paragraph(), _("落实成效：%(results)s") % {"results": case.results}, size=12)
    return word.document_bytes(doc)


# --- PDF ---------------------------------------------------------------------------------------------

REPORT_TITLE = ParagraphStyle("report_title", parent=PLAIN, fontSize=18, leading=28, alignment=TA_CENTER)
SECTION = ParagraphStyle("report_section", parent=PLAIN, fontSize=14, leading=22, spaceBefore=10, spaceAfter=4)
CASE_TITLE = ParagraphStyle("report_case", parent=PLAIN, fontSize=13, leading=20, spaceBefore=6)
CELL = ParagraphStyle("report_cell", parent=PLAIN, fontSize=10, leading=14)


def _pdf_table(table: ReportTable) -> Table:
    data = [[_p(text, CELL) for text in table.columns]] + [[_p(text, CELL) for text in row] for row in table.rows]
    widths = [TEXT_WIDTH / len(table.columns)] * len(table.columns)
    if len(table.columns) == 2:
        widths = [TEXT_WIDTH * 0.6, TEXT_WIDTH * 0.4]
    grid = Table(data, colWidths=widths, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return grid


def _pdf_image(png: bytes) -> Image:
    width = TEXT_WIDTH
    height = width * chart_images.HEIGHT / chart_images.WIDTH
    return Image(io.BytesIO(png), width=width, height=height)


def annual_report_pdf(report: AnnualReport) -> bytes:
    story = [_p(report.title, REPORT_TITLE), _p(report.period, CAPTION), Spacer(1, 6 * mm), _p(report.summary, BODY)]
    number = 0
    for table in report.tables:
        story.append(KeepTogether([_p(_heading(number, table.heading), SECTION), _pdf_table(table)]))
        number += 1
    if report.charts:
        story.append(_p(_heading(number, _("图表")), SECTION))
        number += 1
        for caption, png in report.charts:
            story.append(KeepTogether([_pdf_image(png), _p(caption, CAPTION), Spacer(1, 4 * mm)]))
    story.append(_p(_heading(number, _("典型案例")), SECTION))
    if not report.cases:
        story.append(_p(_("本年度暂无发布的典型案例。"), BODY))
    for case in report.cases:
        story += [_p(case.title, CASE_TITLE), _p(_("平台：%(place)s") % {"place": case.place}, PLAIN)]
        story.append(_p(case.story, BODY))
        if case.results:
            story.append(_p(_("落实成效：%(results)s") % {"results": case.results}, BODY))
    return pdf.build_pdf(story, title=report.title)
