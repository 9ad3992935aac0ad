"""A resident's submission handed to another channel (12345 热线): through the pages, with the refusals.

The village convener of A1 hands it off; it leaves the screening queue, the resident's tracking page says
to whom, when and why, and the answer when it comes. Township B's staff, residents and visitors are refused.
"""

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shangliang.core.models import Notification
from shangliang.handoffs import services
from shangliang.handoffs.models import Handoff
from shangliang.handoffs.states import Channel, HandoffStatus
from shangliang.topics import selectors as topic_selectors
from shangliang.topics.models import Submission
from shangliang.topics.states import Source, SubmissionStatus
from shangliang.topics.tests.builders import category

pytestmark = pytest.mark.django_db

REASON = "路灯损坏属市政设施报修，已转12345热线派单办理"
ANSWER = "区城管局已于当日更换灯泡，路灯恢复照明"


@pytest.fixture
def submission(district, people):
    from shangliang.topics import services as topic_services

    return topic_services.submission_create(
        actor=people["resident"],
        source=Source.RESIDENT,
        region=district["a1"],
        category=category(),
        title="村口路灯不亮",
        content="村口两盏路灯坏了一个多月",
        is_anonymous=False,
        submitter_name="张群众",
        submitter_mobile=people["resident"].mobile,
        mobile_verified_at=timezone.now(),
    ).submission


def new_url(submission):
    return reverse("handoffs:new_submission", args=[submission.pk])


def text(response) -> str:
    return response.content.decode()


def hand(client, submission, **data):
    data = {"channel": Channel.HOTLINE, "recipient": "12345政务服务便民热线", "reason": REASON, **data}
    return client.post(new_url(submission), data)


def test_convener_hands_a_submission_to_12345_and_the_resident_follows_it_to_the_answer(
    client, district, people, submission
):
    client.force_login(people["convener"])
    detail = text(client.get(reverse("topics:submission_detail", args=[submission.pk])))
    assert new_url(submission) in detail  # the panel offers the hand-off

    form = client.get(new_url(submission))
    assert form.status_code == 200
    assert "12345热线" in text(form)

    response = hand(client, submission, reference="GD20260301-0012")
    assert response.status_code == 302
    handoff = Handoff.objects.get()
    assert (handoff.submission, handoff.channel, handoff.status) == (submission, Channel.HOTLINE, HandoffStatus.HANDED)
    assert handoff.region == district["a1"] and handoff.handed_by == people["convener"]
    assert handoff.reference == "GD20260301-0012"
    assert handoff.history.get().history_change_reason == "handoff.handed"

    # The matter keeps its status; it leaves the queue to screen and the count on the home page.
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert topic_selectors.waiting_counts(people["convener"]).to_screen == 0
    queue = text(client.get(reverse("topics:queue") + "?tab=submissions&status=submitted"))
    assert "村口路灯不亮" not in queue
    everything = text(client.get(reverse("topics:queue") + "?tab=submissions"))
    assert "已转交12345热线" in everything

    # The resident is told, and reads it on the tracking page: channel, to whom, day, reason; no official's name.
    told = Notification.objects.get(user=people["resident"])
    assert "已转交其他渠道办理" in told.title and REASON in told.body
    visitor = Client()
    track = text(visitor.get(reverse("topics:track_detail", args=[submission.tracking_code])))
    today = timezone.localdate().isoformat()
    assert f"已转交（12345热线）办理：12345政务服务便民热线，{today}。理由：{REASON}" in track
    assert "等待答复" in track
    assert "李召集" not in track

    # The answer comes back, with the letter.
    page = reverse("handoffs:detail", args=[handoff.pk])
    letter = SimpleUploadedFile("回复.pdf", b"%PDF-1.4 answer", content_type="application/pdf")
    answered = client.post(
        reverse("handoffs:answer", args=[handoff.pk]),
        {"answer": ANSWER, "answered_on": today, "attachment": letter},
    )
    assert answered.status_code == 302 and answered["Location"] == page
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.ANSWERED and handoff.answer == ANSWER
    assert handoff.answer_recorded_by == people["convener"] and handoff.answer_attachment
    assert client.get(handoff.answer_attachment.url).status_code == 200
    assert Notification.objects.filter(user=people["resident"], title__contains="转交事项已答复").exists()
    track = text(visitor.get(reverse("topics:track_detail", args=[submission.tracking_code])))
    assert ANSWER in track and "并已答复" in track


def test_a_page_refuses_missing_recipient_and_reason_next_to_the_field(client, people, submission):
    client.force_login(people["convener"])
    refused = client.post(new_url(submission), {"channel": Channel.HOTLINE, "recipient": "12345热线", "reason": " "})
    assert refused.status_code == 400
    assert "请写明转交理由" in text(refused)
    refused = client.post(new_url(submission), {"channel": Channel.HOTLINE, "reason": REASON})
    assert refused.status_code == 400
    assert "请选择接收单位，或填写接收对象" in text(refused)
    refused = client.post(new_url(submission), {"channel": "", "recipient": "12345热线", "reason": REASON})
    assert "请选择转交渠道" in text(refused)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    refused = hand(client, submission, handed_on=tomorrow)
    assert "转交时间不能晚于现在" in text(refused)
    before = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()  # the matter came in today
    refused = hand(client, submission, handed_on=before)
    assert "转交时间不能早于该事项的登记时间" in text(refused)
    assert not Handoff.objects.exists()


def test_the_same_form_sent_twice_hands_off_once(client, people, submission):
    client.force_login(people["convener"])
    token = str(uuid.uuid4())
    first = hand(client, submission, form_token=token)
    second = hand(client, submission, form_token=token)
    assert first.status_code == second.status_code == 302
    assert Handoff.objects.count() == 1


def test_a_submission_handed_off_cannot_be_screened_or_handed_again_until_withdrawn(client, people, submission):
    from shangliang.topics import services as topic_services

    client.force_login(people["convener"])
    hand(client, submission)
    handoff = Handoff.objects.get()
    again = client.get(new_url(submission))
    assert "已经转交其他渠道办理" in text(again)
    with pytest.raises(Exception, match="已转交其他渠道办理"):
        topic_services.submission_screen(actor=people["convener"], submission=submission, eligible=True)

    refused = client.post(reverse("handoffs:withdraw", args=[handoff.pk]), {"reason": ""})
    assert refused.status_code == 400 and "请写明撤回原因" in text(refused)
    client.post(reverse("handoffs:withdraw", args=[handoff.pk]), {"reason": "误转，属村内可协商事项"})
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.WITHDRAWN and handoff.withdrawn_at is not None
    assert topic_selectors.waiting_counts(people["convener"]).to_screen == 1
    topic_services.submission_screen(actor=people["convener"], submission=submission, eligible=True)
    # A withdrawn hand-off can be answered no more.
    late = client.post(reverse("handoffs:answer", args=[handoff.pk]), {"answer": ANSWER})
    assert late.status_code == 302
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.WITHDRAWN


def test_a_drafted_submission_is_not_offered_and_is_refused(client, people, district):
    from shangliang.topics.tests.builders import drafted

    topic = drafted(district["a1"], "排水沟堵塞", actor=people["convener"])
    submission = topic.submissions.get()
    client.force_login(people["convener"])
    page = text(client.get(reverse("topics:submission_detail", args=[submission.pk])))
    assert new_url(submission) not in page
    refused = hand(client, submission)
    assert refused.status_code == 400
    assert "只有待筛查或已受理、尚未转为议题的诉求可以转交其他渠道" in text(refused)


# --- who may -----------------------------------------------------------------------------------------


def test_another_townships_staff_residents_and_visitors_are_refused(client, people, submission):
    handoff = services.handoff_create(
        actor=people["convener"], subject=submission, channel=Channel.HOTLINE, recipient="12345热线", reason=REASON
    )
    urls = [
        new_url(submission),
        reverse("handoffs:detail", args=[handoff.pk]),
    ]
    posts = [
        (reverse("handoffs:answer", args=[handoff.pk]), {"answer": ANSWER}),
        (reverse("handoffs:withdraw", args=[handoff.pk]), {"reason": "误转"}),
        (new_url(submission), {"channel": Channel.HOTLINE, "recipient": "12345", "reason": REASON}),
    ]
    for user, status in ((people["other_convener"], 404), (people["other_approver"], 404), (people["resident"], 403)):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == status, (user, url)
        for url, data in posts:
            assert client.post(url, data).status_code == status, (user, url)
        assert client.get(reverse("handoffs:list")).status_code == (403 if status == 403 else 200)
    client.force_login(people["other_convener"])
    assert "村口路灯不亮" not in text(client.get(reverse("handoffs:list")))
    assert client.get(handoff.answer_attachment.url if handoff.answer_attachment else "/media/x").status_code == 404
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.HANDED
    assert Handoff.objects.count() == 1


def test_the_township_supervisor_reads_but_may_not_answer(client, people, submission):
    handoff = services.handoff_create(
        actor=people["convener"], subject=submission, channel=Channel.HOTLINE, recipient="12345热线", reason=REASON
    )
    client.force_login(people["supervisor"])
    assert "村口路灯不亮" in text(client.get(reverse("handoffs:list")))
    detail = text(client.get(reverse("handoffs:detail", args=[handoff.pk])))
    assert REASON in detail and reverse("handoffs:answer", args=[handoff.pk]) not in detail
    assert client.post(reverse("handoffs:answer", args=[handoff.pk]), {"answer": ANSWER}).status_code == 404


@pytest.mark.parametrize("bad", ["999999999999999999999999999999", "1%00"])
def test_odd_ids_are_not_found_never_a_server_error(client, people, bad):
    client.force_login(people["convener"])
    # A NUL byte is refused by the middleware (400) before any view; a huge id is simply not found.
    assert client.get(f"/handoffs/{bad}/").status_code in {400, 404}
    assert client.get(f"/handoffs/new/submission/{bad}/").status_code in {400, 404}
    assert client.get("/handoffs/999999999999999999999999999999/").status_code == 404


def test_an_html_answer_letter_is_refused_next_to_the_field(client, people, submission):
    handoff = services.handoff_create(
        actor=people["convener"], subject=submission, channel=Channel.HOTLINE, recipient="12345热线", reason=REASON
    )
    client.force_login(people["convener"])
    page = SimpleUploadedFile("回复.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    refused = client.post(reverse("handoffs:answer", args=[handoff.pk]), {"answer": ANSWER, "attachment": page})
    assert refused.status_code == 400
    assert "只能上传 PDF、Word、Excel 文档或 JPG、PNG、WEBP 图片" in text(refused)
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.HANDED


def test_merged_submissions_follow_the_one_handed_off(client, people, district, submission):
    from shangliang.topics import services as topic_services
    from shangliang.topics.tests.builders import submit

    follower = submit(district["a1"], "路灯坏了")
    topic_services.submission_merge(actor=people["convener"], submission=follower, into=submission)
    services.handoff_create(
        actor=people["convener"], subject=submission, channel=Channel.HOTLINE, recipient="12345热线", reason=REASON
    )
    follower = Submission.objects.get(pk=follower.pk)
    track = text(client.get(reverse("topics:track_detail", args=[follower.tracking_code])))
    assert "已转交（12345热线）办理" in track
