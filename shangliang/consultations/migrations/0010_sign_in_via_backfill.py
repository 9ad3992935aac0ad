"""Sign-ins recorded before ``Participant.signed_in_via`` existed: staff at the desk, or the participant's own phone.

Before the door code, a phone sign-in came through the participant's own link or the door page, so
the rows are taken as "own_link"; the 实到 count and attendance points keep counting them.
"""

from django.db import migrations


def backfill(apps, schema_editor):
    Participant = apps.get_model("consultations", "Participant")
    signed = Participant.objects.filter(signed_in_at__isnull=False, signed_in_via="")
    signed.filter(signed_in_by_staff=True).update(signed_in_via="staff")
    signed.filter(signed_in_by_staff=False).update(signed_in_via="own_link")


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0009_sign_in_via_one_opinion_per_mobile"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
