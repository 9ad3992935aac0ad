"""Copy the notices' delivery rows (consultations.NoticeDelivery) into core.Delivery.

Each participant's notice is the reason ``consultation.notice:<consultation>:<participant>``; the
row names the account for the inbox and WeChat and the mobile for a text, as ``core.notify`` does,
so a notice sent before this migration is never sent again. A consultations migration that drops
NoticeDelivery must depend on this one.
"""

from django.db import migrations

BATCH = 2000


def copy_notice_deliveries(apps, schema_editor):
    NoticeDelivery = apps.get_model("consultations", "NoticeDelivery")
    Delivery = apps.get_model("core", "Delivery")
    # Keep the time each notice went out rather than stamping the copies with now.
    Delivery._meta.get_field("created_at").auto_now_add = False
    rows = []
    old = NoticeDelivery.objects.select_related("participant").order_by("pk")
    for delivery in old.iterator(chunk_size=BATCH):
        participant = delivery.participant
        to = participant.mobile if delivery.channel == "sms" else str(participant.user_id or "")
        if not to:
            continue
        rows.append(
            Delivery(
                reason=f"consultation.notice:{participant.consultation_id}:{participant.pk}",
                channel=delivery.channel,
                recipient=to,
                status="delivered" if delivery.is_delivered else "failed",
                detail=delivery.detail,
                created_at=delivery.sent_at,
                sent_at=delivery.sent_at if delivery.is_delivered else None,
            )
        )
        if len(rows) >= BATCH:
            Delivery.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_delivery"),
        ("consultations", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_notice_deliveries, migrations.RunPython.noop)]
