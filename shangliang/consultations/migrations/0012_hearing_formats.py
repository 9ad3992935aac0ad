# The two forms the community consultation notice names for wide-reaching matters.

from django.db import migrations

from shangliang.consultations.defaults import ensure_session_formats


def add_formats(apps, schema_editor):
    ensure_session_formats(apps.get_model("consultations", "SessionFormat"))


class Migration(migrations.Migration):
    dependencies = [("consultations", "0011_safeguards")]

    operations = [migrations.RunPython(add_formats, migrations.RunPython.noop)]
