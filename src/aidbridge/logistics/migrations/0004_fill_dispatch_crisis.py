"""Every existing dispatch gets its offer's crisis and its request's nation (one UPDATE
each, both databases)."""

from django.db import migrations

CRISIS = """
UPDATE logistics_dispatch SET crisis_id = (
    SELECT o.crisis_id FROM offers_offerline ol JOIN offers_offer o ON o.id = ol.offer_id
    WHERE ol.id = logistics_dispatch.offer_line_id
) WHERE crisis_id IS NULL
"""
REQUESTER = """
UPDATE logistics_dispatch SET requester_id = (
    SELECT r.requester_id FROM offers_offerline ol
    JOIN requests_requestline rl ON rl.id = ol.request_line_id
    JOIN requests_requestforassistance r ON r.id = rl.rfa_id
    WHERE ol.id = logistics_dispatch.offer_line_id
) WHERE requester_id IS NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("logistics", "0003_dispatch_crisis"),
        ("offers", "0001_initial"),
        ("requests", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(CRISIS, migrations.RunSQL.noop),
        migrations.RunSQL(REQUESTER, migrations.RunSQL.noop),
    ]
