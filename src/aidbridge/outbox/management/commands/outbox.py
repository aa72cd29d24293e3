"""``aidbridge outbox deliver [--every S] [--worker NAME]``: deliver the due outbox
messages once (until none is due), or again every S seconds, for ever.

Beside the task worker or instead of it (cron, a service manager). Several may run
at once on PostgreSQL (claims skip each other's rows); on SQLite run one.

``aidbridge outbox purge [--older-than DAYS]``: delete the messages delivered more
than DAYS (default ``AIDBRIDGE_OUTBOX_KEEP_DAYS``) ago and their delivery log; pending,
failing and cancelled messages are kept."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aidbridge.core.arguments import seconds
from aidbridge.outbox.delivery import default_worker_name, deliver_pending
from aidbridge.outbox.purge import purge_delivered


def days(value: str) -> float:
    """A number of days, 0 or more (``--older-than 30``), for argparse."""
    try:
        parsed = float(value)
    except ValueError:
        raise CommandError(f"not a number of days: {value!r}") from None
    if not parsed >= 0:
        raise CommandError(f"must be 0 days or more: {value!r}")
    return parsed


class Command(BaseCommand):
    help = (
        "Outbox: 'deliver' sends the due messages (webhooks) with retries; 'purge' deletes "
        "old delivered ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        deliver = sub.add_parser("deliver", help="deliver the due messages")
        deliver.add_argument("--every", type=seconds, help="look again every S seconds")
        deliver.add_argument("--worker", help="this worker's name in the delivery log")
        purge = sub.add_parser("purge", help="delete old delivered messages and their log")
        purge.add_argument(
            "--older-than",
            type=days,
            help="days since delivery (default: AIDBRIDGE_OUTBOX_KEEP_DAYS)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "purge":
            purged = purge_delivered(older_than_days=options["older_than"])
            self.stdout.write(
                f"{purged.messages} delivered message(s) and {purged.attempts} attempt(s) purged"
            )
            return
        worker = options["worker"] or default_worker_name()
        while True:
            tried = deliver_pending(worker)
            if tried or not options["every"]:
                self.stdout.write(f"{tried} message(s) tried")
            if not options["every"]:
                return
            if not tried:
                time.sleep(options["every"])
