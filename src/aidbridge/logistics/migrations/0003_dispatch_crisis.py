"""Each dispatch names its offer's crisis and the requesting nation, for an index on a
nation's dispatches in a crisis in date order (the dashboard's deliveries to confirm).
Added empty here, filled by 0004, the crisis required by 0005: on PostgreSQL, filling
rows in the transaction that made the foreign key leaves trigger events pending that a
later ALTER TABLE refuses."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("crises", "0001_initial"),
        ("parties", "0001_initial"),
        ("logistics", "0002_dispatch_carrier"),
    ]

    operations = [
        migrations.AddField(
            model_name="dispatch",
            name="crisis",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="crises.crisis",
            ),
        ),
        migrations.AddField(
            model_name="dispatch",
            name="requester",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="parties.party",
            ),
        ),
    ]
