"""``aidbridge ledger recompute [--fix] [--crisis CODE]``: check the maintained figures.

Recomputes every pictured line's figures and every cell from the ledger's definitions,
from scratch, and prints each difference from what is maintained; ``--fix`` rewrites the
maintained figures to the definitions (after a restore, or to repair). Without
``--fix``, any difference makes the command fail, so a scheduled check can alert.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aidbridge.crises.models import Crisis
from aidbridge.ledger.recompute import recompute


class Command(BaseCommand):
    help = "Check (or --fix) the maintained figures against the ledger's definitions."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("recompute", help="recompute from scratch and report differences")
        run.add_argument("--fix", action="store_true", help="rewrite them to the definitions")
        run.add_argument("--crisis", help="one crisis code (default: every crisis)")

    def handle(self, *args: Any, **options: Any) -> None:
        crises = Crisis.objects.order_by("code")
        if options["crisis"]:
            crises = crises.filter(code=options["crisis"])
            if not crises.exists():
                raise CommandError(f"no crisis {options['crisis']!r}")
        total = 0
        for crisis in crises:
            diffs = recompute(crisis, fix=options["fix"])
            total += len(diffs)
            for d in diffs:
                self.stdout.write(
                    f"{crisis.code}: {d.what} {d.figure}: maintained {d.stored}, "
                    f"defined {d.defined}"
                )
            state = "fixed" if options["fix"] and diffs else "ok" if not diffs else "DIFFERS"
            self.stdout.write(f"{crisis.code}: {len(diffs)} difference(s), {state}")
        if total and not options["fix"]:
            raise CommandError(f"{total} maintained figure(s) differ from the definitions")
