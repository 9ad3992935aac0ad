# The kind of session was a model named ConsultationForm, read next to Django forms as one of them.

from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0005_text_limits"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="ConsultationForm", new_name="SessionFormat"),
        migrations.RenameModel(old_name="HistoricalConsultationForm", new_name="HistoricalSessionFormat"),
        migrations.RenameField(model_name="consultation", old_name="form", new_name="session_format"),
        migrations.RenameField(model_name="historicalconsultation", old_name="form", new_name="session_format"),
    ]
