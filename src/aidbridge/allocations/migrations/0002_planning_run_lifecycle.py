# Planning runs share one lifecycle (aidbridge.runs.PlanningRun): heartbeat, phase,
# attempts; no status value changes, so existing rows keep theirs (no data migration).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("allocations", "0001_initial"),
        ("crises", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="allocationrun",
            options={"ordering": ["-requested_at", "-id"]},
        ),
        migrations.RemoveIndex(
            model_name="allocationrun",
            name="allocations_crisis__58e642_idx",
        ),
        migrations.RenameField(
            model_name="allocationrun",
            old_name="created_at",
            new_name="requested_at",
        ),
        migrations.AddField(
            model_name="allocationrun",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="allocationrun",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="allocationrun",
            name="phase",
            field=models.CharField(blank=True, max_length=60),
        ),
        migrations.AddField(
            model_name="allocationrun",
            name="task_id",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="allocationrun",
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
        migrations.AddIndex(
            model_name="allocationrun",
            index=models.Index(
                fields=["crisis", "-requested_at"], name="allocations_crisis__8251f3_idx"
            ),
        ),
    ]
