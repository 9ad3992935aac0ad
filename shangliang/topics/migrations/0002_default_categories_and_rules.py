from django.db import migrations

from shangliang.topics.defaults import ensure_defaults


def add_defaults(apps, schema_editor):
    ensure_defaults(apps.get_model("topics", "Category"), apps.get_model("topics", "ExclusionRule"))


class Migration(migrations.Migration):
    dependencies = [("topics", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
