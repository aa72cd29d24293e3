"""``aidbridge idempotency purge``: delete the Idempotency-Key rows past their window.

``aidbridge serve`` schedules the same clean-up as a periodic task; this command is for
a deployment without the task worker (run it hourly from cron or a systemd timer) and
for an operator who wants it now.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from aidbridge.api.idempotency import purge_expired


class Command(BaseCommand):
    help = "Manage the stored Idempotency-Key answers (purge: delete the expired ones)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["purge"])

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_expired()
        hours = settings.IDEMPOTENCY_WINDOW.total_seconds() / 3600
        self.stdout.write(f"deleted {deleted} Idempotency-Key answer(s) older than {hours:g} h")
