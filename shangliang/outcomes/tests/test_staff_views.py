"""Staff pages of outcomes through HTTP: each page and action, refusals outside scope, bad input, query bounds."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations.models import Suggestion
from shangliang.core.workdays import add_working_days
from shangliang.orgs.states import Role, UnitKind
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import reminders, services
from shangliang.outcomes.models import Assignment, ExtensionRequest, OutcomeReport, ProgressUpdate, Publication
from shangliang.outcomes.states import AssignmentStatus, ExtensionStatus, ReminderKind, ReportKind, ReportStatus
from shangliang.outcomes.tests.builders import assigned, concluded, liaison_of, make_unit

pytestmark = pytest.mark.django_db

CONFLICT = "此事项刚被其他人更新过"
REQUIRED = "这个字段是必填项"
# Sent this long ago, a report is past its 10-working-day reply whatever holidays fell in between.
PAST_THE_REPLY = datetime.timedelta(days=30)


@pytest.fixture
def people(district):
    d = district["district"]
    unit_a = make_unit(d, "区住房和城乡建设局")
    unit_b = make_unit(d, "区交通运输局")
    committee = make_unit(d, "区政协经济委", kind=UnitKind.CPPCC_COMMITTEE)
    return {
        "unit_a": unit_a,
        "unit_b": unit_b,
        "committee": committee,
        "convener": grant(make_user("convener", full_name="李召集"), Role.CONVENER, region=district["a1"]),
        "approver": grant(make_user("approver"), Role.APPROVER, region=district["a"]),
        "supervisor": grant(make_user("supervisor", full_name="赵督办"), Role.SUPERVISOR, region=district["a"]),
        "liaison_a": liaison_of(unit_a, "liaison_a"),
        "liaison_b": liaison_of(unit_b, "liaison_b"),
        "outsider": grant(make_user("outsider"), Role.CONVENER, region=district["b1"]),
    }


@pytest.fixture
def consultation(district, people):
    return concluded(district, convener=people["convener"])


@pytest.fixture
def item(consultation, people):
    """Suggestion 1 assigned to unit A, followed by the supervisor, with a mobile only some may see."""
    return assigned(
        consultation,
        unit=people["unit_a"],
        actor=people["approver"],
        supervisor=people["supervisor"],
        responsible_mobile="13912345678",
    )


def login(client, user):
    client.force_login(user)
    return client


def fresh(obj):
    obj.refresh_from_db()
    return obj


def text(response) -> str:
    return response.content.decode()


def url(name, *args):
    return reverse(f"outcomes:{name}", args=args)


# --- the consultation's outcomes page ------------------------------------------------------


def test_consultation_page_shows_the_three_lists_with_the_mobile_masked_for_organisers(
    client, consultation, people, item
):
    page = text(login(client, people["convener"]).get(url("consultation", consultation.pk)))
    for heading in ("协商意见建议清单", "工作责任清单", "落实效果清单", "规划电动车停放点", "区住房和城乡建设局"):
        assert heading in page
    assert "139****5678" in page and "13912345678" not in page
    assert "赵督办" in page and "未交办" in page
    page = text(login(client, people["supervisor"]).get(url("consultation", consultation.pk)))
    assert "13912345678" in page
    page = text(login(client, people["approver"]).get(url("consultation", consultation.pk)))
    assert "13912345678" in page
    assert url("assign", consultation.pk, consultation.suggestions.all()[1].pk) in page


def test_consultation_pages_link_to_outcomes_once_concluded(client, consultation, people):
    page = text(login(client, people["convener"]).get(reverse("consultations:detail", args=[consultation.pk])))
    assert url("consultation", consultation.pk) in page and "成果报送与落实" in page


def test_assigner_assigns_a_suggestion_through_the_form(client, consultation, people):
    suggestion = consultation.suggestions.all()[0]
    client = login(client, people["approver"])
    assign_url = url("assign", consultation.pk, suggestion.pk)
    page = client.get(assign_url)
    assert page.status_code == 200
    assert list(page.context["form"].fields["supervisor"].queryset) == [people["supervisor"]]
    assert list(page.context["form"].fields["cppcc_committee"].queryset) == [people["committee"]]
    data = {
        "lead_unit": people["unit_a"].pk,
        "co_units": [people["unit_b"].pk],
        "responsible_person": "王科长",
        "responsible_mobile": "123",
        "deadline": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "cppcc_committee": people["committee"].pk,
        "supervisor": people["supervisor"].pk,
    }
    response = client.post(assign_url, data)
    assert response.status_code == 400 and "11位手机号码" in text(response)
    data["responsible_mobile"] = "139 1234 5678"
    response = client.post(assign_url, data)
    assert response.status_code == 400 and "办理时限不能早于今天" in text(response)
    assert not Assignment.objects.exists()
    data["deadline"] = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    response = client.post(assign_url, data)
    assert response.status_code == 302
    created = Assignment.objects.get()
    assert created.responsible_mobile == "13912345678" and created.assigned_by == people["approver"]
    assert list(created.co_units.all()) == [people["unit_b"]] and created.cppcc_committee == people["committee"]
    assert client.get(assign_url)["Location"] == url("assignment", created.pk)


def test_only_an_assigner_may_assign(client, consultation, people):
    suggestion = consultation.suggestions.all()[0]
    for who in ("convener", "supervisor", "liaison_a", "outsider"):
        response = login(client, people[who]).get(url("assign", consultation.pk, suggestion.pk))
        assert response.status_code == 404, who
    assert not Assignment.objects.exists()


def test_publication_is_prefilled_from_the_effect_list_without_names(client, consultation, people, item):
    services.assignment_accept(actor=people["liaison_a"], assignment=item)
    services.progress_add(actor=people["liaison_a"], assignment=item, unit=people["unit_a"], progress="已选址")
    services.assignment_complete(actor=people["liaison_a"], assignment=item, result="划定停放点60个")
    services.assignment_check(item, actor=people["supervisor"])
    client = login(client, people["convener"])
    page = client.get(url("consultation", consultation.pk))
    summary = page.context["publish_form"].initial["summary"]
    assert "规划电动车停放点" in summary and "划定停放点60个" in summary and "正在研究交办" in summary
    assert "王科长" not in summary and "赵督办" not in summary and "139" not in summary
    response = client.post(url("publish", consultation.pk), {"summary": summary, "channels": []})
    assert response.status_code == 400 and REQUIRED in text(response)
    response = client.post(url("publish", consultation.pk), {"summary": " ", "channels": ["board", "online"]})
    assert response.status_code == 400 and not Publication.objects.exists()
    response = client.post(url("publish", consultation.pk), {"summary": summary, "channels": ["board", "online"]})
    assert response.status_code == 302
    assert Publication.objects.get().channels == ["board", "online"]
    page = text(client.get(url("consultation", consultation.pk)))
    assert "已公开" in page and "网上公开" in page
    assert reverse("outcomes_public:result", args=[consultation.pk]) in page
    assert reverse("outcomes_public:poster", args=[consultation.pk]) in page
    assert reverse("outcomes_files:three_lists_xlsx", args=[consultation.pk]) in page
    assert login(client, people["liaison_a"]).post(url("publish", consultation.pk), {}).status_code == 404


def test_publication_overdue_is_flagged_on_the_page_and_the_board(client, consultation, people, item, settings):
    settings.SHANGLIANG_PUBLISH_DAYS = 7
    liaison = people["liaison_a"]
    other = assigned(consultation, unit=people["unit_b"], order=1, supervisor=people["supervisor"])
    services.assignment_accept(actor=liaison, assignment=item)
    evidence = SimpleUploadedFile("a.jpg", b"x")
    services.assignment_complete(actor=liaison, assignment=item, result="建成", evidence=evidence)
    services.assignment_check(item, actor=people["supervisor"])
    services.assignment_accept(actor=people["liaison_b"], assignment=other)
    services.assignment_defer(actor=people["liaison_b"], assignment=other, reason="资金明年到位")
    long_ago = timezone.now() - datetime.timedelta(days=10)
    Assignment.objects.filter(pk=item.pk).update(done_at=long_ago, checked_at=long_ago)
    Assignment.objects.filter(pk=other.pk).update(deferred_at=long_ago)
    page = text(login(client, people["convener"]).get(url("consultation", consultation.pk)))
    assert 'id="publication-overdue"' in page and "资金明年到位" in page
    board = login(client, people["supervisor"]).get(url("board"))
    assert [c.pk for c in board.context["unpublished"]] == [consultation.pk]


# --- reports -------------------------------------------------------------------------------


def test_convener_drafts_edits_and_sends_a_report(client, consultation, people):
    client = login(client, people["convener"])
    page = client.get(url("report_new", consultation.pk) + "?kind=proposal")
    assert page.context["form"].initial["title"] == "关于“集镇电动车乱停放”的政协提案"
    assert "1. 规划电动车停放点" in page.context["form"].initial["body"]
    data = {"kind": "consultation_report", "recipient": "", "title": "关于停车的报告", "body": "正文"}
    response = client.post(url("report_new", consultation.pk), data)
    assert response.status_code == 400 and REQUIRED in text(response) and not OutcomeReport.objects.exists()
    data.update(recipient="镇党委、镇政府", is_entrusted="on", recipient_unit=people["unit_a"].pk)
    response = client.post(url("report_new", consultation.pk), data)
    report = OutcomeReport.objects.get()
    assert response["Location"] == url("report", report.pk)
    assert report.is_entrusted and report.created_by == people["convener"]
    response = client.post(url("report", report.pk), {"recipient": "镇政府", "title": "新标题", "body": " "})
    assert response.status_code == 400 and fresh(report).title == "关于停车的报告"
    client.post(url("report", report.pk), {"recipient": "镇政府", "title": "新标题", "body": "新正文"})
    assert fresh(report).title == "新标题"
    client.post(url("report_send", report.pk))
    report = fresh(report)
    assert report.status == ReportStatus.SENT
    assert report.reply_due_on == add_working_days(timezone.localdate(), 10)
    response = client.post(url("report_send", report.pk), follow=True)
    assert "不能变为" in text(response)
    page = text(client.get(url("report", report.pk)))
    assert "逾期" not in page and url("report_reply", report.pk) in page


def test_a_late_reply_is_flagged_on_the_report_page(client, consultation, people):
    report = services.report_draft(
        actor=people["convener"],
        consultation=consultation,
        kind=ReportKind.CONSULTATION_REPORT,
        recipient="镇政府",
        is_entrusted=True,
    )
    services.report_send(actor=people["convener"], report=report, now=timezone.now() - PAST_THE_REPLY)
    client = login(client, people["convener"])
    page = text(client.get(url("report", report.pk)))
    assert 'id="reply-late"' in page and "逾期未答复" in page
    listing = client.get(url("reports") + "?show=late")
    assert [r.pk for r, late in listing.context["rows"]] == [report.pk] and listing.context["rows"][0][1]
    response = client.post(url("report_reply", report.pk), {"text": ""})
    assert response.status_code == 400 and REQUIRED in text(response)
    attachment = SimpleUploadedFile("reply.pdf", b"%PDF-1.4", content_type="application/pdf")
    client.post(url("report_reply", report.pk), {"text": "已安排专项资金。", "attachment": attachment})
    report = fresh(report)
    assert report.status == ReportStatus.REPLIED and report.reply_attachment
    page = text(client.get(url("report", report.pk)))
    assert "逾期答复" in page and "已安排专项资金" in page


def test_reports_of_another_village_are_not_found(client, consultation, people):
    report = services.report_draft(
        actor=people["convener"], consultation=consultation, kind=ReportKind.PROPOSAL, recipient="区政协"
    )
    client = login(client, people["outsider"])
    assert client.get(url("report", report.pk)).status_code == 404
    assert client.post(url("report_send", report.pk)).status_code == 404
    assert client.get(url("report_new", consultation.pk)).status_code == 404
    assert client.get(url("reports")).context["rows"] == []
    assert fresh(report).status == ReportStatus.DRAFT
    client = login(client, people["supervisor"])
    assert client.get(url("report", report.pk)).status_code == 200
    assert client.post(url("report_send", report.pk)).status_code == 404
    assert fresh(report).status == ReportStatus.DRAFT


# --- one assignment: the unit's side ---------------------------------------------------------


def test_liaison_accepts_reports_progress_and_completes(client, people, item):
    client = login(client, people["liaison_a"])
    page = client.get(url("assignment", item.pk))
    assert page.status_code == 200 and "139****5678" in text(page)
    response = client.post(url("assignment_accept", item.pk), {})
    assert response.status_code == 400 and "页面已过期，请刷新后再提交" in text(response)
    assert fresh(item).status == AssignmentStatus.ASSIGNED
    client.post(url("assignment_accept", item.pk), {"version": item.version})
    item = fresh(item)
    assert item.status == AssignmentStatus.ACCEPTED and item.accepted_at
    response = client.post(url("assignment_complete", item.pk), {"result": "建成", "version": item.version})
    assert response.status_code == 400 and "请上传佐证材料" in text(response)
    response = client.post(url("progress_add", item.pk), {"progress": "", "version": item.version})
    assert response.status_code == 400 and REQUIRED in text(response)
    attachment = SimpleUploadedFile("site.pdf", b"%PDF-1.4 site plan", content_type="application/pdf")
    data = {"progress": "已完成选址", "problems": "资金缺口", "next_steps": "申请专项资金", "version": item.version}
    client.post(url("progress_add", item.pk), {**data, "attachment": attachment})
    update = ProgressUpdate.objects.get()
    assert update.unit == people["unit_a"] and update.attachment and update.created_by == people["liaison_a"]
    item = fresh(item)
    response = client.post(url("assignment_complete", item.pk), {"result": "", "version": item.version})
    assert response.status_code == 400
    client.post(url("assignment_complete", item.pk), {"result": "划定停放点60个", "version": item.version})
    item = fresh(item)
    assert item.status == AssignmentStatus.FINISHED and item.result == "划定停放点60个"
    page = text(client.get(url("assignment", item.pk)))
    for fact in ("已完成选址", "资金缺口", "申请专项资金", "签收", "办结", "已报办结，待验收"):
        assert fact in page


def test_a_co_unit_reports_progress_under_its_own_name_but_cannot_accept(client, consultation, people):
    item = assigned(consultation, unit=people["unit_a"], co_units=[people["unit_b"]], supervisor=people["supervisor"])
    client = login(client, people["liaison_b"])
    assert client.post(url("assignment_accept", item.pk), {"version": item.version}).status_code == 404
    assert fresh(item).status == AssignmentStatus.ASSIGNED
    services.assignment_accept(actor=people["liaison_a"], assignment=item)
    item = fresh(item)
    client.post(url("progress_add", item.pk), {"progress": "配合排查", "version": item.version})
    assert ProgressUpdate.objects.get().unit == people["unit_b"]


def test_the_second_of_two_liaisons_gets_the_conflict_and_keeps_their_text(client, people, item):
    services.assignment_accept(actor=people["liaison_a"], assignment=item)
    second = liaison_of(people["unit_a"], "liaison_a2")
    first_page = login(client, people["liaison_a"]).get(url("assignment", item.pk))
    second_page = login(client, second).get(url("assignment", item.pk))
    opened = first_page.context["progress_form"].initial["version"]
    assert second_page.context["progress_form"].initial["version"] == opened
    response = login(client, people["liaison_a"]).post(
        url("progress_add", item.pk), {"progress": "第一位的进展", "version": opened}
    )
    assert response.status_code == 302
    response = login(client, second).post(url("progress_add", item.pk), {"progress": "第二位的进展", "version": opened})
    page = text(response)
    assert response.status_code == 400 and CONFLICT in page
    assert "第二位的进展" in page and "第一位的进展" in page
    assert list(ProgressUpdate.objects.values_list("progress", flat=True)) == ["第一位的进展"]
    form = response.context["progress_form"]
    assert form.data["version"] == str(fresh(item).version) and form.data["progress"] == "第二位的进展"
    login(client, second).post(url("progress_add", item.pk), dict(form.data.items()))
    assert ProgressUpdate.objects.count() == 2


def test_return_within_the_period_and_refused_after_it(client, consultation, people, item, settings):
    settings.SHANGLIANG_RETURN_DAYS = 5
    client = login(client, people["liaison_a"])
    response = client.post(url("assignment_return", item.pk), {"reason": "", "version": item.version})
    assert response.status_code == 400 and REQUIRED in text(response)
    late = assigned(consultation, unit=people["unit_a"], order=1, supervisor=people["supervisor"])
    Assignment.objects.filter(pk=late.pk).update(assigned_at=timezone.now() - datetime.timedelta(days=6))
    page = text(client.get(url("assignment", late.pk)))
    assert "不能再退回" in page and url("assignment_return", late.pk) not in page
    response = client.post(url("assignment_return", late.pk), {"reason": "不归我局", "version": late.version})
    assert response.status_code == 400 and "不能再退回" in text(response)
    assert fresh(late).status == AssignmentStatus.ASSIGNED
    client.post(url("assignment_return", item.pk), {"reason": "属镇政府职责", "version": item.version})
    item = fresh(item)
    assert item.status == AssignmentStatus.RETURNED and item.return_reason == "属镇政府职责"
    page = text(login(client, people["approver"]).get(url("consultation", consultation.pk)))
    assert "已退回：属镇政府职责" in page
    assert url("assign", consultation.pk, item.suggestion_id) in page


def test_defer_needs_a_reason_and_can_be_resumed(client, people, item):
    services.assignment_accept(actor=people["liaison_a"], assignment=item)
    item = fresh(item)
    client = login(client, people["liaison_a"])
    response = client.post(url("assignment_defer", item.pk), {"reason": "", "version": item.version})
    assert response.status_code == 400
    client.post(url("assignment_defer", item.pk), {"reason": "用地手续未批", "version": item.version})
    item = fresh(item)
    assert item.status == AssignmentStatus.DEFERRED and item.deferral_reason == "用地手续未批"
    client.post(url("assignment_resume", item.pk), {"version": item.version})
    assert fresh(item).status == AssignmentStatus.ACCEPTED


def test_an_extension_needs_a_supervisors_approval(client, people, item):
    client = login(client, people["liaison_a"])
    deadline = item.deadline
    response = client.post(
        url("extension_request", item.pk), {"requested_deadline": deadline.isoformat(), "reason": "施工期长"}
    )
    assert response.status_code == 400 and "应晚于现在的时限" in text(response)
    later = (deadline + datetime.timedelta(days=30)).isoformat()
    client.post(url("extension_request", item.pk), {"requested_deadline": later, "reason": "施工期长"})
    extension = ExtensionRequest.objects.get()
    assert extension.status == ExtensionStatus.PENDING and fresh(item).deadline == deadline
    page = client.get(url("assignment", item.pk))
    assert "decision_form" not in page.context and "等待督办负责人审批" in text(page)
    response = client.post(url("extension_decide", extension.pk), {"decision": "approve"})
    assert response.status_code == 404
    assert fresh(extension).status == ExtensionStatus.PENDING and fresh(item).deadline == deadline
    client = login(client, people["supervisor"])
    assert "decision_form" in client.get(url("assignment", item.pk)).context
    response = client.post(url("extension_decide", extension.pk), {"decision": "refuse", "note": ""})
    assert response.status_code == 400 and "不同意延期时请写明意见" in text(response)
    assert fresh(extension).status == ExtensionStatus.PENDING
    client.post(url("extension_decide", extension.pk), {"decision": "approve", "note": "同意"})
    assert fresh(extension).status == ExtensionStatus.APPROVED and fresh(extension).decided_by == people["supervisor"]
    assert fresh(item).deadline == deadline + datetime.timedelta(days=30)


def test_a_supervisor_who_asked_for_the_extension_cannot_approve_it(client, people, item):
    both = grant(liaison_of(people["unit_a"], "both"), Role.SUPERVISOR, region=people["unit_a"].region)
    extension = services.extension_request(
        actor=both, assignment=item, requested_deadline=item.deadline + datetime.timedelta(days=5), reason="雨季"
    )
    client = login(client, both)
    response = client.post(url("extension_decide", extension.pk), {"decision": "approve"})
    assert response.status_code == 400 and "不能审批自己提出的延期申请" in text(response)
    assert fresh(extension).status == ExtensionStatus.PENDING


# --- the table of actions: the page and the one POST view read the same declaration ------------

ACTION_URLS = {
    "accept": "assignment_accept",
    "return": "assignment_return",
    "progress": "progress_add",
    "complete": "assignment_complete",
    "defer": "assignment_defer",
    "resume": "assignment_resume",
    "extension": "extension_request",
    "decision": "extension_decide",
    "check": "assignment_check",
    "send_back": "assignment_send_back",
}


@pytest.fixture
def shared_item(consultation, people):
    """Suggestion 1 led by unit A with unit B as co-unit, followed by the supervisor."""
    return assigned(consultation, unit=people["unit_a"], co_units=[people["unit_b"]], supervisor=people["supervisor"])


def _bring_to(state: str, item, people) -> ExtensionRequest | None:
    """Move the item through the services to ``state``; returns the extension request it made, if any."""
    liaison = people["liaison_a"]
    if state == "late":
        Assignment.objects.filter(pk=item.pk).update(assigned_at=timezone.now() - datetime.timedelta(days=6))
    if state in {"assigned", "late"}:
        return None
    services.assignment_accept(actor=liaison, assignment=item)
    if state == "deferred":
        services.assignment_defer(actor=liaison, assignment=item, reason="用地手续未批")
    elif state in {"finished", "done"}:
        services.progress_add(actor=liaison, assignment=item, unit=people["unit_a"], progress="选址")
        services.assignment_complete(actor=liaison, assignment=item, result="建成")
        if state == "done":
            # A village's own item: its convener checks it (验收).
            services.assignment_check(item, actor=people["convener"])
    elif state in {"pending", "decided"}:
        extension = services.extension_request(
            actor=liaison, assignment=item, requested_deadline=item.deadline + datetime.timedelta(days=9), reason="雨季"
        )
        if state == "decided":
            services.extension_decide(actor=people["supervisor"], extension=extension, approve=True)
        return extension
    return None


def _action_url(key, item, extension):
    return url(ACTION_URLS[key], extension.pk if key == "decision" else item.pk)


@pytest.mark.parametrize(
    "state, who, expected",
    [
        ("assigned", "liaison_a", {"accept", "return", "extension"}),
        ("assigned", "liaison_b", set()),
        ("assigned", "supervisor", set()),
        ("late", "liaison_a", {"accept", "extension"}),
        ("accepted", "liaison_a", {"progress", "complete", "defer", "extension"}),
        ("accepted", "liaison_b", {"progress"}),
        ("accepted", "supervisor", set()),
        ("deferred", "liaison_a", {"progress", "resume"}),
        ("finished", "liaison_a", set()),
        ("finished", "convener", {"check", "send_back"}),
        # The item comes from a village's consultation: its convener checks it, not the township's supervisor.
        ("finished", "supervisor", set()),
        ("done", "liaison_a", set()),
        ("done", "convener", set()),
        ("pending", "liaison_a", {"progress", "complete", "defer"}),
        ("pending", "supervisor", {"decision"}),
        ("decided", "supervisor", set()),
    ],
)
def test_the_page_shows_exactly_the_forms_the_table_opens(client, people, shared_item, settings, state, who, expected):
    settings.SHANGLIANG_RETURN_DAYS = 5
    extension = _bring_to(state, shared_item, people)
    page = login(client, people[who]).get(url("assignment", shared_item.pk))
    assert page.status_code == 200
    shown = {key.removesuffix("_form") for key, is_shown in page.context["show"].items() if is_shown}
    assert shown == expected
    html = text(page)
    in_html = {
        key
        for key in ACTION_URLS
        if (key != "decision" or extension) and f'action="{_action_url(key, shared_item, extension)}"' in html
    }
    assert in_html == expected
    assert {key for key in ACTION_URLS if f"{key}_form" in page.context} == expected
    assert ("不能再退回" in html) == (state == "late" and who == "liaison_a")


@pytest.mark.parametrize(
    "state, key, data, message",
    [
        ("assigned", "complete", {"result": "建成"}, "只有办理中的事项可以办结"),
        ("assigned", "progress", {"progress": "选址"}, "签收后才能填报进展"),
        # Signing for a deferred item would move it to "accepted" in the service; only resuming may.
        ("deferred", "accept", {}, "只有待签收的事项可以签收"),
        ("accepted", "return", {"reason": "不归我局"}, "只有待签收的事项可以退回"),
        ("done", "extension", {"reason": "雨季"}, "只有办理中的事项可以申请延期"),
        ("finished", "extension", {"reason": "雨季"}, "只有办理中的事项可以申请延期"),
        ("finished", "complete", {"result": "再办结"}, "只有办理中的事项可以办结"),
        ("accepted", "check", {}, "只有办结待验收的事项可以验收"),
        ("done", "send_back", {"reason": "不合格"}, "只有办结待验收的事项可以验收退回"),
        ("late", "return", {"reason": "不归我局"}, "不能再退回"),
        ("pending", "extension", {"reason": "再延"}, "已有一份延期申请在等待审批"),
        ("decided", "decision", {"decision": "refuse", "note": "不同意"}, "这份延期申请已经审批"),
    ],
)
def test_the_action_view_refuses_an_action_not_open_now_and_writes_nothing(
    client, people, shared_item, settings, state, key, data, message
):
    settings.SHANGLIANG_RETURN_DAYS = 5
    extension = _bring_to(state, shared_item, people)
    who = {"decision": "supervisor", "check": "convener", "send_back": "convener"}.get(key, "liaison_a")
    item = fresh(shared_item)
    before = (item.status, item.version, item.deadline, item.history.count())
    records = (ProgressUpdate.objects.count(), list(ExtensionRequest.objects.values_list("pk", "status")))
    data = {"version": item.version, "requested_deadline": (item.deadline + datetime.timedelta(days=40)), **data}
    response = login(client, people[who]).post(_action_url(key, item, extension), data)
    assert response.status_code == 400 and message in text(response)
    item = fresh(item)
    assert (item.status, item.version, item.deadline, item.history.count()) == before
    assert (ProgressUpdate.objects.count(), list(ExtensionRequest.objects.values_list("pk", "status"))) == records


@pytest.mark.parametrize(
    "state, who, key",
    [
        ("assigned", "supervisor", "accept"),
        # The right is checked before the status, so a closed action tells nothing to those without it.
        ("assigned", "supervisor", "complete"),
        ("assigned", "liaison_b", "accept"),
        ("accepted", "liaison_b", "complete"),
        ("accepted", "liaison_b", "extension"),
        ("pending", "liaison_a", "decision"),
        ("pending", "liaison_b", "decision"),
        # The check (验收) is not the unit's, nor the supervisor's on a village's own item.
        ("finished", "liaison_a", "check"),
        ("finished", "liaison_a", "send_back"),
        ("finished", "supervisor", "check"),
        ("finished", "outsider", "check"),
        ("finished", "outsider", "send_back"),
    ],
)
def test_the_action_view_answers_404_to_a_user_without_the_right_and_writes_nothing(
    client, people, shared_item, state, who, key
):
    extension = _bring_to(state, shared_item, people)
    item = fresh(shared_item)
    before = (item.status, item.version, item.deadline, item.history.count())
    data = {"version": item.version, "result": "建成", "reason": "x", "decision": "approve", "note": "同意"}
    data["requested_deadline"] = (item.deadline + datetime.timedelta(days=40)).isoformat()
    assert login(client, people[who]).post(_action_url(key, item, extension), data).status_code == 404
    item = fresh(item)
    assert (item.status, item.version, item.deadline, item.history.count()) == before
    assert ExtensionRequest.objects.count() == (1 if extension else 0)
    assert extension is None or fresh(extension).status == ExtensionStatus.PENDING


# --- scope -------------------------------------------------------------------------------------


def test_a_liaison_of_another_unit_can_neither_see_nor_act(client, consultation, people, item):
    services.assignment_accept(actor=people["liaison_a"], assignment=item)
    extension = services.extension_request(
        actor=people["liaison_a"],
        assignment=item,
        requested_deadline=item.deadline + datetime.timedelta(days=9),
        reason="雨季",
    )
    item = fresh(item)
    client = login(client, people["liaison_b"])
    assert client.get(url("assignment", item.pk)).status_code == 404
    assert client.get(url("consultation", consultation.pk)).status_code == 404
    data = {"version": item.version, "progress": "x", "result": "x", "reason": "x", "decision": "approve"}
    data["requested_deadline"] = (item.deadline + datetime.timedelta(days=40)).isoformat()
    for name in (
        "assignment_accept",
        "assignment_return",
        "progress_add",
        "assignment_complete",
        "assignment_defer",
        "assignment_resume",
        "extension_request",
    ):
        assert client.post(url(name, item.pk), data).status_code == 404, name
    assert client.post(url("extension_decide", extension.pk), data).status_code == 404
    item = fresh(item)
    assert item.status == AssignmentStatus.ACCEPTED and item.version == data["version"]
    assert not ProgressUpdate.objects.exists() and ExtensionRequest.objects.count() == 1
    assert fresh(extension).status == ExtensionStatus.PENDING
    desk = client.get(url("unit_desk") + "?tab=all")
    assert desk.status_code == 200 and desk.context["rows"] == []


def test_a_convener_of_another_village_gets_404_on_every_page(client, consultation, people, item):
    client = login(client, people["outsider"])
    suggestion = consultation.suggestions.all()[1]
    for address in (
        url("consultation", consultation.pk),
        url("report_new", consultation.pk),
        url("assign", consultation.pk, suggestion.pk),
        url("assignment", item.pk),
    ):
        assert client.get(address).status_code == 404, address
    assert client.post(url("publish", consultation.pk), {"summary": "x", "channels": ["board"]}).status_code == 404
    assert not Publication.objects.exists()


def test_lists_refuse_users_without_the_role(client, people):
    resident = make_user("resident")
    assert login(client, resident).get(url("board")).status_code == 403
    assert login(client, resident).get(url("unit_desk")).status_code == 403
    assert login(client, people["convener"]).get(url("unit_desk")).status_code == 403
    assert login(client, people["liaison_a"]).get(url("board")).status_code == 403
    assert login(client, people["liaison_a"]).get(url("overdue_board")).status_code == 403
    assert client.logout() is None and client.get(url("board")).status_code == 302


# --- lists ---------------------------------------------------------------------------------------


def test_unit_desk_sorts_items_into_tabs(client, consultation, people, item):
    co_item = assigned(
        consultation, unit=people["unit_b"], co_units=[people["unit_a"]], order=1, supervisor=people["supervisor"]
    )
    client = login(client, people["liaison_a"])
    desk = client.get(url("unit_desk"))
    assert desk.context["tab"] == "todo"
    assert {row.item.pk for row in desk.context["rows"]} == {item.pk, co_item.pk}
    assert [row.is_co_unit for row in desk.context["rows"] if row.item.pk == co_item.pk] == [True]
    services.assignment_accept(actor=people["liaison_a"], assignment=item)
    tabs = {key: count for key, _label, count in client.get(url("unit_desk")).context["tabs"]}
    assert tabs == {"todo": 1, "doing": 1, "overdue": 0, "checking": 0, "done": 0, "all": 2}
    Assignment.objects.filter(pk=item.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=2))
    desk = client.get(url("unit_desk") + "?tab=overdue")
    assert [row.item.pk for row in desk.context["rows"]] == [item.pk] and desk.context["rows"][0].days_overdue == 2
    assert "逾期2天" in text(desk)


def test_board_filters_counts_and_export_links(client, consultation, people, item):
    other = assigned(consultation, unit=people["unit_b"], order=1, supervisor=people["supervisor"], days=2)
    Assignment.objects.filter(pk=item.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    client = login(client, people["supervisor"])
    board = client.get(url("board"))
    assert board.context["board"].overdue == 1 and board.context["board"].due_soon == 1
    assert [row.item.pk for row in board.context["rows"]] == [item.pk, other.pk]
    assert {r.name for r in board.context["board"].by_unit} == {"区住房和城乡建设局", "区交通运输局"}
    board = client.get(url("board"), {"state": "overdue", "unit": people["unit_a"].pk, "start": "2000-01-01"})
    assert [row.item.pk for row in board.context["rows"]] == [item.pk]
    assert board.context["export_query"] == f"unit={people['unit_a'].pk}&state=overdue&start=2000-01-01"
    assert reverse("outcomes_files:sheet_xlsx") + "?" + board.context["export_query"] in text(board).replace(
        "&amp;", "&"
    )
    board = client.get(url("board"), {"start": "2030-01-02", "end": "2030-01-01"})
    assert "结束日期应不早于开始日期" in text(board)
    assert login(client, people["outsider"]).get(url("board")).context["rows"] == []


def test_board_lists_pending_extensions_and_replies_waiting(client, consultation, people, item):
    services.extension_request(
        actor=people["liaison_a"],
        assignment=item,
        requested_deadline=item.deadline + datetime.timedelta(days=9),
        reason="雨季",
    )
    report = services.report_draft(
        actor=people["convener"],
        consultation=consultation,
        kind=ReportKind.CONSULTATION_REPORT,
        recipient="镇政府",
        is_entrusted=True,
    )
    services.report_send(actor=people["convener"], report=report, now=timezone.now() - PAST_THE_REPLY)
    board = login(client, people["supervisor"]).get(url("board"))
    assert [e.assignment_id for e in board.context["extensions"]] == [item.pk]
    assert board.context["replies"] == [(report, True)]


def test_the_district_overdue_board_lists_items_after_the_last_escalation(client, consultation, people):
    past = timezone.localdate() - datetime.timedelta(days=40)
    late = assigned(consultation, unit=people["unit_a"], supervisor=people["supervisor"], today=past, days=30)
    assigned(consultation, unit=people["unit_b"], supervisor=people["supervisor"], today=past, days=35, order=1)
    reminders.send_step(late, ReminderKind.DISTRICT_BOARD)
    page = login(client, people["supervisor"]).get(url("overdue_board"))
    assert [row.item.pk for row in page.context["rows"]] == [late.pk]
    assert page.context["rows"][0].days_overdue == 10 and "赵督办" in text(page)


def test_home_page_shows_what_waits_for_liaisons_supervisors_and_organisers(client, consultation, people, item):
    page = text(login(client, people["liaison_a"]).get(reverse("portal:home")))
    assert "待签收的交办事项" in page and url("unit_desk") in page
    services.extension_request(
        actor=people["liaison_a"],
        assignment=item,
        requested_deadline=item.deadline + datetime.timedelta(days=9),
        reason="雨季",
    )
    Assignment.objects.filter(pk=item.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    page = text(client.get(reverse("portal:home")))
    assert "本单位逾期事项" in page
    page = text(login(client, people["supervisor"]).get(reverse("portal:home")))
    assert "逾期未办结事项" in page and "待审批的延期申请" in page and url("board") in page
    report = services.report_draft(
        actor=people["convener"],
        consultation=consultation,
        kind=ReportKind.CONSULTATION_REPORT,
        recipient="镇政府",
        is_entrusted=True,
    )
    services.report_send(actor=people["convener"], report=report, now=timezone.now() - PAST_THE_REPLY)
    page = text(login(client, people["convener"]).get(reverse("portal:home")))
    assert "书面答复已超期的委托事项" in page and url("reports") + "?show=late" in page


# --- query bounds ------------------------------------------------------------------------------


def _count(client, address) -> int:
    client.get(address)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(address).status_code == 200
    return len(ctx.captured_queries)


def _one_row(people, consultation, item):
    """Every list starts with one row of each kind, so the few and the many cases run the same joins."""
    services.assignment_accept(actor=people["liaison_a"], assignment=item)
    services.progress_add(actor=people["liaison_a"], assignment=item, unit=people["unit_a"], progress="选址")
    Assignment.objects.filter(pk=item.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=9))
    reminders.send_step(fresh(item), ReminderKind.DISTRICT_BOARD)
    report = services.report_draft(
        actor=people["convener"],
        consultation=consultation,
        kind=ReportKind.PROPOSAL,
        recipient="区政协",
        is_entrusted=True,
    )
    services.report_send(actor=people["convener"], report=report)


def _more_rows(district, people, consultation):
    """Three more consultations, each with two items of unit A (accepted, with progress, overdue and listed on
    the district board) and a report sent late; three more suggestions on the first consultation."""
    past = timezone.localdate() - datetime.timedelta(days=40)
    for i in range(3):
        more = concluded(district, convener=people["convener"], title=f"事项{i}")
        for order in (0, 1):
            a = assigned(
                more,
                unit=people["unit_a"],
                order=order,
                supervisor=people["supervisor"],
                co_units=[people["unit_b"]],
                today=past,
                days=30,
            )
            services.assignment_accept(actor=people["liaison_a"], assignment=a)
            services.progress_add(actor=people["liaison_a"], assignment=a, unit=people["unit_a"], progress="推进中")
            reminders.send_step(fresh(a), ReminderKind.DISTRICT_BOARD)
        report = services.report_draft(
            actor=people["convener"], consultation=more, kind=ReportKind.PROPOSAL, recipient="区政协", is_entrusted=True
        )
        services.report_send(actor=people["convener"], report=report, now=timezone.now() - PAST_THE_REPLY)
    for suggestion_text in ("加装路灯", "清理沟渠", "修缮凉亭"):
        Suggestion.objects.create(consultation=consultation, text=suggestion_text, created_by=people["convener"])


@pytest.mark.parametrize(
    "name, who",
    [
        ("unit_desk", "liaison_a"),
        ("board", "supervisor"),
        ("overdue_board", "supervisor"),
        ("reports", "convener"),
        ("consultation", "approver"),
    ],
)
def test_list_pages_use_a_bounded_number_of_queries(
    client, district, consultation, people, item, name, who, django_assert_max_num_queries
):
    _one_row(people, consultation, item)
    client = login(client, people[who])
    address = url(name, consultation.pk) if name == "consultation" else url(name) + "?tab=all&state=all"
    rows = "lines" if name == "consultation" else "rows"
    shown = len(client.get(address).context[rows])
    few = _count(client, address)
    _more_rows(district, people, consultation)
    client.get(address)
    with django_assert_max_num_queries(few):
        response = client.get(address)
    assert response.status_code == 200 and len(response.context[rows]) > shown >= 1
