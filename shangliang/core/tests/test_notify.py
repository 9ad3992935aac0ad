"""The one way to send a message: once per (recipient, channel, reason), channels from the policy,
texts and WeChat messages after the commit, feedback optional per person."""

import logging

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction

from shangliang.core.models import Channel, Delivery, DeliveryStatus, Notification, Provider
from shangliang.core.notify import CHANNEL_POLICY, Kind, Reach, Recipient, notify, notify_step
from shangliang.core.senders import Result

pytestmark = pytest.mark.django_db


class RecordingSender:
    """Keeps what it sends; recipients in ``failing`` raise and those in ``refused`` are refused."""

    sent: list = []
    failing: set = set()
    refused: set = set()

    def __init__(self, channel):
        self.channel = channel

    def send(self, message):
        if message.to in type(self).failing:
            raise ConnectionError("短信网关无响应")
        if message.to in type(self).refused:
            return Result(False, "空号")
        type(self).sent.append(message)
        return Result(True, "recorded")


@pytest.fixture
def outbox(settings):
    path = f"{__name__}.RecordingSender"
    settings.SHANGLIANG_SENDERS = {"sms": path, "wechat": path}
    RecordingSender.sent, RecordingSender.failing, RecordingSender.refused = [], set(), set()
    return RecordingSender


def account(username, mobile=""):
    return get_user_model().objects.create_user(username=username, password="x", mobile=mobile or None)


def sent(outbox) -> list[tuple[str, str]]:
    return sorted((m.channel, m.to) for m in outbox.sent)


def rows(reason) -> set[tuple[str, str, str]]:
    return set(Delivery.objects.filter(reason=reason).values_list("channel", "recipient", "status"))


def message(**extra):
    return {"title": "【督办提醒】路灯", "body": "请及时办理。", "url": "/o/a/1/", **extra}


def test_the_same_reason_twice_sends_one_message_per_channel(outbox, django_capture_on_commit_callbacks):
    texting, app_only = account("texting", "13900000001"), account("app_only")
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            notify(
                kind=Kind.REMINDER, reason="reminder.due_soon:1:2026-06-01", recipients=[texting, app_only], **message()
            )
    assert rows("reminder.due_soon:1:2026-06-01") == {
        ("app", str(app_only.pk), "delivered"),
        ("app", str(texting.pk), "delivered"),
        ("sms", "13900000001", "delivered"),
    }
    assert Notification.objects.filter(user=texting).count() == Notification.objects.filter(user=app_only).count() == 1
    assert sent(outbox) == [("sms", "13900000001")]
    # Another reason is another message.
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=Kind.REMINDER, reason="reminder.overdue:1:2026-06-01", recipients=[texting], **message())
    assert Notification.objects.filter(user=texting).count() == 2 and len(outbox.sent) == 2


def test_a_recipient_listed_twice_or_by_account_and_number_is_told_once(outbox, django_capture_on_commit_callbacks):
    texting = account("texting", "13900000001")
    with django_capture_on_commit_callbacks(execute=True):
        count = notify(
            kind=Kind.REMINDER,
            reason="reminder.due_soon:2:2026-06-01",
            recipients=[texting, texting, "13900000001", Recipient(texting.pk, "13900000001")],
            **message(),
        )
    # One inbox message and one text written (and counted); the text goes after the commit.
    assert count == 2 and sent(outbox) == [("sms", "13900000001")]
    assert Notification.objects.filter(user=texting).count() == 1


def test_a_failing_sender_is_recorded_on_its_row_and_the_others_still_get_theirs(
    outbox, caplog, django_capture_on_commit_callbacks
):
    people = [account(f"liaison{i}", f"1390000000{i}") for i in range(3)]
    outbox.failing.add("13900000000")
    outbox.refused.add("13900000001")
    with (
        caplog.at_level(logging.ERROR, logger="shangliang.core.dispatch"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        count = notify(kind=Kind.REMINDER, reason="reminder.overdue:3:2026-06-01", recipients=people, **message())
    assert "sms for reminder.overdue:3:2026-06-01" in caplog.text and "result unknown" in caplog.text
    assert count == 3 + 3  # three inbox messages, three texts written
    texts = {d.recipient: d for d in Delivery.objects.filter(channel=Channel.SMS)}
    # The gateway did not answer: it may have sent the text, so it is 结果不明 and never sent again.
    assert texts["13900000000"].status == DeliveryStatus.UNKNOWN and "短信网关无响应" in texts["13900000000"].detail
    assert (texts["13900000001"].status, texts["13900000001"].detail) == (DeliveryStatus.FAILED, "空号")
    assert texts["13900000001"].sent_at is None
    assert texts["13900000002"].is_delivered and texts["13900000002"].sent_at is not None
    assert {d.provider for d in texts.values()} == {Provider.CONSOLE}
    assert sent(outbox) == [("sms", "13900000002")]
    assert Notification.objects.filter(user__in=people).count() == 3
    # A failure is not retried: a second run sends nothing to anyone.
    outbox.failing.clear()
    outbox.refused.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=Kind.REMINDER, reason="reminder.overdue:3:2026-06-01", recipients=people, **message())
    assert sent(outbox) == [("sms", "13900000002")]


def test_the_policy_decides_the_channels(outbox, django_capture_on_commit_callbacks):
    texting, app_only = account("texting", "13900000001"), account("app_only")
    everyone = [texting, app_only, "13900000009"]
    with django_capture_on_commit_callbacks(execute=True):
        for kind in (Kind.NOTICE, Kind.FEEDBACK, Kind.REMINDER, Kind.FOLLOW_UP):
            notify(kind=kind, reason=f"{kind}:1", recipients=everyone, **message())
    expected = {
        # Every channel: the inbox and WeChat for accounts, a text wherever a number is known.
        Kind.NOTICE: [
            ("app", str(app_only.pk)),
            ("app", str(texting.pk)),
            ("sms", "13900000001"),
            ("sms", "13900000009"),
            ("wechat", str(app_only.pk)),
            ("wechat", str(texting.pk)),
        ],
        # WeChat only for the account without a number.
        Kind.FEEDBACK: [
            ("app", str(app_only.pk)),
            ("app", str(texting.pk)),
            ("sms", "13900000001"),
            ("sms", "13900000009"),
            ("wechat", str(app_only.pk)),
        ],
        # No text without a mobile, no WeChat.
        Kind.REMINDER: [
            ("app", str(app_only.pk)),
            ("app", str(texting.pk)),
            ("sms", "13900000001"),
            ("sms", "13900000009"),
        ],
        Kind.FOLLOW_UP: [("app", str(app_only.pk)), ("app", str(texting.pk))],
    }
    for kind, channels in expected.items():
        assert {(channel, to) for channel, to, _status in rows(f"{kind}:1")} == set(channels), kind
    assert len(outbox.sent) == 4 + 3 + 2
    # Every kind of message has a policy, and every policy but a code's reaches accounts in their inbox.
    assert set(CHANNEL_POLICY) == set(Kind)
    assert all((Channel.APP, Reach.ACCOUNT) in p.routes for k, p in CHANNEL_POLICY.items() if k != Kind.CODE)
    assert CHANNEL_POLICY[Kind.CODE].routes == ((Channel.SMS, Reach.MOBILE),)


def test_a_recipient_with_a_link_of_their_own_gets_it_on_every_channel(
    outbox, settings, django_capture_on_commit_callbacks
):
    settings.SHANGLIANG_PUBLIC_BASE_URL = "https://xieshang.example.gov.cn"
    resident = account("resident", "13900000001")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            kind=Kind.NOTICE,
            reason="consultation.notice:1:1",
            recipients=[Recipient(resident.pk, "13900000001", url="/c/p/token/"), "13900000002"],
            **message(),
        )
    assert Notification.objects.get(user=resident).url == "/c/p/token/"
    links = {(m.channel, m.to): m.url for m in outbox.sent}
    # Messages leaving the site carry the public address; the bare number gets the message's link.
    assert links == {
        ("sms", "13900000001"): "https://xieshang.example.gov.cn/c/p/token/",
        ("wechat", str(resident.pk)): "https://xieshang.example.gov.cn/c/p/token/",
        ("sms", "13900000002"): "https://xieshang.example.gov.cn/o/a/1/",
    }


def test_texts_wait_for_the_commit_and_a_rollback_sends_nothing(outbox, django_capture_on_commit_callbacks):
    resident = account("resident", "13900000001")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(kind=Kind.NOTICE, reason="consultation.notice:1:1", recipients=[resident], **message())
        # Inside the transaction: the inbox message is written, the text and WeChat wait.
        assert Notification.objects.filter(user=resident).exists() and not outbox.sent
        raise RuntimeError("the notice's transaction fails")
    assert not callbacks
    assert not outbox.sent and not Notification.objects.exists() and not Delivery.objects.exists()
    # The same notice sent again, this time committed, goes out on every channel.
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=Kind.NOTICE, reason="consultation.notice:1:1", recipients=[resident], **message())
    assert sent(outbox) == [("sms", "13900000001"), ("wechat", str(resident.pk))]


def test_a_message_claimed_by_another_run_is_not_sent_again(outbox, django_capture_on_commit_callbacks):
    resident = account("resident", "13900000001")
    Delivery.objects.create(
        reason="feedback.done:assignment:1", channel=Channel.SMS, recipient="13900000001", status=DeliveryStatus.FAILED
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=Kind.FEEDBACK, reason="feedback.done:assignment:1", recipients=[resident], **message())
    assert outbox.sent == [] and Notification.objects.filter(user=resident).count() == 1


def test_a_step_whose_own_row_exists_sends_nothing(outbox, django_capture_on_commit_callbacks):
    liaison = account("liaison", "13900000001")

    def record():
        # Stands for the caller's unique row of the step (an assignment's reminder for a deadline).
        Delivery.objects.create(reason="the step", channel=Channel.APP, recipient="-", status=DeliveryStatus.DELIVERED)

    step = {"kind": Kind.REMINDER, "recipients": [liaison], **message()}
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_step(record, reason="reminder.due_soon:9:2026-06-01", **step) is True
        assert notify_step(record, reason="reminder.due_soon:9:2026-06-02", **step) is False
    assert Notification.objects.filter(user=liaison).count() == 1 and len(outbox.sent) == 1


def test_a_reminder_written_inside_a_step_waits_for_its_commit(outbox, django_capture_on_commit_callbacks):
    liaison = account("liaison", "13900000001")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(kind=Kind.REMINDER, reason="reminder.due_soon:4:2026-06-01", **message(), recipients=[liaison])
        # The text is a row waiting for the commit, with what it will say.
        row = Delivery.objects.get(channel=Channel.SMS)
        assert (row.status, row.kind, row.title, row.url) == (
            DeliveryStatus.QUEUED,
            Kind.REMINDER,
            "【督办提醒】路灯",
            "/o/a/1/",
        )
        assert not outbox.sent
    row.refresh_from_db()
    assert row.status == DeliveryStatus.DELIVERED and row.attempts == 1 and sent(outbox) == [("sms", "13900000001")]


def test_a_code_is_erased_from_its_row_once_sent(outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            kind=Kind.CODE,
            reason="code:1",
            recipients=["13900000001"],
            title="验证码",
            body="您的验证码为******。",
            params={"code": "123456", "minutes": 5},
        )
    assert outbox.sent[0].params == {"code": "123456", "minutes": "5"} and outbox.sent[0].kind == Kind.CODE
    row = Delivery.objects.get(reason="code:1")
    assert row.status == DeliveryStatus.DELIVERED and row.params == {}


def test_a_resident_who_turned_texts_off_gets_feedback_in_the_inbox_only_but_still_gets_notices(
    outbox, django_capture_on_commit_callbacks
):
    quiet = account("quiet", "13900000001")
    quiet.sms_feedback = quiet.wechat_feedback = False
    quiet.verified_mobile = "13900000001"
    quiet.save()
    app_only = account("app_only")
    app_only.wechat_feedback = False
    app_only.save()
    other = account("other", "13900000002")
    with django_capture_on_commit_callbacks(execute=True):
        # By account, and by the bare number that account verified.
        feedback = notify(
            kind=Kind.FEEDBACK, reason="feedback:1", recipients=[quiet, app_only, other, "13900000001"], **message()
        )
        notify(kind=Kind.NOTICE, reason="notice:1", recipients=[quiet, app_only], **message())
    assert feedback == 3 + 1  # three inbox messages, one text (to the one who kept them on)
    assert {(channel, to) for channel, to, _status in rows("feedback:1")} == {
        ("app", str(quiet.pk)),
        ("app", str(app_only.pk)),
        ("app", str(other.pk)),
        ("sms", "13900000002"),
    }
    # A notice is owed to the person: it goes on every channel whatever they chose for feedback.
    assert {(channel, to) for channel, to, _status in rows("notice:1")} == {
        ("app", str(quiet.pk)),
        ("app", str(app_only.pk)),
        ("sms", "13900000001"),
        ("wechat", str(quiet.pk)),
        ("wechat", str(app_only.pk)),
    }
    assert Notification.objects.filter(user=quiet).count() == 2


class BoundWeChatSender:
    """Stands for the official account's sender: a provider other than the console."""

    provider = Provider.WECHAT
    sent: list = []

    def __init__(self, channel):
        self.channel = channel

    def send(self, message):
        type(self).sent.append(message.to)
        return Result("sent", "ok", provider_id="msg-1")


def test_a_real_wechat_sender_reaches_only_accounts_bound_to_wechat(
    outbox, settings, django_capture_on_commit_callbacks
):
    settings.SHANGLIANG_SENDERS = {**settings.SHANGLIANG_SENDERS, "wechat": f"{__name__}.BoundWeChatSender"}
    settings.SHANGLIANG_WECHAT = {**settings.SHANGLIANG_WECHAT, "app_id": "wx-test"}
    BoundWeChatSender.sent = []
    # Core names no higher app; the accounts app registers its model.
    binding_model = apps.get_model("accounts", "WeChatBinding")
    bound, unbound, left = account("bound"), account("unbound"), account("left")
    binding_model.objects.create(user=bound, app_id="wx-test", openid="o-bound")
    binding_model.objects.create(user=unbound, app_id="wx-other", openid="o-other")
    binding = binding_model.objects.create(user=left, app_id="wx-test", openid="o-left")
    binding.unbound_at = binding.bound_at
    binding.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=Kind.NOTICE, reason="notice:2", recipients=[bound, unbound, left], **message())
    assert BoundWeChatSender.sent == [str(bound.pk)]
    row = Delivery.objects.get(reason="notice:2", channel=Channel.WECHAT)
    assert (row.status, row.provider, row.provider_id) == (DeliveryStatus.SENT, Provider.WECHAT, "msg-1")
    assert Notification.objects.filter(user__in=[bound, unbound, left]).count() == 3
