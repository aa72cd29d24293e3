"""``aidbridge runs sweep [--timeout S] [--every S]``: fail the planning runs whose
worker died (no heartbeat for the timeout), once or every S seconds."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aidbridge.core.arguments import seconds
from aidbridge.runs.sweep import sweep


class Command(BaseCommand):
    help = "Planning runs: 'sweep' fails the running runs whose worker stopped answering."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        swept = sub.add_parser("sweep", help="fail running runs without a recent heartbeat")
        swept.add_argument(
            "--timeout",
            type=seconds,
            help="seconds without heartbeat (default: AIDBRIDGE_RUN_TIMEOUT_S)",
        )
        swept.add_argument("--every", type=seconds, help="sweep again every S seconds, for ever")

    def handle(self, *args: Any, **options: Any) -> None:
        timeout = timedelta(seconds=options["timeout"]) if options["timeout"] else None
        while True:
            for run in sweep(timeout):
                self.stdout.write(f"failed {run}: {run.error}")
            if not options["every"]:
                return
            time.sleep(options["every"])
