"""The official documents of the outcomes stage laid out as the forms are (issue 16, point 7).

Each is rendered through its download and its text extracted: a proposal (政协提案) with its number,
category, 提案人 with 界别 / 工作单位及职务 / 联系方式 (masked), 附议人 and 建议承办单位; a bulletin (社情民意信息)
numbered per year by the CPPCC office with its 反映人; a consultation report (协商报告) with 调研情况 and who
took part; the supervision sheet titled with the hall and 填报部门 the committee; the results poster with
the supervision phone.
"""

import datetime
import io

import docx
import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from shangliang.consultations import services as consultation_services
from shangliang.consultations.models import SessionFormat
from shangliang.consultations.states import Mode, ParticipantCategory
from shangliang.consultations.tests.builders import starting_soon, with_people
from shangliang.core.errors import DomainError
from shangliang.orgs import services as org_services
from shangliang.orgs.states import Role, UnitKind
from shangliang.orgs.tests.factories import grant, make_member, make_platform, make_user
from shangliang.outcomes import numbering, services
from shangliang.outcomes.models import OutcomeReport
from shangliang.outcomes.states import ReportKind
from shangliang.outcomes.tests.builders import assigned, make_unit
from shangliang.topics.tests.builders import approved

pytestmark = pytest.mark.django_db

LEAD_MOBILE = "13912345678"


@pytest.fixture
def convener(district):
    return grant(make_user(full_name="召集人王明"), Role.CONVENER, region=district["a1"])


@pytest.fixture
def people(district):
    sector = org_services.sector_get_or_create(actor=None, name="社会福利和社会保障界")
    lead = make_member("李提案", sector=sector, workplace="甲镇卫生院院长", mobile=LEAD_MOBILE)
    second = make_member("张附议", sector=sector, workplace="甲镇中心小学教师")
    third = make_member("赵调研")
    return {"lead": lead, "second": second, "third": third}


@pytest.fixture
def consultation(district, convener, people):
    """Concluded, with research by two members and a member at the session, and 3 residents + 2 units."""
    topic = approved(district["a1"], "集镇电动车乱停放")
    platform = topic.platform or make_platform(
        district["a1"], name="甲一村协商议事室", supervision_phone="0571-12345678"
    )
    for member in people.values():
        org_services.member_assign(actor=None, member=member, platform=platform, started_on=datetime.date(2026, 1, 1))
    starts = timezone.now() + datetime.timedelta(days=10)
    c = consultation_services.consultation_plan(
        actor=convener,
        topic=topic,
        platform=platform,
        session_format=SessionFormat.objects.get(name="居（村）民议事会"),
        mode=Mode.OFFLINE,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="甲一村党群服务中心",
        agenda=[("通报调研情况", 10), ("自由发言", 60)],
    )
    with_people(c)
    consultation_services.participant_add(
        actor=convener,
        consultation=c,
        category=ParticipantCategory.MEMBER,
        name=people["lead"].name,
        member=people["lead"],
    )
    c = consultation_services.notice_send(actor=convener, consultation=c)
    consultation_services.research_add(
        actor=convener,
        consultation=c,
        researchers="镇城管办林主任",
        researched_on=datetime.date(2026, 3, 2),
        place="集镇主街",
        findings="赶集日人行道被电动车占满，老人绕行机动车道。",
        members=[people["lead"], people["third"]],
    )
    c = consultation_services.session_open(actor=convener, consultation=starting_soon(c))
    c = consultation_services.session_close(actor=convener, consultation=c)
    consultation_services.minutes_confirm(actor=convener, consultation=c)
    for text in ("规划电动车停放点", "安排赶集日值守"):
        consultation_services.suggestion_add(actor=convener, consultation=c, text=text)
    return consultation_services.resolution_agree(actor=convener, consultation=c)


def _pdf_text(response) -> str:
    assert response.status_code == 200, response.content[:300]
    reader = PdfReader(io.BytesIO(response.content))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def _docx(response):
    assert response.status_code == 200, response.content[:300]
    return docx.Document(io.BytesIO(response.content))


def _proposal(convener, consultation, people, **fields):
    return services.report_draft(
        actor=convener,
        consultation=consultation,
        kind=ReportKind.PROPOSAL,
        recipient="区政协提案委员会",
        members=[people["lead"], people["second"]],
        lead_member=people["lead"],
        proposal_category="城乡建设",
        suggested_handlers="区住房和城乡建设局、甲镇人民政府",
        **fields,
    )


# --- 政协提案 ----------------------------------------------------------------------------------


def test_a_proposal_prints_the_form_with_its_proposer_seconders_handlers_and_a_masked_phone(
    client, convener, consultation, people
):
    report = _proposal(convener, consultation, people)
    client.force_login(convener)
    document = _docx(client.get(reverse("outcomes_files:report_docx", args=[report.pk])))
    cells = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert cells["提案编号"] == "报送后由政协办公室编号"  # a draft has no number yet
    assert cells["类别"] == "城乡建设"
    assert cells["案由"] == "关于“集镇电动车乱停放”的政协提案"
    assert cells["提案人"] == "李提案"
    assert cells["界别"] == "社会福利和社会保障界"
    assert cells["工作单位及职务"] == "甲镇卫生院院长"
    assert cells["联系方式"] == "139****5678"
    assert cells["附议人"] == "张附议"
    assert cells["建议承办单位"] == "区住房和城乡建设局、甲镇人民政府"
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs.index("理由") < paragraphs.index("办法")
    # The full number is never on a copy.
    assert LEAD_MOBILE not in "".join(paragraphs) + "".join(cells.values())

    services.report_send(actor=convener, report=report)
    year = timezone.localdate().year
    text = _pdf_text(client.get(reverse("outcomes_files:report_pdf", args=[report.pk])))
    for expected in (f"提案编号〔{year}〕1号", "类别城乡建设", "提案人李提案", "界别社会福利和社会保障界"):
        assert expected in text
    assert "联系方式139****5678" in text and "附议人张附议" in text and LEAD_MOBILE not in text


def test_proposals_are_numbered_in_the_order_they_are_sent_per_year_and_a_number_is_kept(
    convener, consultation, people
):
    first = _proposal(convener, consultation, people)
    second = _proposal(convener, consultation, people, title="再提停放点")
    bulletin = services.report_draft(
        actor=convener, consultation=consultation, kind=ReportKind.OPINION_BULLETIN, recipient="区委、区政府"
    )
    report = services.report_draft(
        actor=convener, consultation=consultation, kind=ReportKind.CONSULTATION_REPORT, recipient="镇党委"
    )
    year = timezone.localdate().year
    services.report_send(actor=convener, report=second)
    services.report_send(actor=convener, report=first)
    services.report_send(actor=convener, report=bulletin)
    services.report_send(actor=convener, report=report)
    first, second, bulletin, report = (OutcomeReport.objects.get(pk=r.pk) for r in (first, second, bulletin, report))
    assert (second.serial_year, second.serial_seq) == (year, 1)
    assert (first.serial_year, first.serial_seq) == (year, 2)
    assert numbering.serial_text(first) == f"〔{year}〕2号"
    # Each kind has its own sequence; a consultation report has no number.
    assert numbering.serial_text(bulletin) == f"{year}年第1期"
    assert report.serial_seq is None and numbering.serial_text(report) == ""
    # A new year starts again at 1.
    assert numbering.next_serial(ReportKind.PROPOSAL, year + 1) == 1
    assert numbering.next_serial(ReportKind.PROPOSAL, year) == 3


def test_the_lead_proposer_must_belong_to_the_consultation_or_its_platform(convener, consultation, people):
    outsider = make_member("外站委员")
    with pytest.raises(DomainError) as refusal:
        services.report_draft(
            actor=convener,
            consultation=consultation,
            kind=ReportKind.PROPOSAL,
            recipient="区政协",
            lead_member=outsider,
        )
    assert refusal.value.field == "lead_member"


def test_the_report_form_takes_the_proposal_fields_and_the_page_shows_them(client, convener, consultation, people):
    client.force_login(convener)
    url = reverse("outcomes:report_new", args=[consultation.pk])
    page = client.get(url, {"kind": ReportKind.PROPOSAL})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="lead_member"' in html and 'name="proposal_category"' in html and 'name="suggested_handlers"' in html
    token = page.context["form"]["form_token"].value()
    response = client.post(
        url,
        {
            "form_token": token,
            "kind": ReportKind.PROPOSAL,
            "recipient": "区政协",
            "members": [people["lead"].pk, people["second"].pk],
            "lead_member": people["second"].pk,
            "proposal_category": "社会事业",
            "suggested_handlers": "区交通运输局",
            "title": "关于规范集镇电动车停放的提案",
            "body": "群众反映赶集日电动车占道。",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = OutcomeReport.objects.get(title="关于规范集镇电动车停放的提案")
    assert report.lead_member == people["second"] and report.proposal_category == "社会事业"
    html = client.get(response["Location"]).content.decode()
    assert "张附议（社会福利和社会保障界）" in html and "区交通运输局" in html and "社会事业" in html
    assert "附议人" in html and "李提案" in html


# --- 社情民意信息 --------------------------------------------------------------------------------


def test_a_bulletin_is_numbered_by_the_office_and_names_its_reporter_with_sector_and_workplace(
    client, convener, consultation, people
):
    bulletin = services.report_draft(
        actor=convener,
        consultation=consultation,
        kind=ReportKind.OPINION_BULLETIN,
        recipient="区委、区政府",
        members=[people["lead"]],
    )
    client.force_login(convener)
    url = reverse("outcomes_files:report_docx", args=[bulletin.pk])
    paragraphs = [p.text for p in _docx(client.get(url)).paragraphs]
    assert paragraphs[:2] == ["社情民意信息", "报送后由政协办公室编号"]
    services.report_send(actor=convener, report=bulletin)
    paragraphs = [p.text for p in _docx(client.get(url)).paragraphs]
    year = timezone.localdate().year
    assert paragraphs[:2] == ["社情民意信息", f"{year}年第1期"]
    assert "反映人：李提案（社会福利和社会保障界，甲镇卫生院院长）" in paragraphs
    assert "报送：区委、区政府" in paragraphs


# --- 协商报告 ----------------------------------------------------------------------------------


def test_a_consultation_report_has_the_research_and_who_took_part_before_the_suggestions(
    client, convener, consultation
):
    report = services.report_draft(
        actor=convener, consultation=consultation, kind=ReportKind.CONSULTATION_REPORT, recipient="镇党委、镇政府"
    )
    client.force_login(convener)
    paragraphs = [p.text for p in _docx(client.get(reverse("outcomes_files:report_docx", args=[report.pk]))).paragraphs]
    headings = [p for p in paragraphs if p[:2] in {"一、", "二、", "三、", "四、", "五、"}]
    assert headings == ["一、基本情况", "二、调研情况", "三、协商情况", "四、协商意见建议"]
    research = paragraphs[paragraphs.index("二、调研情况") + 1]
    assert research.startswith("2026年3月2日，镇城管办林主任（其中政协委员：李提案、赵调研）到集镇主街调研。")
    assert "赶集日人行道被电动车占满" in research
    taking_part = paragraphs[paragraphs.index("三、协商情况") + 1 : paragraphs.index("四、协商意见建议")]
    assert taking_part[0].startswith("参加协商6人")
    assert "居（村）民代表3人" in taking_part[0] and "职能部门/驻村单位2人" in taking_part[0]
    assert "政协委员1人" in taking_part[0]
    assert "参加协商的政协委员：李提案。" in taking_part
    # Residents are counted, not named.
    assert not any("居民0" in p for p in paragraphs)
    assert paragraphs[paragraphs.index("四、协商意见建议") + 1] == "1. 规划电动车停放点"


# --- 督办落实情况表 ------------------------------------------------------------------------------


def test_the_supervision_sheet_is_titled_with_the_hall_and_filled_in_by_the_committee(
    client, district, convener, consultation
):
    committee = make_unit(district["district"], name="区政协城乡建设委员会", kind=UnitKind.CPPCC_COMMITTEE)
    assigned(consultation, cppcc_committee=committee)
    client.force_login(convener)
    sheet = load_workbook(io.BytesIO(client.get(reverse("outcomes_files:sheet_xlsx")).content)).active
    assert sheet["A1"].value == "“有事好商量”甲一村协商议事室督办落实情况表"
    footer = [value for row in sheet.iter_rows(min_row=4, values_only=True) for value in row if value]
    assert "填报部门：区政协城乡建设委员会" in footer

    staff = grant(make_user(full_name="委室干部"), Role.COMMITTEE_STAFF, unit=committee)
    grant(staff, Role.COMMITTEE_STAFF, region=district["district"])
    client.force_login(staff)
    sheet = load_workbook(io.BytesIO(client.get(reverse("outcomes_files:sheet_xlsx")).content)).active
    assert "填报部门：区政协城乡建设委员会" in [
        value for row in sheet.iter_rows(min_row=4, values_only=True) for value in row if value
    ]


# --- 协商结果公开海报 -----------------------------------------------------------------------------


def test_the_results_poster_prints_the_supervision_phone_and_no_personal_number(client, convener, consultation):
    services.publication_publish(
        actor=convener, consultation=consultation, summary="赶集日增设停放点两处。", channels=["board"]
    )
    client.force_login(convener)
    text = _pdf_text(client.get(reverse("outcomes_files:poster_pdf", args=[consultation.pk])))
    assert "监督电话：0571-12345678" in text
    assert "13900000000" not in text and LEAD_MOBILE not in text
