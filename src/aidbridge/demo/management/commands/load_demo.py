"""``aidbridge load_demo``: load the COVID-19 spring 2020 scenario (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aidbridge.core.errors import DomainError
from aidbridge.demo.loader import load_demo
from aidbridge.demo.scenario import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the catalogue, parties, demo accounts and the COVID-19 2020 scenario."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=DEMO_PASSWORD, help="for new demo accounts")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_demo(options["password"])
        except DomainError as exc:
            where = f" ({exc.field})" if exc.field else ""
            raise CommandError(f"the scenario could not be loaded{where}: {exc.message}") from exc
        for line in report.lines():
            self.stdout.write(f"    {line}")
