"""Move the feedback delivery rows into core.Delivery, then drop FeedbackDelivery.

Each row becomes ``feedback.<event>:<key>`` on the same channel to the same recipient (account id
or mobile), as ``outcomes.feedback`` now sends, so a step told before this migration is never told
again. The old rows kept no status for the inbox (it was written with the row): those are delivered.
"""

from django.db import migrations

BATCH = 2000


def copy_feedback_deliveries(apps, schema_editor):
    FeedbackDelivery = apps.get_model("outcomes", "FeedbackDelivery")
    Delivery = apps.get_model("core", "Delivery")
    # Keep the time each message went out rather than stamping the copies with now.
    Delivery._meta.get_field("created_at").auto_now_add = False
    rows = []
    for old in FeedbackDelivery.objects.order_by("pk").iterator(chunk_size=BATCH):
        delivered = old.is_delivered or old.channel == "app"
        rows.append(
            Delivery(
                reason=f"feedback.{old.event}:{old.key}",
                channel=old.channel,
                recipient=old.recipient,
                status="delivered" if delivered else "failed",
                created_at=old.created_at,
                sent_at=old.created_at if delivered else None,
            )
        )
        if len(rows) >= BATCH:
            Delivery.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_delivery"),
        ("outcomes", "0003_text_limits"),
    ]

    operations = [
        # Going back recreates the table empty: rows made since cannot name their consultation.
        migrations.RunPython(copy_feedback_deliveries, migrations.RunPython.noop),
        migrations.DeleteModel(name="FeedbackDelivery"),
    ]
