"""``aidbridge notifications digest [--enqueue]``: send the daily digest of match
notifications now, or hand it to the task worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aidbridge.notifications.matching import send_digests
from aidbridge.notifications.tasks import send_match_digests


class Command(BaseCommand):
    help = "Notifications: 'digest' sends each user's held match notifications as one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        digest = sub.add_parser("digest", help="send the daily digest of match notifications")
        digest.add_argument(
            "--enqueue", action="store_true", help="queue it for the task worker instead"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = send_match_digests.enqueue()
            self.stdout.write(f"digest queued as task {result.id}")
            return
        sent = send_digests()
        self.stdout.write(f"{sent} digest(s) sent")
