"""The hotline pages through real requests: import with preview, bad rows, re-import, places, hot issues,
a topic made of a hot issue, the push API, and who is refused."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shangliang.core.models import BackgroundJob
from shangliang.hotline import services
from shangliang.hotline.models import HotIssue, Record, Source
from shangliang.hotline.states import IssueStatus, PlaceStatus
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.topics.models import Category, Submission
from shangliang.topics.states import Source as SubmissionSource

HEADER = "工单编号,受理时间,诉求内容,事发地址,来电号码,一级标签\n"
ROWS = [
    "GD001,2025-09-01 09:00,甲一村幸福家园小区门口路灯坏了一个月，晚上很黑,甲镇甲一村幸福家园,13812345678,城乡建设",
    "GD002,2025-09-03 10:00,幸福家园小区门口路灯不亮，老人晚上出门摔倒,甲一村幸福家园,13900001111,城乡建设",
    "GD003,2025-09-05 11:00,甲一村幸福家园门口的路灯坏了，请尽快修,幸福家园小区,13700002222,城乡建设",
    "GD004,2025-09-06 12:00,乙一村学校门口早晚接送车辆拥堵,乙镇乙一村小学,13600003333,交通运输",
]


@pytest.fixture
def people(district):
    return {
        "office": grant(make_user("office", full_name="区政协办"), Role.COMMITTEE_STAFF, region=district["district"]),
        "station_a": grant(make_user("station_a"), Role.STATION_HEAD, region=district["a"]),
        "station_b": grant(make_user("station_b"), Role.STATION_HEAD, region=district["b"]),
        "convener_a2": grant(make_user("convener_a2"), Role.CONVENER, region=district["a2"]),
        "resident": make_user("resident1", verified=True),
    }


@pytest.fixture
def source(district, people):
    made = Source(name="区12345热线", region=district["district"])
    return services.source_save(actor=people["office"], source=made)


@pytest.fixture
def categories(db):
    for name in ("城乡建设", "交通运输"):
        Category.objects.get_or_create(name=name)


def _upload(client, source, rows, name="orders.csv"):
    data = (HEADER + "\n".join(rows) + "\n").encode("utf-8")
    page = client.get(reverse("hotline:upload"))
    token = page.context["form"]["form_token"].value()
    response = client.post(
        reverse("hotline:upload"),
        {"source": source.pk, "file": SimpleUploadedFile(name, data, "text/csv"), "form_token": token},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def _import(client, source, rows):
    preview_url = _upload(client, source, rows)
    page = client.get(preview_url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    response = client.post(preview_url, data)
    assert response.status_code == 302
    job = BackgroundJob.objects.order_by("-pk").first()
    return job


def test_an_import_previews_maps_columns_and_writes_good_rows_listing_bad_ones(client, people, source, categories):
    client.force_login(people["office"])
    bad = "GD005,昨天下午,内容,地址,13500000000,城乡建设"
    preview_url = _upload(client, source, [*ROWS, bad])
    page = client.get(preview_url)
    html = page.content.decode()
    assert "受理时间" in html and "GD001" in html
    assert page.context["form"]["received_at"].value() == "受理时间"  # guessed from the heading
    job = _import(client, source, [*ROWS, bad])
    job.refresh_from_db()
    assert job.status == "succeeded", job.result
    assert job.result["created"] == 4 and job.result["bad"] == 1
    assert job.result["errors"][0]["row"] == 6 and job.result["errors"][0]["column"] == "受理时间"
    page = client.get(reverse("hotline:job", args=[job.pk])).content.decode()
    assert "第6行" in page and "无法识别的时间" in page
    record = Record.objects.get(external_id="GD001")
    assert record.region == source.region.__class__.objects.get(name="甲一村")
    assert record.place_status == PlaceStatus.MATCHED
    assert record.category.name == "城乡建设"
    assert "138****5678" not in record.text  # no number in the text; the phone is kept apart
    assert source.__class__.objects.get(pk=source.pk).mapping["text"] == "诉求内容"


def test_the_same_work_order_imported_again_updates_and_never_duplicates(client, people, source, categories):
    client.force_login(people["office"])
    _import(client, source, ROWS)
    changed = ROWS[0].replace("一个月", "两个月")
    job = _import(client, source, [changed, *ROWS[1:]])
    job.refresh_from_db()
    assert job.result["created"] == 0 and job.result["updated"] == 1 and job.result["unchanged"] == 3
    assert Record.objects.count() == 4
    assert "两个月" in Record.objects.get(external_id="GD001").text


def test_three_records_about_one_lamp_in_one_estate_make_a_hot_issue_that_becomes_a_topic(
    client, people, source, categories, district
):
    client.force_login(people["office"])
    _import(client, source, ROWS)
    issue = HotIssue.objects.get()
    assert issue.record_count == 3 and issue.region == district["a1"]
    assert set(issue.records.values_list("external_id", flat=True)) == {"GD001", "GD002", "GD003"}
    overview = client.get(reverse("hotline:overview")).content.decode()
    assert issue.title in overview and "place-map" in overview
    client.force_login(people["station_a"])
    url = reverse("hotline:issue_topic", args=[issue.pk])
    page = client.get(url)
    token = page.context["form"]["form_token"].value()
    category = Category.objects.get(name="城乡建设")
    data = {"title": "幸福家园路灯长期不亮", "region": district["a1"].pk, "category": category.pk, "form_token": token}
    response = client.post(url, data)
    assert response.status_code == 302
    submission = Submission.objects.get(title="幸福家园路灯长期不亮")
    assert submission.source == SubmissionSource.HOTLINE and "共3条" in submission.content
    issue.refresh_from_db()
    assert issue.status == IssueStatus.TOPIC and issue.submission == submission
    queue = client.get(reverse("topics:queue")).content.decode()
    assert "幸福家园路灯长期不亮" in queue


def test_a_township_sees_its_own_records_only_and_the_phone_is_masked(client, people, source, categories):
    client.force_login(people["office"])
    _import(client, source, ROWS)
    client.force_login(people["station_b"])
    page = client.get(reverse("hotline:records")).content.decode()
    assert "GD004" in page and "GD001" not in page
    issue = HotIssue.objects.get()
    assert client.get(reverse("hotline:issue", args=[issue.pk])).status_code == 404
    record = Record.objects.get(external_id="GD001")
    assert client.get(reverse("hotline:record", args=[record.pk])).status_code == 404
    client.force_login(people["office"])
    page = client.get(reverse("hotline:record", args=[record.pk])).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    client.force_login(people["station_a"])  # the station calls back
    assert "13812345678" in client.get(reverse("hotline:record", args=[record.pk])).content.decode()
    client.force_login(people["resident"])
    assert client.get(reverse("hotline:overview")).status_code == 403
    client.force_login(people["convener_a2"])
    assert client.get(reverse("hotline:upload")).status_code == 403


def test_confirming_a_place_learns_the_estate_so_the_next_record_matches(client, people, source, categories, district):
    record = Record.objects.create(
        source=source,
        external_id="X1",
        kind=source.kind,
        owner_region=source.region,
        received_at="2025-09-01T09:00:00+08:00",
        text="阳光花园小区垃圾清运不及时",
        place_text="阳光花园小区",
    )
    client.force_login(people["station_a"])  # a record without a place is reviewed where its source is
    assert (
        client.post(reverse("hotline:record_place", args=[record.pk]), {"region": district["a2"].pk}).status_code == 404
    )
    client.force_login(people["office"])
    response = client.post(reverse("hotline:record_place", args=[record.pk]), {"region": district["a2"].pk})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.region == district["a2"] and record.place_status == PlaceStatus.CONFIRMED
    found = services.gazetteer(district["district"].pk).match("阳光花园小区门口积水")
    assert found.region_pk == district["a2"].pk and found.is_sure
    client.force_login(people["station_b"])  # another township may not touch it
    other = client.post(reverse("hotline:record_place", args=[record.pk]), {"region": district["b1"].pk})
    assert other.status_code == 404


def test_the_push_api_takes_records_with_the_token_and_answers_their_result(client, people, source, categories):
    token = services.source_new_token(actor=people["office"], source=source)
    body = {
        "records": [
            {"external_id": "P1", "received_at": "2025-09-01 09:00", "text": "甲一村路灯坏了", "place": "甲一村"},
            {"external_id": "P2", "received_at": "bad", "text": "x"},
        ]
    }
    url = reverse("hotline:api_push")
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 401
    wrong = client.post(url, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 401
    response = client.post(url, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    answer = response.json()
    assert answer["created"] == 1 and answer["bad"] == 1 and answer["errors"][0]["index"] == 1
    again = client.post(url, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert again.json()["unchanged"] == 1 and Record.objects.filter(external_id="P1").count() == 1
    result = client.get(reverse("hotline:api_result", args=["P1"]), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert result.json()["status"] == "received"
    junk = client.post(url, b"\x00\xff", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert junk.status_code == 400


def test_staff_can_merge_and_split_hot_issues(client, people, source, categories):
    client.force_login(people["office"])
    _import(client, source, ROWS)
    issue = HotIssue.objects.get()
    chosen = Record.objects.get(external_id="GD003")
    response = client.post(reverse("hotline:issue_split", args=[issue.pk]), {"records": [chosen.pk], "title": ""})
    assert response.status_code == 302
    new = HotIssue.objects.exclude(pk=issue.pk).get()
    assert list(new.records.values_list("external_id", flat=True)) == ["GD003"]
    assert HotIssue.objects.get(pk=issue.pk).record_count == 2
    response = client.post(reverse("hotline:issue_merge", args=[new.pk]), {"into": issue.pk})
    assert response.status_code == 302
    assert HotIssue.objects.get(pk=issue.pk).record_count == 3
    assert HotIssue.objects.get(pk=new.pk).status == IssueStatus.MERGED


def test_the_lists_use_a_bounded_number_of_queries(client, people, source, categories, django_assert_max_num_queries):
    client.force_login(people["office"])
    _import(client, source, ROWS)
    for url in (
        reverse("hotline:overview"),
        reverse("hotline:records"),
        reverse("hotline:records") + "?place=review",
        reverse("hotline:issues"),
        reverse("hotline:issues") + "?status=topic",
    ):
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200


def test_bad_addresses_and_input_never_fail(client, people, source):
    client.force_login(people["office"])
    for path in ("/hotline/records/999999999999999999999999999999/", "/hotline/issues/0/", "/hotline/import/7/"):
        assert client.get(path).status_code == 404
    assert client.get(reverse("hotline:records"), {"q": "路灯\x01\x7f", "page": "x" * 40}).status_code == 200
    assert client.get(reverse("hotline:issues"), {"status": "9" * 30}).status_code == 200
    client.raise_request_exception = False
    assert client.get(reverse("hotline:records"), {"q": "\x00"}).status_code == 400


def test_the_model_is_trained_from_the_page_with_its_figures_and_then_classifies(client, people, source, categories):
    client.force_login(people["office"])
    rows = [*ROWS, "GD006,2025-09-07 08:00,乙一村公交站台被占用，候车不便,乙一村,13600004444,交通运输"]
    _import(client, source, rows)
    client.force_login(people["station_a"])  # a station reads the model page but does not train
    assert client.post(reverse("hotline:model_train")).status_code == 403
    client.force_login(people["office"])
    response = client.post(reverse("hotline:model_train"), follow=True)
    page = response.content.decode()
    assert "v1" in page and "macro-F1" in page
    record = Record.objects.create(
        source=source,
        external_id="N1",
        kind=source.kind,
        owner_region=source.region,
        received_at="2025-09-08T09:00:00+08:00",
        text="幸福家园门口路灯又不亮了",
    )
    services.classify_records([record])
    assert record.category.name == "城乡建设" and record.category_by == "model"
    assert 0 < record.category_confidence <= 1


def test_an_excel_export_imports_like_a_csv(client, people, source, categories):
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["工单号", "来电时间", "来电内容", "事发地点", "联系电话", "业务分类"])
    sheet.append([360100.0, "2025-09-01 09:00:00", "甲一村幸福家园路灯坏了", "甲一村", "13812345678", "城乡建设"])
    sheet.append([360101, "不是时间", "甲二村河道垃圾", "甲二村", "", "城乡建设"])
    data = BytesIO()
    book.save(data)
    client.force_login(people["office"])
    page = client.get(reverse("hotline:upload"))
    token = page.context["form"]["form_token"].value()
    upload = SimpleUploadedFile("orders.xlsx", data.getvalue())
    response = client.post(reverse("hotline:upload"), {"source": source.pk, "file": upload, "form_token": token})
    preview = client.get(response["Location"])
    form = preview.context["form"]
    assert form["external_id"].value() == "工单号" and form["text"].value() == "来电内容"
    client.post(response["Location"], {name: form[name].value() or "" for name in form.fields})
    job = BackgroundJob.objects.order_by("-pk").first()
    assert job.result["created"] == 1 and job.result["bad"] == 1
    assert Record.objects.get().external_id == "360100"  # Excel's 360100.0 read as the number it shows


PROBLEMS = [
    ("幸福家园小区门口路灯坏了一个月，晚上很黑", "幸福家园小区门口的路灯一直不亮，请尽快修"),
    ("农贸市场凌晨卸货噪音太大，睡不着觉", "农贸市场每天凌晨卸货，噪音扰民"),
    ("铁路桥下涵洞一下雨就积水，车辆熄火", "铁路桥下涵洞积水半米深，行人无法通行"),
    ("实验小学门口接送车辆乱停，孩子过马路危险", "实验小学门口放学时段车辆乱停拥堵"),
    ("锦绣花园小区电梯经常停运，物业不管", "锦绣花园小区电梯坏了三次，物业推诿"),
    ("村东头河道里生活垃圾漂浮，长期无人清理", "村东头河道垃圾漂浮发臭，没人清理"),
    ("灌溉水渠堵塞，春耕用水困难", "灌溉水渠被淤泥堵住，春耕浇不上水"),
    ("夜间烧烤摊油烟扰民，气味呛人", "烧烤摊每晚油烟大，窗户都不敢开"),
]


def _rows_about(place: str, problems: int, first: int) -> list[dict]:
    """Two records about each of the first ``problems`` problems in ``place``: as many hot issues."""
    rows = []
    for problem in PROBLEMS[:problems]:
        for wording in problem:
            n = len(rows) + first
            rows.append(
                {
                    "external_id": f"Q{n:04d}",
                    "received_at": f"2025-09-{n % 28 + 1:02d} 09:00",
                    "text": f"{place}{wording}",
                    "place": place,
                    "phone": f"1380000{n:04d}",
                }
            )
    return rows


LAST = []


def test_new_records_join_hot_issues_in_a_number_of_queries_that_does_not_grow_with_the_groups(
    people, source, categories
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shangliang.core.models import BackgroundJob
    from shangliang.hotline import imports

    def joined(place, problems, first):
        outcome = imports.Outcome()
        mapping = {name: name for name in imports.FIELDS}
        parsed = [
            imports.parse_row(i + 2, c | {"_original": {}}, mapping, outcome)
            for i, c in enumerate(_rows_about(place, problems, first))
        ]
        job = BackgroundJob.objects.create(kind="hotline_import", payload={}, created_by=people["office"])
        made = services.write_batch(source, parsed, outcome, job)
        with CaptureQueriesContext(connection) as queries:
            touched = services.group_new(source, made)
        LAST[:] = queries.captured_queries
        return len(touched), len(queries)

    joined("甲一村", 1, 1)  # the first join makes the region's grouping state
    few_issues, few_queries = joined("甲二村", 2, 100)
    many_issues, many_queries = joined("乙一村", 8, 200)
    assert (few_issues, many_issues) == (2, 8)
    assert many_queries == few_queries, "\n".join(q["sql"][:150] for q in LAST)
    assert HotIssue.objects.filter(record_count=2).count() == 11
    issue = HotIssue.objects.filter(region__name="乙一村").order_by("pk").first()
    assert (
        issue.people_count == 2 and issue.heat > 0 and issue.history.filter(history_change_reason="hot_issue.created")
    )


def test_old_single_records_leave_the_grouping_state_and_hot_issues_stay(client, people, source, categories, settings):
    from shangliang.hotline import issues
    from shangliang.hotline.models import GroupingState

    toilet = "GD005,2025-01-02 08:00,乙一村村委会旁的公共厕所没有人打扫,乙镇乙一村,13500004444,城乡建设"
    client.force_login(people["office"])
    _import(client, source, [*ROWS, toilet])
    state = GroupingState.objects.get(owner_region=source.region).state
    before = len(state["groups"])
    settings.SHANGLIANG_HOTLINE_SINGLE_DAYS = 30
    gone = issues.prune_all()
    after = GroupingState.objects.get(owner_region=source.region).state["groups"]
    # The school record and the toilet one are single and old; the lamp's hot issue keeps its group.
    assert gone == 2 and len(after) == before - 2
    issue = HotIssue.objects.get()
    assert issue.group_key in after and issue.record_count == 3
    assert Record.objects.count() == 5
    assert issues.prune_all() == 0


def test_forty_posts_from_one_client_guessing_the_token_are_stopped(client, people, source, categories):
    token = services.source_new_token(actor=people["office"], source=source)
    url = reverse("hotline:api_push")
    item = {"external_id": "P9", "received_at": "2025-09-01 09:00", "text": "甲一村路灯坏了", "place": "甲一村"}
    body = json.dumps({"records": [item]})

    def post(bearer, address):
        return client.post(
            url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {bearer}", REMOTE_ADDR=address
        )

    codes = [post(f"guess{n}", "10.0.0.7").status_code for n in range(40)]
    # Ten wrong tokens are answered; from the limit on every call is refused.
    assert codes[:10] == [401] * 10 and set(codes[-29:]) == {429}
    # Even the right token is refused from that address for a while; nothing was written.
    assert post(token, "10.0.0.7").status_code == 429 and not Record.objects.exists()
    assert client.get(reverse("hotline:api_result", args=["P9"]), REMOTE_ADDR="10.0.0.7").status_code == 429
    # The hotline system itself, from its own address, pushes 40 times without a refusal.
    assert {post(token, "10.0.0.8").status_code for _ in range(40)} == {200}
    assert Record.objects.filter(external_id="P9").count() == 1


def test_the_hot_issue_and_the_records_to_check_wait_on_the_stations_home_page(client, people, source, categories):
    bad = "GD009,2025-09-07 08:00,某处井盖丢失很危险,城区某路段,13500005555,城乡建设"
    client.force_login(people["office"])
    _import(client, source, [*ROWS, bad])
    issue = HotIssue.objects.get()
    client.force_login(people["station_a"])
    home = client.get(reverse("portal:home")).content.decode()
    assert "待研判的热点诉求" in home and reverse("hotline:issue", args=[issue.pk]) in home
    assert f"{issue.title}（3条）" in home
    client.force_login(people["office"])
    office_home = client.get(reverse("portal:home")).content.decode()
    assert "地点待核对的热线记录" in office_home and "?place=review" in office_home
    # Another township's station has nothing of it.
    client.force_login(people["station_b"])
    other = client.get(reverse("portal:home")).content.decode()
    assert "待研判的热点诉求" not in other and reverse("hotline:issue", args=[issue.pk]) not in other
    # Weighed (here: not a topic, with the reason), it waits no more.
    client.force_login(people["station_a"])
    services.issue_dismiss(actor=people["station_a"], issue=issue, note="已由物业维修")
    assert "待研判的热点诉求" not in client.get(reverse("portal:home")).content.decode()
