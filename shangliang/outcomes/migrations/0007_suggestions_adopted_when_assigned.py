# Suggestions assigned before decisions were recorded were adopted by the assignment itself.

from django.db import migrations


def adopted_when_assigned(apps, schema_editor):
    Assignment = apps.get_model("outcomes", "Assignment")
    Suggestion = apps.get_model("consultations", "Suggestion")
    live = Assignment.objects.exclude(status="returned").order_by("assigned_at")
    for assignment in live:
        Suggestion.objects.filter(pk=assignment.suggestion_id, decision="pending").update(
            decision="adopted", decided_at=assignment.assigned_at, decided_by_id=assignment.assigned_by_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0006_check_of_finished_items"),
        ("consultations", "0011_safeguards"),
    ]

    operations = [migrations.RunPython(adopted_when_assigned, migrations.RunPython.noop)]
