"""The fund's pages over HTTP: who sees what, the forms, the approval queue, the voucher, the Excel ledger."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shangliang.core.tests.files import image_bytes, png_bomb, upload
from shangliang.funds import services
from shangliang.funds.models import FundAccount, FundEntry
from shangliang.funds.states import EntryStatus
from shangliang.funds.tests.conftest import income, request
from shangliang.orgs.tests.factories import make_user

pytestmark = pytest.mark.django_db


def png(name="凭证.png"):
    return upload(name, image_bytes("PNG", (40, 30)), "image/png")


def login(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def test_who_sees_the_account_and_who_is_refused(client, world):
    income(world, "8000.00")
    account_url = reverse("funds:account", args=[world.account.pk])
    # Anonymous: to the login page; a resident: refused staff pages.
    assert client.get(account_url).status_code == 302
    login(client, world.resident)
    assert client.get(account_url).status_code == 403
    assert client.get(reverse("funds:accounts")).status_code == 403
    # Another village's convener and another township's station head: as if it did not exist.
    for outsider in (world.other_convener, world.other_station):
        login(client, outsider)
        assert client.get(account_url).status_code == 404
        assert client.get(reverse("funds:ledger_export", args=[world.account.pk])).status_code == 404
        assert client.get(reverse("funds:income_new", args=[world.account.pk])).status_code == 404
        assert "甲一村协商资金专户" not in text(client.get(reverse("funds:accounts")))
    # The keeper sees the full account number; the CPPCC office reads it masked and may not record.
    login(client, world.convener)
    page = text(client.get(account_url))
    assert "6230520010001234567" in page and "8,000.00" in page
    login(client, world.cppcc)
    page = text(client.get(account_url))
    assert "6230520010001234567" not in page and "6230 **** 4567" in page and "8,000.00" in page
    assert client.get(reverse("funds:income_new", args=[world.account.pk])).status_code == 404
    # Ids no database holds answer 404, never 500.
    assert client.get("/funds/" + "9" * 30 + "/").status_code == 404
    assert client.get("/funds/entry/12%00/").status_code in (400, 404)
    assert client.get("/funds/entry/" + "9" * 30 + "/").status_code == 404


def test_income_and_a_spending_request_through_the_forms(client, world):
    login(client, world.convener)
    income_url = reverse("funds:income_new", args=[world.account.pk])
    token = re.search(r'name="form_token" value="([^"]+)"', text(client.get(income_url))).group(1)
    data = {
        "kind": "allocation",
        "amount": "12000.00",
        "booked_on": "2026-03-02",
        "counterparty": "甲镇财政所",
        "purpose": "2026年度协商资金",
        "form_token": token,
    }
    assert client.post(income_url, data).status_code == 302
    # A double click posts the same form again: one line, not two.
    assert client.post(income_url, data).status_code == 302
    assert FundEntry.objects.filter(account=world.account, purpose="2026年度协商资金").count() == 1
    # A private mobile number is refused next to the field.
    phone = client.post(income_url, {**data, "form_token": "", "counterparty": "张三13912345678"})
    assert phone.status_code == 200 and "请不要填写个人手机号码" in text(phone)
    form_url = reverse("funds:spending_new", args=[world.account.pk])
    page = text(client.get(form_url))
    assert world.consultation.topic.title in page and f'value="a{world.assignment.pk}"' in page
    # A link that is not the village's (or not a number at all) is refused next to the field.
    bad = client.post(
        form_url,
        {"link": "c" + "9" * 30, "kind": "operation", "amount": "10", "counterparty": "印刷厂", "purpose": "印刷"},
    )
    assert bad.status_code == 200 and "field-error" in text(bad)
    response = client.post(
        form_url,
        {
            "link": f"c{world.consultation.pk}",
            "kind": "operation",
            "amount": "360.50",
            "counterparty": "甲镇印刷厂",
            "purpose": "印制协商通知和议事规则",
        },
    )
    entry = FundEntry.objects.get(purpose="印制协商通知和议事规则")
    assert response.status_code == 302 and response["Location"] == reverse("funds:entry", args=[entry.pk])
    assert entry.status == EntryStatus.REQUESTED and entry.consultation == world.consultation
    assert entry.created_by == world.convener and entry.amount == Decimal("360.50")
    page = text(client.get(reverse("funds:account", args=[world.account.pk])))
    assert "印制协商通知和议事规则" in page and "待审批" in page


def test_the_approval_queue_and_the_decision(client, world):
    income(world, "9000")
    entry = request(world, "6000", purpose="安装路灯6盏")
    # On the village approver's home page, linking to the line.
    login(client, world.secretary)
    home = text(client.get(reverse("portal:home")))
    assert "待审批的协商资金支出" in home and reverse("funds:entry", args=[entry.pk]) in home
    assert "安装路灯6盏" in text(client.get(reverse("funds:approvals")))
    # Not yet on the station head's: the township step comes second.
    login(client, world.station)
    assert "安装路灯6盏" not in text(client.get(reverse("funds:approvals")))
    decide = reverse("funds:entry_decide", args=[entry.pk])
    assert client.post(decide, {"decision": "approved"}).status_code == 404
    # A refusal needs its reason; the approval goes through.
    login(client, world.secretary)
    response = client.post(decide, {"decision": "refused", "opinion": ""})
    assert response.status_code == 400 and "请写明不同意的理由" in text(response)
    assert client.post(decide, {"decision": "approved", "opinion": "经村两委研究同意"}).status_code == 302
    login(client, world.station)
    assert "安装路灯6盏" in text(client.get(reverse("funds:approvals")))
    assert client.post(decide, {"decision": "approved", "opinion": "同意"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.APPROVED
    page = text(client.get(reverse("funds:entry", args=[entry.pk])))
    assert "经村两委研究同意" in page and "村书记李红" in page and "站长林芳" in page
    # Now it waits for its payment on the keepers' home page.
    login(client, world.convener)
    assert "已批准待支付的协商资金支出" in text(client.get(reverse("portal:home")))


def test_approval_beyond_the_balance_is_refused_on_the_page(client, world):
    income(world, "500")
    entry = request(world, "800", purpose="修缮议事室")
    login(client, world.secretary)
    response = client.post(reverse("funds:entry_decide", args=[entry.pk]), {"decision": "approved"})
    assert response.status_code == 400
    assert "账户余额不足：可用余额500.00元" in text(response)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REQUESTED


def test_payment_with_a_voucher_and_who_may_download_it(client, world):
    income(world, "2000")
    entry = request(world, "700")
    services.entry_approve(actor=world.secretary, entry=entry)
    pay = reverse("funds:entry_pay", args=[entry.pk])
    login(client, world.other_convener)
    assert client.post(pay, {"paid_on": "2026-04-01", "voucher": png()}).status_code == 404
    login(client, world.convener)
    response = client.post(pay, {"paid_on": "2026-04-01"})
    assert response.status_code == 400 and "支付前须上传凭证" in text(response)
    bomb = client.post(pay, {"paid_on": "2026-04-01", "voucher": upload("bomb.png", png_bomb(), "image/png")})
    assert bomb.status_code == 400 and "图片尺寸过大" in text(bomb)
    html = client.post(pay, {"paid_on": "2026-04-01", "voucher": upload("x.pdf", b"<html><script>1</script>")})
    assert html.status_code == 400 and "凭证只能是 PDF" in text(html)
    assert client.post(pay, {"paid_on": "2026-04-01", "voucher": png()}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PAID and entry.booked_on == datetime.date(2026, 4, 1)
    assert entry.voucher.name.endswith(".jpg")  # re-encoded, its metadata dropped
    assert client.get(entry.voucher.url).status_code == 200
    login(client, world.cppcc)
    assert client.get(entry.voucher.url).status_code == 200
    login(client, world.other_convener)
    assert client.get(entry.voucher.url).status_code == 404
    client.logout()
    assert client.get(entry.voucher.url).status_code in (302, 404)


def test_the_ledger_in_excel_with_its_balance(client, world):
    income(world, "10000", day=datetime.date(2025, 12, 20))
    income(world, "3000", kind="donation", purpose='=HYPERLINK("x")企业捐赠', day=datetime.date(2026, 2, 1))
    paid = request(world, "1200.40", purpose="购置停车标识牌")
    services.entry_approve(actor=world.secretary, entry=paid)
    services.entry_pay(actor=world.convener, entry=paid, paid_on=datetime.date(2026, 3, 3), voucher=png())
    request(world, "500", purpose="尚待审批的支出", assignment=False)
    login(client, world.cppcc)
    response = client.get(reverse("funds:ledger_export", args=[world.account.pk]))
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "甲一村协商资金专户收支台账"
    assert "6230 **** 4567" in values[1][0] and "6230520010001234567" not in values[1][0]
    lines = {row[3]: row for row in values[3:] if isinstance(row[0], int)}
    assert lines["购置停车标识牌"][7] == pytest.approx(1200.40) and lines["购置停车标识牌"][8] == pytest.approx(
        11799.60
    )
    assert lines['\'=HYPERLINK("x")企业捐赠'][6] == 3000  # text, never a formula
    assert lines["尚待审批的支出"][8] in ("", None) and lines["尚待审批的支出"][9] == "待审批"
    summary = {row[7]: row[8] for row in values if row[7] and isinstance(row[8], float | int)}
    assert summary["账户余额"] == pytest.approx(11799.60) and summary["其中成果落实支出"] == pytest.approx(1200.40)
    # One year's sheet carries the balance over from the years before.
    response = client.get(reverse("funds:ledger_export", args=[world.account.pk]), {"year": "2026"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    purposes = [row[3].value for row in sheet.iter_rows(min_row=4) if isinstance(row[0].value, int)]
    assert "2026年度村级协商资金" not in purposes and "购置停车标识牌" in purposes


def test_lists_cost_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    income(world, "50000")
    for n in range(6):
        request(world, f"{100 + n}", purpose=f"支出{n}")
    for village in ("a2",):
        services.account_open(
            actor=world.station,
            village=world.district[village],
            name="甲二村协商资金专户",
            opened_on=datetime.date(2026, 1, 1),
        )
    login(client, world.station)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("funds:accounts")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("funds:account", args=[world.account.pk])).status_code == 200
    login(client, world.secretary)
    with django_assert_max_num_queries(10):
        page = text(client.get(reverse("funds:approvals")))
    assert all(f"支出{n}" in page for n in range(6))


def test_opening_an_account(client, world):
    login(client, world.other_station)
    assert client.get(reverse("funds:account_new")).status_code == 200
    response = client.post(
        reverse("funds:account_new"),
        {"village": world.district["b1"].pk, "name": "乙一村协商资金专户", "opened_on": "2026-02-01"},
    )
    assert response.status_code == 302
    assert FundAccount.objects.filter(village=world.district["b1"]).exists()
    # 甲一村 is outside 乙镇 (and already has its account): not a choice.
    response = client.post(
        reverse("funds:account_new"),
        {"village": world.district["a2"].pk, "name": "越权账户", "opened_on": "2026-02-01"},
    )
    assert not FundAccount.objects.filter(name="越权账户").exists()
    login(client, world.resident)
    assert client.get(reverse("funds:account_new")).status_code == 403
    assert make_user  # the factories are the project's


def test_assignment_page_links_a_stalled_item_to_a_fund_request(client, world):
    from shangliang.outcomes import services as outcome_services
    from shangliang.outcomes.tests.builders import liaison_of

    liaison = liaison_of(world.assignment.lead_unit)
    outcome_services.assignment_accept(actor=liaison, assignment=world.assignment)
    outcome_services.progress_add(
        actor=liaison,
        assignment=world.assignment,
        unit=world.assignment.lead_unit,
        progress="已完成选址",
        problems="资金尚未落实",
    )
    page_url = reverse("outcomes:assignment", args=[world.assignment.pk])
    login(client, world.convener)
    page = text(client.get(page_url))
    assert 'id="fund-requests"' in page and "资金尚未落实" in page and 'id="fund-request-link"' in page
    response = client.get(reverse("funds:assignment_request", args=[world.assignment.pk]))
    form_url = reverse("funds:spending_new", args=[world.account.pk]) + f"?assignment={world.assignment.pk}"
    assert response.status_code == 302 and response["Location"] == form_url
    form = text(client.get(form_url))
    assert re.search(rf'<option value="a{world.assignment.pk}" selected>', form)
    request(world, "2600", purpose="停放点划线施工")
    page = text(client.get(page_url))
    assert "停放点划线施工" in page and "待审批" in page
    # The unit's liaison sees the request and its state, not the link to ask for money.
    login(client, liaison)
    page = text(client.get(page_url))
    assert "停放点划线施工" in page and 'id="fund-request-link"' not in page
    assert client.get(reverse("funds:assignment_request", args=[world.assignment.pk])).status_code == 404
