"""Every existing receipt gets its dispatch's crisis (one UPDATE, both databases)."""

from django.db import migrations

CRISIS = """
UPDATE logistics_receipt SET crisis_id = (
    SELECT d.crisis_id FROM logistics_dispatch d WHERE d.id = logistics_receipt.dispatch_id
) WHERE crisis_id IS NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("logistics", "0006_receipt_crisis"),
    ]

    operations = [
        migrations.RunSQL(CRISIS, migrations.RunSQL.noop),
    ]
