"""The annual report (年度基层协商议事工作报告) of a district, a township or a platform, in Word and PDF.

The report reads as a work report (工作报告), drafted from the figures for the office to edit (the
Word file is the one to edit; the PDF prints the same content):

一、总体情况: the summary paragraph written from the figures;
二、主要工作和成效: under the headings a CPPCC work report uses (搭建平台 / 协商议事 / 成果转化 /
    监督评价), each paragraph drafted from the same figures;
三、存在的问题和不足: drafted from what the figures show wanting (overdue items, late replies,
    low-rated places, places that held no consultation, villages without a room);
四、next year's plan: drafted from those problems;
附件: the figures as tables (附表), the charts and the typical cases.

The figures are the dashboard's (``selectors.dashboard_for``), so the report and the screen agree,
and every figure in the text is the one in its table; its stations' table is the assessment's, which
counts consultations held by the same definition (``consultations.selectors.held_q``): a township's
"开展协商" is its station's count. Fonts, styles and page layout come from ``core.documents`` (PDFs
embed its Chinese font; the Word file takes the official style, whose headings keep with what follows).
"""

import io
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from docx.shared import Mm
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, PageBreak, Spacer, Table, TableStyle

from shangliang.core.documents import pdf, word
from shangliang.core.documents.formats import percent as _percent
from shangliang.core.documents.pdf import BODY, CAPTION, PLAIN, TEXT_WIDTH
from shangliang.core.documents.pdf import bold as _bold
from shangliang.core.documents.pdf import paragraph as _p
from shangliang.dashboard import (
    chart_images,
    event_figures,
    fund_figures,
    handoff_figures,
    hotline_figures,
    seed_figures,
    seed_report,
)
from shangliang.dashboard.selectors import Dashboard, Scope, dashboard_for, idle_platforms, place_ratings
from shangliang.evaluation.states import Satisfaction
from shangliang.events.selectors import EventFigures
from shangliang.funds.selectors import PeriodFigures
from shangliang.handoffs.selectors import HandoffFigures
from shangliang.outcomes.selectors import has_publication
from shangliang.points.formatting import points_text

EXCERPT = 160
SECTION_NUMBERS = "一二三四五六七八九十"
# A place whose residents rated it below this (satisfied or basically satisfied) is named as a problem.
LOW_RATE = 0.8
# At most this many places are named in one sentence; the rest are counted ("等5个").
NAMED = 5
# The yearly minimum of consultations a platform is held to (DOMAIN: each township at least 2 a year).
MIN_CONSULTATIONS = 2


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
class ReportSection:
    """A heading of the report and its paragraphs (a sub-heading's when ``level`` is 2)."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    level: int = 1


@dataclass
class AnnualReport:
    title: str
    period: str
    summary: str
    sections: list[ReportSection] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)
    charts: list[tuple[str, bytes]] = field(default_factory=list)
    cases: list[ReportCase] = field(default_factory=list)
    draft_note: str = ""


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


# --- the narrative, drafted from the figures --------------------------------------------------------


def _listing(parts: list[str]) -> str:
    """ "甲、乙、丙" style: parts joined by 、 (", " in English)."""
    return _("、").join(parts)


def _names(names: list[str]) -> str:
    """The first ``NAMED`` names, then "等N个"."""
    shown = _listing(names[:NAMED])
    if len(names) > NAMED:
        shown += _("等%(n)d个") % {"n": len(names)}
    return shown


def _counted(buckets, unit: str) -> str:
    """ "议事会3次、听证会1次": each bucket's label, count and unit."""
    return _listing([_("%(label)s%(n)d%(unit)s") % {"label": b.label, "n": b.n, "unit": unit} for b in buckets if b.n])


def _ordinal(n: int) -> str:
    """1 → 一是, 2 → 二是: how a report lists its points inside a paragraph (other languages number them)."""
    if get_language().startswith("zh"):
        return _("%(n)s是") % {"n": chinese_number(n)}
    return f"{n}. "


@dataclass
class Findings:
    """What the figures show wanting, read once for the problems and the plan."""

    overdue_places: list[str]
    late_replies: int
    low_rated: list[tuple[str, float]]  # (platform, its lower satisfaction rate)
    idle: list[str]
    short_stations: list[str]
    uncovered_villages: int
    inactive_members: int


def _findings(board: Dashboard) -> Findings:
    overdue_places = [
        _("%(name)s%(n)d条") % {"name": row.region.name, "n": row.overdue} for row in board.children if row.overdue
    ]
    low_rated = []
    for place in place_ratings(board.scope):
        rate = min(r for r in (place.process_rate, place.result_rate) if r is not None)
        if rate < LOW_RATE:
            low_rated.append((place.name, rate))
    short = [row.name for row in board.station_targets or [] if not row.is_consultations_met]
    coverage = board.coverage
    return Findings(
        overdue_places=overdue_places,
        late_replies=board.replies.late,
        low_rated=low_rated,
        idle=list(idle_platforms(board.scope).values_list("name", flat=True)),
        short_stations=short,
        uncovered_villages=coverage.villages - coverage.villages_covered,
        inactive_members=board.members.inactive,
    )


def _platform_work(board: Dashboard) -> ReportSection:
    cov, m = board.coverage, board.members
    text = _("全年共有协商议事平台%(platforms)d个") % {"platforms": cov.platforms}
    kinds = _listing([_("%(label)s%(n)d个") % {"label": label, "n": n} for _kind, label, n in cov.by_kind])
    text += (_("，其中%(kinds)s。") % {"kinds": kinds}) if kinds else "。"
    if cov.venues:
        text += _("另有其他议事场所%(n)d个，不计入平台数和覆盖率。") % {"n": cov.venues}
    if board.scope.platform is None and (cov.townships or cov.villages):
        text += _(
            "%(t)d个乡镇（街道）中%(tc)d个建有议事室，%(v)d个村（社区）中%(vc)d个建有议事室，"
            "村（社区）平台覆盖率%(rate)s。"
        ) % {
            "tc": cov.townships_covered,
            "t": cov.townships,
            "vc": cov.villages_covered,
            "v": cov.villages,
            "rate": _percent(cov.village_rate),
        }
    members = _("下沉委员%(members)d名，其中%(active)d名参加了协商，委员参与率%(rate)s。") % {
        "members": m.assigned,
        "active": m.active,
        "rate": _percent(m.participation_rate),
    }
    return ReportSection(_("（一）搭建平台，扩大协商覆盖面"), [text, members], level=2)


def _consultation_work(board: Dashboard, cases: list["ReportCase"]) -> ReportSection:
    c = board.consultations
    text = _("全年开展协商%(total)d次，其中民生议题%(livelihood)d次，占%(share)s。") % {
        "total": c.total,
        "livelihood": c.livelihood,
        "share": _percent(c.livelihood_share),
    }
    views = ((_("从协商形式看"), c.by_form), (_("从议题来源看"), c.by_source), (_("从议题类别看"), c.by_category))
    for label, buckets in views:
        counted = _counted(buckets, _("次"))
        if counted:
            text += _("%(label)s，%(counted)s。") % {"label": label, "counted": counted}
    paragraphs = [text]
    if cases:
        examples = _listing(
            [_("%(place)s“%(title)s”") % {"place": case.place, "title": case.title} for case in cases[:3]]
        )
        paragraphs.append(
            _("%(examples)s等协商活动成效明显，形成了可复制的经验（见附件中的典型案例）。") % {"examples": examples}
        )
    return ReportSection(_("（二）聚焦民生，深入开展协商议事"), paragraphs, level=2)


def _outcome_work(board: Dashboard) -> ReportSection:
    o, r = board.outcomes, board.replies
    text = _(
        "形成协商建议%(suggestions)d条，党委政府已作出采纳决定%(decided)d条，其中采纳%(adopted)d条、"
        "不予采纳或暂缓采纳%(not_taken)d条，采纳率%(adoption)s；已交办%(assigned)d条，交办率%(assignment)s；"
        "已办结%(done)d条，办结率%(completion)s；解决群众反映的实际问题%(solved)d件。"
    ) % {
        "suggestions": o.suggestions,
        "decided": o.decisions.decided,
        "adopted": o.decisions.adopted,
        "not_taken": o.decisions.not_taken,
        "assigned": o.assigned,
        "assignment": _percent(o.assignment_rate),
        "adoption": _percent(o.adoption_rate),
        "done": o.done,
        "completion": _percent(o.completion_rate),
        "solved": o.solved,
    }
    replies = _("政府委托事项%(entrusted)d件，10日内书面答复%(on_time)d件，10日内答复率%(rate)s。") % {
        "entrusted": r.entrusted,
        "on_time": r.on_time,
        "rate": _percent(r.reply_rate),
    }
    return ReportSection(_("（三）推动成果转化，抓好建议落实"), [text, replies], level=2)


def _evaluation_work(board: Dashboard) -> ReportSection:
    s = board.satisfaction
    paragraphs = [
        _("组织群众评议%(ratings)d人次，协商过程满意率%(process)s，落实结果满意率%(result)s。")
        % {"ratings": s.total, "process": _percent(s.process_rate), "result": _percent(s.result_rate)}
    ]
    stations = board.station_targets or []
    if stations:
        met = sum(1 for row in stations if row.is_consultations_met)
        top = [row.name for row in stations if getattr(row, "is_top_third", False)]
        text = _("%(n)d个联络站（平台）中，%(met)d个完成年度开展协商目标。") % {"n": len(stations), "met": met}
        if top:
            text += _("%(names)s考核位列前三分之一。") % {"names": _names(top)}
        paragraphs.append(text)
    ranking = board.member_ranking
    if ranking is not None and ranking.rows:
        leaders = _listing([row.member.name for row in ranking.rows[:3]])
        paragraphs.append(_("委员履职积分排名前列的有%(names)s等委员。") % {"names": leaders})
    return ReportSection(_("（四）强化监督评价，让群众评判成效"), paragraphs, level=2)


# --- counted apart from the consultations: briefings and training, the fund, hand-offs -------------------


@dataclass
class AroundFigures:
    """The dashboard's sections beside the consultations (``event_figures``, ``fund_figures``,
    ``handoff_figures``, ``hotline_figures``): the report reads the same selectors, so its numbers are the screen's."""

    events: EventFigures
    fund: PeriodFigures
    handoffs: HandoffFigures
    hotline: hotline_figures.HotlineFigures


def around_figures(scope: Scope, today=None) -> AroundFigures:
    """Seven queries: events (three), the fund (one), hand-offs (two), hotline and grid topics (one)."""
    return AroundFigures(
        events=event_figures.event_figures(scope),
        fund=fund_figures.fund_figures(scope),
        handoffs=handoff_figures.handoff_figures(scope, today),
        hotline=hotline_figures.hotline_figures(scope),
    )


def _yuan(amount) -> str:
    return f"{amount:,.2f}"


def _events_text(events: EventFigures) -> str:
    if not events.held:
        return _("全年未举办宣讲培训活动。")
    kinds = _listing(
        [
            _("%(label)s%(n)d场%(people)d人次") % {"label": label, "n": n, "people": people}
            for _kind, label, n, people in events.by_kind
            if n
        ]
    )
    return _("全年举办宣讲培训活动%(held)d场，参加%(attendance)d人次（%(kinds)s），单独统计，不计入协商次数。") % {
        "held": events.held,
        "attendance": events.attendance,
        "kinds": kinds,
    }


def _fund_text(fund: PeriodFigures, scope: Scope) -> str:
    if not (fund.income or fund.spent or fund.reversed or fund.lines):
        if scope.platform is not None:
            return _("全年没有与本平台关联的协商资金支出。")
        if fund.balance:
            return _("全年没有协商资金收支，期末余额%(balance)s元。") % {"balance": _yuan(fund.balance)}
        return _("全年没有协商资金收支记录。")
    spent = _("支出%(spent)s元") % {"spent": _yuan(fund.spent)}
    if fund.reversed:
        spent += _("（已扣除冲正%(reversed)s元）") % {"reversed": _yuan(fund.reversed)}
    kinds = _listing(
        [_("%(label)s%(amount)s元") % {"label": label, "amount": _yuan(a)} for _k, label, a in fund.spent_by_kind]
    )
    lines = _("已支付的支出中关联协商%(c)d笔、关联交办事项%(a)d笔。") % {
        "c": fund.consultation_lines,
        "a": fund.assignment_lines,
    }
    if scope.platform is not None:
        return (
            _("与本平台协商及其交办事项关联的协商资金%(spent)s，其中%(kinds)s；") % {"spent": spent, "kinds": kinds}
            + lines
        )
    return (
        _("村（社区）协商资金收入%(income)s元，%(spent)s，其中%(kinds)s；期末余额%(balance)s元。")
        % {"income": _yuan(fund.income), "spent": spent, "kinds": kinds, "balance": _yuan(fund.balance)}
        + lines
    )


def _handoffs_text(handoffs: HandoffFigures) -> str:
    if not handoffs.handed:
        return _("全年没有转交其他渠道办理的事项。")
    channels = _listing(
        [_("%(label)s%(n)d件") % {"label": row.label, "n": row.handed} for row in handoffs.by_channel if row.handed]
    )
    return _(
        "转交其他渠道办理的事项%(handed)d件（%(channels)s），已答复%(answered)d件，待答复%(awaiting)d件，答复率%(share)s。"
    ) % {
        "handed": handoffs.handed,
        "channels": channels,
        "answered": handoffs.answered,
        "awaiting": handoffs.awaiting,
        "share": _percent(handoffs.answered_share),
    }


def _hotline_text(hotline: hotline_figures.HotlineFigures) -> str:
    total = hotline.total
    if not total.submissions:
        return _("全年没有来源为12345热线、网格上报的群众诉求。")
    sources = _listing(
        [_("%(label)s%(n)d件") % {"label": row.label, "n": row.submissions} for row in hotline.rows if row.submissions]
    )
    stages = _listing(
        [
            _("%(label)s%(n)d件") % {"label": label, "n": total.stages.get(stage, 0)}
            for stage, label in hotline_figures.Stage.choices
            if total.stages.get(stage)
        ]
    )
    return _(
        "全年收到来源为12345热线、网格上报的群众诉求%(n)d件（%(sources)s），其中由热点诉求转化%(issues)d件，"
        "涉及热线记录%(records)d条；目前%(stages)s。"
    ) % {
        "n": total.submissions,
        "sources": sources,
        "issues": total.from_issues,
        "records": total.records,
        "stages": stages,
    }


def _around_work(around: AroundFigures, scope: Scope) -> ReportSection:
    paragraphs = [
        _events_text(around.events),
        _fund_text(around.fund, scope),
        _handoffs_text(around.handoffs),
        _hotline_text(around.hotline),
    ]
    return ReportSection(_("（五）开展宣讲培训，管好协商资金，衔接其他渠道"), paragraphs, level=2)


def _around_tables(around: AroundFigures, scope: Scope) -> list[ReportTable]:
    events, fund, handoffs = around.events, around.fund, around.handoffs
    event_rows = [[label, str(n), str(people)] for _kind, label, n, people in events.by_kind]
    event_rows.append([_("合计"), str(events.held), str(events.attendance)])
    fund_rows = []
    if scope.platform is None:
        fund_rows.append([_("收入（元）"), _yuan(fund.income)])
        fund_rows += [[_("其中%(label)s（元）") % {"label": label}, _yuan(a)] for _k, label, a in fund.income_by_kind]
    fund_rows.append([_("支出（元，扣除冲正）"), _yuan(fund.spent)])
    fund_rows += [[_("其中%(label)s（元）") % {"label": label}, _yuan(a)] for _k, label, a in fund.spent_by_kind]
    fund_rows.append([_("冲正（元）"), _yuan(fund.reversed)])
    if fund.balance is not None:
        fund_rows.append([_("期末余额（元）"), _yuan(fund.balance)])
    fund_rows += [
        [_("关联协商的支出（笔）"), str(fund.consultation_lines)],
        [_("关联交办事项的支出（笔）"), str(fund.assignment_lines)],
    ]
    handoff_rows = [[row.label, str(row.handed), str(row.answered), str(row.awaiting)] for row in handoffs.by_channel]
    handoff_rows.append([_("合计"), str(handoffs.handed), str(handoffs.answered), str(handoffs.awaiting)])
    return [
        ReportTable(_("宣讲培训"), [_("类型"), _("举办场次"), _("参加人次")], event_rows),
        ReportTable(_("协商资金"), [_("项目"), _("金额或笔数")], fund_rows),
        ReportTable(_("转交其他渠道"), [_("渠道"), _("转交"), _("已答复"), _("待答复")], handoff_rows),
        _hotline_table(around.hotline),
    ]


def _hotline_table(hotline: hotline_figures.HotlineFigures) -> ReportTable:
    """The dashboard's table turned on its side (the sources as columns), so it fits the page."""
    columns = [*hotline.rows, hotline.total]
    rows = [
        [_("诉求（件）"), *[str(c.submissions) for c in columns]],
        [_("其中来自热点诉求（件）"), *[str(c.from_issues) for c in columns]],
        [_("涉及热线记录（条）"), *[str(c.records) for c in columns]],
    ]
    rows += [
        [str(label), *[str(c.stages.get(stage, 0)) for c in columns]] for stage, label in hotline_figures.Stage.choices
    ]
    return ReportTable(_("12345热线与网格数据转化的议题"), [_("项目"), *[c.label for c in columns]], rows)


def _problems(board: Dashboard, found: Findings) -> list[str]:
    points = []
    if board.outcomes.overdue:
        text = _("部分协商成果落实不够及时，仍有%(n)d条建议逾期未办结") % {"n": board.outcomes.overdue}
        if found.overdue_places:
            text += _("（%(places)s）") % {"places": _listing(found.overdue_places)}
        points.append(text + "。")
    if found.late_replies:
        points.append(_("政府委托事项中有%(n)d件未在10日内书面答复。") % {"n": found.late_replies})
    if found.low_rated:
        points.append(
            _("部分平台群众满意度偏低，满意率低于%(rate)s的有%(places)s。")
            % {
                "places": _names(
                    [_("%(name)s（%(rate)s）") % {"name": n, "rate": _percent(r)} for n, r in found.low_rated]
                ),
                "rate": _percent(LOW_RATE, drop_zero_decimal=True),
            }
        )
    if found.idle:
        points.append(_("协商开展不够平衡，%(places)s全年未开展协商。") % {"places": _names(found.idle)})
    if found.short_stations:
        points.append(_("%(names)s未完成年度开展协商目标。") % {"names": _names(found.short_stations)})
    if found.uncovered_villages:
        points.append(_("尚有%(n)d个村（社区）未建立协商议事室。") % {"n": found.uncovered_villages})
    if found.inactive_members:
        points.append(_("有%(n)d名下沉委员全年未参加协商。") % {"n": found.inactive_members})
    if not points:
        return [_("从统计数据看，本年度各项工作未发现突出问题。请结合实际补充存在的问题和不足。")]
    return [f"{_ordinal(n)}{text}" for n, text in enumerate(points, start=1)]


def _plans(board: Dashboard, found: Findings) -> list[ReportSection]:
    year = board.scope.start.year + 1
    plans = []
    if found.uncovered_villages:
        text = _("推动尚未建立议事室的%(n)d个村（社区）建立协商议事平台，实现平台全覆盖。") % {
            "n": found.uncovered_villages
        }
    else:
        text = _("巩固平台建设成果，推动协商议事室规范化建设，提升平台运行质量。")
    plans.append(ReportSection(_("（一）扩大平台覆盖"), [text], level=2))
    lagging = found.idle + [name for name in found.short_stations if name not in found.idle]
    if lagging:
        text = _("督促%(places)s按要求每年至少开展%(n)d次协商，推动协商议事常态化。") % {
            "places": _names(lagging),
            "n": MIN_CONSULTATIONS,
        }
    else:
        text = _("保持协商议事频次，围绕群众急难愁盼问题精心选题，提高民生议题比重。")
    plans.append(ReportSection(_("（二）推动协商常态化"), [text], level=2))
    if board.outcomes.overdue or found.late_replies:
        text = _("对逾期未办结的%(overdue)d条建议和逾期未答复的%(late)d件委托事项逐项督办，限期办结并向群众反馈。") % {
            "overdue": board.outcomes.overdue,
            "late": found.late_replies,
        }
    else:
        text = _("坚持建议交办、督办、验收、公开全流程跟踪，确保协商成果按期落实。")
    plans.append(ReportSection(_("（三）抓好成果落实"), [text], level=2))
    if found.low_rated:
        text = _("针对%(places)s满意率偏低的情况开展回访，查找原因、改进工作，提升群众满意度。") % {
            "places": _names([name for name, _rate in found.low_rated])
        }
    else:
        text = _("坚持群众评议，扩大评议覆盖面，把群众满意作为检验协商成效的标准。")
    plans.append(ReportSection(_("（四）提升群众满意度"), [text], level=2))
    if found.inactive_members:
        text = _("组织全年未参加协商的%(n)d名下沉委员参加协商议事，完善委员履职积分管理。") % {
            "n": found.inactive_members
        }
    else:
        text = _("完善委员履职积分管理，发挥下沉委员在议题收集、调研和协商中的作用。")
    plans.append(ReportSection(_("（五）发挥委员作用"), [text], level=2))
    return [ReportSection(_("四、%(year)d年工作打算") % {"year": year})] + plans


def _sections(board: Dashboard, cases: list["ReportCase"], around: AroundFigures) -> list[ReportSection]:
    found = _findings(board)
    return [
        ReportSection(_("一、总体情况"), [summary_of(board)]),
        ReportSection(_("二、主要工作和成效")),
        _platform_work(board),
        _consultation_work(board, cases),
        _outcome_work(board),
        _evaluation_work(board),
        _around_work(around, board.scope),
        ReportSection(_("三、存在的问题和不足"), _problems(board, found)),
        *_plans(board, found),
    ]


# --- the appendix: tables, charts, cases ------------------------------------------------------------


def _item_count() -> list[str]:
    return [_("项目"), _("数量")]


def _platform_table(board: Dashboard) -> list[ReportTable]:
    cov = board.coverage
    rows = [[_("协商议事平台"), str(cov.platforms)]]
    rows += [[label, str(n)] for _kind, label, n in cov.by_kind]
    if cov.venues:
        rows.append([_("其他议事场所（不计入平台数）"), str(cov.venues)])
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
        [_("已采纳（条）"), str(o.decisions.adopted)],
        [_("不予采纳、暂缓采纳或表决未通过（条）"), str(o.decisions.not_taken)],
        [_("待决定采纳（条）"), str(o.decisions.pending)],
        [_("已交办（条）"), str(o.assigned)],
        [_("已办结（条）"), str(o.done)],
        [_("逾期未办结（条）"), str(o.overdue)],
        [_("采纳率"), _percent(o.adoption_rate)],
        [_("交办率"), _percent(o.assignment_rate)],
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
        points_text(row.points),
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


def _seed_tables(seed) -> list[ReportTable]:
    """The seeds' statistics (docs/figures.md) and the departments ranked on their items."""
    tables = [ReportTable(_("协商成效统计（按来源口径）"), _item_count(), seed_report.seed_rows(seed))]
    ranked = seed_report.ranking_rows(seed)
    if ranked:
        columns = [str(c) for c in seed_report.RANKING_COLUMNS]
        tables.append(ReportTable(_("部门办理情况排名"), columns, ranked))
    return tables


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
    cases = _cases(board)
    around = around_figures(scope, board.today)
    return AnnualReport(
        title=report_title(scope),
        period=period,
        summary=summary_of(board),
        sections=_sections(board, cases, around),
        tables=_tables(board) + _around_tables(around, scope) + _seed_tables(seed_figures.seed_figures(scope)),
        charts=_charts(board),
        cases=cases,
        draft_note=_("初稿：由平台根据统计数据生成，请核实修改后使用"),
    )


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 23 → 二十三 (section numbers of an official report)."""
    if n <= 10:
        return SECTION_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return (SECTION_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (SECTION_NUMBERS[ones - 1] if ones else "")


def appendix_parts(report: AnnualReport) -> list[str]:
    """The headings of the appendix, numbered: 附件1 统计附表, 附件2 统计图, 附件3 典型案例."""
    parts = [_("统计附表")]
    if report.charts:
        parts.append(_("统计图"))
    parts.append(_("典型案例"))
    return [_("附件%(n)d　%(name)s") % {"n": n, "name": name} for n, name in enumerate(parts, start=1)]


def table_heading(number: int, table: ReportTable) -> str:
    return _("附表%(n)d　%(heading)s") % {"n": number, "heading": table.heading}


# --- Word --------------------------------------------------------------------------------------------


def _docx_table(doc, table: ReportTable) -> None:
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].style = word.TABLE_TEXT
        word.add_run(cell.paragraphs[0], text, font=word.HEADING_FONT)
    for values in table.rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = ""
            cell.paragraphs[0].style = word.TABLE_TEXT
            word.add_run(cell.paragraphs[0], text)


def _appendix_heading(doc, text: str) -> None:
    """附件N at the left margin, in 黑体 (a level-1 heading without its indent)."""
    word.add_heading(doc, text, level=1).paragraph_format.first_line_indent = 0


def annual_report_docx(report: AnnualReport) -> bytes:
    """The draft to edit: the official Word style (core.documents.word), headings kept with their text."""
    doc = word.a4_document()
    word.set_title(doc, report.title)
    if report.draft_note:
        note = doc.sections[0].header.paragraphs[0]
        note.alignment = word.RIGHT
        word.add_run(note, report.draft_note, size=10.5)
    word.add_heading(doc, report.title, level=0)
    word.add_paragraph(doc, report.period, alignment=word.CENTER, size=word.TABLE_SIZE)
    for section in report.sections:
        word.add_heading(doc, section.heading, level=section.level)
        for text in section.paragraphs:
            word.add_paragraph(doc, text, style=word.BODY_TEXT)
    parts = appendix_parts(report)
    doc.add_page_break()
    _appendix_heading(doc, parts[0])
    for number, table in enumerate(report.tables, start=1):
        word.add_paragraph(doc, table_heading(number, table), style="Heading 3").paragraph_format.first_line_indent = 0
        _docx_table(doc, table)
    if report.charts:
        _appendix_heading(doc, parts[1])
        for caption, png in report.charts:
            doc.add_picture(io.BytesIO(png), width=Mm(156))
            picture = doc.paragraphs[-1]
            picture.alignment = word.CENTER
            picture.paragraph_format.keep_with_next = True
            picture.paragraph_format.line_spacing = 1.0
            word.add_paragraph(doc, caption, alignment=word.CENTER, size=word.TABLE_SIZE)
    _appendix_heading(doc, parts[-1])
    if not report.cases:
        word.add_paragraph(doc, _("本年度暂无发布的典型案例。"), style=word.BODY_TEXT)
    for case in report.cases:
        word.add_heading(doc, case.title, level=3)
        word.add_paragraph(doc, _("平台：%(place)s") % {"place": case.place}, style=word.BODY_TEXT)
        word.add_paragraph(doc, case.story, style=word.BODY_TEXT)
        if case.results:
            word.add_paragraph(doc, _("落实成效：%(results)s") % {"results": case.results}, style=word.BODY_TEXT)
    return word.document_bytes(doc)


# --- PDF ---------------------------------------------------------------------------------------------

REPORT_TITLE = ParagraphStyle("report_title", parent=PLAIN, fontSize=20, leading=30, alignment=TA_CENTER)
SECTION = ParagraphStyle("report_section", parent=PLAIN, fontSize=15, leading=24, spaceBefore=10, spaceAfter=4)
SUBSECTION = ParagraphStyle(
    "report_subsection", parent=PLAIN, fontSize=13, leading=22, spaceBefore=4, firstLineIndent=26
)
TABLE_TITLE = ParagraphStyle("report_table_title", parent=PLAIN, fontSize=12, leading=20, spaceBefore=8, spaceAfter=4)
CASE_TITLE = ParagraphStyle("report_case", parent=PLAIN, fontSize=13, leading=20, spaceBefore=6)
CELL = ParagraphStyle("report_cell", parent=PLAIN, fontSize=10, leading=14)
NOTE = ParagraphStyle("report_note", parent=CAPTION, fontSize=9, alignment=2)


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


def _pdf_heading(text: str, style: ParagraphStyle) -> list:
    """A heading that never ends a page: it moves on unless three lines of what follows fit under it."""
    return pdf.heading_with_room(_bold(text, style), after=BODY.leading * 3)


def annual_report_pdf(report: AnnualReport) -> bytes:
    story = [_p(report.title, REPORT_TITLE), _p(report.period, CAPTION), Spacer(1, 6 * mm)]
    for section in report.sections:
        story += _pdf_heading(section.heading, SECTION if section.level == 1 else SUBSECTION)
        story += [_p(text, BODY) for text in section.paragraphs]
    parts = appendix_parts(report)
    story += [PageBreak(), _bold(parts[0], SECTION)]
    for number, table in enumerate(report.tables, start=1):
        story.append(KeepTogether([_p(table_heading(number, table), TABLE_TITLE), _pdf_table(table)]))
    if report.charts:
        story += _pdf_heading(parts[1], SECTION)
        for caption, png in report.charts:
            story.append(KeepTogether([_pdf_image(png), _p(caption, CAPTION), Spacer(1, 4 * mm)]))
    story += _pdf_heading(parts[-1], SECTION)
    if not report.cases:
        story.append(_p(_("本年度暂无发布的典型案例。"), BODY))
    for case in report.cases:
        story += _pdf_heading(case.title, CASE_TITLE)
        story += [_p(_("平台：%(place)s") % {"place": case.place}, PLAIN), _p(case.story, BODY)]
        if case.results:
            story.append(_p(_("落实成效：%(results)s") % {"results": case.results}, BODY))

    def decorate(canvas, doc):
        canvas.saveState()
        pdf.page_number(canvas, doc)
        if report.draft_note:
            canvas.setFont(pdf.font(), 9)
            canvas.drawRightString(pdf.A4[0] - pdf.MARGIN, pdf.A4[1] - 15 * mm, report.draft_note)
        canvas.restoreState()

    return pdf.build_pdf(story, title=report.title, on_page=decorate)
