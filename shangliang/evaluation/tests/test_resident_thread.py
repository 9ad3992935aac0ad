"""Issue 13: the resident follows their matter to the end on the tracking page (查询码).

After the approval the page shows 协商安排 → 召开协商 → 协商意见及办理 (each suggestion's state) →
结果公开 → 评价, built here (``evaluation/tracking.py``), with no one's name or number; the pool
topic page links to its consultation and results.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations import services as consultation_services
from shangliang.consultations.models import SessionFormat
from shangliang.consultations.states import Mode, ParticipantCategory
from shangliang.core.phones import mask_mobile
from shangliang.evaluation import services as evaluation_services
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_platform, make_user
from shangliang.outcomes import services as outcome_services
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.states import AssignmentStatus
from shangliang.outcomes.tests.builders import assigned, liaison_of, make_unit
from shangliang.topics import services
from shangliang.topics.models import Category
from shangliang.topics.states import Source
from shangliang.topics.tests.builders import pending
from shangliang.topics.tests.test_resident_thread import stage_states, status_now, track

pytestmark = pytest.mark.django_db

SUBMITTER = ("张三丰", "13912345678")
CONVENER = ("召集人王明", "13811110001")
RESPONSIBLE = ("责任人钱进", "13833330003")
PARTICIPANT_MOBILES = ["13900000000", "13900000001"]
SUGGESTIONS = ["规划电动车停放点", "安排赶集日值守", "增设充电桩", "开展文明停放宣传"]


@pytest.fixture
def people(district):
    convener = grant(make_user(full_name=CONVENER[0], mobile=CONVENER[1]), Role.CONVENER, region=district["a1"])
    return {"convener": convener, "staff": make_user("station-li", full_name="李干事")}


@pytest.fixture
def submission(district, people):
    """A named submission (name and mobile given), through to an approved topic."""
    topic = pending(
        district["a1"],
        "集镇电动车乱停放",
        actor=people["staff"],
        is_anonymous=False,
        submitter_name=SUBMITTER[0],
        submitter_mobile=SUBMITTER[1],
    )
    submission = topic.submissions.get()
    return submission


def approve(submission, people):
    services.topic_approve(actor=make_user(full_name="审定人"), topic=submission.topic)


def plan(submission, people):
    starts = timezone.localtime(timezone.now() + datetime.timedelta(days=10)).replace(hour=9, minute=30)
    return consultation_services.consultation_plan(
        actor=people["convener"],
        topic=submission.topic,
        platform=make_platform(submission.region, name="甲一村协商议事室"),
        session_format=SessionFormat.objects.get(name="居（村）民议事会"),
        mode=Mode.OFFLINE,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="甲一村党群服务中心",
        agenda=[("通报调研情况", 10), ("自由发言", 60)],
    )


def notify(consultation):
    for number, mobile in enumerate(PARTICIPANT_MOBILES):
        consultation_services.participant_add(
            actor=consultation.convener,
            consultation=consultation,
            category=ParticipantCategory.RESIDENT,
            name=f"参会居民{number}",
            mobile=mobile,
        )
    return consultation_services.notice_send(actor=consultation.convener, consultation=consultation)


def hold(consultation):
    actor = consultation.convener
    consultation_services.research_add(
        actor=actor,
        consultation=consultation,
        researchers="林站长",
        researched_on=datetime.date.today(),
        place="集镇主街",
        findings="赶集日人行道被占",
    )
    # Opened at the notified start (a session may not open days before it).
    consultation = consultation_services.session_open(
        actor=actor, consultation=consultation, now=consultation.starts_at
    )
    return consultation_services.session_close(actor=actor, consultation=consultation)


def conclude(consultation):
    actor = consultation.convener
    consultation_services.minutes_confirm(actor=actor, consultation=consultation)
    for text in SUGGESTIONS:
        consultation_services.suggestion_add(actor=actor, consultation=consultation, text=text)
    return consultation_services.resolution_agree(actor=actor, consultation=consultation)


def implement(consultation):
    """Item 1 checked and done, item 2 finished and waiting for the check, item 3 deferred, item 4 not handed out."""
    unit = make_unit(consultation.platform.region, name="甲镇综合执法队")
    liaison = liaison_of(unit, full_name="联络员周强", mobile="13855550005")
    supervisor = make_user(full_name="督办赵敏", mobile="13822220002")
    items = []
    for order in range(3):
        item = assigned(
            consultation,
            unit=unit,
            order=order,
            supervisor=supervisor,
            responsible_person=RESPONSIBLE[0],
            responsible_mobile=RESPONSIBLE[1],
        )
        items.append(outcome_services.assignment_accept(actor=liaison, assignment=item))
    outcome_services.assignment_defer(actor=liaison, assignment=items[2], reason="需与赶集日调整统一安排")
    # The finish and the check are outcomes' own flow (tested there); here only the states they leave.
    now = timezone.now()
    Assignment.objects.filter(pk=items[0].pk).update(
        status=AssignmentStatus.DONE, result="主街两端划定停放点两处", done_at=now, checked_at=now
    )
    Assignment.objects.filter(pk=items[1].pk).update(
        status=AssignmentStatus.FINISHED, result="值守人员已排班", done_at=now
    )


def publish(consultation, people):
    outcome_services.publication_publish(
        actor=people["convener"], consultation=consultation, summary="停放点已划定，值守待验收"
    )


def private_words(people) -> list[str]:
    mobiles = [SUBMITTER[1], CONVENER[1], RESPONSIBLE[1], "13855550005", "13822220002", *PARTICIPANT_MOBILES]
    names = [SUBMITTER[0], CONVENER[0], RESPONSIBLE[0], "联络员周强", "督办赵敏", "参会居民0", "李干事", "审定人"]
    return names + mobiles + [mask_mobile(m) for m in mobiles] + [people["staff"].username]


# --- the whole chain on the tracking page -----------------------------------------------------


def test_the_submitter_follows_the_matter_from_approval_to_the_rating(client, district, people, submission):
    approve(submission, people)
    page = track(client, submission)
    assert status_now(page) == "已列为议题，正在安排协商。"
    assert reverse("topics:pool_topic", args=[submission.topic_id]) in page
    assert stage_states(page)["协商安排"] == "pending"

    consultation = plan(submission, people)
    page = track(client, submission)
    assert status_now(page) == "已列为议题，正在筹备协商。"
    assert stage_states(page)["协商安排"] == "current"
    public_page = reverse("consultations:public_page", args=[consultation.pk])
    assert public_page not in page  # not public while planned

    consultation = notify(consultation)
    page = track(client, submission)
    when = timezone.localtime(consultation.starts_at).strftime("%Y-%m-%d %H:%M")
    assert status_now(page) == f"协商定于 {when} 召开。"
    assert "甲一村党群服务中心" in page and public_page in page
    assert stage_states(page)["召开协商"] == "pending"

    consultation = hold(consultation)
    page = track(client, submission)
    assert status_now(page) == "已协商，正在形成协商意见。"
    assert stage_states(page)["召开协商"] == "done" and stage_states(page)["协商意见及办理"] == "current"

    consultation = conclude(consultation)
    implement(consultation)
    page = track(client, submission)
    assert status_now(page) == "已形成协商意见，正在交办落实。"
    for text in SUGGESTIONS:
        assert text in page
    for label in ("已办结", "办结待验收", "暂缓办理", "待交办"):
        assert label in page, label
    assert "主街两端划定停放点两处" in page  # the result of the checked item
    assert "值守人员已排班" not in page  # not checked yet: no result shown
    assert "需与赶集日调整统一安排" in page
    result_url = reverse("outcomes_public:result", args=[consultation.pk])
    rate_url = reverse("evaluation_public:rate", args=[consultation.pk])
    assert result_url in page and rate_url not in page
    assert stage_states(page)["结果公开"] == "current" and stage_states(page)["评价"] == "pending"

    publish(consultation, people)
    page = track(client, submission)
    assert status_now(page) == "已形成协商意见，正在交办落实。结果已公开，欢迎评价。"
    states = stage_states(page)
    assert states["结果公开"] == "done" and states["评价"] == "current"
    assert rate_url in page and "去评价" in page
    for private in private_words(people):
        assert private not in page, private

    # The resident's own rating is theirs to see; nobody else's.
    resident = make_user("resident", mobile="13700000007", verified=True)
    evaluation_services.rating_submit(user=resident, consultation=consultation, process="satisfied", result="basic")
    assert "您已评价" not in track(client, submission)
    client.force_login(resident)
    page = track(client, submission)
    assert stage_states(page)["评价"] == "done" and "您已评价" in page


def test_a_merged_submission_follows_the_consultation_of_its_topic(client, district, people, submission):
    category = Category.objects.get(name="环境卫生")
    second = services.submission_create(
        actor=None, source=Source.RESIDENT, region=district["a1"], category=category, title="电瓶车堵路"
    ).submission
    services.submission_merge(actor=people["staff"], submission=second, into=submission)
    approve(submission, people)
    notify(plan(submission, people))
    page = track(client, second)
    assert "相似事项已合并办理" in page
    assert stage_states(page)["协商安排"] == "done" and "甲一村党群服务中心" in page
    assert submission.tracking_code not in page


def test_tracking_page_queries_stay_bounded_however_many_suggestions(
    client, district, people, submission, django_assert_max_num_queries
):
    approve(submission, people)
    consultation = conclude(hold(notify(plan(submission, people))))
    implement(consultation)
    publish(consultation, people)
    client.force_login(make_user("visitor", mobile="13700000008"))
    url = reverse("topics:track_detail", args=[submission.tracking_code])
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


# --- the pool topic links to its consultation and results ------------------------------------


def test_pool_topic_page_links_to_its_consultation_and_result_once_they_exist(client, district, people, submission):
    approve(submission, people)
    url = reverse("topics:pool_topic", args=[submission.topic_id])
    page = client.get(url).content.decode()
    assert 'id="topic-links"' not in page
    consultation = plan(submission, people)
    public_page = reverse("consultations:public_page", args=[consultation.pk])
    assert public_page not in client.get(url).content.decode()
    consultation = notify(consultation)
    page = client.get(url).content.decode()
    assert public_page in page and reverse("outcomes_public:result", args=[consultation.pk]) not in page
    consultation = conclude(hold(consultation))
    publish(consultation, people)
    page = client.get(url).content.decode()
    assert public_page in page
    assert reverse("outcomes_public:result", args=[consultation.pk]) in page
    assert reverse("evaluation_public:rate", args=[consultation.pk]) in page
