from django.db import migrations

from shangliang.points.defaults import ensure_defaults


def add_defaults(apps, schema_editor):
    ensure_defaults(apps.get_model("points", "PointRule"))


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
