"""``aidbridge outbox deliver [--every S] [--worker NAME]``: deliver the due outbox
messages once (until none is due), or again every S seconds, for ever.

Beside the task worker or instead of it (cron, a service manager). Several may run
at once on PostgreSQL (claims skip each other's rows); on SQLite run one."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aidbridge.core.arguments import seconds
from aidbridge.outbox.delivery import default_worker_name, deliver_pending


class Command(BaseCommand):
    help = "Outbox: 'deliver' sends the due messages (webhooks) with retries."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        deliver = sub.add_parser("deliver", help="deliver the due messages")
        deliver.add_argument("--every", type=seconds, help="look again every S seconds")
        deliver.add_argument("--worker", help="this worker's name in the delivery log")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = options["worker"] or default_worker_name()
        while True:
            tried = deliver_pending(worker)
            if tried or not options["every"]:
                self.stdout.write(f"{tried} message(s) tried")
            if not options["every"]:
                return
            if not tried:
                time.sleep(options["every"])
