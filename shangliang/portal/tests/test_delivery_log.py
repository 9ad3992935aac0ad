"""The delivery log (投递记录): district staff only, numbers masked, code texts hidden, filters, bounded queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.core.models import Channel, Delivery, DeliveryStatus, MessageKind, Provider
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user

pytestmark = pytest.mark.django_db

LOG = reverse("portal:delivery_log")
MOBILE = "13812345678"
MASKED = "138****5678"


def detail_url(delivery):
    return reverse("portal:delivery_detail", args=[delivery.pk])


def delivery(reason="consultation.notice:1", *, channel=Channel.SMS, recipient=MOBILE, days_ago=0, **fields):
    fields.setdefault("status", DeliveryStatus.DELIVERED)
    fields.setdefault("kind", MessageKind.NOTICE)
    row = Delivery.objects.create(reason=reason, channel=channel, recipient=recipient, **fields)
    if days_ago:
        Delivery.objects.filter(pk=row.pk).update(created_at=timezone.now() - datetime.timedelta(days=days_ago))
        row.refresh_from_db()
    return row


@pytest.fixture
def reader(district):
    return grant(make_user("district-admin", full_name="区管理员"), Role.ADMINISTRATOR, region=district["district"])


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


def page_of(client, query=None) -> str:
    response = client.get(LOG, query or {})
    assert response.status_code == 200
    return response.content.decode()


def rows_of(html: str) -> str:
    """The table body only, so filter labels and counts do not count as rows."""
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


# --- who may read it -----------------------------------------------------------------------


def test_anonymous_visitors_go_to_the_login_page(client):
    row = delivery()
    for url in (LOG, detail_url(row)):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    ("role", "where"),
    [
        (Role.CONVENER, "a1"),
        (Role.STATION_HEAD, "a"),
        (Role.ADMINISTRATOR, "a"),
        (Role.SUPERVISOR, "b"),
        (Role.CONVENER, "district"),
        (Role.EVALUATOR, "district"),
    ],
)
def test_staff_below_the_district_or_without_a_log_role_are_refused(client, district, role, where):
    row = delivery()
    client.force_login(grant(make_user(), role, region=district[where]))
    assert client.get(LOG).status_code == 403
    assert client.get(detail_url(row)).status_code == 403
    assert reverse("portal:delivery_log") not in client.get(reverse("portal:home")).content.decode()


def test_a_resident_is_refused(client):
    client.force_login(make_user("resident"))
    assert client.get(LOG).status_code == 403


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.COMMITTEE_STAFF, Role.SUPERVISOR])
def test_district_administrators_office_staff_and_supervisors_read_it_from_the_menu(client, district, role):
    delivery()
    client.force_login(grant(make_user(), role, region=district["district"]))
    assert LOG in client.get(reverse("portal:home")).content.decode()
    assert "投递记录" in page_of(client)


def test_a_superuser_reads_it(client):
    delivery()
    client.force_login(make_user("root", is_superuser=True))
    assert "consultation.notice:1" in page_of(client)


def test_a_missing_row_or_an_id_too_long_for_the_database_is_404(reader_client):
    assert reader_client.get(reverse("portal:delivery_detail", args=[999999])).status_code == 404
    assert reader_client.get(f"{LOG}{'9' * 30}/").status_code == 404


# --- what it shows --------------------------------------------------------------------------


def test_rows_show_time_kind_reason_channel_status_provider_attempts_receipt_and_the_reason_of_a_failure(
    reader_client,
):
    delivery(
        "feedback.done:assignment:7",
        kind=MessageKind.FEEDBACK,
        status=DeliveryStatus.FAILED,
        provider=Provider.ALIYUN,
        provider_id="900619746936498440^0",
        attempts=3,
        receipt_at=timezone.now(),
        detail="isv.MOBILE_NUMBER_ILLEGAL 号码格式错误",
    )
    rows = rows_of(page_of(reader_client))
    for text in ("办理反馈", "feedback.done:assignment:7", "短信", "未送达", "阿里云短信", "900619746936498440^0"):
        assert text in rows
    assert "isv.MOBILE_NUMBER_ILLEGAL 号码格式错误" in rows
    assert 'class="badge no"' in rows


def test_newest_rows_come_first(reader_client):
    delivery("old.reason:1", days_ago=3)
    delivery("new.reason:2")
    rows = rows_of(page_of(reader_client))
    assert rows.index("new.reason:2") < rows.index("old.reason:1")


def test_no_full_mobile_number_appears_in_the_log_or_a_row(reader_client):
    resident = make_user(MOBILE, mobile=MOBILE)  # registered with the number: the name shown is the masked number
    sms = delivery(f"code:sent:{MOBILE}", detail=f"to {MOBILE}: rejected")
    inbox = delivery("feedback:1", channel=Channel.APP, recipient=str(resident.pk))
    wechat = delivery("feedback:2", channel=Channel.WECHAT, recipient=str(resident.pk), title=f"致{MOBILE}")
    html = page_of(reader_client)
    assert MOBILE not in html and MASKED in html
    for row in (sms, inbox, wechat):
        page = reader_client.get(detail_url(row)).content.decode()
        assert MOBILE not in page and MASKED in page


def test_an_account_recipient_is_shown_by_name_and_a_removed_account_says_so(reader_client):
    named = make_user("li", full_name="李大姐")
    delivery("notice:1", channel=Channel.APP, recipient=str(named.pk))
    delivery("notice:2", channel=Channel.WECHAT, recipient="987654")
    rows = rows_of(page_of(reader_client))
    assert "李大姐" in rows and "账号已不存在" in rows


def test_the_detail_shows_title_body_and_link(reader_client):
    row = delivery(title="协商会议通知", body="请于3月5日到村委会参加协商", url="/c/p/abc/")
    page = reader_client.get(detail_url(row)).content.decode()
    assert "协商会议通知" in page and "请于3月5日到村委会参加协商" in page and "/c/p/abc/" in page


def test_a_code_text_never_shows_its_content_and_no_row_shows_template_parameters(reader_client):
    code = delivery(
        "code:41",
        kind=MessageKind.CODE,
        title="验证码",
        body="您的验证码为482913，5分钟内有效。",
        params={"code": "482913", "minutes": "5"},
    )
    notice = delivery("notice:9", body="会议通知", params={"secret_param": "p-7731"})
    page = reader_client.get(detail_url(code)).content.decode()
    assert "验证码短信，内容不显示" in page and "482913" not in page
    notice_page = reader_client.get(detail_url(notice)).content.decode()
    assert "会议通知" in notice_page and "p-7731" not in notice_page and "secret_param" not in notice_page
    html = page_of(reader_client)
    assert "482913" not in html and "p-7731" not in html


def test_an_old_code_row_without_a_kind_is_hidden_by_its_reason(reader_client):
    code = delivery("code:7", kind="", body="您的验证码为550011")
    page = reader_client.get(detail_url(code)).content.decode()
    assert "验证码短信，内容不显示" in page and "550011" not in page


def test_counts_per_status_head_the_log_and_link_to_the_rows(reader_client):
    for n, status in enumerate(
        [DeliveryStatus.DELIVERED] * 3 + [DeliveryStatus.SENT] * 2 + [DeliveryStatus.FAILED, DeliveryStatus.QUEUED]
    ):
        delivery(f"r:{n}", recipient=f"1390000000{n}", status=status)
    html = page_of(reader_client)
    counts = html.split('id="delivery-counts"', 1)[1].split("</ul>", 1)[0]
    assert 'data-status="delivered"><span class="n">3<' in counts
    assert 'data-status="sent"><span class="n">2<' in counts and "待回执" in counts
    assert 'data-status="failed"><span class="n">1<' in counts
    assert 'data-status="unknown"><span class="n">0<' in counts
    assert 'data-status="queued"><span class="n">1<' in counts
    assert "?status=failed" in counts


# --- filters --------------------------------------------------------------------------------


@pytest.fixture
def mixed(district):
    return {
        "sms_failed": delivery("reply.overdue:3", status=DeliveryStatus.FAILED, kind=MessageKind.REMINDER, days_ago=10),
        "app_notice": delivery("consultation.notice:5", channel=Channel.APP, recipient="1"),
        "wechat_feedback": delivery(
            "feedback.done:assignment:8", channel=Channel.WECHAT, recipient="1", kind=MessageKind.FEEDBACK, days_ago=2
        ),
    }


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"channel": "sms"}, {"reply.overdue:3"}),
        ({"channel": "wechat"}, {"feedback.done:assignment:8"}),
        ({"status": "failed"}, {"reply.overdue:3"}),
        ({"kind": "feedback"}, {"feedback.done:assignment:8"}),
        ({"q": "NOTICE"}, {"consultation.notice:5"}),
        (
            {"date_from": (timezone.localdate() - datetime.timedelta(days=5)).isoformat()},
            {
                "consultation.notice:5",
                "feedback.done:assignment:8",
            },
        ),
        ({"date_to": (timezone.localdate() - datetime.timedelta(days=5)).isoformat()}, {"reply.overdue:3"}),
        (
            {"date_from": timezone.localdate().isoformat(), "date_to": timezone.localdate().isoformat()},
            {"consultation.notice:5"},
        ),
    ],
)
def test_filters_narrow_the_rows(reader_client, mixed, query, shown):
    rows = rows_of(page_of(reader_client, query))
    reasons = {"reply.overdue:3", "consultation.notice:5", "feedback.done:assignment:8"}
    assert {reason for reason in reasons if reason in rows} == shown


@pytest.mark.parametrize(
    ("query", "field_error"),
    [
        ({"channel": "fax"}, True),
        ({"status": "lost\x01"}, True),
        ({"kind": "x" * 300}, True),
        ({"date_from": "2024-13-45"}, True),
        ({"date_from": "9999-01-01"}, True),
        ({"q": "abc\x01def"}, True),
        ({"q": "x" * 500}, True),
        ({"page": "9" * 30}, False),
        ({"page": "-1"}, False),
    ],
)
def test_bad_filter_values_are_shown_next_to_their_field_and_ignored(reader_client, mixed, query, field_error):
    html = page_of(reader_client, query)
    rows = rows_of(html)
    assert ("field-error" in html) is field_error
    assert "consultation.notice:5" in rows or query.get("page")


def test_a_nul_byte_in_a_filter_is_a_bad_request_not_an_error(reader_client, mixed):
    assert reader_client.get(LOG, {"q": "abc\x00def"}).status_code == 400


def test_an_end_before_the_start_is_refused_next_to_the_end(reader_client, mixed):
    html = page_of(reader_client, {"date_from": "2025-03-10", "date_to": "2025-03-01"})
    assert "截止日期不能早于起始日期" in html
    assert "consultation.notice:5" in rows_of(html)


def test_counts_follow_the_other_filters_but_not_the_status(reader_client, mixed):
    html = page_of(reader_client, {"channel": "sms", "status": "delivered"})
    counts = html.split('id="delivery-counts"', 1)[1].split("</ul>", 1)[0]
    assert 'data-status="failed"><span class="n">1<' in counts
    assert 'data-status="delivered"><span class="n">0<' in counts
    assert "channel=sms&amp;status=failed" in counts


# --- cost -----------------------------------------------------------------------------------


def test_a_page_of_fifty_rows_costs_a_bounded_number_of_queries(reader_client, django_assert_max_num_queries):
    for n in range(20):
        delivery(f"sms:{n}", recipient=f"139000000{n:02d}")
    for n in range(30):
        account = make_user(f"person{n}", full_name=f"居民{n}")
        delivery(f"app:{n}", channel=Channel.APP if n % 2 else Channel.WECHAT, recipient=str(account.pk))
    reader_client.get(LOG)  # the session and the menu warm up
    with django_assert_max_num_queries(10):
        html = page_of(reader_client)
    assert rows_of(html).count("<tr>") == 50


def test_the_pager_keeps_the_filters_and_a_parameter_named_items_is_harmless(reader_client):
    Delivery.objects.bulk_create(
        Delivery(reason=f"bulk:{n}", channel=Channel.SMS, recipient=f"1390000{n:04d}", status=DeliveryStatus.SENT)
        for n in range(51)
    )
    html = page_of(reader_client, {"status": "sent", "items": "x"})
    assert "?status=sent&amp;items=x&amp;page=2" in html
    assert rows_of(page_of(reader_client, {"status": "sent", "page": "2"})).count("<tr>") == 1


def test_a_message_only_written_to_the_log_never_reads_as_delivered(reader_client):
    delivery("consultation.notice:7", status=DeliveryStatus.DELIVERED, provider=Provider.CONSOLE, detail="console")
    delivery("consultation.notice:8", status=DeliveryStatus.DELIVERED, provider=Provider.ALIYUN, provider_id="1^0")
    rows = rows_of(page_of(reader_client))
    assert rows.count("未发送（未配置服务商，仅写入日志）") == 1
    assert '<span class="badge ok">已送达</span>' in rows


def test_each_badge_says_whether_the_message_reached_the_person():
    kept = {"reason": "r", "channel": Channel.SMS, "recipient": MOBILE}
    assert Delivery(**kept, status=DeliveryStatus.DELIVERED, provider=Provider.TENCENT).outcome == "ok"
    assert Delivery(**kept, status=DeliveryStatus.SENT, provider=Provider.TENCENT).outcome == "pending"
    assert Delivery(**kept, status=DeliveryStatus.QUEUED).outcome == "pending"
    assert Delivery(**kept, status=DeliveryStatus.UNKNOWN, provider=Provider.ALIYUN).outcome == "no"
    assert Delivery(**kept, status=DeliveryStatus.DELIVERED, provider=Provider.CONSOLE).outcome == "no"
