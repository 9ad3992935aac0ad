"""12345热线与网格数据转化的议题 on the dashboard: the hotline and grid submissions of the year and where each stands,
against a hand count; each figure against its drill-down; the scope (a township sees its own only); the queries.

Built through the services in the district of ``conftest`` (2025), each submission dated in 2025:

甲一村 (甲镇), 12345热线:
    H1  from a hot issue of 3 records, not yet screened                       待审查
    H2  from a hot issue of 2 records, excluded at screening                  未立项
    H3  from a hot issue of 4 records, topic approved                         已立项待协商
    H4  by hand, merged into H3 (follows it)                                  已立项待协商
    H5  by hand, consulted at 甲一村议事室: one item done, one still open      已协商
    H6  from a hot issue of 2 records, consulted at 甲一村议事室: its item done 成果已办结
    H7  by hand, solved directly                                              已直接解决
乙一村 (乙镇), 网格上报:
    G1  from a hot issue of 2 grid events, not yet screened                   待审查
    G2  by hand, handed to another channel                                    转交其他渠道
    G3  by hand, topic not approved                                           未立项
Not counted: a hotline submission of 2024-12-31, a resident's submission of 2025, a hotline submission of today
(2026 or later).

District: 12345热线 7 submissions (4 from hot issues, 11 records): 待审查 1, 已立项待协商 2, 已协商 1, 成果已办结 1,
已直接解决 1, 未立项 1; 网格上报 3 (1 from a hot issue, 2 records): 待审查 1, 转交其他渠道 1, 未立项 1. Total 10, 5, 13.
甲镇: the hotline row only. 乙镇: the grid row only. Platform 甲一村议事室: H5 and H6.
"""

import datetime
import itertools
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations import services as consultation_services
from shangliang.consultations.models import Consultation, SessionFormat
from shangliang.consultations.states import Mode
from shangliang.consultations.tests.builders import researched, starting_soon, with_people
from shangliang.dashboard import hotline_figures, report, selectors
from shangliang.dashboard.hotline_figures import Stage
from shangliang.dashboard.selectors import Scope
from shangliang.dashboard.tests.conftest import YEAR, done
from shangliang.handoffs import services as handoff_services
from shangliang.handoffs.states import Channel
from shangliang.hotline import services as hotline_services
from shangliang.hotline.models import HotIssue, Record
from shangliang.hotline.models import Source as RecordSource
from shangliang.hotline.states import RecordKind
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes.tests.builders import assigned, make_unit
from shangliang.topics import services as topic_services
from shangliang.topics.models import Submission
from shangliang.topics.settle import submission_settle
from shangliang.topics.states import ExclusionReason, Source
from shangliang.topics.tests.builders import category, submit

pytestmark = pytest.mark.django_db

_seq = itertools.count(1)


def _moment(month, day, year=YEAR) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 10))


def _dated(submission, month, day, year=YEAR) -> Submission:
    """The submission as made on that day (the services stamp the real date)."""
    Submission.objects.filter(pk=submission.pk).update(created_at=_moment(month, day, year))
    submission.refresh_from_db()
    return submission


def _from_issue(actor, village, title, records, *, kind=RecordKind.WORK_ORDER) -> Submission:
    """A hot issue of ``records`` records in ``village`` made a submission (``hotline.services.issue_to_topic``)."""
    district = village.parent.parent
    source = hotline_services.source_save(
        actor=actor, source=RecordSource(name=f"来源{next(_seq)}", kind=kind, region=district)
    )
    # The grouping makes hot issues from imported records; here one is made with its records and their count.
    issue = HotIssue.objects.create(
        title=title, owner_region=district, region=village, group_key=f"g{next(_seq)}", record_count=records
    )
    for n in range(records):
        Record.objects.create(
            source=source,
            external_id=f"GD{next(_seq)}",
            kind=kind,
            owner_region=district,
            received_at=_moment(2, 1 + n),
            text=f"{title}，第{n + 1}次反映",
            region=village,
            person_key=f"p{next(_seq)}",
            issue=issue,
        )
    issue = hotline_services.issue_to_topic(actor=actor, issue=issue, title=title, region=village, category=category())
    return issue.submission


def _topic(submission, actor, *, approve=True):
    topic_services.submission_screen(actor=actor, submission=submission, eligible=True)
    topic = topic_services.topic_draft_from_submission(actor=actor, submission=submission)
    topic_services.verification_add(
        actor=actor, topic=topic, checked_by="站长和网格员", checked_on=datetime.date(YEAR, 3, 1), findings="现场属实"
    )
    topic = topic_services.topic_submit(actor=actor, topic=topic)
    if approve:
        return topic_services.topic_approve(actor=make_user(), topic=topic)
    return topic_services.topic_reject(actor=make_user(), topic=topic, note="不属于本级协商范围")


def _consulted(topic, platform, when, actor, suggestions) -> Consultation:
    """A consultation on ``topic`` held and concluded through the services, then dated ``when``."""
    starts = timezone.now() + datetime.timedelta(days=10)
    consultation = consultation_services.consultation_plan(
        actor=actor,
        topic=topic,
        platform=platform,
        session_format=SessionFormat.objects.get(name="居（村）民议事会"),
        mode=Mode.OFFLINE,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="党群服务中心",
        agenda=[("通报调研情况", 10)],
    )
    with_people(consultation)
    consultation = consultation_services.notice_send(actor=actor, consultation=consultation)
    consultation = consultation_services.session_open(actor=actor, consultation=starting_soon(researched(consultation)))
    consultation = consultation_services.session_close(actor=actor, consultation=consultation)
    consultation_services.minutes_confirm(actor=actor, consultation=consultation)
    for text in suggestions:
        consultation_services.suggestion_add(actor=actor, consultation=consultation, text=text)
    consultation = consultation_services.resolution_agree(actor=actor, consultation=consultation)
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_at=when, ends_at=when + datetime.timedelta(hours=2), in_session_at=when
    )
    consultation.refresh_from_db()
    return consultation


def build_hotline(world) -> dict:
    d, convener, pa1 = world.district, world.convener, world.platforms["pa1"]
    a1, b1 = d["a1"], d["b1"]
    unit = make_unit(d["district"], "区住建局")
    made = {}

    made["H1"] = _dated(_from_issue(convener, a1, "幸福家园路灯长期不亮", 3), 3, 1)
    h2 = _from_issue(convener, a1, "邻里纠纷多次来电", 2)
    topic_services.submission_screen(
        actor=convener, submission=h2, eligible=False, reason=ExclusionReason.ANSWERED, note="已由主管部门答复"
    )
    made["H2"] = _dated(h2, 3, 2)
    h3 = _from_issue(convener, a1, "菜市场周边占道经营", 4)
    _topic(h3, convener)
    made["H3"] = _dated(h3, 3, 3)
    h4 = submit(a1, "菜市场门口摊贩堵路", source=Source.HOTLINE, actor=convener)
    topic_services.submission_merge(actor=convener, submission=h4, into=h3)
    made["H4"] = _dated(h4, 3, 4)
    h5 = submit(a1, "村口公交站没有候车亭", source=Source.HOTLINE, actor=convener)
    c5 = _consulted(_topic(h5, convener), pa1, _moment(5, 10), convener, ["建候车亭", "增加班次"])
    done(assigned(c5, order=0, unit=unit, actor=convener), convener)
    assigned(c5, order=1, unit=unit, actor=convener, days=60)
    made["H5"] = _dated(h5, 4, 1)
    h6 = _from_issue(convener, a1, "小区积水无人处理", 2)
    c6 = _consulted(_topic(h6, convener), pa1, _moment(6, 10), convener, ["疏通排水管"])
    done(assigned(c6, order=0, unit=unit, actor=convener), convener)
    made["H6"] = _dated(h6, 4, 2)
    h7 = submit(a1, "路边井盖松动", source=Source.HOTLINE, actor=convener)
    submission_settle(actor=convener, submission=h7, settlement="村委会当天请施工队固定")
    made["H7"] = _dated(h7, 4, 3)

    made["G1"] = _dated(_from_issue(convener, b1, "河道垃圾漂浮", 2, kind=RecordKind.GRID), 5, 1)
    keeper_b1 = grant(make_user("hotline_convener_b1"), Role.CONVENER, region=b1)
    g2 = submit(b1, "村道两侧违章搭建", source=Source.GRID, actor=convener)
    handoff_services.handoff_create(
        actor=keeper_b1, subject=g2, channel=Channel.GOVERNMENT, recipient="镇综合执法队", reason="属于执法事项"
    )
    made["G2"] = _dated(g2, 5, 2)
    g3 = submit(b1, "想建村史馆", source=Source.GRID, actor=convener)
    _topic(g3, convener, approve=False)
    made["G3"] = _dated(g3, 5, 3)

    _dated(submit(a1, "去年的热线诉求", source=Source.HOTLINE, actor=convener), 12, 31, YEAR - 1)
    _dated(submit(a1, "居民自己提的诉求"), 6, 1)
    submit(a1, "今天的热线诉求", source=Source.HOTLINE, actor=convener)
    return made


@pytest.fixture
def hotline(world):
    return build_hotline(world)


def _scope(world, where):
    if where == "pa1":
        return Scope.for_year(YEAR, platform=world.platforms["pa1"])
    return Scope.for_year(YEAR, region=world.district[where])


def _stages(row) -> dict:
    return {stage: n for stage, n in row.stages.items() if n}


def test_the_figures_count_each_hotline_and_grid_submission_at_its_stage(world, hotline):
    district = hotline_figures.hotline_figures(_scope(world, "district"))
    by_source = {row.source: row for row in district.rows}
    hotline_row, grid_row = by_source[Source.HOTLINE], by_source[Source.GRID]
    assert (hotline_row.submissions, hotline_row.from_issues, hotline_row.records) == (7, 4, 11)
    assert _stages(hotline_row) == {
        Stage.SCREENING: 1,
        Stage.APPROVED: 2,
        Stage.CONSULTED: 1,
        Stage.DONE: 1,
        Stage.SETTLED: 1,
        Stage.NOT_TAKEN: 1,
    }
    assert (grid_row.submissions, grid_row.from_issues, grid_row.records) == (3, 1, 2)
    assert _stages(grid_row) == {Stage.SCREENING: 1, Stage.HANDED_OFF: 1, Stage.NOT_TAKEN: 1}
    assert (district.total.submissions, district.total.from_issues, district.total.records) == (10, 5, 13)
    assert sum(district.total.stages.values()) == district.total.submissions
    township = hotline_figures.hotline_figures(_scope(world, "a"))
    assert [(row.source, row.submissions) for row in township.rows] == [(Source.HOTLINE, 7), (Source.GRID, 0)]
    other = hotline_figures.hotline_figures(_scope(world, "b"))
    assert [(row.source, row.submissions) for row in other.rows] == [(Source.HOTLINE, 0), (Source.GRID, 3)]
    platform = hotline_figures.hotline_figures(_scope(world, "pa1"))
    assert _stages(platform.total) == {Stage.CONSULTED: 1, Stage.DONE: 1}


def test_the_last_item_checked_moves_a_consulted_submission_to_done(world, hotline):
    scope = _scope(world, "district")
    assert hotline_figures.hotline_figures(scope).stage(Stage.DONE) == 1
    item = hotline["H5"].topic.consultations.get().suggestions.all()[1].assignments.get()
    done(item, world.convener)
    figures = hotline_figures.hotline_figures(scope)
    assert (figures.stage(Stage.CONSULTED), figures.stage(Stage.DONE)) == (0, 2)


@pytest.mark.parametrize("where", ["district", "a", "b", "pa1"])
def test_each_hotline_figure_is_what_its_drill_down_lists(world, hotline, where):
    scope = _scope(world, where)
    figures = hotline_figures.hotline_figures(scope)

    def rows(value=""):
        return list(selectors.records(scope, "hotline", value))

    assert len(rows()) == figures.total.submissions
    assert len(rows("issues")) == figures.total.from_issues
    assert sum(r.record_count for r in rows("issues")) == figures.total.records
    for row in [*figures.rows, figures.total]:
        if row.source:
            assert len(rows(row.source)) == row.submissions
        listed = rows(row.issues_value)
        assert (len(listed), sum(r.record_count for r in listed)) == (row.from_issues, row.records)
        for cell in row.cells:
            listed = rows(cell.value)
            assert len(listed) == cell.n
            assert {r.stage for r in listed} <= {cell.value.rpartition(":")[2]}
    for bogus in ("bogus", "hotline:bogus", "resident", "resident:done", "done:hotline", "hotline:done:x"):
        with pytest.raises(selectors.UnknownFigure):
            rows(bogus)


def test_the_dashboard_shows_the_section_and_its_drill_down_lists_title_place_date_and_stage(client, world, hotline):
    client.force_login(world.convener)
    query = {"region": world.district["district"].pk, "year": YEAR}
    page = client.get(reverse("dashboard:index"), query).content.decode()
    assert "12345热线与网格数据转化的议题" in page
    total = re.search(r'id="hotline-total">.*?<a [^>]*>(\d+)</a>.*?<a [^>]*>(\d+)</a>.*?<a [^>]*>(\d+)</a>', page, re.S)
    assert total.groups() == ("10", "5", "13")
    hotline_row = re.search(r'data-source="hotline">(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r'class="num">(?:<a [^>]*>)?(\d+)', hotline_row)
    # submissions, from hot issues, records; 待审查, 已立项待协商, 已协商, 成果已办结, 已直接解决, 转交其他渠道, 未立项
    assert cells == ["7", "4", "11", "1", "2", "1", "1", "1", "0", "1"]
    records = reverse("dashboard:records", args=["hotline"])
    done_list = client.get(records, {**query, "value": "hotline:done"}).content.decode()
    assert "12345热线：成果已办结" in done_list
    assert "小区积水无人处理" in done_list and "村口公交站没有候车亭" not in done_list
    assert "甲一村" in done_list and "2025-04-02" in done_list and "成果已办结" in done_list
    assert reverse("topics:submission_detail", args=[hotline["H6"].pk]) in done_list
    assert reverse("hotline:issue", args=[hotline["H6"].hot_issue.pk]) in done_list
    approved = client.get(records, {**query, "value": "approved"}).content.decode()
    assert "菜市场周边占道经营" in approved and "菜市场门口摊贩堵路" in approved
    everything = client.get(records, query).content.decode()
    assert "去年的热线诉求" not in everything and "居民自己提的诉求" not in everything
    assert "今天的热线诉求" not in everything
    assert client.get(records, {**query, "value": "bogus"}).status_code == 404


def test_a_township_sees_its_own_townships_hotline_topics_only(client, world, hotline):
    head_a = grant(make_user("hotline_head_a"), Role.STATION_HEAD, region=world.district["a"])
    client.force_login(head_a)
    page = client.get(reverse("dashboard:index"), {"year": YEAR})
    assert page.context["scope"].region == world.district["a"]
    text = page.content.decode()
    total = re.search(r'id="hotline-total">.*?<a [^>]*>(\d+)</a>', text, re.S)
    assert total.group(1) == "7"  # 乙镇's three grid submissions are not counted
    records = reverse("dashboard:records", args=["hotline"])
    listed = client.get(records, {"year": YEAR}).content.decode()
    assert "幸福家园路灯长期不亮" in listed
    for title in ("河道垃圾漂浮", "村道两侧违章搭建", "想建村史馆"):
        assert title not in listed
    assert "河道垃圾漂浮" not in client.get(records, {"year": YEAR, "value": "grid"}).content.decode()
    # 乙镇's dashboard and its drill-down are not 甲镇's to read.
    b_query = {"region": world.district["b"].pk, "year": YEAR}
    assert client.get(records, b_query).status_code == 404
    assert client.get(reverse("dashboard:index"), b_query).status_code == 404


def test_the_annual_report_tells_the_same_numbers(world, hotline):
    content = report.annual_report(_scope(world, "district"))
    (part,) = [section for section in content.sections if section.heading.startswith("（五）开展宣讲培训")]
    assert (
        "全年收到来源为12345热线、网格上报的群众诉求10件（12345热线7件、网格上报3件），其中由热点诉求转化5件，"
        "涉及热线记录13条；目前待审查2件、已立项待协商2件、已协商1件、成果已办结1件、已直接解决1件、"
        "转交其他渠道1件、未立项2件。"
    ) in part.paragraphs
    (table,) = [t for t in content.tables if t.heading == "12345热线与网格数据转化的议题"]
    assert table.columns == ["项目", "12345热线", "网格上报", "合计"]
    assert ["诉求（件）", "7", "3", "10"] in table.rows and ["涉及热线记录（条）", "11", "2", "13"] in table.rows
    assert ["成果已办结", "1", "0", "1"] in table.rows and ["未立项", "1", "1", "2"] in table.rows
    platform = report.annual_report(Scope.for_year(YEAR, platform=world.platforms["pb1"]))
    assert "全年没有来源为12345热线、网格上报的群众诉求。" in " ".join(
        p for section in platform.sections for p in section.paragraphs
    )


def test_the_section_and_its_drill_down_cost_the_same_queries_for_few_or_many_records(
    client, world, hotline, django_assert_max_num_queries
):
    client.force_login(world.convener)
    query = {"region": world.district["district"].pk, "year": YEAR}
    pages = [
        (reverse("dashboard:records", args=["hotline"]), ""),
        (reverse("dashboard:records", args=["hotline"]), "hotline:done"),
        (reverse("dashboard:index"), ""),
    ]
    counts = []
    for url, value in pages:
        with django_assert_max_num_queries(200) as captured:
            assert client.get(url, {**query, "value": value} if value else query).status_code == 200
        counts.append(len(captured.captured_queries))
    # The section adds one query to the dashboard; the drill-down lists a page in one query (and its count).
    assert counts[0] <= 15 and counts[1] <= 15
    build_more(world)
    for (url, value), before in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(before):
            assert client.get(url, {**query, "value": value} if value else query).status_code == 200


def build_more(world):
    """More hotline and grid submissions at several stages, in 2025."""
    d, convener = world.district, world.convener
    unit = make_unit(d["district"], "区水务局")
    for n in range(3):
        _dated(_from_issue(convener, d["a1"], f"又一处路灯不亮{n}", 2 + n), 7, 1 + n)
        _dated(submit(d["b1"], f"网格又报{n}", source=Source.GRID, actor=convener), 7, 5 + n)
    more = _from_issue(convener, d["a2"], "又一处积水", 3)
    consultation = _consulted(_topic(more, convener), world.platforms["pa1"], _moment(8, 1), convener, ["清淤"])
    done(assigned(consultation, order=0, unit=unit, actor=convener), convener)
    _dated(more, 7, 10)
