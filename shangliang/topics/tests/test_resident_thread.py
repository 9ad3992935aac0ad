"""Issue 13 (topics side): the tracking page says what is happening, a named submission joins the
account with its mobile number when that account logs in, and staff open a submission by its code.

The stages after the approval (consultation, results, rating) are tested in
``evaluation/tests/test_resident_thread.py``: they live in the evaluation app.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.accounts.tests import codes
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.topics import services
from shangliang.topics.models import Category, Submission
from shangliang.topics.states import Source, SubmissionStatus
from shangliang.topics.tests.builders import pending

pytestmark = pytest.mark.django_db

sms = codes.sms  # the SMS gateway stand-in (a fixture)

SUBMITTER = ("张三丰", "13912345678")


def track(client, submission) -> str:
    response = client.get(reverse("topics:track_detail", args=[submission.tracking_code]))
    assert response.status_code == 200
    return response.content.decode()


def stage_states(page: str) -> dict[str, str]:
    """{stage title: done/current/pending/stopped} as the page draws them."""
    found = re.findall(r'<li class="stage (\w+)"[^>]*>\s*<div class="stage-head">\s*<strong>([^<]+)</strong>', page)
    return {title: state for state, title in found}


def status_now(page: str) -> str:
    return re.search(r'<p class="status-now" id="status-now">([^<]*)</p>', page).group(1)


@pytest.fixture
def people(district):
    return {"staff": make_user("station-li", full_name="李干事")}


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


# --- point 1: the tracking page follows the state -------------------------------------------


def test_after_screening_the_page_says_what_is_happening_instead_of_no_reply(client, district, people):
    category = Category.objects.get(name="环境卫生")
    submission = services.submission_create(
        actor=None, source=Source.RESIDENT, region=district["a1"], category=category, title="村口路灯坏了"
    ).submission
    page = track(client, submission)
    assert status_now(page) == "已收到，等待工作人员筛查。"
    assert stage_states(page)["筛查受理"] == "current"
    services.submission_screen(actor=people["staff"], submission=submission, eligible=True)
    page = track(client, submission)
    assert "暂无答复" not in page
    assert status_now(page) == "已受理，正在核实情况。"
    states = stage_states(page)
    assert states["提交"] == states["筛查受理"] == "done" and states["拟定议题"] == "current"
    # Stages not reached are drawn greyed, down to the rating.
    assert states["审定"] == states["协商安排"] == states["评价"] == "pending"
    assert "尚未进行" in page
    services.reply_add(actor=people["staff"], submission=submission, text="已安排电工下周维修。")
    page = track(client, submission)
    assert "工作人员答复" in page and "已安排电工下周维修。" in page


def test_a_pending_and_a_rejected_topic_say_so_and_a_rejection_ends_the_chain(client, district, people, submission):
    page = track(client, submission)
    assert status_now(page) == "议题已拟定，等待审定。"
    assert stage_states(page)["审定"] == "current"
    services.topic_reject(actor=make_user(), topic=submission.topic, note="村里已另行安排")
    page = track(client, submission)
    assert status_now(page) == "议题未通过审定，暂不安排协商。"
    states = stage_states(page)
    assert states["审定"] == "stopped" and "协商安排" not in states
    assert "村里已另行安排" not in page  # the approver's note is for the drafter


def test_an_excluded_submission_ends_at_screening_with_the_reason(client, district, people):
    category = Category.objects.get(name="环境卫生")
    submission = services.submission_create(
        actor=None, source=Source.RESIDENT, region=district["a1"], category=category, title="邻居占我宅基地"
    ).submission
    services.submission_screen(
        actor=people["staff"], submission=submission, eligible=False, reason="litigation", note="法院已立案。"
    )
    page = track(client, submission)
    states = stage_states(page)
    assert states["筛查受理"] == "stopped" and "拟定议题" not in states
    assert "不纳入协商的原因" in page and "法院已立案。" in page
    assert status_now(page).startswith("经筛查，这件事不纳入协商议事")


def test_my_submissions_links_each_matter_to_its_tracking_page(client, district):
    category = Category.objects.get(name="环境卫生")
    resident = make_user("resident", mobile="13700000009")
    own = services.submission_create(
        actor=resident, source=Source.RESIDENT, region=district["a1"], category=category, title="我家门口积水"
    ).submission
    client.force_login(resident)
    page = client.get(reverse("topics:my_submissions")).content.decode()
    assert reverse("topics:track_detail", args=[own.tracking_code]) in page


# --- point 1: a named submission joins the account with its mobile number --------------------


def named(
    district, mobile, title="小区路灯不亮", *, anonymous=False, source=Source.RESIDENT, proved=True
) -> Submission:
    """A named submission; ``proved``: the number was proved on the form (an SMS code)."""
    category = Category.objects.get(name="环境卫生")
    return services.submission_create(
        actor=None,
        source=source,
        region=district["a1"],
        category=category,
        title=title,
        is_anonymous=anonymous,
        submitter_name="" if anonymous else "王阿姨",
        submitter_mobile="" if anonymous else mobile,
        mobile_verified_at=timezone.now() if proved and source == Source.RESIDENT else None,
    ).submission


def login(client, username, password="pass-12345"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_logging_in_attaches_named_submissions_with_the_accounts_mobile(client, district):
    mine = named(district, "13700000001")
    by_hotline = named(district, "13700000001", "热线反映的噪音", source=Source.HOTLINE)
    other = named(district, "13700000002", "别人的诉求")
    anonymous = named(district, "", "匿名反映的垃圾", anonymous=True)
    unproved = named(district, "13700000001", "号码未验证的诉求", proved=False)
    resident = make_user("wang", mobile="13700000001", verified=True)

    assert login(client, "wang", "wrong-password").status_code == 200
    assert not Submission.objects.filter(submitter=resident).exists()

    assert login(client, "13700000001").status_code == 302
    assert set(Submission.objects.filter(submitter=resident)) == {mine, by_hotline}
    row = mine.history.latest("history_date")
    assert (row.history_change_reason, row.history_user) == ("submission.claimed", resident)
    page = client.get(reverse("topics:my_submissions")).content.decode()
    assert mine.tracking_code in page and by_hotline.tracking_code in page
    for hidden in (other, anonymous, unproved):
        assert hidden.tracking_code not in page and hidden.title not in page
    assert by_hotline.mobile_verified_at is not None  # staff took the number from the caller


def test_an_account_whose_number_is_not_verified_gets_no_submissions(client, district):
    mine = named(district, "13700000001")
    make_user("wang", mobile="13700000001")
    assert login(client, "13700000001").status_code == 302
    mine.refresh_from_db()
    assert mine.submitter is None


def test_verifying_the_number_attaches_the_submissions_given_with_it(client, district, sms):
    mine = named(district, "13700000001")
    resident = make_user("wang", mobile="13700000001")
    client.force_login(resident)
    sms.ask(client, "13700000001", "verify")
    client.post(reverse("accounts:mobile_verify"), {"mobile": "13700000001", "code": sms.code("13700000001")})
    mine.refresh_from_db()
    assert mine.submitter == resident


def test_registering_with_the_code_attaches_the_submission(client, district, sms):
    submission = named(district, "13700000003")
    sms.ask(client, "137 0000 0003", "register")
    response = client.post(
        reverse("accounts:register"),
        {
            "mobile": "137 0000 0003",
            "code": sms.code("13700000003"),
            "password1": "Ziyou-2026-abc",
            "password2": "Ziyou-2026-abc",
        },
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.submitter.mobile == "13700000003"
    assert submission.tracking_code in client.get(reverse("topics:my_submissions")).content.decode()


def test_a_submission_already_on_an_account_stays_there(client, district):
    first = make_user("first", mobile="13700000004")
    category = Category.objects.get(name="环境卫生")
    submission = services.submission_create(
        actor=first,
        source=Source.RESIDENT,
        region=district["a1"],
        category=category,
        title="楼道堆物",
        is_anonymous=False,
        submitter_name="李",
        submitter_mobile="13700000005",
    ).submission
    make_user("second", mobile="13700000005", verified=True)
    login(client, "second")
    submission.refresh_from_db()
    assert submission.submitter == first
    assert services.submissions_claim(user=first) == []


# --- point 9: staff find a submission by its tracking code -----------------------------------


def test_staff_search_opens_a_submission_by_its_code_within_their_scope(client, district):
    category = Category.objects.get(name="环境卫生")
    submission = services.submission_create(
        actor=None, source=Source.RESIDENT, region=district["a1"], category=category, title="村口路灯坏了"
    ).submission
    queue = reverse("topics:queue")
    detail = reverse("topics:submission_detail", args=[submission.pk])
    own = grant(make_user("own-convener"), Role.CONVENER, region=district["a1"])
    client.force_login(own)
    code = submission.tracking_code
    for typed in (code, code.lower(), f" {code[:4].lower()} {code[4:]} "):
        response = client.get(queue, {"tab": "submissions", "q": typed})
        assert response.status_code == 302, typed
        assert response["Location"] == detail
    assert client.get(detail).status_code == 200

    neighbour = grant(make_user("neighbour"), Role.CONVENER, region=district["a2"])
    client.force_login(neighbour)
    response = client.get(queue, {"tab": "submissions", "q": code})
    assert response.status_code == 200
    page = response.content.decode()
    assert "没有符合条件的诉求" in page and "村口路灯坏了" not in page and detail not in page
    assert client.get(detail).status_code == 404
    assert submission.status == SubmissionStatus.SUBMITTED
