"""``aidbridge load_parties [PATH]``: load or refresh nations and organisations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aidbridge.core.errors import DomainError
from aidbridge.ops.bootstrap import system_actor
from aidbridge.parties.seed import load_parties


class Command(BaseCommand):
    help = (
        "Load the parties seed (or PATH): Allies, partners, organisations, by code, "
        "through the parties services as a centre user."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, help="a parties JSON file")
        parser.add_argument("--actor", help="the centre user who loads them (default: the first)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_parties(system_actor(options["actor"]), options["path"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Parties: {report.summary()}")
