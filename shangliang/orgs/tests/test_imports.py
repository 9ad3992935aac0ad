"""The Excel import: templates, whole-file checking, writing through the services, progress and access."""

import zipfile
from datetime import date
from io import BytesIO

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from shangliang.core.models import BackgroundJob, JobStatus
from shangliang.orgs.models import Member, MemberAssignment, Platform, Region, Sector
from shangliang.orgs.states import MemberLevel, PlatformKind, RegionLevel, Role
from shangliang.orgs.tests import factories

BACKEND = "shangliang.accounts.backends.UsernameOrMobileBackend"
REGION_HEADERS = ["名称*", "层级*", "统计用区划代码", "上级"]
MEMBER_HEADERS = ["姓名*", "性别", "委员层级*", "界别*", "专长", "工作单位及职务", "手机号", "居住地", "联系站点"]


def xlsx(headers, rows, name="import.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/octet-stream")


def logged_in(client, user):
    client.force_login(user, backend=BACKEND)
    return client


@pytest.fixture
def admin(district):
    user = factories.make_user("admin", full_name="王管理")
    return factories.grant(user, Role.ADMINISTRATOR, region=district["district"])


def upload(client, kind, file):
    return client.post(reverse("orgs:import_upload", args=[kind]), {"file": file})


def last_job() -> BackgroundJob:
    return BackgroundJob.objects.latest("pk")


@pytest.mark.parametrize(
    ("kind", "title", "headers"),
    [
        ("regions", "行政区划", REGION_HEADERS),
        ("platforms", "协商议事平台", ["名称*", "类型*", "品牌", "所在区划*", "地址", "主办单位", "界别", "启用日期"]),
        ("members", "政协委员", MEMBER_HEADERS),
    ],
)
def test_each_kind_has_a_template_with_a_chinese_header_row_and_an_example(client, admin, kind, title, headers):
    response = logged_in(client, admin).get(reverse("orgs:import_template", args=[kind]))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.title == title
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ["说明", *headers]
    assert rows[1][0] == "示例（导入时忽略此行）" and all(rows[1][1:2])
    assert sheet["A1"].comment.text.startswith("第2行是示例")


def test_good_regions_file_imports_with_parents_from_the_same_file_and_history_names_the_importer(
    client, admin, district
):
    file = xlsx(
        REGION_HEADERS,
        [
            ["丙镇", "乡镇/街道", "110101003000", "示范区"],
            ["丙一村", "村", "110101003001", "110101003000"],
            ["丙二社区", "社区", None, "丙镇"],
            ["丙一村第一网格", "网格", None, "丙一村"],
            ["甲三村", "村/社区", 110101001003, "甲镇"],
        ],
    )

    response = upload(logged_in(client, admin), "regions", file)

    job = last_job()
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:import_job", args=[job.pk])
    assert job.status == JobStatus.SUCCEEDED, job.result
    assert job.result == {"created": 5}
    assert job.done == job.total == 10
    town = Region.objects.get(name="丙镇")
    assert town.parent == district["district"] and town.level == RegionLevel.TOWNSHIP
    grid = Region.objects.get(name="丙一村第一网格")
    assert grid.parent.parent == town and grid.level == RegionLevel.GRID
    assert grid.path.startswith(town.path)
    assert Region.objects.get(name="甲三村").code == "110101001003"
    assert {h.history_user for h in Region.history.filter(name__in=["丙镇", "丙一村", "丙二社区"])} == {admin}
    page = client.get(response["Location"])
    assert "已导入5条记录" in page.content.decode()


def test_two_thousand_region_rows_import_in_one_job(client, admin, district):
    rows = []
    for v in range(40):
        code = f"1101010019{v:02d}"
        rows.append([f"新村{v}", "村", code, "甲镇"])
        rows += [[f"新村{v}第{g}组", "小组", None, code] for g in range(49)]
    assert len(rows) == 2000
    before = Region.objects.count()

    upload(logged_in(client, admin), "regions", xlsx(REGION_HEADERS, rows))

    job = last_job()
    assert job.status == JobStatus.SUCCEEDED, job.result
    assert job.result == {"created": 2000}
    assert Region.objects.count() == before + 2000
    assert job.percent == 100


def test_good_platforms_file_imports_with_unit_sector_and_date(client, admin, district):
    from shangliang.orgs import services

    services.unit_create(actor=None, name="甲一村村委会", kind="village_committee", region=district["a1"])
    headers = ["名称*", "类型*", "品牌", "所在区划*", "地址", "主办单位", "界别", "启用日期"]
    file = xlsx(
        headers,
        [
            ["甲一村议事室", "村(社区)协商议事室", None, "甲一村", "甲一路1号", "甲一村村委会", None, date(2024, 3, 1)],
            ["经济界议事室", "界别协商议事室", "有事来协商", "甲镇", None, None, "经济界", "2024/5/6"],
        ],
    )

    upload(logged_in(client, admin), "platforms", file)

    assert last_job().status == JobStatus.SUCCEEDED, last_job().result
    room = Platform.objects.get(name="甲一村议事室")
    assert room.kind == PlatformKind.VILLAGE_ROOM and room.brand == "有事好商量"
    assert room.host_unit.name == "甲一村村委会" and room.active_since == date(2024, 3, 1)
    sector_room = Platform.objects.get(name="经济界议事室")
    assert sector_room.sector.name == "经济界" and sector_room.active_since == date(2024, 5, 6)
    assert room.checks.count() == 6


def test_good_members_file_imports_and_attaches_members_to_their_stations(client, admin, district):
    station = factories.make_platform(district["a1"], name="甲一村协商议事室")

    upload(
        logged_in(client, admin),
        "members",
        xlsx(
            MEMBER_HEADERS,
            [
                ["李四", "女", "省", "新界别", "教育", "甲一小学 校长", 13912345678, "甲一村", "甲一村协商议事室"],
                ["赵五", None, "区（县）政协委员", "新界别", None, None, None, None, None],
            ],
        ),
    )

    assert last_job().status == JobStatus.SUCCEEDED, last_job().result
    li = Member.objects.get(name="李四")
    assert (li.gender, li.level, li.mobile) == ("F", MemberLevel.PROVINCE, "13912345678")
    assert li.home_region == district["a1"]
    assert MemberAssignment.objects.get(member=li).platform == station
    assert Member.objects.get(name="赵五").sector == li.sector
    assert Sector.objects.filter(name="新界别").count() == 1
    assert li.history.first().history_user == admin


def test_bad_regions_file_is_refused_whole_and_nothing_is_written(client, admin, district):
    file = xlsx(
        REGION_HEADERS,
        [
            ["丁镇", "乡镇", "110101004000", "示范区"],
            ["丁一村", "村", None, "不存在的镇"],
            ["丁二村", "村", "110101004000", "丁镇"],
            [None, "村", None, "丁镇"],
            ["丁三村", "村", "110101000000", "丁镇"],
            ["丁四村", "县城", None, "丁镇"],
        ],
    )
    before = (Region.objects.count(), Region.history.count())

    upload(logged_in(client, admin), "regions", file)

    job = last_job()
    assert job.status == JobStatus.FAILED
    assert (Region.objects.count(), Region.history.count()) == before
    problems = {(e["row"], e["column"]) for e in job.result["errors"]}
    assert problems == {(3, "上级"), (4, "统计用区划代码"), (5, "名称"), (6, "统计用区划代码"), (7, "层级")}
    page = client.get(reverse("orgs:import_job", args=[job.pk])).content.decode()
    for text in ["第3行", "找不到上级区划“不存在的镇”", "第4行", "与第2行重复", "第5行", "必填", "第6行", "示范区"]:
        assert text in page
    assert "没有写入任何数据" in page


def test_bad_members_file_is_refused_whole_and_nothing_is_written(client, admin, district):
    file = xlsx(
        MEMBER_HEADERS,
        [
            ["好委员", "男", "市", "经济界", None, None, "13800000000", None, None],
            ["坏号码", "男", "市", "经济界", None, None, "12345", None, None],
            [None, "女", "省", "经济界", None, None, None, None, None],
            ["无站点", "男", "部委", "经济界", None, None, None, None, "不存在的站点"],
        ],
    )

    upload(logged_in(client, admin), "members", file)

    job = last_job()
    assert job.status == JobStatus.FAILED
    assert Member.objects.count() == 0 and Sector.objects.count() == 0
    problems = {(e["row"], e["column"]) for e in job.result["errors"]}
    assert problems == {(3, "手机号"), (4, "姓名"), (5, "委员层级"), (5, "联系站点")}
    page = client.get(reverse("orgs:import_job", args=[job.pk])).content.decode()
    assert "第3行" in page and "手机号" in page and "11位手机号码" in page


def test_file_with_the_wrong_columns_is_refused_on_its_header_row(client, admin):
    upload(logged_in(client, admin), "regions", xlsx(MEMBER_HEADERS, [["张三", "男", "市", "经济界"]]))

    job = last_job()
    assert job.status == JobStatus.FAILED
    assert {(e["row"], e["column"]) for e in job.result["errors"]} == {(1, "名称"), (1, "层级")}


@pytest.fixture
def example_places(district):
    """The region and station the members template's example row names, so that row alone would import."""
    home = factories.make_region("幸福社区", RegionLevel.VILLAGE, parent=district["a"])
    factories.make_platform(home, name="幸福社区协商议事室")


@pytest.mark.parametrize("kind", ["regions", "platforms", "members"])
def test_the_template_uploaded_unchanged_imports_nothing_and_says_its_example_row_was_skipped(
    client, admin, example_places, kind
):
    before = (Region.objects.count(), Platform.objects.count(), Member.objects.count())
    template = logged_in(client, admin).get(reverse("orgs:import_template", args=[kind])).content

    response = upload(client, kind, SimpleUploadedFile("模板.xlsx", template))

    job = last_job()
    assert job.status == JobStatus.FAILED
    assert job.result["message"] == "文件中没有可导入的数据（示例行已忽略）。"
    assert "文件中没有可导入的数据（示例行已忽略）" in client.get(response["Location"]).content.decode()
    assert (Region.objects.count(), Platform.objects.count(), Member.objects.count()) == before
    assert not Member.objects.filter(name="张三").exists()


def test_a_template_with_one_real_row_below_the_example_imports_exactly_that_row(client, admin, example_places):
    template = logged_in(client, admin).get(reverse("orgs:import_template", args=["members"])).content
    book = load_workbook(BytesIO(template))
    book.active.append(["", "李四", "女", "省", "经济界", "", "", "", "幸福社区", "幸福社区协商议事室"])
    filled = BytesIO()
    book.save(filled)

    upload(client, "members", SimpleUploadedFile("委员.xlsx", filled.getvalue()))

    job = last_job()
    assert job.status == JobStatus.SUCCEEDED, job.result
    assert job.result == {"created": 1, "examples_skipped": [2]}
    assert list(Member.objects.values_list("name", flat=True)) == ["李四"]
    assert "示例行（第2行）未导入" in client.get(reverse("orgs:import_job", args=[job.pk])).content.decode()


def test_only_a_row_marked_as_the_example_is_skipped_not_a_row_with_the_example_values(client, admin, example_places):
    headers = ["说明", *MEMBER_HEADERS]
    row = ["张三", "男", "区（县）政协委员", "经济界", "乡村振兴", "幸福食品公司 总经理", "13800000000", "幸福社区"]

    upload(logged_in(client, admin), "members", xlsx(headers, [["", *row, "幸福社区协商议事室"]]))

    assert last_job().status == JobStatus.SUCCEEDED, last_job().result
    assert Member.objects.filter(name="张三").count() == 1


def test_a_zip_that_is_not_a_workbook_fails_with_a_plain_message(client, admin):
    archive = BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("hello.txt", "不是表格")

    upload(logged_in(client, admin), "regions", SimpleUploadedFile("fake.xlsx", archive.getvalue()))

    job = last_job()
    assert job.status == JobStatus.FAILED and "无法读取这个 Excel 文件" in job.result["message"]


def test_non_xlsx_upload_gets_a_form_error_and_status_400(client, admin):
    file = SimpleUploadedFile("regions.csv", "名称,层级\n丙镇,乡镇\n".encode(), content_type="text/csv")

    response = upload(logged_in(client, admin), "regions", file)

    assert response.status_code == 400
    assert "请上传 .xlsx 格式的 Excel 文件" in response.content.decode()
    assert not BackgroundJob.objects.exists()


def test_village_convener_without_import_right_gets_403(client, district):
    convener = factories.grant(factories.make_user(), Role.CONVENER, region=district["a1"])
    job = BackgroundJob.objects.create(kind="import_regions", created_by=convener)
    logged_in(client, convener)

    assert client.get(reverse("orgs:import_home")).status_code == 403
    assert client.get(reverse("orgs:import_template", args=["regions"])).status_code == 403
    assert upload(client, "regions", xlsx(REGION_HEADERS, [["丙镇", "乡镇", None, "示范区"]])).status_code == 403
    assert client.get(reverse("orgs:import_job", args=[job.pk])).status_code == 403
    assert not Region.objects.filter(name="丙镇").exists()


def test_anonymous_user_is_sent_to_log_in(client, db):
    response = client.get(reverse("orgs:import_home"))

    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_unknown_kind_gives_404(client, admin):
    logged_in(client, admin)

    assert client.get(reverse("orgs:import_template", args=["units"])).status_code == 404
    assert upload(client, "units", xlsx(REGION_HEADERS, [["丙镇", "乡镇", None, "示范区"]])).status_code == 404


def test_another_users_job_gives_404_but_a_superuser_sees_it(client, admin, district):
    other = factories.grant(factories.make_user(), Role.ADMINISTRATOR, region=district["a"])
    job = BackgroundJob.objects.create(kind="import_regions", created_by=admin)
    url = reverse("orgs:import_job", args=[job.pk])

    assert logged_in(client, other).get(url).status_code == 404
    assert logged_in(client, admin).get(url).status_code == 200
    assert logged_in(client, factories.make_user(is_superuser=True)).get(url).status_code == 200


def test_township_administrator_cannot_import_a_region_under_another_township(client, district):
    township_admin = factories.grant(factories.make_user(), Role.ADMINISTRATOR, region=district["a"])
    file = xlsx(REGION_HEADERS, [["甲三村", "村", None, "甲镇"], ["乙二村", "村", None, "乙镇"]])
    before = Region.objects.count()

    upload(logged_in(client, township_admin), "regions", file)

    job = last_job()
    assert job.status == JobStatus.FAILED
    assert job.result["errors"] == [{"row": 3, "column": "上级", "message": "“乙镇”不在您的管理范围内。"}]
    assert Region.objects.count() == before


def test_home_lists_the_three_kinds_and_the_users_recent_jobs(client, admin):
    BackgroundJob.objects.create(kind="import_members", created_by=admin, status=JobStatus.SUCCEEDED)

    page = logged_in(client, admin).get(reverse("orgs:import_home")).content.decode()

    for kind in ["regions", "platforms", "members"]:
        assert reverse("orgs:import_template", args=[kind]) in page
        assert reverse("orgs:import_upload", args=[kind]) in page
    assert 'id="import-jobs"' in page and "政协委员" in page


def test_running_job_page_polls_itself_and_shows_writing_progress_from_the_cache(client, admin):
    job = BackgroundJob.objects.create(kind="import_regions", created_by=admin, status=JobStatus.RUNNING)
    BackgroundJob.objects.filter(pk=job.pk).update(total=100, done=30)
    url = reverse("orgs:import_job", args=[job.pk])
    logged_in(client, admin)

    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page and f'hx-get="{url}"' in page and 'value="30"' in page

    cache.set(f"import-progress:{job.pk}", 60)
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    cache.delete(f"import-progress:{job.pk}")
    assert "<html" not in partial and 'value="60"' in partial and "<progress" in partial

    BackgroundJob.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, done=100, result={"created": 50})
    finished = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in finished and "已导入50条记录" in finished
