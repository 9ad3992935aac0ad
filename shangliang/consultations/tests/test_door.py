"""Fair sign-in at the door: the rotating door code, its window, by number with an SMS code, the staff pages."""

import datetime
import io
import re

import pytest
import zxingcpp
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from shangliang.accounts.models import PhoneCode
from shangliang.consultations import door, services
from shangliang.consultations.models import Consultation, Participant
from shangliang.consultations.states import Mode, SignInVia
from shangliang.consultations.tests.builders import in_session, notified, planned, with_people
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
LISTED = "13900000001"  # 居民1 of builders.with_people


@pytest.fixture
def convener(district):
    return grant(make_user(full_name="王主任"), Role.CONVENER, region=district["a1"])


@pytest.fixture
def codes_on_the_page(settings):
    """A development install without an SMS gateway shows each code on the page (CodeSent.demo_code)."""
    settings.DEBUG = True


def due_now(district, **kwargs) -> Consultation:
    """Notified five days ago and starting now: inside the sign-in window."""
    consultation = planned(district, days_ahead=0, **kwargs)
    with_people(consultation)
    earlier = consultation.starts_at - datetime.timedelta(days=5)
    return services.notice_send(actor=consultation.convener, consultation=consultation, now=earlier)


def door_url(consultation, code=None) -> str:
    return reverse("consultations:door", args=[consultation.pk, code or door.screen_code(consultation)])


def code_url(consultation, code=None) -> str:
    return reverse("consultations:door_code", args=[consultation.pk, code or door.screen_code(consultation)])


def listed(consultation, mobile=LISTED) -> Participant:
    return consultation.participants.get(mobile=mobile)


def signed_in(consultation):
    return consultation.participants.filter(signed_in_at__isnull=False)


def ask_code(client, consultation, mobile=LISTED) -> str:
    """获取验证码 at the door; the development page shows the code that was texted."""
    response = client.post(code_url(consultation), {"mobile": mobile}, headers=HTMX)
    fragment = response.content.decode()
    assert response.status_code == 200 and "<html" not in fragment and "data-resend-in" in fragment
    return re.search(r"验证码 (\d{6})", fragment).group(1)


def shift(consultation, delta) -> Consultation:
    moved = Consultation.objects.filter(pk=consultation.pk)
    moved.update(starts_at=consultation.starts_at + delta, ends_at=consultation.ends_at + delta)
    consultation.refresh_from_db()
    return consultation


# --- the code ------------------------------------------------------------------------------


def test_a_screen_code_is_good_for_its_period_and_the_next_then_stale(district, settings):
    consultation = due_now(district)
    now = timezone.now()
    period = datetime.timedelta(minutes=settings.SHANGLIANG_SIGN_IN_ROTATE_MINUTES)
    code = door.screen_code(consultation, now=now)
    assert len(code) == door.CODE_LENGTH and re.fullmatch(r"[A-Za-z0-9_-]+", code)
    assert door.check(consultation, code, now=now) is door.Verdict.VALID
    assert door.check(consultation, code, now=now + period) is door.Verdict.VALID
    assert door.check(consultation, code, now=now + 2 * period) is door.Verdict.STALE
    assert door.check(consultation, code, now=now + datetime.timedelta(days=20)) is door.Verdict.STALE
    assert door.screen_code(consultation, now=now + 2 * period) != code


def test_a_day_code_is_good_on_the_session_date_only(district):
    consultation = due_now(district)
    code = door.day_code(consultation)
    today = timezone.now()
    assert door.check(consultation, code, now=today) is door.Verdict.VALID
    assert door.check(consultation, code, now=today + datetime.timedelta(days=1)) is door.Verdict.STALE
    assert door.check(consultation, code, now=today - datetime.timedelta(days=1)) is not door.Verdict.VALID


def test_made_up_codes_and_codes_of_another_consultation_are_forged(district):
    consultation = due_now(district)
    other = due_now(district, title="路灯不亮")
    code = door.screen_code(consultation)
    assert door.check(other, code) is door.Verdict.FORGED
    assert door.check(other, door.day_code(consultation)) is door.Verdict.FORGED
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")
    for forged in [tampered, "x" + code[1:], code[:-1], "", "s" + "\x00" * 11, "s!!" + code[3:]]:
        assert door.check(consultation, forged) is door.Verdict.FORGED
    Consultation.objects.filter(pk=consultation.pk).update(sign_in_token="a-new-secret")
    consultation.refresh_from_db()
    assert door.check(consultation, code) is door.Verdict.FORGED


# --- the window ----------------------------------------------------------------------------


def test_the_door_refuses_before_the_window_and_says_when_it_opens(client, district, codes_on_the_page):
    consultation = notified(district, days_ahead=7)
    page = client.get(door_url(consultation)).content.decode()
    opens = timezone.localtime(consultation.starts_at - datetime.timedelta(minutes=60)).strftime("%Y年%m月%d日 %H:%M")
    assert "签到尚未开始" in page and opens in page and 'name="mobile"' not in page
    # Neither a code is sent nor anyone signed in, whatever is posted.
    client.post(code_url(consultation), {"mobile": LISTED})
    assert not PhoneCode.objects.exists()
    account = make_user()
    services.participant_claim(actor=account, participant=listed(consultation))
    client.force_login(account)
    response = client.post(door_url(consultation))
    assert response.status_code == 200 and "签到尚未开始" in response.content.decode()
    assert not signed_in(consultation).exists()


def test_the_door_opens_an_hour_before_the_start(client, district, convener):
    consultation = notified(district, convener=convener)
    account = make_user()
    services.participant_claim(actor=account, participant=listed(consultation))
    client.force_login(account)
    shift(consultation, timezone.now() + datetime.timedelta(minutes=61) - consultation.starts_at)
    assert "签到尚未开始" in client.get(door_url(consultation)).content.decode()
    shift(consultation, datetime.timedelta(minutes=-2))
    page = client.get(door_url(consultation)).content.decode()
    assert "签到尚未开始" not in page and "确认签到" in page


def test_the_logged_in_participant_signs_in_with_one_button_in_the_window(client, district):
    consultation = due_now(district)
    account = make_user()
    services.participant_claim(actor=account, participant=listed(consultation))
    client.force_login(account)
    page = client.get(door_url(consultation)).content.decode()
    assert "确认签到" in page and 'name="mobile"' not in page
    response = client.post(door_url(consultation))
    assert response.status_code == 200 and "签到成功" in response.content.decode()
    participant = listed(consultation)
    assert participant.signed_in_at and participant.signed_in_via == SignInVia.ACCOUNT
    assert not participant.signed_in_by_staff
    assert "您已签到" in client.get(door_url(consultation)).content.decode()


def test_the_door_refuses_after_the_planned_end(client, district):
    consultation = due_now(district)
    account = make_user()
    services.participant_claim(actor=account, participant=listed(consultation))
    shift(consultation, datetime.timedelta(hours=-3))
    client.force_login(account)
    response = client.post(door_url(consultation))
    assert response.status_code == 200 and "签到已结束" in response.content.decode()
    assert not signed_in(consultation).exists()


def test_an_open_session_keeps_the_door_open_past_its_planned_end(client, district):
    consultation = in_session(district)
    account = make_user()
    services.participant_claim(actor=account, participant=listed(consultation))
    shift(consultation, datetime.timedelta(hours=-3))
    client.force_login(account)
    assert "签到成功" in client.post(door_url(consultation)).content.decode()


def test_a_stale_screen_code_asks_to_scan_the_screen_again_and_the_previous_one_still_works(client, district, settings):
    consultation = due_now(district)
    account = make_user()
    services.participant_claim(actor=account, participant=listed(consultation))
    client.force_login(account)
    period = datetime.timedelta(minutes=settings.SHANGLIANG_SIGN_IN_ROTATE_MINUTES)
    stale = door.screen_code(consultation, now=timezone.now() - 2 * period)
    page = client.get(door_url(consultation, stale))
    assert page.status_code == 200 and "签到码已更新，请扫描现场屏幕上的二维码" in page.content.decode()
    assert "确认签到" not in page.content.decode()
    client.post(door_url(consultation, stale))
    client.post(code_url(consultation, stale), {"mobile": LISTED})
    assert not signed_in(consultation).exists() and not PhoneCode.objects.exists()

    previous = door.screen_code(consultation, now=timezone.now() - period)
    assert "签到成功" in client.post(door_url(consultation, previous)).content.decode()


def test_the_printed_day_code_works_on_the_session_day_only(client, district):
    consultation = due_now(district)
    code = door.day_code(consultation)
    account = make_user()
    services.participant_claim(actor=account, participant=listed(consultation))
    client.force_login(account)
    assert "确认签到" in client.get(door_url(consultation, code)).content.decode()

    # A session still open days after its date (the door stays open while it is): that day's sheet no longer works.
    late = shift(in_session(district, title="路灯不亮"), datetime.timedelta(days=-2))
    sheet = door.day_code(late)
    services.participant_claim(actor=account, participant=listed(late))
    response = client.post(door_url(late, sheet))
    assert "只限协商当天使用" in response.content.decode()
    assert not signed_in(late).exists()


def test_a_forged_code_is_not_found(client, district):
    consultation = due_now(district)
    other = due_now(district, title="路灯不亮")
    account = make_user()
    services.participant_claim(actor=account, participant=listed(consultation))
    client.force_login(account)
    for code in ["sAAAAAAAAAAA", door.screen_code(other), "short", "d" + "_" * 11]:
        assert client.get(door_url(consultation, code)).status_code == 404
        assert client.post(door_url(consultation, code)).status_code == 404
        assert client.post(code_url(consultation, code), {"mobile": LISTED}).status_code == 404
    assert not signed_in(consultation).exists() and not PhoneCode.objects.exists()


def test_the_old_fixed_address_signs_nobody_in(client, district):
    consultation = due_now(district)
    old = reverse("consultations:sign_in", args=[consultation.pk, consultation.sign_in_token])
    page = client.get(old)
    assert page.status_code == 200 and "此二维码已停用" in page.content.decode()
    assert 'name="mobile"' not in page.content.decode()
    participant = listed(consultation)
    client.post(old, {"mobile": LISTED})
    client.post(old, {"participant": participant.token})
    assert not signed_in(consultation).exists()
    assert client.get(reverse("consultations:sign_in", args=[consultation.pk, "wrong"])).status_code == 404


# --- by number, with an SMS code -----------------------------------------------------------


def test_signing_in_by_number_needs_the_code_texted_to_it(client, district, codes_on_the_page):
    consultation = due_now(district)
    page = client.get(door_url(consultation)).content.decode()
    assert 'name="mobile"' in page and 'name="code"' in page and "获取验证码" in page
    assert code_url(consultation) in page

    response = client.post(code_url(consultation), {"mobile": "139 0000 0001"}, headers=HTMX)
    fragment = response.content.decode()
    assert "验证码已发送至139****0001" in fragment and "<html" not in fragment
    code = re.search(r"验证码 (\d{6})", fragment).group(1)
    assert PhoneCode.objects.get().purpose == "sign_in"

    wrong = "000000" if code != "000000" else "111111"
    refused = client.post(door_url(consultation), {"mobile": LISTED, "code": wrong})
    assert refused.status_code == 200 and "验证码不正确" in refused.content.decode()
    assert 'class="field has-error"' in refused.content.decode()
    assert not signed_in(consultation).exists()

    done = client.post(door_url(consultation), {"mobile": LISTED, "code": code})
    text = done.content.decode()
    assert "签到成功" in text and "139****0001" in text and LISTED not in text
    participant = listed(consultation)
    assert participant.signed_in_via == SignInVia.CODE and not participant.signed_in_by_staff
    # The code is used once.
    again = client.post(door_url(consultation), {"mobile": LISTED, "code": code})
    assert "验证码已失效或未获取" in again.content.decode()


def test_five_wrong_codes_void_the_code(client, district, codes_on_the_page):
    consultation = due_now(district)
    code = ask_code(client, consultation)
    wrong = "000000" if code != "000000" else "111111"
    for left in [4, 3, 2, 1]:
        answer = client.post(door_url(consultation), {"mobile": LISTED, "code": wrong}).content.decode()
        assert f"还可以再输入{left}次" in answer
    assert "输错次数过多" in client.post(door_url(consultation), {"mobile": LISTED, "code": wrong}).content.decode()
    assert "输错次数过多" in client.post(door_url(consultation), {"mobile": LISTED, "code": code}).content.decode()
    assert not signed_in(consultation).exists()


def test_a_number_not_on_the_list_is_told_so_once_the_code_proved_it(client, district, codes_on_the_page):
    consultation = due_now(district)
    code = ask_code(client, consultation, "13712345678")
    response = client.post(door_url(consultation), {"mobile": "13712345678", "code": code})
    text = response.content.decode()
    assert "您不在本次协商的参加名单上，请联系现场工作人员" in text and "137****5678" in text
    assert not signed_in(consultation).exists()


def test_the_code_request_without_htmx_comes_back_as_the_whole_page(client, district, codes_on_the_page):
    consultation = due_now(district)
    response = client.post(code_url(consultation), {"mobile": LISTED})
    page = response.content.decode()
    assert response.status_code == 200 and "<html" in page and "验证码已发送至139****0001" in page
    assert f'value="{LISTED}"' in page and 'name="code"' in page
    invalid = client.post(code_url(consultation), {"mobile": "123"}, headers=HTMX).content.decode()
    assert "请输入11位手机号码" in invalid and "验证码已发送" not in invalid


def test_without_an_sms_gateway_the_door_says_to_ask_the_staff(client, district):
    consultation = due_now(district)
    fragment = client.post(code_url(consultation), {"mobile": LISTED}, headers=HTMX).content.decode()
    assert "本站尚未开通短信服务" in fragment and not PhoneCode.objects.exists()


def test_control_characters_and_overlong_ids_answer_404_or_a_field_error(client, district, convener):
    consultation = due_now(district, convener=convener)
    code = door.screen_code(consultation)
    huge = "9" * 30
    assert client.get(f"/c/{huge}/door/{code}/").status_code == 404
    assert client.post(f"/c/{huge}/door/{code}/code/", {"mobile": LISTED}).status_code == 404
    # A NUL byte in the address is refused before any view (core.middleware), never a 500.
    assert client.get(f"/c/{consultation.pk}/door/s%00{code[2:]}/").status_code in (400, 404)
    assert client.post(f"/c/p/{huge}%00/sign-in/").status_code in (400, 404)
    assert client.post(f"/c/p/{huge}/sign-in/").status_code == 404
    nul = client.post(door_url(consultation), {"mobile": "139\x0000000001", "code": "12\x003456"})
    assert nul.status_code == 200 and "field-error" in nul.content.decode()
    fragment = client.post(code_url(consultation), {"mobile": "\x00"}, headers=HTMX)
    assert fragment.status_code == 200 and "field-error" in fragment.content.decode()
    client.force_login(convener)
    for name in ["door_screen", "door_print"]:
        assert client.get(f"/consultations/{huge}/door/{name.split('_')[1]}/").status_code == 404
    qr = reverse("consultations:sign_in_qr", args=[consultation.pk, "svg"])
    assert client.get(qr, {"code": "s\x00" + code[2:]}).status_code in (400, 404)
    assert client.get(qr, {"code": "s" + code[2:] + "x"}).status_code == 404


# --- the participant's own link ------------------------------------------------------------


def test_the_own_link_signs_in_only_in_the_window(client, district):
    early = notified(district, days_ahead=7)
    participant = listed(early)
    page = client.get(reverse("consultations:participant_page", args=[participant.token])).content.decode()
    assert "到达会场后点这里签到" not in page
    response = client.post(reverse("consultations:participant_sign_in", args=[participant.token]), follow=True)
    assert "签到尚未开始" in response.content.decode()
    assert not signed_in(early).exists()

    consultation = due_now(district, title="路灯不亮")
    participant = listed(consultation)
    page = client.get(reverse("consultations:participant_page", args=[participant.token])).content.decode()
    assert "到达会场后点这里签到" in page
    assert consultation.sign_in_token not in page and "/door/" not in page
    response = client.post(reverse("consultations:participant_sign_in", args=[participant.token]), follow=True)
    participant.refresh_from_db()
    assert participant.signed_in_via == SignInVia.OWN_LINK and "签到成功" in response.content.decode()


def test_staff_at_the_desk_sign_in_as_before(client, district, convener):
    consultation = in_session(district, convener=convener)
    client.force_login(convener)
    participant = listed(consultation)
    client.post(reverse("consultations:staff_sign_in", args=[consultation.pk, participant.pk]))
    participant.refresh_from_db()
    assert participant.signed_in_via == SignInVia.STAFF and participant.signed_in_by_staff


# --- never on the notice -------------------------------------------------------------------


def _qr_texts(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return [c.text for page in reader.pages for image in page.images for c in zxingcpp.read_barcodes(image.image)]


@pytest.mark.parametrize("mode", [Mode.OFFLINE, Mode.HYBRID, Mode.ONLINE])
def test_the_notice_carries_no_door_code(client, district, convener, mode):
    consultation = notified(district, convener=convener, mode=mode)
    client.force_login(convener)
    response = client.get(reverse("consultations:notice_pdf", args=[consultation.pk]))
    assert response.status_code == 200
    texts = _qr_texts(response.content)
    assert texts and all("/door/" not in t and "sign-in" not in t for t in texts)
    assert all(consultation.sign_in_token not in t for t in texts)
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages)
    assert ("现场签到屏上的二维码签到" in text) is (mode != Mode.ONLINE)
    notice = client.get(reverse("consultations:notice", args=[consultation.pk])).content.decode()
    assert consultation.sign_in_token not in notice and "/door/" not in notice


# --- the staff pages -----------------------------------------------------------------------


def _decoded(content: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(content)))]


def test_the_screen_shows_the_current_code_and_the_count_and_refreshes_itself(client, district, convener):
    consultation = due_now(district, convener=convener)
    services.sign_in(participant=listed(consultation), actor=convener)
    client.force_login(convener)
    page = client.get(reverse("consultations:door_screen", args=[consultation.pk])).content.decode()
    assert 'hx-trigger="every 30s"' in page and "已签到 <b>1</b> / 5 人" in page
    code = re.search(r'data-code="([^"]+)"', page).group(1)
    assert door.check(consultation, code) is door.Verdict.VALID
    src = re.search(r'class="door-qr" src="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert client.get(src)["Content-Type"] == "image/svg+xml"
    png = client.get(src.replace(".svg", ".png"))
    assert _decoded(png.content) == [f"http://testserver{door_url(consultation, code)}"]
    assert "no-store" in png["Cache-Control"]

    fragment = client.get(reverse("consultations:door_screen", args=[consultation.pk]), headers=HTMX).content.decode()
    assert fragment.startswith('<section id="door-screen"') and "<html" not in fragment


def test_the_screen_says_when_sign_in_opens_and_shows_no_code_before(client, district, convener):
    consultation = notified(district, convener=convener, days_ahead=7)
    client.force_login(convener)
    page = client.get(reverse("consultations:door_screen", args=[consultation.pk])).content.decode()
    assert "签到尚未开始" in page and "door-qr" not in page and 'hx-trigger="every 30s"' in page


def test_the_printed_code_is_only_there_on_the_session_day(client, district, convener):
    consultation = due_now(district, convener=convener)
    client.force_login(convener)
    page = client.get(reverse("consultations:door_print", args=[consultation.pk])).content.decode()
    assert 'data-code="' + door.day_code(consultation) + '"' in page and "data-print" in page
    png = client.get(reverse("consultations:sign_in_qr", args=[consultation.pk, "png"]), {"day": "1"})
    assert _decoded(png.content) == [f"http://testserver{door_url(consultation, door.day_code(consultation))}"]

    later = notified(district, convener=convener, days_ahead=7, title="路灯不亮")
    page = client.get(reverse("consultations:door_print", args=[later.pk])).content.decode()
    assert "只能在协商当天" in page and "data-code" not in page
    assert client.get(reverse("consultations:sign_in_qr", args=[later.pk, "png"]), {"day": "1"}).status_code == 404


def test_the_session_page_and_the_detail_page_link_the_screen_and_the_sheet(client, district, convener):
    consultation = due_now(district, convener=convener)
    client.force_login(convener)
    for name in ["session", "detail"]:
        page = client.get(reverse(f"consultations:{name}", args=[consultation.pk])).content.decode()
        assert reverse("consultations:door_screen", args=[consultation.pk]) in page
        assert reverse("consultations:door_print", args=[consultation.pk]) in page
        assert "/door/" + door.screen_code(consultation) not in page


@pytest.mark.parametrize("name", ["door_screen", "door_print"])
def test_only_staff_running_the_consultation_see_the_door_pages(client, district, convener, name):
    consultation = due_now(district, convener=convener)
    url = reverse(f"consultations:{name}", args=[consultation.pk])
    qr = reverse("consultations:sign_in_qr", args=[consultation.pk, "png"])
    assert client.get(url).status_code == 302 and client.get(qr).status_code == 302
    station_head = grant(make_user(), Role.STATION_HEAD, region=district["a"])
    other_village = grant(make_user(), Role.CONVENER, region=district["b1"])
    other_township = grant(make_user(), Role.STATION_HEAD, region=district["b"])
    for user, status in [(convener, 200), (station_head, 200), (other_village, 404), (other_township, 404)]:
        client.force_login(user)
        assert client.get(url).status_code == status
        assert client.get(qr).status_code == status
    client.force_login(make_user())
    assert client.get(url).status_code == 403


# --- 实到 ----------------------------------------------------------------------------------


def test_the_minutes_count_as_present_only_the_sign_in_records(district, convener):
    consultation = in_session(district, convener=convener)
    first, second, third, *_ = consultation.participants.all()
    services.sign_in(participant=first, actor=convener)
    services.sign_in(participant=second, via=SignInVia.OWN_LINK)
    # A time written around the services (an old import, a hand edit) is no record of how anyone signed in.
    Participant.objects.filter(pk=third.pk).update(signed_in_at=timezone.now())
    closed = services.session_close(actor=convener, consultation=consultation)
    assert f"应到5人，实到2人：{first.name}、{second.name}" in closed.minutes
