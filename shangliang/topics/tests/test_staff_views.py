"""Staff pages of the topic stage: every URL with success, refusal (404 outside scope) and bad input."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shangliang.orgs import services as org_services
from shangliang.orgs.states import PlatformKind, Role
from shangliang.orgs.tests.factories import grant, make_member, make_platform, make_user
from shangliang.topics.models import Submission, Topic
from shangliang.topics.selectors import topics_to_approve
from shangliang.topics.states import ConveningLevel, Source, SubmissionStatus, TopicStatus
from shangliang.topics.tests.builders import accepted, category, drafted, pending, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(district):
    return {
        "station": grant(make_user("station"), Role.STATION_HEAD, region=district["a"]),
        "convener": grant(make_user("convener"), Role.CONVENER, region=district["a1"]),
        "convener2": grant(make_user("convener2"), Role.CONVENER, region=district["a2"]),
        "secretary": grant(make_user("secretary"), Role.APPROVER, region=district["a1"]),
        "township_party": grant(make_user("township-party"), Role.APPROVER, region=district["a"]),
        "other_party": grant(make_user("other-party"), Role.APPROVER, region=district["b"]),
        "district_party": grant(make_user("district-party"), Role.APPROVER, region=district["district"]),
        "liaison": make_user("liaison"),
    }


def as_user(client, user):
    client.force_login(user)
    return client


def test_queue_lists_only_submissions_in_scope_with_keyword_hints(client, district, people):
    submit(district["a1"], "土地纠纷", content="已向法院起诉")
    submit(district["a2"], "路灯不亮")
    submit(district["b1"], "乙镇的事")
    page = as_user(client, people["convener"]).get(reverse("topics:queue")).content.decode()
    assert "土地纠纷" in page and "起诉" in page
    assert "路灯不亮" not in page and "乙镇的事" not in page
    page = as_user(client, people["station"]).get(reverse("topics:queue")).content.decode()
    assert "土地纠纷" in page and "路灯不亮" in page and "乙镇的事" not in page


def test_queue_filters_and_search(client, district, people):
    submit(district["a1"], "集镇电动车乱停放")
    submit(district["a1"], "路灯不亮", content="三盏路灯坏了", source=Source.GRID)
    client = as_user(client, people["station"])
    response = client.get(reverse("topics:queue"), {"tab": "submissions", "q": "电动车"})
    assert [s.title for s in response.context["page"]] == ["集镇电动车乱停放"]
    response = client.get(reverse("topics:queue"), {"tab": "submissions", "source": Source.GRID})
    assert [s.title for s in response.context["page"]] == ["路灯不亮"]
    response = client.get(reverse("topics:queue"), {"tab": "submissions", "region": district["a2"].pk})
    assert list(response.context["page"]) == []
    response = client.get(reverse("topics:queue"), {"tab": "nonsense", "date_from": "not-a-date", "region": "x"})
    assert response.status_code == 200


def test_screening_through_the_page(client, district, people):
    submission = submit(district["a1"])
    client = as_user(client, people["convener"])
    url = reverse("topics:submission_screen", args=[submission.pk])
    response = client.post(url, {"eligible": "0", "reason": "", "note": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "请选择不纳入协商的情形" in body and "请写明不纳入的理由" in body
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    response = client.post(url, {"eligible": "0", "reason": "litigation", "note": "已在法院立案，请等待判决。"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.EXCLUDED
    response = client.post(url, {"eligible": "1"}, follow=True)
    assert "不能变为" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.EXCLUDED


def test_a_convener_of_another_village_gets_404_everywhere(client, district, people):
    submission = submit(district["a1"])
    topic = drafted(district["a1"], "另一件事")
    client = as_user(client, people["convener2"])
    assert client.get(reverse("topics:submission_detail", args=[submission.pk])).status_code == 404
    for name in ["submission_screen", "submission_reply", "topic_draft", "submission_merge", "submission_reopen"]:
        assert (
            client.post(reverse(f"topics:{name}", args=[submission.pk]), {"eligible": "1", "text": "x"}).status_code
            == 404
        )
    assert client.get(reverse("topics:topic_detail", args=[topic.pk])).status_code == 404
    assert client.post(reverse("topics:topic_submit", args=[topic.pk])).status_code == 404
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED and not submission.replies.exists()


def test_a_resident_gets_403_and_a_visitor_the_login_page(client, district, people):
    submission = submit(district["a1"])
    response = client.get(reverse("topics:submission_detail", args=[submission.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client = as_user(client, people["liaison"])
    assert client.get(reverse("topics:queue")).status_code == 403


def test_merge_from_the_similar_list(client, district, people):
    first = submit(district["a1"], "集镇电动车乱停放，堵塞人行道", content="")
    second = submit(district["a2"], "镇上电动车乱停放，人行道走不了", content="")
    client = as_user(client, people["station"])
    page = client.get(reverse("topics:submission_detail", args=[second.pk])).content.decode()
    assert "相似诉求" in page and first.tracking_code in page
    response = client.post(reverse("topics:submission_merge", args=[second.pk]), {"into": first.pk})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == SubmissionStatus.MERGED and second.merged_into == first
    other = submit(district["b1"], "乙镇的电动车")
    client.post(reverse("topics:submission_merge", args=[first.pk]), {"into": other.pk})
    first.refresh_from_db()
    assert first.status == SubmissionStatus.SUBMITTED


def test_reply_is_recorded(client, district, people):
    submission = submit(district["a1"])
    client = as_user(client, people["convener"])
    assert client.post(reverse("topics:submission_reply", args=[submission.pk]), {"text": ""}).status_code == 400
    client.post(reverse("topics:submission_reply", args=[submission.pk]), {"text": "已收到，正在核实。"})
    assert submission.replies.get().text == "已收到，正在核实。"


def test_reopen_an_exclusion(client, district, people):
    submission = submit(district["a1"])
    client = as_user(client, people["convener"])
    client.post(
        reverse("topics:submission_screen", args=[submission.pk]), {"eligible": "0", "reason": "secret", "note": "涉密"}
    )
    assert client.post(reverse("topics:submission_reopen", args=[submission.pk]), {"note": ""}).status_code == 400
    client.post(reverse("topics:submission_reopen", args=[submission.pk]), {"note": "误判"})
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED and submission.exclusion_reason == ""


def test_drafting_verifying_and_submitting_a_topic(client, district, people):
    submission = accepted(district["a1"])
    client = as_user(client, people["station"])
    response = client.post(reverse("topics:topic_draft", args=[submission.pk]))
    topic = Topic.objects.get()
    assert response["Location"] == reverse("topics:topic_detail", args=[topic.pk])
    client.post(reverse("topics:topic_submit", args=[topic.pk]))
    topic.refresh_from_db()
    assert topic.status == TopicStatus.DRAFT  # no verification yet
    url = reverse("topics:verification_add", args=[topic.pk])
    assert client.post(url, {"checked_by": "", "checked_on": "2026-13-01", "findings": ""}).status_code == 400
    client.post(url, {"checked_by": "林站长、网格员", "checked_on": "2026-03-02", "findings": "现场属实"})
    edit = reverse("topics:topic_edit", args=[topic.pk])
    response = client.post(
        edit,
        {
            "title": "集镇电动车乱停放",
            "background": "集镇中心人行道被占用",
            "category": category().pk,
            "is_livelihood": "",
            "urgency": "urgent",
            "weight": "major",
            "meets_public_wishes": "on",
            "within_cppcc_reach": "on",
            "small_cut_reason": "涉及赶集群众出行安全",
            "regions": [district["a1"].pk, district["a2"].pk],
        },
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.convening_level == ConveningLevel.TOWNSHIP and topic.convening_region == district["a"]
    assert (topic.urgency, topic.weight) == ("urgent", "major")
    assert (topic.meets_party_needs, topic.meets_public_wishes) == (False, True)
    assert (topic.within_cppcc_reach, topic.within_members_reach) == (True, False)
    response = client.post(edit, {"title": "", "background": "", "category": category().pk, "regions": []})
    assert response.status_code == 200 and response.context["form"].errors
    client.post(reverse("topics:topic_submit", args=[topic.pk]))
    topic.refresh_from_db()
    assert topic.status == TopicStatus.PENDING
    assert client.get(edit).status_code == 200  # the page opens; the service refuses a change
    response = client.post(
        edit,
        {
            "title": "改",
            "background": "x",
            "category": category().pk,
            "urgency": "normal",
            "weight": "ordinary",
            "regions": [district["a1"].pk],
        },
    )
    assert "已提交审定" in response.content.decode()


def test_a_convener_cannot_edit_a_township_topic(client, district, people):
    topic = drafted(district["a1"], regions=[district["a1"], district["a2"]])
    client = as_user(client, people["convener"])
    assert client.get(reverse("topics:topic_detail", args=[topic.pk])).status_code == 200  # concerns their village
    assert client.get(reverse("topics:topic_edit", args=[topic.pk])).status_code == 404


@pytest.mark.parametrize(
    "regions,allowed,refused",
    [
        (["a1"], "secretary", ["township_party", "district_party", "convener", "station", "other_party"]),
        (["a1", "a2"], "township_party", ["secretary", "district_party", "convener", "station", "other_party"]),
        (["a1", "b1"], "district_party", ["secretary", "township_party", "station", "other_party"]),
    ],
)
def test_only_the_same_level_party_organisation_approves(client, district, people, regions, allowed, refused):
    topic = pending(district["a1"], regions=[district[k] for k in regions])
    url = reverse("topics:topic_decide", args=[topic.pk])
    for name in refused:
        response = as_user(client, people[name]).post(url, {"decision": "approve"})
        assert response.status_code == 404, name
        topic.refresh_from_db()
        assert topic.status == TopicStatus.PENDING
    client = as_user(client, people[allowed])
    response = client.post(url, {"decision": "reject", "note": ""})
    assert response.status_code == 400 and "请写明理由" in response.content.decode()
    assert client.post(url, {"decision": "approve"}).status_code == 302
    topic.refresh_from_db()
    assert topic.status == TopicStatus.APPROVED and topic.decided_by == people[allowed]


def test_sector_room_topics_are_approved_by_the_cppcc_committee(client, district, people):
    room = make_platform(district["a"], name="经济界协商议事室", kind=PlatformKind.SECTOR_ROOM)
    topic = pending(district["a1"], platform=room)
    staff = grant(make_user("cppcc"), Role.COMMITTEE_STAFF, region=district["district"])
    url = reverse("topics:topic_decide", args=[topic.pk])
    assert as_user(client, people["secretary"]).post(url, {"decision": "approve"}).status_code == 404
    assert as_user(client, staff).post(url, {"decision": "approve"}).status_code == 302


def test_approval_queue_and_home_show_what_waits(client, district, people):
    pending(district["a1"], "村里的事")
    pending(district["a1"], "镇里的事", regions=[district["a1"], district["a2"]])
    client = as_user(client, people["secretary"])
    response = client.get(reverse("topics:queue"), {"tab": "approve"})
    assert [t.title for t in response.context["page"]] == ["村里的事"]
    home = client.get(reverse("portal:home")).content.decode()
    assert "待我审定的议题" in home
    response = as_user(client, people["township_party"]).get(reverse("topics:queue"))
    assert response.context["tab"] == "approve"
    assert [t.title for t in response.context["page"]] == ["镇里的事"]


def test_staff_record_grid_reports_and_only_approvers_assign_topics(client, district, people):
    client = as_user(client, people["convener"])
    url = reverse("topics:submission_new")
    data = {"source": Source.GRID, "title": "三组垃圾无人清运", "region": district["a1"].pk, "category": category().pk}
    response = client.post(url, {**data, "submitter_mobile": "123"})
    assert response.status_code == 200 and "11位手机号" in response.content.decode()
    assert client.post(url, data).status_code == 302
    assert Submission.objects.get().recorded_by == people["convener"]
    response = client.post(url, {**data, "source": Source.GOVERNMENT, "title": "点题"})
    assert response.status_code == 200 and not Submission.objects.filter(title="点题").exists()
    response = client.post(url, {**data, "region": district["b1"].pk, "title": "越界"})
    assert response.status_code == 200 and not Submission.objects.filter(title="越界").exists()
    unit = org_services.unit_create(actor=None, name="甲镇党委", kind="party_organisation", region=district["a"])
    client = as_user(client, people["township_party"])
    response = client.post(url, {**data, "source": Source.GOVERNMENT, "title": "党政点题", "assigning_unit": unit.pk})
    assert response.status_code == 302
    assert Submission.objects.get(title="党政点题").assigning_unit == unit


def test_members_recommend_topics_from_their_page(client, district, people):
    member = make_member("钱委员")
    user = make_user("member")
    org_services.member_update(actor=None, member=member, user=user)
    station = make_platform(district["a"])
    org_services.member_assign(actor=None, member=member, platform=station, started_on=datetime.date(2024, 1, 1))
    grant(user, Role.MEMBER, platform=station)
    client = as_user(client, user)
    response = client.post(
        reverse("topics:recommend"),
        {
            "title": "留守儿童托管",
            "content": "暑假无人照看",
            "region": district["a1"].pk,
            "category": category("教育").pk,
        },
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.source == Source.MEMBER and submission.member == member
    assert client.get(reverse("topics:submission_detail", args=[submission.pk])).status_code == 200
    assert as_user(client, people["station"]).get(reverse("topics:recommend")).status_code == 403


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("tab", ["submissions", "topics", "approve"])
def test_queue_pages_use_the_same_number_of_queries_for_3_and_30_rows(client, district, people, tab):
    def add(n):
        for i in range(n):
            pending(district["a1"], f"事项{i}", actor=people["station"])
            submit(district["a1"], f"诉求{i}", content="起诉")

    client = as_user(client, people["secretary"])
    grant(people["secretary"], Role.STATION_HEAD, region=district["a"])
    client.force_login(people["secretary"])
    url = reverse("topics:queue") + f"?tab={tab}"
    add(3)
    small = _queries(client, url)
    add(27)
    assert _queries(client, url) == small


def test_deciding_twice_or_verifying_a_pending_topic_explains_instead_of_failing(client, district, people):
    topic = pending(district["a1"])
    client = as_user(client, people["secretary"])
    client.post(reverse("topics:topic_decide", args=[topic.pk]), {"decision": "approve"})
    response = client.post(
        reverse("topics:topic_decide", args=[topic.pk]), {"decision": "reject", "note": "x"}, follow=True
    )
    assert "不能变为" in response.content.decode()
    client = as_user(client, people["station"])
    response = client.post(
        reverse("topics:verification_add", args=[topic.pk]),
        {"checked_by": "x", "checked_on": "2026-01-01", "findings": "y"},
        follow=True,
    )
    assert "不能再修改" in response.content.decode()
    topic.refresh_from_db()
    assert topic.status == TopicStatus.APPROVED and topic.verifications.count() == 1


def test_the_approver_sees_the_priority_and_the_criteria_recorded_at_drafting(client, district, people):
    topic = pending(district["a1"], "村口道路积水")
    Topic.objects.filter(pk=topic.pk).update(
        urgency="urgent", weight="major", meets_party_needs=True, meets_public_wishes=True
    )
    page = as_user(client, people["secretary"]).get(reverse("topics:topic_detail", args=[topic.pk])).content.decode()
    assert "急 · 重大" in page
    criteria = page.split('id="criteria"', 1)[1].split("</ul>", 1)[0]
    assert criteria.count("符合") == 2 and criteria.count("未说明") == 2
    positions = [criteria.index(label) for label in ("党政所需", "群众所盼", "政协所能", "委员所为")]
    assert positions == sorted(positions)


def test_urgent_and_weighty_topics_head_the_approval_queue_and_the_topic_list(client, district, people):
    plain = pending(district["a1"], "路灯维修")
    later = pending(district["a1"], "文化墙绘制")
    urgent = pending(district["a1"], "村口道路积水")
    weighty = pending(district["a1"], "垃圾中转站选址")
    Topic.objects.filter(pk=later.pk).update(urgency="later")
    Topic.objects.filter(pk=urgent.pk).update(urgency="urgent", weight="minor")
    Topic.objects.filter(pk=weighty.pk).update(weight="major")
    order = ["村口道路积水", "垃圾中转站选址", "路灯维修", "文化墙绘制"]
    assert [t.title for t in topics_to_approve(people["secretary"])] == order
    page = as_user(client, people["secretary"]).get(reverse("topics:queue") + "?tab=approve").content.decode()
    assert [page.index(title) for title in order] == sorted(page.index(title) for title in order)
    assert plain.title in page
    listed = as_user(client, people["station"]).get(reverse("topics:queue") + "?tab=topics").content.decode()
    assert [listed.index(title) for title in order] == sorted(listed.index(title) for title in order)
