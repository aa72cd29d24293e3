"""Each receipt names its dispatch's crisis, for an index on a crisis's receipts in date
order (the dashboards' "deliveries this week"). Added empty here, filled by 0007,
required and indexed by 0008 (as the dispatch's in 0003-0005: on PostgreSQL, filling
rows in the transaction that made the foreign key leaves trigger events pending that a
later ALTER TABLE refuses)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("crises", "0001_initial"),
        ("logistics", "0005_dispatch_crisis_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="receipt",
            name="crisis",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="crises.crisis",
            ),
        ),
    ]
