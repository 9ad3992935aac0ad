"""The demo's one player of past events, the clock arguments it relies on, and the data files it reads."""

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from shangliang.core.models import BackgroundJob, Delivery, DeliveryStatus, Notification
from shangliang.core.notify import Kind, Recipient, notify
from shangliang.core.records import save_record
from shangliang.core.transitions import transition
from shangliang.demo import content
from shangliang.demo.timeline import DEMO_DELIVERY_DETAIL, Timeline
from shangliang.orgs import services as org_services
from shangliang.orgs.models import Region, Sector
from shangliang.orgs.states import RegionLevel
from shangliang.orgs.tests.factories import make_region, make_user, small_district
from shangliang.topics.states import TOPIC_MOVES, TopicStatus
from shangliang.topics.tests.builders import pending

pytestmark = pytest.mark.django_db

SHANGLIANG = Path(__file__).resolve().parents[2]


def days_ago(days: int):
    return timezone.now().replace(microsecond=0) - timedelta(days=days)


def test_transition_stamps_the_move_and_dates_its_history_row_at_now():
    topic = pending(small_district()["a1"])
    moment = days_ago(40)
    transition(
        topic, to=TopicStatus.APPROVED, moves=TOPIC_MOVES, actor=make_user(), reason="topic.approved", now=moment
    )
    topic.refresh_from_db()
    assert topic.approved_at == moment
    assert topic.history.latest("history_id").history_date == moment


def test_save_record_dates_its_history_row_at_now_and_later_saves_at_the_clock():
    user = make_user()
    sector = Sector(name="农业界")
    moment = days_ago(10)
    save_record(sector, actor=user, now=moment)
    assert sector.history.get().history_date == moment
    before = timezone.now()
    save_record(sector, actor=user)
    assert sector.history.latest("history_id").history_date >= before


def test_steps_play_in_the_order_of_their_moments_and_what_they_write_is_dated_at_them():
    user = make_user()
    timeline = Timeline()
    order = []

    def create(name):
        def step(when):
            order.append(name)
            org_services.sector_get_or_create(actor=user, name=name)

        return step

    later, earlier = days_ago(3), days_ago(5)
    timeline.add(later, create("经济界"))
    timeline.add(earlier, create("农业界"))
    timeline.add(later, create("教育界"))
    timeline.play()

    assert order == ["农业界", "经济界", "教育界"]
    for name, moment in (("农业界", earlier), ("经济界", later), ("教育界", later)):
        sector = Sector.objects.get(name=name)
        assert sector.created_at == sector.updated_at == moment
        row = sector.history.get()
        assert row.history_date == row.created_at == row.updated_at == moment


def test_a_part_of_a_step_is_dated_at_its_own_moment_and_planned_times_and_older_rows_stay():
    user = make_user()
    region = make_region("云溪区", RegionLevel.DISTRICT)
    written_before = Region.objects.get(pk=region.pk).created_at
    step_at, part_at, planned = days_ago(9), days_ago(8), timezone.now() + timedelta(days=12)

    def step(when):
        job = BackgroundJob.objects.create(kind="import", created_by=user, finished_at=planned)
        with timeline.at(part_at):
            org_services.sector_get_or_create(actor=user, name="科技界")
        region.name = "云溪新区"
        region.save()
        assert job.created_at == when

    timeline = Timeline()
    timeline.add(step_at, step)
    timeline.play()

    job = BackgroundJob.objects.get()
    assert job.created_at == step_at and job.finished_at == planned
    assert Sector.objects.get(name="科技界").created_at == part_at
    region.refresh_from_db()
    assert region.updated_at == step_at and region.created_at == written_before


def test_messages_queued_for_after_the_commit_go_out_at_the_steps_moment_without_being_sent():
    user = make_user(mobile="13700000123")
    moment = days_ago(2)
    queued = len(transaction.get_connection().run_on_commit)

    def step(when):
        notify(kind=Kind.NOTICE, reason="demo.test:1", recipients=[Recipient(user.pk, user.mobile)], title="协商通知")

    timeline = Timeline()
    timeline.add(moment, step)
    timeline.play()

    assert len(transaction.get_connection().run_on_commit) == queued
    text = Delivery.objects.get(reason="demo.test:1", channel="sms")
    assert text.status == DeliveryStatus.DELIVERED and text.detail == DEMO_DELIVERY_DETAIL
    assert text.sent_at == moment
    assert Notification.objects.get(user=user).created_at == moment


def test_every_data_file_is_json_read_by_a_demo_module():
    sources = "".join(path.read_text(encoding="utf-8") for path in (SHANGLIANG / "demo").glob("*.py"))
    read = set(re.findall(r'load\("(\w+)"\)', sources))
    files = {path.stem for path in content.DATA_DIR.glob("*")}
    assert files == read
    for name in files:
        assert content.load(name) == json.loads((content.DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))


def test_no_shipped_module_patches_the_clock_with_mock():
    offenders = [
        str(path.relative_to(SHANGLIANG))
        for path in SHANGLIANG.rglob("*.py")
        if "tests" not in path.relative_to(SHANGLIANG).parts
        and re.search(r"^\s*(from|import) unittest(\.mock)?\b.*|\bmock\.patch\b", path.read_text(), re.M)
    ]
    assert offenders == []
