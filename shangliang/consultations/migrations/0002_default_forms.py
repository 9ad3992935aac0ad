from django.db import migrations

from shangliang.consultations.defaults import ensure_session_formats


def add_defaults(apps, schema_editor):
    ensure_session_formats(apps.get_model("consultations", "ConsultationForm"))


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
