"""Indexes the donor's worklists walk: a donor's offers in a crisis, oldest first
(replacing the crisis and donor index, its prefix), and the few offer lines awaiting
their donor's confirmation (a partial index)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_transport_weight_volume"),
        ("crises", "0001_initial"),
        ("offers", "0005_mirrored_reference_length"),
        ("parties", "0001_initial"),
        ("requests", "0006_mirrored_reference_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="offer",
            name="offers_offe_crisis__dcdc9d_idx",
        ),
        migrations.AddIndex(
            model_name="offer",
            index=models.Index(
                fields=["crisis", "donor", "created_at", "id"], name="offer_donor_created"
            ),
        ),
        migrations.AddIndex(
            model_name="offerline",
            index=models.Index(
                condition=models.Q(("status", "proposed")),
                fields=["offer"],
                name="offer_line_proposed",
            ),
        ),
    ]
