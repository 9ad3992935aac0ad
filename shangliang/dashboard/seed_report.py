"""The annual report's tables of the seeds' statistics (``seed_figures``, formulas in docs/figures.md):
协商成效统计（按来源口径） and 部门办理情况排名, built from the same selectors as the dashboard."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shangliang.core.documents.formats import percent
from shangliang.dashboard.seed_figures import SeedFigures

# The ranking prints its first rows; the whole list is on the departments page.
RANKED_SHOWN = 15


def seed_rows(seed: SeedFigures) -> list[list[str]]:
    solved, im, vo, mr = seed.solved, seed.implemented, seed.voluntary, seed.members
    rows = [
        [_("解决实际问题合计（件）"), str(solved.total)],
        [_("　其中：当场解决"), str(solved.on_spot)],
        [_("　　　　直接解决的群众诉求"), str(solved.settled)],
        [_("　　　　办结的协商建议"), str(solved.done)],
        [_("落实成果（项）"), str(im.total)],
        [_("群众自愿参与率"), f"{percent(vo.rate)}（{vo.voluntary}/{vo.attended}）"],
    ]
    if seed.sectors is not None:
        se = seed.sectors
        rows += [
            [_("界别协商议事室覆盖"), f"{se.covered}/{se.sectors}（{percent(se.rate)}）"],
            [_("企业协商议事室（个）"), str(se.company_rooms)],
            [_("园区协商议事室（个）"), str(se.park_rooms)],
        ]
    levels = "，".join(_("%(label)s%(n)d名") % {"label": label, "n": n} for _value, label, n in mr.by_level)
    rows += [
        [_("下沉委员按层级（名）"), f"{mr.members}（{levels}）"],
        [_("委员联系村（社区）（个）"), str(mr.villages)],
    ]
    if seed.committees:
        rows.append(
            [
                _("专委会参加协商不少于2次"),
                _("%(met)d/%(total)d个专委会达标") % {"met": seed.committees_met, "total": len(seed.committees)},
            ]
        )
    if seed.review is not None:
        state = _("已记录") if seed.review.is_recorded else _("尚未记录")
        rows.append(
            [
                _("主席会议专题研究（%(year)d年%(half)s）")
                % {"year": seed.review.year, "half": seed.review.half_label},
                state,
            ]
        )
    return rows


def ranking_rows(seed: SeedFigures) -> list[list[str]]:
    return [
        [
            str(row.rank) if row.rank else "—",
            row.unit.name,
            str(row.live),
            str(row.done_on_time),
            str(row.done_late),
            str(row.overdue),
            str(row.returned),
            str(row.sent_back),
            percent(row.satisfaction_rate),
            "—" if row.score is None else f"{row.score:.1f}",
        ]
        for row in seed.departments[:RANKED_SHOWN]
    ]


RANKING_COLUMNS = (
    gettext_lazy("名次"),
    gettext_lazy("牵头单位"),
    gettext_lazy("交办（不含退回）"),
    gettext_lazy("按期办结"),
    gettext_lazy("逾期办结"),
    gettext_lazy("逾期未办结"),
    gettext_lazy("退回交办"),
    gettext_lazy("验收退回"),
    gettext_lazy("结果满意率"),
    gettext_lazy("综合得分"),
)
