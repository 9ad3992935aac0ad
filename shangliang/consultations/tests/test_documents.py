"""Printable documents: what the notice and the minutes say, where their QR codes lead, and who may download them."""

import io
from urllib.parse import quote

import docx
import pytest
import zxingcpp
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from shangliang.consultations import door, services
from shangliang.consultations.states import ExplanationOutcome, Mode
from shangliang.consultations.tests.builders import in_session, notified
from shangliang.core.documents.responses import DOCX
from shangliang.core.tests.pdf_fonts import assert_cjk_font_embedded
from shangliang.core.tests.word_style import assert_official_word_style
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user

pytestmark = pytest.mark.django_db

DOCUMENTS = [("notice_pdf", ()), ("minutes_pdf", ()), ("minutes_docx", ()), ("sign_in_qr", ("png",))]
A4_POINTS = (595, 842)


@pytest.fixture
def convener(district):
    return grant(make_user(full_name="王主任"), Role.CONVENER, region=district["a1"])


def _url(name, consultation, *extra):
    return reverse(f"consultations:{name}", args=[consultation.pk, *extra])


def _absolute(name, *args):
    return f"http://testserver{reverse(f'consultations:{name}', args=args)}"


def _pdf(response) -> PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    return PdfReader(io.BytesIO(response.content))


def _text(reader: PdfReader) -> str:
    # Wrapped CJK lines break anywhere, so compare without whitespace.
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def _qr_texts(reader: PdfReader) -> list[str]:
    return [code.text for page in reader.pages for image in page.images for code in zxingcpp.read_barcodes(image.image)]


def _held(district, convener):
    return services.session_close(actor=convener, consultation=in_session(district, convener=convener))


def test_notice_is_an_a4_page_with_the_title_place_and_agenda(client, district, convener):
    consultation = notified(district, convener=convener)
    client.force_login(convener)
    reader = _pdf(client.get(_url("notice_pdf", consultation)))
    assert 1 <= len(reader.pages) <= 2
    assert all((round(page.mediabox.width), round(page.mediabox.height)) == A4_POINTS for page in reader.pages)
    text = _text(reader)
    assert "关于召开“集镇电动车乱停放”居（村）民议事会的通知" in text
    assert "各位参会代表：" in text and "电动车停在人行道上" in text
    assert "地点：甲一村党群服务中心" in text and "召集人：王主任" in text
    assert "1.通报调研情况（10分钟）" in text and "2.自由发言（60分钟）" in text


def test_notice_embeds_its_chinese_font_so_a_printer_without_it_shows_no_boxes(client, district, convener):
    consultation = notified(district, convener=convener)
    client.force_login(convener)
    response = client.get(_url("notice_pdf", consultation))
    assert_cjk_font_embedded(response.content)
    assert "关于召开“集镇电动车乱停放”居（村）民议事会的通知" in _text(_pdf(response))
    name = quote("集镇电动车乱停放-协商通知.pdf")
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{name}"


def test_minutes_embed_their_chinese_font_with_the_draft_watermark(client, district, convener):
    consultation = _held(district, convener)
    client.force_login(convener)
    response = client.get(_url("minutes_pdf", consultation))
    assert_cjk_font_embedded(response.content)
    assert "纪要尚未确认（草稿）" in _text(_pdf(response))


@pytest.mark.parametrize(
    ("mode", "expected", "absent"),
    [(Mode.OFFLINE, [""], "扫码参加网上协商"), (Mode.ONLINE, ["", "#online"], "扫码签到")],
)
def test_notice_qr_codes_lead_to_sign_up_and_the_online_session_never_to_the_door(
    client, district, convener, mode, expected, absent
):
    consultation = notified(district, convener=convener, mode=mode)
    client.force_login(convener)
    reader = _pdf(client.get(_url("notice_pdf", consultation)))
    page = _absolute("public_page", consultation.pk)
    # The door code is shown at the session only (test_door.py): a notice could sign in from home.
    assert sorted(_qr_texts(reader)) == sorted(page + anchor for anchor in expected)
    text = _text(reader)
    assert "扫码报名参加" in text and absent not in text


def test_minutes_are_a_labelled_draft_until_the_convener_confirms_them(client, district, convener):
    consultation = _held(district, convener)
    client.force_login(convener)
    text = _text(_pdf(client.get(_url("minutes_pdf", consultation))))
    assert "“集镇电动车乱停放”协商会议纪要" in text and "应到5人，实到0人" in text
    assert text.count("召集人：王主任") == 1, "the draft's own header is not printed twice"
    assert "纪要尚未确认（草稿）" in text and "纪要已由召集人于" not in text

    services.minutes_confirm(actor=convener, consultation=consultation)
    text = _text(_pdf(client.get(_url("minutes_pdf", consultation))))
    today = timezone.localdate()
    assert f"纪要已由召集人于{today.year}年{today.month}月{today.day}日确认" in text
    assert "应到5人，实到0人" in text and "草稿" not in text


def test_minutes_print_as_a_draft_before_any_minutes_are_written(client, district, convener):
    consultation = notified(district, convener=convener)
    client.force_login(convener)
    text = _text(_pdf(client.get(_url("minutes_pdf", consultation))))
    assert "纪要尚未填写" in text and "纪要尚未确认（草稿）" in text
    response = client.get(_url("minutes_docx", consultation))
    assert response.status_code == 200 and response["Content-Type"] == DOCX


def test_minutes_docx_has_the_title_the_suggestions_and_the_explained_dissent(client, district, convener):
    consultation = _held(district, convener)
    services.suggestion_add(actor=convener, consultation=consultation, text="在主街两端划定集中停放点")
    dissent = services.dissent_add(actor=convener, consultation=consultation, holder="居民0", view="停放点离家太远")
    services.dissent_explain(
        actor=convener, dissent=dissent, method="入户", explanation="两端各设一处", outcome=ExplanationOutcome.ACCEPTED
    )
    client.force_login(convener)
    response = client.get(_url("minutes_docx", consultation))
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment;")
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert "“集镇电动车乱停放”协商会议纪要" in paragraphs
    assert "1. 在主街两端划定集中停放点" in paragraphs
    assert "居民0：停放点离家太远" in paragraphs
    assert "解释结果：已理解认可；解释说明（入户）：两端各设一处" in paragraphs
    assert document.sections[0].header.paragraphs[0].text == "纪要尚未确认（草稿）"


def test_sign_in_qr_decodes_to_the_door_with_the_current_code(client, district, convener):
    consultation = notified(district, convener=convener)
    client.force_login(convener)
    png = client.get(_url("sign_in_qr", consultation, "png")).content
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    [url] = [r.text for r in results]
    prefix = _absolute("door", consultation.pk, "CODE").replace("CODE/", "")
    assert url.startswith(prefix) and url.endswith("/")
    assert door.check(consultation, url[len(prefix) : -1]) is door.Verdict.VALID
    assert client.get(_url("sign_in_qr", consultation, "svg"))["Content-Type"] == "image/svg+xml"


def test_an_unknown_qr_format_is_404(client, district, convener):
    consultation = notified(district, convener=convener)
    client.force_login(convener)
    assert client.get(_url("sign_in_qr", consultation, "png")).status_code == 200
    assert client.get(_url("sign_in_qr", consultation, "gif")).status_code == 404


@pytest.mark.parametrize(("name", "extra"), DOCUMENTS)
def test_only_staff_whose_scope_covers_the_village_get_the_documents(client, district, convener, name, extra):
    consultation = notified(district, convener=convener)
    station_head = grant(make_user(), Role.STATION_HEAD, region=district["a"])
    other_village = grant(make_user(), Role.CONVENER, region=district["b1"])
    for user, status in [(convener, 200), (station_head, 200), (other_village, 404), (make_user(), 403)]:
        client.force_login(user)
        assert client.get(_url(name, consultation, *extra)).status_code == status
    client.force_login(convener)
    assert client.get(reverse(f"consultations:{name}", args=[consultation.pk + 1000, *extra])).status_code == 404


@pytest.mark.parametrize(("name", "extra"), DOCUMENTS)
def test_anonymous_users_are_sent_to_login(client, district, convener, name, extra):
    response = client.get(_url(name, notified(district, convener=convener), *extra))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_minutes_docx_drops_control_characters_that_word_cannot_hold(client, district, convener):
    consultation = _held(district, convener)
    services.minutes_update(actor=convener, consultation=consultation, text="会议\x08决定\x01在主街\x1f划线")
    services.suggestion_add(actor=convener, consultation=consultation, text="划定\x0c停放点\ufffe")
    client.force_login(convener)
    response = client.get(_url("minutes_docx", consultation))
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    paragraphs = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]
    assert "会议决定在主街划线" in paragraphs
    assert "1. 划定停放点" in paragraphs


def test_minutes_docx_is_in_the_official_style_not_words_blue_headings(client, district, convener):
    consultation = _held(district, convener)
    services.suggestion_add(actor=convener, consultation=consultation, text="在主街两端划定集中停放点")
    client.force_login(convener)
    document = docx.Document(io.BytesIO(client.get(_url("minutes_docx", consultation)).content))
    # Black throughout; red only for the draft label in the page header and the closing line.
    assert_official_word_style(document, red_texts=("纪要尚未确认（草稿）",))
    title = document.paragraphs[0]
    assert title.text == "“集镇电动车乱停放”协商会议纪要" and title.style.name == "Title"
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == ["协商建议", "不同意见"]
    assert document.core_properties.title == title.text
    services.minutes_confirm(actor=convener, consultation=consultation)
    confirmed = docx.Document(io.BytesIO(client.get(_url("minutes_docx", consultation)).content))
    assert_official_word_style(confirmed)  # nothing red once confirmed
