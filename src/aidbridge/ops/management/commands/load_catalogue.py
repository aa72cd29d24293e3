"""``aidbridge load_catalogue [PATH]``: load or refresh the catalogue of relief items."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aidbridge.catalogue.services import load_catalogue
from aidbridge.core.errors import DomainError


class Command(BaseCommand):
    help = "Load the catalogue seed (or PATH); items are updated by code, never duplicated."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, help="a catalogue JSON file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_catalogue(options["path"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Catalogue: {report.summary()}")
