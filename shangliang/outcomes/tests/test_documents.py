"""Documents of the outcomes stage: reports as sent, the supervision sheet, the three lists, the results poster.

What each says (extracted from the files), that no spreadsheet cell becomes a formula, that the
poster carries no one's name or number, and that every download answers 404 outside the user's scope.
"""

import csv
import datetime
import io
from urllib.parse import quote

import docx
import pytest
import zxingcpp
from django.urls import reverse
from django.utils import timezone
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from shangliang.consultations.tests.builders import in_session
from shangliang.core.documents.responses import DOCX, XLSX
from shangliang.core.documents.sheets import safe_cell
from shangliang.core.phones import mask_mobile
from shangliang.core.tests.pdf_fonts import assert_cjk_font_embedded
from shangliang.orgs.states import Role, UnitKind
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import services
from shangliang.outcomes.states import ReportKind
from shangliang.outcomes.tests.builders import assigned, concluded, liaison_of, make_unit

pytestmark = pytest.mark.django_db

HEADERS = [
    "序号",
    "协商时间",
    "协商议题",
    "协商建议",
    "交办单位",
    "政协责任委室",
    "督办负责人",
    "进展情况",
    "存在问题",
    "解决思路",
]
FORMULA = '=HYPERLINK("http://example.com/x","点我")'
A4_POINTS = (595, 842)
# Participants added by the consultation builders.
PARTICIPANT_NAMES = ["居民0", "居民1", "居民2", "部门0", "部门1"]
PARTICIPANT_MOBILES = ["13900000000", "13900000001", "13900000002"]


@pytest.fixture
def convener(district):
    return grant(make_user(full_name="召集人王明", mobile="13811110001"), Role.CONVENER, region=district["a1"])


@pytest.fixture
def world(district, convener):
    """A concluded consultation: item 1 done after an update, item 2 deferred; names and mobiles everywhere."""
    consultation = concluded(district, convener=convener)
    unit = make_unit(district["district"], name="区住房和城乡建设局")
    co_unit = make_unit(district["a"], name="甲镇人民政府", kind=UnitKind.TOWNSHIP_GOVERNMENT)
    committee = make_unit(district["district"], name="区政协社会法制委员会", kind=UnitKind.CPPCC_COMMITTEE)
    supervisor = make_user(full_name="督办赵敏", mobile="13822220002")
    liaison = liaison_of(unit)
    done = assigned(
        consultation,
        unit=unit,
        supervisor=supervisor,
        responsible_person="责任人钱进",
        responsible_mobile="13833330003",
        cppcc_committee=committee,
        co_units=[co_unit],
    )
    services.assignment_accept(actor=liaison, assignment=done)
    services.progress_add(
        actor=liaison,
        assignment=done,
        unit=unit,
        progress="已完成选址",
        problems="部分商户不配合",
        next_steps="联合市场监管所上门宣传",
        reported_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    services.progress_add(
        actor=liaison,
        assignment=done,
        unit=unit,
        progress="划线施工完成一半",
        problems="雨天影响施工",
        next_steps="周末加班完成",
    )
    services.assignment_complete(actor=liaison, assignment=done, result="主街两端划定停放点两处")
    services.assignment_check(done, actor=convener)  # the check (验收): only then is it done
    other_unit = make_unit(district["a"], name="甲镇综合执法队", kind=UnitKind.TOWNSHIP_GOVERNMENT)
    other_liaison = liaison_of(other_unit)
    deferred = assigned(
        consultation,
        unit=other_unit,
        supervisor=supervisor,
        responsible_person="责任人孙丽",
        responsible_mobile="13844440004",
        order=1,
    )
    services.assignment_accept(actor=other_liaison, assignment=deferred)
    services.assignment_defer(actor=other_liaison, assignment=deferred, reason="需与区里赶集日调整统一安排")
    return {
        "consultation": consultation,
        "unit": unit,
        "liaison": liaison,
        "other_unit": other_unit,
        "supervisor": supervisor,
        "done": done,
        "deferred": deferred,
    }


def _report(world, convener, kind=ReportKind.CONSULTATION_REPORT, **fields):
    return services.report_draft(
        actor=convener, consultation=world["consultation"], kind=kind, recipient="镇党委、镇政府", **fields
    )


def _pdf(response) -> PdfReader:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def _text(reader: PdfReader) -> str:
    # Wrapped CJK lines break anywhere, so compare without whitespace.
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def _qr_texts(reader: PdfReader) -> list[str]:
    return [code.text for page in reader.pages for image in page.images for code in zxingcpp.read_barcodes(image.image)]


def _docx(response) -> docx.Document:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment;")
    return docx.Document(io.BytesIO(response.content))


def _paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _workbook(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(response.content))


def _rows(sheet, first=4) -> list[list]:
    return [list(row) for row in sheet.iter_rows(min_row=first, values_only=True)]


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf"), "a BOM, so Excel reads the file as UTF-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _sheet(client, user, fmt="xlsx", **params):
    client.force_login(user)
    return client.get(reverse(f"outcomes_files:sheet_{fmt}"), params)


# --- safe_cell -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("划线停车 =1", "划线停车 =1"),
        ("a\x00b\x0bc", "abc"),
        (None, ""),
        (3, 3),
        (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1)),
    ],
)
def test_safe_cell_neutralises_formula_starts_and_keeps_numbers_and_dates(value, expected):
    assert safe_cell(value) == expected


# --- reports -------------------------------------------------------------------------------


def test_consultation_report_docx_has_the_red_head_title_salutation_body_and_signature(client, world, convener):
    report = _report(world, convener)
    client.force_login(convener)
    document = _docx(client.get(reverse("outcomes_files:report_docx", args=[report.pk])))
    paragraphs = _paragraphs(document)
    platform = world["consultation"].platform.name
    assert paragraphs[0] == platform
    masthead = document.paragraphs[0].runs[0]
    assert masthead.bold and str(masthead.font.color.rgb) == "C0392B"
    assert "关于“集镇电动车乱停放”的协商报告" in paragraphs
    title = document.paragraphs[paragraphs.index("关于“集镇电动车乱停放”的协商报告")]
    assert title.alignment == 1 and title.runs[0].bold
    assert "镇党委、镇政府：" in paragraphs
    # 一、基本情况 二、调研情况 三、协商情况 四、协商意见建议 (test_document_layouts checks the sections).
    assert "四、协商意见建议" in paragraphs and "1. 规划电动车停放点" in paragraphs
    assert paragraphs[-2] == platform
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "FangSong"
    assert document.sections[0].header.paragraphs[0].text == "草稿（尚未报送）"


def test_report_pdf_is_a4_with_the_title_and_body_and_drops_the_draft_mark_once_sent(client, world, convener):
    report = _report(world, convener)
    client.force_login(convener)
    url = reverse("outcomes_files:report_pdf", args=[report.pk])
    reader = _pdf(client.get(url))
    assert all((round(p.mediabox.width), round(p.mediabox.height)) == A4_POINTS for p in reader.pages)
    text = _text(reader)
    assert "关于“集镇电动车乱停放”的协商报告" in text
    assert "镇党委、镇政府：" in text and "1.规划电动车停放点" in text and "2.安排赶集日值守" in text
    assert "草稿（尚未报送）" in text

    services.report_send(actor=convener, report=report)
    text = _text(_pdf(client.get(url)))
    today = timezone.localdate()
    assert "草稿" not in text and f"{today.year}年{today.month}月{today.day}日" in text


@pytest.mark.parametrize("kind", list(ReportKind))
def test_report_pdf_embeds_its_chinese_font_and_names_it_in_the_download(client, world, convener, kind):
    report = _report(world, convener, kind=kind)
    client.force_login(convener)
    response = client.get(reverse("outcomes_files:report_pdf", args=[report.pk]))
    assert_cjk_font_embedded(response.content)
    assert report.title in _text(_pdf(response))
    name = quote(f"{report.title}.pdf".replace(" ", "_"))
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{name}"


def test_poster_pdf_embeds_its_chinese_font(client, world, convener):
    client.force_login(convener)
    response = client.get(reverse("outcomes_files:poster_pdf", args=[world["consultation"].pk]))
    assert_cjk_font_embedded(response.content)
    assert "协商结果公开" in _text(_pdf(response))


def test_proposal_prints_its_fields_with_the_platform_as_proposer(client, world, convener):
    report = _report(world, convener, kind=ReportKind.PROPOSAL)
    client.force_login(convener)
    document = _docx(client.get(reverse("outcomes_files:report_docx", args=[report.pk])))
    cells = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    platform = world["consultation"].platform.name
    assert cells["案由"] == report.title and cells["提案人/单位"] == platform
    paragraphs = _paragraphs(document)
    assert paragraphs[0] == "政协提案"
    reasons, measures = paragraphs.index("理由"), paragraphs.index("办法")
    assert reasons < measures
    assert any("就“集镇电动车乱停放”开展协商" in p for p in paragraphs[reasons:measures])
    assert paragraphs[measures + 1 : measures + 3] == ["1. 规划电动车停放点", "2. 安排赶集日值守"]
    text = _text(_pdf(client.get(reverse("outcomes_files:report_pdf", args=[report.pk]))))
    assert "案由" in text and "提案人/单位" in text and "理由" in text and "办法" in text
    for name in [*PARTICIPANT_NAMES, "召集人王明", "督办赵敏", "责任人钱进"]:
        assert name not in text and name not in "".join(paragraphs)


def test_proposal_written_without_the_suggestions_heading_takes_its_measures_from_the_suggestions(
    client, world, convener
):
    report = _report(world, convener, kind=ReportKind.PROPOSAL, body="群众反映赶集日电动车占道严重。")
    client.force_login(convener)
    paragraphs = _paragraphs(_docx(client.get(reverse("outcomes_files:report_docx", args=[report.pk]))))
    assert paragraphs[paragraphs.index("理由") + 1] == "群众反映赶集日电动车占道严重。"
    assert paragraphs[paragraphs.index("办法") + 1] == "1. 规划电动车停放点"


def test_opinion_bulletins_are_numbered_when_sent_and_name_the_platform_as_reporter(client, world, convener):
    first = _report(world, convener, kind=ReportKind.OPINION_BULLETIN)
    second = _report(world, convener, kind=ReportKind.OPINION_BULLETIN, title="再反映赶集日占道")
    # The CPPCC office numbers bulletins per year as they are sent (outcomes/numbering.py).
    services.report_send(actor=convener, report=first)
    services.report_send(actor=convener, report=second)
    client.force_login(convener)
    year = timezone.localtime(first.created_at).year
    platform = world["consultation"].platform.name
    first_text = _text(_pdf(client.get(reverse("outcomes_files:report_pdf", args=[first.pk]))))
    assert f"社情民意信息{year}年第1期" in first_text
    assert f"反映人：{platform}" in first_text and "报送：镇党委、镇政府" in first_text
    paragraphs = _paragraphs(_docx(client.get(reverse("outcomes_files:report_docx", args=[second.pk]))))
    assert paragraphs[:2] == ["社情民意信息", f"{year}年第2期"]
    assert "再反映赶集日占道" in paragraphs and f"反映人：{platform}" in paragraphs


# --- the supervision sheet -----------------------------------------------------------------


def test_sheet_xlsx_has_the_official_columns_title_rows_from_the_latest_update_and_footer(client, world, convener):
    workbook = _workbook(_sheet(client, convener))
    sheet = workbook.active
    assert sheet.title == "督办落实情况表"
    # Titled with the hall's name and brand (002's annex: XX协商议事厅…督办落实情况).
    assert sheet["A1"].value == "“有事好商量”集镇电动车乱停放议事室督办落实情况表"
    assert "A1:J1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [cell.value for cell in sheet[3]] == HEADERS
    assert all(cell.font.b for cell in sheet[3])
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    rows = _rows(sheet)
    done, deferred = rows[0], rows[1]
    consultation = world["consultation"]
    assert done[0] == 1 and done[1].date() == timezone.localtime(consultation.starts_at).date()
    assert done[2:7] == [
        "集镇电动车乱停放",
        "规划电动车停放点",
        "区住房和城乡建设局（牵头）；甲镇人民政府（配合）",
        "区政协社会法制委员会",
        "督办赵敏",
    ]
    # Every update, dated and oldest first (issue 15: the whole history, not only the last one).
    assert "已办结" in done[7] and done[7].index("已完成选址") < done[7].index("划线施工完成一半")
    assert "主街两端划定停放点两处" in done[7]
    assert done[8:10] == ["雨天影响施工", "周末加班完成"]
    assert deferred[3] == "安排赶集日值守" and deferred[4] == "甲镇综合执法队"
    assert "暂缓办理" in deferred[7] and "需与区里赶集日调整统一安排" in deferred[7]
    footer = [value for row in rows[2:] for value in row if value]
    today = timezone.localdate()
    # 填报部门: the CPPCC committee following the items (the only one the rows name).
    assert footer == ["填报部门：区政协社会法制委员会", f"填报时间：{today.year}年{today.month}月{today.day}日"]


def test_sheet_csv_opens_with_a_bom_and_has_the_same_columns_rows_and_footer(client, world, convener):
    rows = _csv_rows(_sheet(client, convener, "csv"))
    assert rows[0] == HEADERS
    assert [row[3] for row in rows[1:3]] == ["规划电动车停放点", "安排赶集日值守"]
    assert rows[3] == []
    assert rows[4][0] == "填报部门：区政协社会法制委员会" and rows[4][7].startswith("填报时间：")


def test_a_formula_in_a_suggestion_comes_out_as_text_in_the_sheet_and_the_three_lists(client, district, convener):
    consultation = concluded(district, convener=convener, suggestions=(FORMULA, "@cmd|' /C calc'!A0"))
    assigned(consultation, unit=make_unit(district["district"]))
    assigned(consultation, unit=make_unit(district["a"], name="甲镇人民政府"), order=1)

    sheet = _workbook(_sheet(client, convener)).active
    for cell in (sheet["D4"], sheet["D5"]):
        assert cell.data_type != "f" and cell.data_type == "s"
        assert not cell.value.startswith(("=", "@")) and cell.value.startswith("'")
    assert sheet["D4"].value == "'" + FORMULA

    rows = _csv_rows(_sheet(client, convener, "csv"))
    assert rows[1][3] == "'" + FORMULA and rows[2][3].startswith("'@")

    client.force_login(convener)
    workbook = _workbook(client.get(reverse("outcomes_files:three_lists_xlsx", args=[consultation.pk])))
    for sheet in workbook.worksheets:
        cell = sheet["B4"]
        assert cell.data_type != "f" and cell.value == "'" + FORMULA


def test_sheet_filters_restrict_the_rows(client, district, world, convener):
    later = concluded(district, convener=convener, title="路灯不亮", days_ahead=40, suggestions=("修复路灯",))
    assigned(later, unit=world["unit"])
    soon = timezone.localdate() + datetime.timedelta(days=10)

    def suggestions(**params):
        return [row[3] for row in _csv_rows(_sheet(client, convener, "csv", **params))[1:] if row and row[0].isdigit()]

    assert suggestions() == ["规划电动车停放点", "安排赶集日值守", "修复路灯"]
    assert suggestions(platform=later.platform_id) == ["修复路灯"]
    assert suggestions(unit=world["other_unit"].pk) == ["安排赶集日值守"]
    assert suggestions(state="done") == ["规划电动车停放点"]
    assert suggestions(state="open") == ["修复路灯"]
    assert suggestions(state="all") == suggestions()
    assert suggestions(end=soon.isoformat()) == ["规划电动车停放点", "安排赶集日值守"]
    assert suggestions(start=(soon + datetime.timedelta(days=1)).isoformat()) == ["修复路灯"]
    subtitle = _workbook(_sheet(client, convener, platform=later.platform_id, state="open")).active["A2"].value
    assert subtitle == f"协商平台：{later.platform.name}　状态：未办结"


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2026-13-01"},
        {"start": "yesterday"},
        {"end": "2026/03/01"},
        {"start": "2026-03-02", "end": "2026-03-01"},
        {"platform": "abc"},
        {"unit": "99999999999999999999"},
        {"state": "nonsense"},
    ],
)
def test_unreadable_sheet_filters_get_a_chinese_400_page(client, world, convener, params):
    for fmt in ("xlsx", "csv"):
        response = _sheet(client, convener, fmt, **params)
        assert response.status_code == 400
        assert "请求有误" in response.content.decode()


def test_a_unit_liaison_sheet_lists_only_the_items_of_their_unit(client, world):
    rows = _csv_rows(_sheet(client, world["liaison"], "csv"))
    assert [row[3] for row in rows[1:] if row and row[0].isdigit()] == ["规划电动车停放点"]
    assert rows[-1][0] == "填报部门：区住房和城乡建设局"
    outsider = liaison_of(make_unit(world["consultation"].platform.region, name="区交通运输局"))
    rows = _csv_rows(_sheet(client, outsider, "csv", platform=world["consultation"].platform_id))
    assert [row for row in rows[1:] if row and row[0].isdigit()] == []


# --- the three lists -----------------------------------------------------------------------


def test_three_lists_workbook_has_the_three_sheets_with_their_columns_and_rows(client, world, convener):
    client.force_login(convener)
    consultation = world["consultation"]
    workbook = _workbook(client.get(reverse("outcomes_files:three_lists_xlsx", args=[consultation.pk])))
    assert workbook.sheetnames == ["协商意见建议清单", "工作责任清单", "落实效果清单"]
    suggestions, responsibilities, effects = workbook.worksheets
    assert [c.value for c in suggestions[3]] == ["序号", "建议内容", "争议、表决、纠正与采纳情况"]
    # Neither item was contested, voted, corrected or left unadopted: nothing to remark.
    assert [row[:2] for row in _rows(suggestions)] == [[1, "规划电动车停放点"], [2, "安排赶集日值守"]]
    assert [row[2] for row in _rows(suggestions)] in ([None, None], ["", ""])
    assert [c.value for c in responsibilities[3]] == [
        "序号",
        "建议",
        "牵头单位",
        "配合单位",
        "责任人",
        "办理时限",
        "政协责任委室",
        "督办负责人",
        "状态",
    ]
    first = _rows(responsibilities)[0]
    assert first[2:5] == ["区住房和城乡建设局", "甲镇人民政府", "责任人钱进"]
    assert first[5].date() == world["done"].deadline and first[6:8] == ["区政协社会法制委员会", "督办赵敏"]
    assert first[8].startswith("已办结")
    assert [c.value for c in effects[3]] == ["序号", "建议", "办理情况", "落实效果", "佐证材料", "办结时间/暂缓原因"]
    done, deferred = _rows(effects)
    assert done[3] == "主街两端划定停放点两处" and done[4] == "无" and done[5].date() == timezone.localdate()
    assert deferred[2].startswith("暂缓办理") and deferred[5] == "暂缓：需与区里赶集日调整统一安排"


def test_three_lists_mark_a_suggestion_not_yet_assigned(client, district, convener):
    consultation = concluded(district, convener=convener)
    client.force_login(convener)
    workbook = _workbook(client.get(reverse("outcomes_files:three_lists_xlsx", args=[consultation.pk])))
    assert [row[8] for row in _rows(workbook["工作责任清单"])] == ["未交办", "未交办"]


# --- the results poster --------------------------------------------------------------------


def _secrets(world, convener) -> list[str]:
    people = [convener, world["supervisor"], world["liaison"]]
    mobiles = [*PARTICIPANT_MOBILES, "13833330003", "13844440004", *(p.mobile for p in people if p.mobile)]
    names = [*PARTICIPANT_NAMES, "责任人钱进", "责任人孙丽", *(p.full_name for p in people if p.full_name)]
    return names + mobiles + [mask_mobile(m) for m in mobiles]


def test_poster_shows_the_topic_suggestions_and_results_but_no_names_or_mobiles(client, world, convener):
    consultation = world["consultation"]
    services.publication_publish(actor=convener, consultation=consultation, summary="两条建议一条办结一条暂缓")
    client.force_login(convener)
    response = client.get(reverse("outcomes_files:poster_pdf", args=[consultation.pk]))
    reader = _pdf(response)
    assert response["Content-Disposition"].startswith("attachment;")
    assert all((round(p.mediabox.width), round(p.mediabox.height)) == A4_POINTS for p in reader.pages)
    text = _text(reader)
    assert text.startswith("协商结果公开") and consultation.platform.name in text
    assert "集镇电动车乱停放" in text and "规划电动车停放点" in text and "安排赶集日值守" in text
    assert "已办结" in text and "主街两端划定停放点两处" in text and "区住房和城乡建设局" in text
    assert "暂缓办理" in text and "需与区里赶集日调整统一安排" in text
    assert "两条建议一条办结一条暂缓" in text
    for secret in _secrets(world, convener):
        assert secret not in text, secret
    assert _qr_texts(reader) == [f"http://testserver{reverse('outcomes_public:result', args=[consultation.pk])}"]


def test_poster_is_not_made_for_a_consultation_without_a_resolution(client, district, convener):
    consultation = in_session(district, convener=convener)
    client.force_login(convener)
    assert client.get(reverse("outcomes_files:poster_pdf", args=[consultation.pk])).status_code == 404


# --- who may download ----------------------------------------------------------------------

DOCUMENTS = ["report_docx", "report_pdf", "three_lists_xlsx", "poster_pdf"]


def _document_url(name, world, report) -> str:
    pk = report.pk if name.startswith("report") else world["consultation"].pk
    return reverse(f"outcomes_files:{name}", args=[pk])


@pytest.mark.parametrize("name", DOCUMENTS)
def test_documents_are_404_outside_the_scope_and_403_for_residents(client, district, world, convener, name):
    url = _document_url(name, world, _report(world, convener))
    other_unit_liaison = liaison_of(make_unit(district["district"], name="区交通运输局"))
    other_village = grant(make_user(), Role.CONVENER, region=district["b1"])
    station_head = grant(make_user(), Role.STATION_HEAD, region=district["a"])
    for user, status in [
        (convener, 200),
        (station_head, 200),
        (other_unit_liaison, 404),
        (other_village, 404),
        (make_user(), 403),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(convener)
    missing = reverse(f"outcomes_files:{name}", args=[999999])
    assert client.get(missing).status_code == 404


@pytest.mark.parametrize("name", DOCUMENTS)
def test_documents_send_anonymous_users_to_login(client, world, convener, name):
    response = client.get(_document_url(name, world, _report(world, convener)))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_sheet_is_for_staff_only(client, world, fmt):
    url = reverse(f"outcomes_files:sheet_{fmt}")
    assert reverse("accounts:login") in client.get(url)["Location"]
    client.force_login(make_user())
    assert client.get(url).status_code == 403


def test_the_three_lists_open_for_the_units_the_consultation_assigned_items_to(client, world):
    client.force_login(world["liaison"])
    url = reverse("outcomes_files:three_lists_xlsx", args=[world["consultation"].pk])
    assert client.get(url).status_code == 200


def test_report_docx_drops_control_characters_that_word_cannot_hold(client, world, convener):
    report = _report(world, convener, title="关于\x0b停车\x08的报告", body="一、基本情况\n群众\x1f反映\t停车难")
    client.force_login(convener)
    paragraphs = _paragraphs(_docx(client.get(reverse("outcomes_files:report_docx", args=[report.pk]))))
    assert "关于停车的报告" in paragraphs
    assert "群众反映\t停车难" in paragraphs
