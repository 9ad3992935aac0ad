"""Every organisation URL: success, refusal (404 for another scope) and bad input."""

import io

import pytest
import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from shangliang.orgs import services
from shangliang.orgs.models import Member, MemberAssignment, Platform, PlatformCheck, Region
from shangliang.orgs.states import MemberLevel, PlatformKind, Role, SixHave
from shangliang.orgs.tests.factories import grant, make_member, make_platform, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def station_head(district):
    return grant(make_user("station", full_name="站长"), Role.STATION_HEAD, region=district["a"])


@pytest.fixture
def admin_a(district):
    return grant(make_user("admin-a"), Role.ADMINISTRATOR, region=district["a"])


@pytest.fixture
def rooms(district):
    return {key: make_platform(district[key]) for key in ("a", "a1", "a2", "b1")}


def test_anonymous_users_are_sent_to_login(client, rooms):
    for url in [reverse("orgs:platform_list"), reverse("orgs:platform_detail", args=[rooms["a1"].pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_home_shows_roles_and_an_empty_waiting_list(client, station_head):
    client.force_login(station_head)
    page = client.get(reverse("portal:home")).content.decode()
    assert "联络站负责人 · 甲镇" in page
    assert "暂无待办事项" in page


def test_landing_page_for_visitors_is_in_chinese_and_switches_to_english(client):
    assert "有事好商量" in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "Staff login" in page
    assert 'lang="en"' in page


def test_region_tree_shows_only_the_users_scope(client, station_head, district):
    client.force_login(station_head)
    page = client.get(reverse("orgs:region_tree")).content.decode()
    assert "甲一村第一网格" in page and "甲二村" in page
    assert "乙一村" not in page and "乙镇" not in page


def test_administrator_adds_a_village_and_bad_input_is_explained(client, admin_a, district):
    client.force_login(admin_a)
    url = reverse("orgs:region_create", args=[district["a"].pk])
    response = client.post(url, {"name": "甲三村", "code": "12345"})
    assert response.status_code == 200
    assert "12位数字" in response.content.decode()
    response = client.post(url, {"name": "甲一村", "code": ""})
    assert response.status_code == 200
    assert not Region.objects.filter(name="甲一村").exclude(pk=district["a1"].pk).exists()
    response = client.post(url, {"name": "甲三村", "code": "110101001003"})
    assert response.status_code == 302
    village = Region.objects.get(name="甲三村")
    assert village.level == "village" and village.parent == district["a"]
    assert client.get(reverse("orgs:region_create", args=[district["b"].pk])).status_code == 404


def test_region_edit_is_refused_outside_scope(client, admin_a, district):
    client.force_login(admin_a)
    assert client.get(reverse("orgs:region_edit", args=[district["a1"].pk])).status_code == 200
    response = client.post(reverse("orgs:region_edit", args=[district["b1"].pk]), {"name": "改名"})
    assert response.status_code == 404
    district["b1"].refresh_from_db()
    assert district["b1"].name == "乙一村"


def test_platform_list_shows_coverage_and_filters(client, station_head, rooms):
    client.force_login(station_head)
    response = client.get(reverse("orgs:platform_list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "coverage-table" in page and "甲镇" in page and "100.0%" in page
    assert "乙一村协商议事室" not in page
    response = client.get(reverse("orgs:platform_list"), {"kind": PlatformKind.TOWNSHIP_ROOM})
    assert [p.name for p in response.context["page"]] == ["甲镇协商议事室"]
    response = client.get(reverse("orgs:platform_list"), {"q": "甲二"})
    assert [p.name for p in response.context["page"]] == ["甲二村协商议事室"]
    response = client.get(reverse("orgs:platform_list"), {"kind": "nonsense"})
    assert response.status_code == 200


def test_platform_list_htmx_filter_returns_only_the_rows(client, station_head, rooms):
    client.force_login(station_head)
    response = client.get(
        reverse("orgs:platform_list"), {"q": "甲一"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="platform-rows"
    )
    page = response.content.decode()
    assert "甲一村协商议事室" in page and "coverage-table" not in page and "<html" not in page


def test_platform_create_and_bad_input(client, station_head, district):
    client.force_login(station_head)
    url = reverse("orgs:platform_create")
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "", "kind": PlatformKind.VILLAGE_ROOM, "region": district["a2"].pk})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    response = client.post(url, {"name": "越界议事室", "kind": PlatformKind.VILLAGE_ROOM, "region": district["b1"].pk})
    assert response.status_code == 200
    assert response.context["form"].errors["region"]
    assert not Platform.objects.filter(name="越界议事室").exists()
    response = client.post(
        url,
        {"name": "甲二村议事厅", "kind": PlatformKind.VILLAGE_ROOM, "brand": "有事好商量", "region": district["a2"].pk},
    )
    assert response.status_code == 302
    assert PlatformCheck.objects.filter(platform__name="甲二村议事厅").count() == 6


def test_platform_detail_shows_checklist_and_members(client, station_head, rooms):
    member = make_member("赵委员")
    services.member_assign(actor=None, member=member, platform=rooms["a"], started_on="2023-03-01")
    client.force_login(station_head)
    page = client.get(reverse("orgs:platform_detail", args=[rooms["a"].pk])).content.decode()
    assert "有阵地" in page and "有实效" in page and "赵委员" in page
    assert client.get(reverse("orgs:platform_detail", args=[rooms["b1"].pk])).status_code == 404
    assert client.get(reverse("orgs:platform_detail", args=[999999])).status_code == 404


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_six_haves_photo_is_checked_by_content_and_saved_without_location(client, station_head, rooms):
    client.force_login(station_head)
    url = reverse("orgs:platform_check_edit", args=[rooms["a1"].pk, SixHave.SIGN])
    fake = SimpleUploadedFile("sign.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(url, {"is_met": "on", "note": "门口挂牌", "photo": fake})
    assert response.status_code == 400
    assert "图片" in response.content.decode()
    assert not PlatformCheck.objects.get(platform=rooms["a1"], item=SixHave.SIGN).is_met
    photo = SimpleUploadedFile("sign.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(url, {"is_met": "on", "note": "门口挂牌", "photo": photo})
    assert response.status_code == 302
    check = PlatformCheck.objects.get(platform=rooms["a1"], item=SixHave.SIGN)
    assert check.is_met and check.note == "门口挂牌"
    with Image.open(check.photo.path) as saved:
        assert 0x8825 not in saved.getexif()
    assert client.post(reverse("orgs:platform_check_edit", args=[rooms["b1"].pk, SixHave.SIGN]), {}).status_code == 404
    assert client.get(reverse("orgs:platform_check_edit", args=[rooms["a1"].pk, "nonsense"])).status_code == 404


def test_platform_archive_keeps_the_record(client, station_head, rooms):
    client.force_login(station_head)
    response = client.post(reverse("orgs:platform_archive", args=[rooms["a2"].pk]), {"reason": "合并"})
    assert response.status_code == 302
    platform = Platform.objects.get(pk=rooms["a2"].pk)
    assert platform.is_archived
    assert client.get(reverse("orgs:platform_detail", args=[platform.pk])).status_code == 404
    assert client.post(reverse("orgs:platform_archive", args=[rooms["b1"].pk])).status_code == 404


def test_member_pages(client, admin_a, rooms):
    member = make_member("钱委员", mobile="13912345678", specialty="农业技术")
    services.member_assign(actor=None, member=member, platform=rooms["a"], started_on="2023-03-01")
    outsider = make_member("孙委员")
    services.member_assign(actor=None, member=outsider, platform=rooms["b1"], started_on="2023-03-01")
    client.force_login(admin_a)
    page = client.get(reverse("orgs:member_list")).content.decode()
    assert "钱委员" in page and "孙委员" not in page
    assert client.get(reverse("orgs:member_list"), {"level": MemberLevel.CITY}).context["page"].paginator.count == 0
    detail = client.get(reverse("orgs:member_detail", args=[member.pk])).content.decode()
    assert "13912345678" in detail
    assert client.get(reverse("orgs:member_detail", args=[outsider.pk])).status_code == 404
    response = client.post(
        reverse("orgs:member_edit", args=[member.pk]),
        {"name": "钱委员", "level": MemberLevel.COUNTY, "sector": member.sector_id, "mobile": "123", "home_region": ""},
    )
    assert response.status_code == 200 and "11位手机号" in response.content.decode()
    member.refresh_from_db()
    assert member.mobile == "13912345678"


def test_member_detail_masks_the_phone_for_readers_who_cannot_edit(client, station_head, rooms):
    member = make_member("周委员", mobile="13912345678")
    services.member_assign(actor=None, member=member, platform=rooms["a"], started_on="2023-03-01")
    client.force_login(station_head)
    page = client.get(reverse("orgs:member_detail", args=[member.pk])).content.decode()
    assert "139****5678" in page and "13912345678" not in page


def test_member_create_and_assign(client, admin_a, rooms):
    client.force_login(admin_a)
    sector = services.sector_get_or_create(actor=None, name="农业界")
    response = client.post(
        reverse("orgs:member_create"),
        {"name": "吴委员", "level": MemberLevel.CITY, "sector": sector.pk, "home_region": rooms["a1"].region_id},
    )
    assert response.status_code == 302
    member = Member.objects.get(name="吴委员")
    url = reverse("orgs:member_assign", args=[member.pk])
    assert client.post(url, {"platform": rooms["a"].pk, "started_on": "2024-05-01"}).status_code == 302
    response = client.post(url, {"platform": rooms["a"].pk, "started_on": "2024-06-01"})
    assert "已下沉" in response.content.decode()
    response = client.post(url, {"platform": rooms["b1"].pk, "started_on": "2024-06-01"})
    assert response.context["form"].errors["platform"]
    assert member.assignments.count() == 1


def test_public_member_page_and_code_show_no_phone(client, rooms):
    member = make_member("郑委员", mobile="13912345678", specialty="法律")
    services.member_assign(actor=None, member=member, platform=rooms["a"], started_on="2023-03-01")
    # The printed address leads to the public record (points.public_views.member_page).
    page = client.get(reverse("orgs:member_public", args=[member.code]), follow=True).content.decode()
    assert "郑委员" in page and "法律" in page and "甲镇协商议事室" in page
    assert "13912345678" not in page and "5678" not in page
    svg = client.get(reverse("orgs:member_qr", args=[member.code, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    png = client.get(reverse("orgs:member_qr", args=[member.code, "png"]), {"download": "1"})
    assert png.content.startswith(b"\x89PNG") and "attachment" in png["Content-Disposition"]
    assert client.get(reverse("orgs:member_qr", args=[member.code, "gif"])).status_code == 404
    assert client.get(reverse("orgs:member_public", args=["nope"])).status_code == 404


def test_member_code_png_decodes_to_the_public_page(client, rooms):
    member = make_member("冯委员")
    png = client.get(reverse("orgs:member_qr", args=[member.code, "png"])).content
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert results[0].text.endswith(reverse("orgs:member_public", args=[member.code]))


def _bulk(district, n, start=0):
    """n village rooms and n members assigned to the township room, written in bulk for speed."""
    a = district["a"]
    station = Platform.objects.filter(region=a).first() or make_platform(a)
    sector = services.sector_get_or_create(actor=None, name="经济界")
    villages = [Region(name=f"村{i}", level="village", parent=a, depth=2, path="-") for i in range(start, start + n)]
    Region.objects.bulk_create(villages)
    for v in villages:
        v.path = f"{a.path}{Region.path_segment(v.pk)}"
    Region.objects.bulk_update(villages, ["path"])
    platforms = Platform.objects.bulk_create(
        Platform(name=f"村{i}议事室", kind=PlatformKind.VILLAGE_ROOM, region=v) for i, v in enumerate(villages)
    )
    PlatformCheck.objects.bulk_create(PlatformCheck(platform=p, item=SixHave.PLACE, is_met=True) for p in platforms)
    members = Member.objects.bulk_create(
        Member(name=f"委员{i}", level=MemberLevel.COUNTY, sector=sector, code=f"code{i:06d}")
        for i in range(start, start + n)
    )
    MemberAssignment.objects.bulk_create(
        MemberAssignment(member=m, platform=station, started_on="2024-01-01") for m in members
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["orgs:platform_list", "orgs:member_list", "orgs:region_tree", "portal:home"])
def test_list_pages_use_the_same_number_of_queries_for_10_and_1000_rows(client, district, name):
    user = grant(make_user("counter"), Role.ADMINISTRATOR, region=district["district"])
    client.force_login(user)
    _bulk(district, 10)
    client.get(reverse(name))  # the first request of a session also writes the session row
    small = _queries(client, reverse(name))
    _bulk(district, 990, start=10)
    large = _queries(client, reverse(name))
    assert small == large
    # The home page's to-do list asks one query per kind of step waiting (portal.waiting).
    assert large <= 20


def test_pages_stay_chinese_for_an_english_browser_until_the_switch_is_used(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "工作人员登录" in page and 'lang="zh-CN"' in page


def test_refusals_explain_themselves_in_chinese(client, district, rooms):
    client.force_login(make_user("a-resident"))
    response = client.get(reverse("orgs:platform_list"))
    assert response.status_code == 403 and "无权访问" in response.content.decode()
    response = client.get(reverse("orgs:member_public", args=["missing"]))
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


@pytest.mark.parametrize("reason", ["合并\x00", "很长" * 100])
def test_platform_archive_refuses_a_reason_with_control_characters_or_too_long(client, station_head, rooms, reason):
    client.force_login(station_head)
    response = client.post(reverse("orgs:platform_archive", args=[rooms["a2"].pk]), {"reason": reason}, follow=True)
    assert response.status_code == 200
    rooms["a2"].refresh_from_db()
    assert not rooms["a2"].is_archived
