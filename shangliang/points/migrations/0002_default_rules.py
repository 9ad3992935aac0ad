from django.db import migrations

from shangliang.points.defaults import ensure_defaults


def add_defaults(apps, schema_editor):
    # The activities this migration's vocabulary has; 0003 adds report_sent.
    kinds = {"session_attended", "session_spoke", "research", "recommendation_approved"}
    kinds |= {"recommendation_assigned", "suggestion_adopted"}
    ensure_defaults(apps.get_model("points", "PointRule"), kinds)


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
