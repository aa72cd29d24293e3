"""Fill each donor's maintained offer count from the definitions (what ``aidbridge
ledger recompute --fix`` does)."""

from typing import Any

from django.db import migrations


def fill(apps: Any, schema_editor: Any) -> None:
    # The live code on purpose, as 0002: the figures must be the ledger's of today.
    from aidbridge.crises.models import Crisis
    from aidbridge.ledger.recompute import recompute

    for crisis in Crisis.objects.all():
        recompute(crisis, fix=True)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_donor_offers")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
