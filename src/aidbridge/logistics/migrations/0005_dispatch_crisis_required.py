"""A dispatch's crisis is required once filled (0004); a nation's dispatches in a
crisis are indexed in date order."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("logistics", "0004_fill_dispatch_crisis"),
    ]

    operations = [
        migrations.AlterField(
            model_name="dispatch",
            name="crisis",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="crises.crisis",
            ),
        ),
        migrations.AddIndex(
            model_name="dispatch",
            index=models.Index(
                fields=["crisis", "requester", "dispatched_at", "id"], name="dispatch_to_nation"
            ),
        ),
    ]
