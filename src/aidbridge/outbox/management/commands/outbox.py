"""``aidbridge outbox deliver [--every S] [--worker NAME]``: deliver the due outbox
messages once (until none is due), or again every S seconds, for ever.

Beside the task worker or instead of it (cron, a service manager). Several may run
at once on PostgreSQL (claims skip each other's rows); on SQLite run one. With
``--every`` it outlives a database that goes away (a restart, a failover): it says so
on stderr and tries again every S seconds (at least 1) until the database is back; a
message it had sent but not recorded is sent again after its lease (at least once).

``aidbridge outbox purge [--older-than DAYS]``: delete the messages delivered more
than DAYS (default ``AIDBRIDGE_OUTBOX_KEEP_DAYS``) ago and their delivery log; pending,
failing and cancelled messages are kept."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from aidbridge.core.arguments import seconds
from aidbridge.core.database import DATABASE_DOWN
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
            try:
                tried = deliver_pending(worker)
            except DATABASE_DOWN as down:
                if not options["every"]:
                    raise
                reason = (str(down).strip().splitlines() or [type(down).__name__])[0]
                self.stderr.write(f"database unavailable, trying again: {reason}")
                connections.close_all()  # a new connection next time, not the broken one
                time.sleep(max(options["every"], 1.0))
                continue
            if tried or not options["every"]:
                self.stdout.write(f"{tried} message(s) tried")
            if not options["every"]:
                return
            if not tried:
                time.sleep(options["every"])
