"""Time the text outbox: a notice to N numbers queued, then sent through a local fake of 阿里云 SMS.

Usage (any migrated database; it writes rows, so point it at a throwaway data folder):

    SHANGLIANG_DEBUG=1 SHANGLIANG_DATA_DIR=/tmp/bench-deliveries .venv/bin/python manage.py migrate -v0
    SHANGLIANG_DEBUG=1 SHANGLIANG_DATA_DIR=/tmp/bench-deliveries .venv/bin/python bench/deliveries.py [--texts 500]

Prints the time to queue the texts in one transaction (what a notice or a reminder run costs the
step that writes it) and the time to send them, per text: claim (its own commit), the official SDK's
signed request to the fake gateway on this machine (which checks the signature), and the recorded
answer. On the site the page does not wait for this: a thread of the web process (or the Celery
worker) sends after the commit. The network time to the real provider comes on top.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shangliang.settings")
os.environ.setdefault("SHANGLIANG_DEBUG", "1")
# Send in this thread after the commit, so the sending is what is timed (the site hands it to a thread).
os.environ.setdefault("SHANGLIANG_TASKS_EAGER", "1")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402

from shangliang.core.models import Delivery, DeliveryStatus, MessageTemplate, Provider  # noqa: E402
from shangliang.core.notify import Kind, notify  # noqa: E402
from shangliang.core.tests.fakes.sms_servers import FakeAliyunSms  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=500)
    args = parser.parse_args()
    run = int(time.time())
    with FakeAliyunSms(sign="某某区政协", templates={"SMS_BENCH": ["title"]}) as fake:
        settings.SHANGLIANG_SENDERS = {**settings.SHANGLIANG_SENDERS, "sms": "shangliang.core.sms.AliyunSender"}
        settings.SHANGLIANG_ALIYUN_SMS = {
            "access_key_id": fake.access_key_id,
            "access_key_secret": fake.secret,
            "endpoint": fake.endpoint,
        }
        MessageTemplate.objects.update_or_create(
            provider=Provider.ALIYUN,
            kind=Kind.NOTICE,
            defaults={"template_code": "SMS_BENCH", "sign_name": fake.sign, "params": "title=title"},
        )
        numbers = [f"139{run % 10000:04d}{i:04d}" for i in range(args.texts)]
        reason = f"bench.notice:{run}"
        started = time.perf_counter()
        with transaction.atomic():
            notify(kind=Kind.NOTICE, reason=reason, recipients=numbers, title="协商通知：村口道路积水整治")
            queued_at = time.perf_counter()
        # Leaving the block commits, and the commit sends the texts (core.dispatch), as after a notice.
        done_at = time.perf_counter()
        queued, sent = queued_at - started, done_at - queued_at
        ids = list(Delivery.objects.filter(reason=reason).values_list("pk", flat=True))
        accepted = Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.SENT).count()
        statuses = set(Delivery.objects.filter(pk__in=ids).values_list("status", flat=True))
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"texts: {len(ids)}; accepted by the fake gateway: {accepted}; statuses now: {sorted(statuses)}")
    print(f"queue in the step's transaction: {queued * 1000:.0f} ms ({queued * 1000 / len(ids):.2f} ms a text)")
    print(f"commit and send (claim, signed request, record): {sent:.2f} s ({sent * 1000 / len(ids):.1f} ms a text)")
    assert statuses == {DeliveryStatus.SENT} and len(fake.received) == len(ids)


if __name__ == "__main__":
    main()
