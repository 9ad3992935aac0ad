"""Correcting a recorded chair council review over HTTP: only those who may record it, only in their own district,
always with the reason, and the history keeps what it said before."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.dashboard import reviews
from shangliang.dashboard.models import ChairCouncilReview
from shangliang.orgs.states import RegionLevel, Role
from shangliang.orgs.tests.factories import grant, make_region, make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1


@pytest.fixture
def staff(district):
    return grant(make_user("review_staff"), Role.COMMITTEE_STAFF, region=district["district"])


def record(region, actor, title="区政协第十次主席会议") -> ChairCouncilReview:
    return reviews.review_record(
        actor=actor,
        region=region,
        year=LAST_YEAR,
        half=2,
        held_on=datetime.date(LAST_YEAR, 12, 20),
        title=title,
        reviewed="听取下半年协商议事工作情况汇报",
        decisions="年底前补齐两个村的议事室",
    )


@pytest.fixture
def review(district, staff):
    return record(district["district"], staff)


def edit_url(review):
    return reverse("dashboard:chair_council_edit", args=[review.pk])


def data(**changes) -> dict:
    values = {
        "year": LAST_YEAR,
        "half": 2,
        "held_on": datetime.date(LAST_YEAR, 12, 22).isoformat(),
        "title": "区政协第十次主席会议",
        "reviewed": "听取下半年协商议事工作情况汇报",
        "findings": "两个村议事室未挂牌",
        "decisions": "年底前补齐两个村的议事室",
        "note": "会议日期记错，应为12月22日",
    }
    return values | changes


def test_the_committee_staff_correct_a_review_with_the_reason_and_the_history_keeps_the_old_one(
    client, district, staff, review
):
    client.force_login(staff)
    page = client.get(reverse("dashboard:chair_council"), {"region": district["district"].pk}).content.decode()
    assert f'href="{edit_url(review)}"' in page

    form = client.get(edit_url(review))
    assert form.status_code == 200
    assert f"{LAST_YEAR}-12-20" in form.content.decode() and "记录主席会议专题研究" in form.content.decode()

    response = client.post(edit_url(review), data())
    chair_council = reverse("dashboard:chair_council")
    assert response.status_code == 302
    assert response["Location"] == f"{chair_council}?region={district['district'].pk}#review-{review.pk}"
    review.refresh_from_db()
    assert review.held_on == datetime.date(LAST_YEAR, 12, 22) and review.findings == "两个村议事室未挂牌"
    assert review.recorded_by == staff
    latest, first = review.history.order_by("-history_id")[:2]
    assert (latest.history_change_reason, latest.history_note) == ("chair_review.updated", "会议日期记错，应为12月22日")
    assert latest.history_user == staff
    assert first.held_on == datetime.date(LAST_YEAR, 12, 20)
    assert "会议日期记错" in client.get(edit_url(review)).content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"note": "  "}, "修改原因"),
        ({"held_on": (TODAY + datetime.timedelta(days=1)).isoformat()}, "会议日期不能晚于今天"),
        ({"decisions": ""}, "研究决定的事项"),
    ],
)
def test_a_correction_without_a_reason_or_with_a_bad_date_is_refused_next_to_the_field(
    client, staff, review, changes, message
):
    client.force_login(staff)
    response = client.post(edit_url(review), data(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    review.refresh_from_db()
    assert review.held_on == datetime.date(LAST_YEAR, 12, 20) and review.findings == ""
    assert review.history.count() == 1


def test_readers_who_may_not_record_are_refused_and_see_no_edit_link(client, district, review):
    supervisor = grant(make_user("review_supervisor"), Role.SUPERVISOR, region=district["district"])
    client.force_login(supervisor)
    page = client.get(reverse("dashboard:chair_council"), {"region": district["district"].pk})
    assert page.status_code == 200 and edit_url(review) not in page.content.decode()
    assert client.get(edit_url(review)).status_code == 403
    assert client.post(edit_url(review), data()).status_code == 403
    # A township's station head does not cover the district: as if the review did not exist.
    client.force_login(grant(make_user("review_head"), Role.STATION_HEAD, region=district["a"]))
    assert client.get(edit_url(review)).status_code == 404
    client.force_login(grant(make_user("review_resident"), Role.RESIDENT, region=district["a1"]))
    assert client.get(edit_url(review)).status_code == 403
    client.logout()
    assert client.get(edit_url(review)).status_code == 302
    review.refresh_from_db()
    assert review.history.count() == 1


def test_a_review_of_another_district_is_not_found(client, district, staff):
    other = make_region("邻区", RegionLevel.DISTRICT, code="110102000000")
    other_staff = grant(make_user("other_staff"), Role.COMMITTEE_STAFF, region=other)
    theirs = record(other, other_staff, title="邻区政协主席会议")
    client.force_login(staff)
    assert client.get(edit_url(theirs)).status_code == 404
    assert client.post(edit_url(theirs), data()).status_code == 404
    theirs.refresh_from_db()
    assert theirs.held_on == datetime.date(LAST_YEAR, 12, 20) and theirs.history.count() == 1
    assert client.get(reverse("dashboard:chair_council_edit", args=[999999])).status_code == 404
