# 第三方评估 is a third-party evaluation; "assessment" is the stations' yearly 考核 in scoring.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0005_text_limits"),
        ("consultations", "0006_session_format"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="Assessment", new_name="ThirdPartyEvaluation"),
        migrations.RenameModel(old_name="HistoricalAssessment", new_name="HistoricalThirdPartyEvaluation"),
        migrations.RenameField(model_name="thirdpartyevaluation", old_name="assessor", new_name="evaluator"),
        migrations.RenameField(model_name="thirdpartyevaluation", old_name="assessed_on", new_name="evaluated_on"),
        migrations.RenameField(model_name="historicalthirdpartyevaluation", old_name="assessor", new_name="evaluator"),
        migrations.RenameField(
            model_name="historicalthirdpartyevaluation", old_name="assessed_on", new_name="evaluated_on"
        ),
        migrations.AlterModelOptions(
            name="thirdpartyevaluation",
            options={"ordering": ["-evaluated_on"], "verbose_name": "第三方评估", "verbose_name_plural": "第三方评估"},
        ),
        migrations.AlterField(
            model_name="thirdpartyevaluation",
            name="consultation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="third_party_evaluations",
                to="consultations.consultation",
                verbose_name="协商",
            ),
        ),
    ]
