"""``aidbridge federation share CRISIS``: queue a snapshot of each circulated request of
the crisis to the partners it is shared with (after declaring one; later changes are
sent by themselves).

``aidbridge federation partner CODE --name N --url URL [--crisis C]... [--direction both]
[--sign-key S] [--verify-key S]``: declare a partner centre (or update it) and add keys.

A key given again is not added twice; a new ``--sign-key`` signs from now on, and the
older signing and verification keys stay valid until retired in the admin or with
``--retire-keys-after HOURS`` (rotation without downtime)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from aidbridge.federation import services
from aidbridge.federation.models import PartnerKey
from aidbridge.federation.shares import share_crisis


class Command(BaseCommand):
    help = "Federation: 'partner' declares a partner centre and its keys."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("partner", help="declare a partner centre")
        p.add_argument("code")
        p.add_argument("--name", required=True)
        p.add_argument("--url", required=True)
        p.add_argument("--crisis", action="append", default=[])
        p.add_argument("--direction", default="both")
        p.add_argument("--sign-key")
        p.add_argument("--verify-key")
        p.add_argument("--retire-keys-after", type=float, metavar="HOURS")
        share = sub.add_parser("share", help="send the partners every circulated request now")
        share.add_argument("crisis")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "share":
            sent = share_crisis(options["crisis"])
            self.stdout.write(f"{sent} snapshot(s) queued")
            return
        partner = services.declare_partner(
            None,
            code=options["code"],
            name=options["name"],
            base_url=options["url"],
            direction=options["direction"],
            crises=options["crisis"],
        )
        hours = options["retire_keys_after"]
        for purpose, secret in (("sign", options["sign_key"]), ("verify", options["verify_key"])):
            if not secret or partner.keys.filter(purpose=purpose, secret=secret).exists():
                continue
            if hours is not None:
                until = timezone.now() + timedelta(hours=hours)
                for old in partner.keys.filter(purpose=purpose, not_after__isnull=True):
                    services.retire_key(None, old, until)
            services.add_key(None, partner, PartnerKey.Purpose(purpose), secret)
        self.stdout.write(f"partner {partner.code} declared ({partner.base_url})")
