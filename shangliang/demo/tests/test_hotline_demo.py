"""The demo's hotline: half a year of 12345 work orders with hot issues, units' replies good and poor (some
flagged 答复质量偏低), a trained category model, the hottest issue made a topic awaiting screening; nothing
stamped today."""

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.hotline.models import Classifier, HotIssue, Record
from shangliang.hotline.states import IssueStatus
from shangliang.topics.states import Source, SubmissionStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_work_orders_hot_issues_and_scored_replies(seeded):
    records = Record.objects.all()
    assert records.count() >= 150
    assert HotIssue.objects.filter(record_count__gte=5).count() >= 3
    replied = records.exclude(reply_text="")
    assert replied.count() >= 20 and not replied.filter(reply_score__isnull=True).exists()
    low = replied.filter(reply_parts__is_low=True).count()
    assert 0 < low < replied.count()


def test_the_demo_model_is_trained_and_the_hottest_issue_is_a_topic(seeded):
    model = Classifier.objects.get(is_active=True)
    assert model.training_size >= 150 and model.figures.get("macro_f1") is not None
    issue = HotIssue.objects.get(status=IssueStatus.TOPIC)
    submission = issue.submission
    assert submission.source == Source.HOTLINE and submission.status == SubmissionStatus.SUBMITTED
    assert f"{issue.record_count}条" in submission.content


def test_nothing_hotline_is_stamped_today(seeded):
    today = timezone.localdate()
    for model in (Record, HotIssue, Classifier):
        assert not model.history.filter(history_date__date__gte=today).exists(), model
    assert timezone.localdate(HotIssue.objects.get(status=IssueStatus.TOPIC).submission.created_at) < today


def test_the_board_and_the_hotline_pages_show_the_low_replies(seeded, client):
    from shangliang.accounts.models import User

    client.force_login(User.objects.get(username="admin"))
    board = client.get(reverse("outcomes:board")).content.decode()
    low = Record.objects.filter(reply_parts__is_low=True).count()
    assert f"{low} 条答复质量偏低" in board
    listed = client.get(reverse("hotline:records") + "?reply=low").content.decode()
    assert listed.count('href="/hotline/records/') >= min(low, 10)
