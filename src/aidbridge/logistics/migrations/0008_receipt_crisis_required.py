"""A receipt's crisis is required once filled (0007); a crisis's receipts are indexed
in date order."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("logistics", "0007_fill_receipt_crisis"),
    ]

    operations = [
        migrations.AlterField(
            model_name="receipt",
            name="crisis",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="crises.crisis",
            ),
        ),
        migrations.AddIndex(
            model_name="receipt",
            index=models.Index(fields=["crisis", "received_at"], name="receipt_in_crisis"),
        ),
    ]
