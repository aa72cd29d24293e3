# Planning runs share one lifecycle (aidbridge.runs.PlanningRun): heartbeat, phase,
# attempts; no status value changes, so existing rows keep theirs (no data migration).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("airlift", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="airliftplanrun",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="airliftplanrun",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="airliftplanrun",
            name="phase",
            field=models.CharField(blank=True, max_length=60),
        ),
        migrations.AlterField(
            model_name="airliftplanrun",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("running", "Running"),
                    ("done", "Done"),
                    ("failed", "Failed"),
                    ("cancelled", "Cancelled"),
                ],
                default="queued",
                max_length=10,
            ),
        ),
    ]
