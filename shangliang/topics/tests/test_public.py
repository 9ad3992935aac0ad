"""The resident side of the topic stage: report, track, browse the pool, support and follow."""

import io
import uuid
from datetime import date
from pathlib import Path

import pytest
import zxingcpp
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from shangliang.accounts.tests import codes
from shangliang.orgs import services as org_services
from shangliang.orgs.states import PlatformKind
from shangliang.orgs.tests.factories import make_platform, make_region, make_user
from shangliang.topics import services
from shangliang.topics.models import Category, Submission, SubmissionPhoto, TopicFollow, TopicSupport
from shangliang.topics.states import ExclusionReason, Source

pytestmark = pytest.mark.django_db

sms = codes.sms  # the SMS gateway stand-in (a fixture)

GPS_IFD = 0x8825


@pytest.fixture
def category(db):
    return Category.objects.get(name="环境卫生")


@pytest.fixture
def staff(db):
    return make_user("station-li", full_name="李干事")


def form_data(district, category, /, **overrides):
    data = {
        "title": "村口路灯坏了",
        "content": "晚上看不见路，老人容易摔倒",
        "region": district["a1"].pk,
        "grid": "",
        "location_detail": "村口小桥",
        "category": category.pk,
        "identity": "anonymous",
        "submitter_name": "",
        "submitter_mobile": "",
        "client_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def submit(district, category, *, region="a1", title="村口路灯坏了", actor=None, **fields) -> Submission:
    return services.submission_create(
        actor=actor,
        source=Source.RESIDENT,
        region=district[region],
        category=category,
        title=title,
        content=fields.pop("content", "晚上看不见路"),
        **fields,
    ).submission


def approve(submission, staff):
    services.submission_screen(actor=staff, submission=submission, eligible=True)
    topic = services.topic_draft_from_submission(actor=staff, submission=submission)
    return approve_draft(topic, staff)


def approve_draft(topic, staff):
    services.verification_add(actor=staff, topic=topic, checked_by="李干事", checked_on=date.today(), findings="属实")
    services.topic_submit(actor=staff, topic=topic)
    return services.topic_approve(actor=staff, topic=topic)


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


# --- submitting ----------------------------------------------------------------------------


def test_submit_page_offers_villages_by_township_and_loads_grids_with_htmx(client, district):
    page = client.get(reverse("topics:submit")).content.decode()
    assert '<optgroup label="甲镇">' in page and '<optgroup label="乙镇">' in page
    assert "甲一村" in page and "乙一村" in page
    assert f'hx-get="{reverse("topics:grid_options")}"' in page
    assert 'hx-trigger="change"' in page and 'hx-target="#id_grid"' in page
    assert 'name="photos"' in page and "multiple" in page and 'accept="image/*"' in page
    assert 'name="client_token"' in page
    assert "匿名反映" in page and "实名反映" in page


def test_anonymous_visitor_submits_and_lands_on_the_tracking_page_with_the_code(client, district, category):
    response = client.post(reverse("topics:submit"), form_data(district, category))
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("topics:track_detail", args=[submission.tracking_code]) + "?new=1"
    assert submission.is_anonymous and submission.submitter is None and submission.platform is None
    assert submission.source == Source.RESIDENT and submission.region == district["a1"]
    page = client.get(response["Location"]).content.decode()
    assert "提交成功，请记下查询码" in page
    assert submission.tracking_code in page
    assert reverse("topics:track") in page


def test_repeating_the_same_post_creates_no_second_record_and_lands_on_the_same_code(client, district, category):
    data = form_data(district, category)
    first = client.post(reverse("topics:submit"), data)
    second = client.post(reverse("topics:submit"), data)
    assert Submission.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_logged_in_resident_submission_is_linked_to_the_account(client, district, category):
    resident = make_user("resident")
    client.force_login(resident)
    client.post(reverse("topics:submit"), form_data(district, category))
    assert Submission.objects.get().submitter == resident


def test_named_submission_needs_a_valid_mobile_shown_next_to_the_field(client, district, category, sms):
    url = reverse("topics:submit")
    named = {"identity": "named", "submitter_name": "张三"}
    for mobile, message in [("", "实名反映请填写手机号"), ("12345", "请输入11位手机号码")]:
        response = client.post(url, form_data(district, category, submitter_mobile=mobile, **named))
        assert response.status_code == 200
        page = response.content.decode()
        assert message in page
        # The error sits inside the mobile field's block, not in a banner at the top.
        field_block = page.split('id="id_submitter_mobile"')[1].split("</div>")[0]
        assert message in field_block
    assert not Submission.objects.exists()
    sms.ask(client, "139 1234 5678", "submit", field="submitter_mobile")
    code = sms.code("13912345678")
    response = client.post(url, form_data(district, category, submitter_mobile="139 1234 5678", code=code, **named))
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert not submission.is_anonymous and submission.mobile_verified_at is not None
    assert (submission.submitter_name, submission.submitter_mobile) == ("张三", "13912345678")


def test_the_form_offers_the_code_button_next_to_the_named_mobile(client):
    page = client.get(reverse("topics:submit")).content.decode()
    block = page.split('id="id_submitter_mobile"')[1].split('id="id_code"')[0]
    assert "获取验证码" in block and '"purpose": "submit"' in block and '"mobile_field": "submitter_mobile"' in block
    assert "<script>" not in page and 'style="' not in page


def test_a_named_choice_without_a_valid_code_is_refused_next_to_the_code_never_anonymous(
    client, district, category, sms
):
    url = reverse("topics:submit")
    named = {"identity": "named", "submitter_name": "张三", "submitter_mobile": "13912345678"}
    response = client.post(url, form_data(district, category, **named))
    assert response.status_code == 200
    code_block = response.content.decode().split('id="id_code"')[1].split("</div>")[0]
    assert "实名反映需要短信验证码" in code_block
    sms.ask(client, "13912345678", "submit", field="submitter_mobile")
    code = sms.code("13912345678")
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(url, form_data(district, category, code=wrong, **named))
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode().split('id="id_code"')[1].split("</div>")[0]
    sms.ask(client, "13800000000", "submit", field="submitter_mobile")  # a code of another number
    response = client.post(url, form_data(district, category, code=sms.code("13800000000"), **named))
    assert "验证码" in response.content.decode().split('id="id_code"')[1].split("</div>")[0]
    assert not Submission.objects.exists()


def test_a_retried_named_submission_returns_the_first_without_a_new_code(client, district, category, sms):
    sms.ask(client, "13912345678", "submit", field="submitter_mobile")
    data = form_data(
        district,
        category,
        identity="named",
        submitter_name="张三",
        submitter_mobile="13912345678",
        code=sms.code("13912345678"),
    )
    first = client.post(reverse("topics:submit"), data)
    second = client.post(reverse("topics:submit"), data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Submission.objects.count() == 1


def test_a_logged_in_resident_names_their_own_verified_number_without_a_code(client, district, category):
    resident = make_user("wang", full_name="王芳", mobile="13912345678", verified=True)
    client.force_login(resident)
    form = client.get(reverse("topics:submit")).content.decode()
    assert 'value="13912345678"' in form  # the account's own number, offered to its owner
    named = {"identity": "named", "submitter_name": "王芳", "submitter_mobile": "13912345678"}
    assert client.post(reverse("topics:submit"), form_data(district, category, **named)).status_code == 302
    submission = Submission.objects.get()
    assert submission.mobile_verified_at is not None and submission.submitter == resident
    # Another number still needs its own code.
    other = {**named, "submitter_mobile": "13800000000"}
    response = client.post(reverse("topics:submit"), form_data(district, category, **other))
    assert response.status_code == 200 and Submission.objects.count() == 1


def test_an_anonymous_submission_needs_no_code(client, district, category):
    assert client.post(reverse("topics:submit"), form_data(district, category)).status_code == 302
    assert Submission.objects.get().mobile_verified_at is None


def test_anonymous_submission_drops_a_name_and_mobile_typed_before_switching(client, district, category):
    data = form_data(district, category, submitter_name="张三", submitter_mobile="13912345678")
    client.post(reverse("topics:submit"), data)
    submission = Submission.objects.get()
    assert submission.is_anonymous
    assert submission.submitter_name == "" and submission.submitter_mobile == ""


def test_missing_or_bad_fields_are_explained_without_an_error_page(client, district, category, settings):
    # Seven tries from one phone: more than the per-device limit, which is not what this test is about.
    settings.SHANGLIANG_DEVICE_RATE_LIMITS = {**settings.SHANGLIANG_DEVICE_RATE_LIMITS, "submit": "20/10m"}
    url = reverse("topics:submit")
    cases = [
        ({"title": ""}, "这个字段是必填项"),
        ({"title": "长" * 61}, "61"),
        ({"region": ""}, "这个字段是必填项"),
        ({"region": "not-a-number"}, "请从列表中选择所在的村（社区）"),
        ({"region": district["a"].pk}, "请从列表中选择所在的村（社区）"),
        ({"category": ""}, "这个字段是必填项"),
        ({"identity": "someone"}, "选择一个有效的选项"),
    ]
    for overrides, message in cases:
        response = client.post(url, form_data(district, category, **overrides))
        assert response.status_code == 200, overrides
        assert message in response.content.decode(), overrides
    assert not Submission.objects.exists()


def test_a_grid_of_another_village_is_refused(client, district, category):
    grid = district["a1"].children.get()
    response = client.post(
        reverse("topics:submit"), form_data(district, category, region=district["a2"].pk, grid=grid.pk)
    )
    assert response.status_code == 200
    assert not Submission.objects.exists()
    response = client.post(reverse("topics:submit"), form_data(district, category, grid=grid.pk))
    assert response.status_code == 302
    assert Submission.objects.get().grid == grid


def test_a_file_that_is_not_an_image_is_refused_in_chinese_and_nothing_is_created(client, district, category):
    fake = SimpleUploadedFile("photo.jpg", b"this is not a picture", content_type="image/jpeg")
    response = client.post(reverse("topics:submit"), {**form_data(district, category), "photos": [fake]})
    assert response.status_code == 200
    page = response.content.decode()
    field_block = page.split('id="id_photos"')[1].split("</div>")[0]
    assert "请上传 JPG、PNG、WEBP 或 GIF 格式的图片。" in field_block
    assert not Submission.objects.exists() and not SubmissionPhoto.objects.exists()


def test_more_than_three_photos_are_refused(client, district, category):
    photos = [SimpleUploadedFile(f"p{i}.jpg", jpeg_with_gps(), content_type="image/jpeg") for i in range(4)]
    response = client.post(reverse("topics:submit"), {**form_data(district, category), "photos": photos})
    assert response.status_code == 200
    assert "最多上传3张照片" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_jpeg_with_gps_exif_is_stored_without_it(client, district, category):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)
    photos = [SimpleUploadedFile(f"p{i}.jpg", original, content_type="image/jpeg") for i in range(2)]
    response = client.post(reverse("topics:submit"), {**form_data(district, category), "photos": photos})
    assert response.status_code == 302
    stored = SubmissionPhoto.objects.filter(submission=Submission.objects.get())
    assert stored.count() == 2
    for photo in stored:
        with photo.image.open("rb") as handle:
            image = Image.open(io.BytesIO(handle.read()))
        assert image.format == "JPEG"
        exif = image.getexif()
        assert not exif.get_ifd(GPS_IFD) and 0x010F not in exif


def test_platform_form_offers_only_its_villages_and_refuses_another_township(client, district, category):
    room = make_platform(district["a"])
    url = reverse("topics:submit_platform", args=[room.pk])
    page = client.get(url).content.decode()
    assert room.name in page
    assert "甲一村" in page and "甲二村" in page
    assert "乙一村" not in page and '<optgroup label="乙镇">' not in page
    response = client.post(url, form_data(district, category, region=district["b1"].pk))
    assert response.status_code == 200
    assert "请从列表中选择所在的村（社区）" in response.content.decode()
    assert not Submission.objects.exists()
    response = client.post(url, form_data(district, category, region=district["a2"].pk))
    assert response.status_code == 302
    assert Submission.objects.get().platform == room


def test_village_room_preselects_its_village(client, district):
    room = make_platform(district["a2"])
    page = client.get(reverse("topics:submit_platform", args=[room.pk])).content.decode()
    assert f'<option value="{district["a2"].pk}" selected>甲二村</option>' in page
    assert "甲一村" not in page and "乙一村" not in page


def test_district_wide_platform_offers_every_village(client, district):
    online = make_platform(district["district"], kind=PlatformKind.ONLINE_ROOM, name="网上议事厅")
    page = client.get(reverse("topics:submit_platform", args=[online.pk])).content.decode()
    assert all(name in page for name in ("甲一村", "甲二村", "乙一村"))


def test_archived_or_missing_platform_is_404(client, district):
    room = make_platform(district["a"])
    org_services.platform_archive(actor=None, platform=room, reason="撤并")
    for name in ("submit_platform", "platform_poster"):
        assert client.get(reverse(f"topics:{name}", args=[room.pk])).status_code == 404
        assert client.get(reverse(f"topics:{name}", args=[999999])).status_code == 404
    assert client.get(reverse("topics:platform_qr", args=[room.pk, "png"])).status_code == 404


def test_grid_options_lists_the_grids_of_a_village_and_only_the_empty_choice_otherwise(client, district):
    url = reverse("topics:grid_options")
    page = client.get(url, {"region": district["a1"].pk}).content.decode()
    assert '<option value="">不选</option>' in page
    assert "甲一村第一网格" in page
    for bad in [district["a2"].pk, district["a"].pk, "x", "", 999999]:
        response = client.get(url, {"region": bad})
        assert response.status_code == 200
        assert response.content.decode().count("<option") == 1
    assert client.get(url).content.decode().count("<option") == 1


# --- QR code and poster --------------------------------------------------------------------


def test_platform_qr_png_decodes_to_the_submit_address(client, district):
    room = make_platform(district["a1"])
    response = client.get(reverse("topics:platform_qr", args=[room.pk, "png"]))
    assert response["Content-Type"] == "image/png"
    assert "Content-Disposition" not in response
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))
    assert [r.text for r in results] == ["http://testserver" + reverse("topics:submit_platform", args=[room.pk])]
    download = client.get(reverse("topics:platform_qr", args=[room.pk, "png"]), {"download": "1"})
    assert download["Content-Disposition"].startswith("attachment")
    svg = client.get(reverse("topics:platform_qr", args=[room.pk, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert client.get(reverse("topics:platform_qr", args=[room.pk, "gif"])).status_code == 404


def test_poster_page_shows_the_platform_the_qr_the_address_and_three_steps(client, district):
    room = make_platform(district["a1"])
    response = client.get(reverse("topics:platform_poster", args=[room.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert room.name in page and "有事好商量" in page
    assert reverse("topics:platform_qr", args=[room.pk, "svg"]) in page
    assert "http://testserver" + reverse("topics:submit_platform", args=[room.pk]) in page
    assert all(step in page for step in ("扫码", "填写", "记下查询码"))
    # The print layout is in a stylesheet of its own (the Content-Security-Policy refuses inline <style>).
    assert static("css/poster.css") in page
    assert "@media print" in Path(finders.find("css/poster.css")).read_text()


# --- tracking ------------------------------------------------------------------------------


def test_track_finds_a_code_typed_in_lower_case_with_spaces(client, district, category):
    submission = submit(district, category)
    detail = reverse("topics:track_detail", args=[submission.tracking_code])
    code = submission.tracking_code
    for typed in [code, code.lower(), f" {code[:4].lower()} {code[4:]} "]:
        response = client.get(reverse("topics:track"), {"code": typed})
        assert response.status_code == 302, typed
        assert response["Location"] == detail


def test_track_explains_an_unknown_or_empty_code_next_to_the_field(client, district, category):
    submit(district, category)
    response = client.get(reverse("topics:track"), {"code": "ZZZZ9999"})
    assert response.status_code == 200
    assert "没有找到这个查询码" in response.content.decode()
    assert "请输入查询码" in client.get(reverse("topics:track"), {"code": ""}).content.decode()
    assert client.get(reverse("topics:track")).status_code == 200
    assert client.get(reverse("topics:track_detail", args=["ZZZZ9999"])).status_code == 404


def test_track_detail_in_lower_case_goes_to_the_canonical_address(client, district, category):
    submission = submit(district, category)
    response = client.get(reverse("topics:track_detail", args=[submission.tracking_code.lower()]))
    assert response.status_code == 302
    assert response["Location"] == reverse("topics:track_detail", args=[submission.tracking_code])


def test_tracking_page_shows_status_timeline_and_replies_but_no_names_or_mobiles(client, district, category, staff):
    submission = submit(district, category, is_anonymous=False, submitter_name="张三丰", submitter_mobile="13912345678")
    services.submission_screen(actor=staff, submission=submission, eligible=True)
    services.reply_add(actor=staff, submission=submission, text="已安排电工下周维修。")
    response = client.get(reverse("topics:track_detail", args=[submission.tracking_code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "村口路灯坏了" in page and "环境卫生" in page and "甲镇 甲一村" in page
    assert "已受理" in page and "待筛查" in page
    assert "已安排电工下周维修。" in page
    for private in ["张三丰", "13912345678", "139****5678", "李干事", staff.username]:
        assert private not in page, private
    assert "提交成功" not in page


def test_excluded_submission_shows_the_plain_explanation_and_the_note(client, district, category, staff):
    submission = submit(district, category)
    services.submission_screen(
        actor=staff,
        submission=submission,
        eligible=False,
        reason=ExclusionReason.LITIGATION,
        note="该纠纷已由区人民法院立案受理。",
    )
    page = client.get(reverse("topics:track_detail", args=[submission.tracking_code])).content.decode()
    assert "不纳入协商的原因" in page
    assert "已进入诉讼、行政复议或仲裁程序" in page
    assert "该纠纷已由区人民法院立案受理。" in page
    assert "李干事" not in page


def test_drafted_submission_shows_its_topic_and_links_to_it_once_approved(client, district, category, staff):
    submission = submit(district, category)
    services.submission_screen(actor=staff, submission=submission, eligible=True)
    topic = services.topic_draft_from_submission(actor=staff, submission=submission)
    url = reverse("topics:track_detail", args=[submission.tracking_code])
    page = client.get(url).content.decode()
    assert "转为议题" in page and "拟定中" in page
    assert reverse("topics:pool_topic", args=[topic.pk]) not in page
    approve_draft(topic, staff)
    page = client.get(url).content.decode()
    assert "已审定" in page
    assert reverse("topics:pool_topic", args=[topic.pk]) in page


def test_merged_submission_says_so_and_links_to_the_approved_topic(client, district, category, staff):
    first = submit(district, category)
    second = submit(district, category, title="村口的路灯不亮")
    services.submission_merge(actor=staff, submission=second, into=first)
    url = reverse("topics:track_detail", args=[second.tracking_code])
    page = client.get(url).content.decode()
    assert "已合并" in page and "相似事项已合并办理" in page
    assert first.tracking_code not in page
    topic = approve(first, staff)
    page = client.get(url).content.decode()
    assert reverse("topics:pool_topic", args=[topic.pk]) in page


def test_my_submissions_needs_login_and_lists_only_the_users_own(client, district, category):
    url = reverse("topics:my_submissions")
    response = client.get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    mine, theirs = make_user("mine"), make_user("theirs")
    own = submit(district, category, title="我家门口积水", actor=mine)
    other = submit(district, category, title="别人反映的垃圾", actor=theirs)
    anonymous = submit(district, category, title="匿名反映的噪音")
    client.force_login(mine)
    page = client.get(url).content.decode()
    assert own.tracking_code in page and "我家门口积水" in page and "待筛查" in page
    assert reverse("topics:track_detail", args=[own.tracking_code]) in page
    for hidden in (other, anonymous):
        assert hidden.tracking_code not in page and hidden.title not in page


# --- the pool ------------------------------------------------------------------------------


@pytest.fixture
def approved(district, category, staff):
    submission = submit(
        district,
        category,
        title="甲一村垃圾清运不及时",
        is_anonymous=False,
        submitter_name="张三丰",
        submitter_mobile="13912345678",
    )
    return approve(submission, staff)


def test_pool_lists_only_approved_topics_and_hides_personal_data(client, district, category, staff, approved):
    pending = submit(district, category, title="乙一村健身器材损坏", region="b1")
    services.submission_screen(actor=staff, submission=pending, eligible=True)
    draft = services.topic_draft_from_submission(actor=staff, submission=pending)
    page = client.get(reverse("topics:pool")).content.decode()
    assert "甲一村垃圾清运不及时" in page
    assert draft.title not in page
    assert "环境卫生" in page and "村（社区）召集" in page and "甲一村" in page
    assert "1</span> 人支持" in page
    for private in ["张三丰", "13912345678", "李干事", staff.username]:
        assert private not in page


def test_pool_filters_by_township_village_and_search(client, district, category, staff, approved):
    other = approve(submit(district, category, title="乙一村健身器材损坏", region="b1"), staff)
    url = reverse("topics:pool")
    by_township = client.get(url, {"township": district["b"].pk}).content.decode()
    assert other.title in by_township and approved.title not in by_township
    by_village = client.get(url, {"township": district["a"].pk, "village": district["a1"].pk}).content.decode()
    assert approved.title in by_village and other.title not in by_village
    # A village left over from another township falls back to the township.
    stale = client.get(url, {"township": district["b"].pk, "village": district["a1"].pk}).content.decode()
    assert other.title in stale and approved.title not in stale
    by_words = client.get(url, {"q": "健身器材"}).content.decode()
    assert other.title in by_words and approved.title not in by_words
    assert client.get(url, {"township": "x", "page": "zz"}).status_code == 200


def test_livelihood_topic_carries_the_badge(client, district, staff):
    education = Category.objects.get(name="教育")
    topic = approve(submit(district, education, title="校门口接送拥堵"), staff)
    assert topic.is_livelihood
    page = client.get(reverse("topics:pool")).content.decode()
    assert '<span class="badge ok">民生</span>' in page


def test_pool_topic_page_shows_the_facts_and_buttons(client, approved):
    page = client.get(reverse("topics:pool_topic", args=[approved.pk])).content.decode()
    assert approved.title in page and "晚上看不见路" in page
    assert "甲一村" in page and "村（社区）召集" in page
    assert reverse("topics:pool_support", args=[approved.pk]) in page
    assert reverse("topics:pool_follow", args=[approved.pk]) in page
    assert "张三丰" not in page and "李干事" not in page


def test_pool_topic_of_a_topic_not_approved_is_404(client, district, category, staff):
    submission = submit(district, category)
    services.submission_screen(actor=staff, submission=submission, eligible=True)
    topic = services.topic_draft_from_submission(actor=staff, submission=submission)
    assert client.get(reverse("topics:pool_topic", args=[topic.pk])).status_code == 404
    services.verification_add(actor=staff, topic=topic, checked_by="李干事", checked_on=date.today(), findings="属实")
    services.topic_submit(actor=staff, topic=topic)
    services.topic_reject(actor=staff, topic=topic, note="不属于本级事权")
    assert client.get(reverse("topics:pool_topic", args=[topic.pk])).status_code == 404
    assert client.get(reverse("topics:pool_topic", args=[999999])).status_code == 404
    resident = make_user("resident")
    client.force_login(resident)
    assert client.post(reverse("topics:pool_support", args=[topic.pk])).status_code == 404
    assert not TopicSupport.objects.filter(user=resident).exists()


def test_support_counts_once_and_a_second_time_shows_a_message(client, approved):
    resident = make_user("resident")
    client.force_login(resident)
    url = reverse("topics:pool_support", args=[approved.pk])
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("topics:pool_topic", args=[approved.pk])
    assert "感谢您的支持" in response.content.decode()
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "您已经支持过这个议题。" in response.content.decode()
    assert TopicSupport.objects.filter(topic=approved, user=resident).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        TopicSupport.objects.create(topic=approved, user=resident)


def test_support_with_htmx_returns_the_updated_buttons(client, approved):
    client.force_login(make_user("resident"))
    url = reverse("topics:pool_support", args=[approved.pk])
    response = client.post(url, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.startswith('<div id="topic-actions"') and "<html" not in page
    assert "<strong>2</strong>" in page and "已支持" in page
    again = client.post(url, headers={"HX-Request": "true"}).content.decode()
    assert "您已经支持过这个议题。" in again and "<strong>2</strong>" in again


def test_anonymous_support_or_follow_goes_to_login_and_writes_nothing(client, approved):
    topic_url = reverse("topics:pool_topic", args=[approved.pk])
    for name in ("pool_support", "pool_follow"):
        response = client.post(reverse(f"topics:{name}", args=[approved.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert response["Location"].endswith("?next=" + topic_url)
        htmx = client.post(reverse(f"topics:{name}", args=[approved.pk]), headers={"HX-Request": "true"})
        assert htmx["HX-Redirect"].startswith(reverse("accounts:login"))
    assert not TopicSupport.objects.filter(user__isnull=False).exists()
    assert not TopicFollow.objects.exists()
    assert client.get(reverse("topics:pool_support", args=[approved.pk])).status_code == 405


def test_follow_and_unfollow(client, approved):
    resident = make_user("resident")
    client.force_login(resident)
    url = reverse("topics:pool_follow", args=[approved.pk])
    client.post(url, {"action": "follow"})
    client.post(url, {"action": "follow"})
    assert TopicFollow.objects.filter(topic=approved, user=resident).count() == 1
    page = client.get(reverse("topics:pool_topic", args=[approved.pk])).content.decode()
    assert "取消关注" in page
    partial = client.post(url, {"action": "unfollow"}, headers={"HX-Request": "true"}).content.decode()
    assert not TopicFollow.objects.exists()
    assert "已取消关注" in partial and 'value="follow"' in partial
    client.post(url)
    assert TopicFollow.objects.filter(topic=approved, user=resident).exists()


# --- query counts --------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_pool_query_count_does_not_grow_with_the_number_of_topics(client, district, category, staff):
    url = reverse("topics:pool")
    topics = [approve(submit(district, category, title=f"议题{i}"), staff) for i in range(3)]
    # A topic concerning two villages, so the regions join is exercised.
    topics[0].regions.add(district["a2"])
    few = _queries(client, url)
    for i in range(27):
        approve(submit(district, category, title=f"更多议题{i}", region="b1"), staff)
    assert _queries(client, url) == few


def test_my_submissions_query_count_does_not_grow_with_the_number_of_rows(client, district, category):
    resident = make_user("resident")
    client.force_login(resident)
    url = reverse("topics:my_submissions")
    extra = make_region("甲三村", "village", district["a"])
    for i in range(3):
        submit(district, category, title=f"事项{i}", actor=resident)
    few = _queries(client, url)
    for i in range(27):
        services.submission_create(
            actor=resident, source=Source.RESIDENT, region=extra, category=category, title=f"更多事项{i}"
        )
    assert _queries(client, url) == few
