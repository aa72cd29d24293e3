"""``aidbridge import {needs,offers} FILE --crisis CODE --as USERNAME [--dry-run]``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from aidbridge.core.errors import DomainError
from aidbridge.crises.selectors import crisis_by_code
from aidbridge.interop import importers
from aidbridge.interop.errors import ImportRejected
from aidbridge.interop.limits import check_upload_size


class Command(BaseCommand):
    help = "Import needs (as draft RFAs) or offers from a CSV, XLSX or HXL file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=["needs", "offers"])
        parser.add_argument("file")
        parser.add_argument("--crisis", required=True, help="crisis code")
        parser.add_argument("--as", dest="username", required=True, help="acting user")
        parser.add_argument("--format", choices=["csv", "xlsx", "hxl"])
        parser.add_argument("--dry-run", action="store_true", help="check and report only")
        parser.add_argument("--title", default="", help="needs: title of the draft RFA")
        parser.add_argument("--situation", default="")
        parser.add_argument("--available-from", type=dt.date.fromisoformat)
        parser.add_argument("--origin-airport", default="")
        parser.add_argument("--own-transport", action="store_true")
        parser.add_argument("--conditions", default="")

    def handle(self, *args: Any, **o: Any) -> None:
        path = Path(o["file"])
        try:
            check_upload_size(path.stat().st_size)
            data = path.read_bytes()
            actor = get_user_model().objects.filter(username=o["username"]).first()
            if actor is None:
                raise CommandError(f"no user {o['username']!r}")
            crisis = crisis_by_code(o["crisis"])
            common: dict[str, Any] = {
                "crisis": crisis,
                "data": data,
                "filename": path.name,
                "fmt": o["format"],
                "dry_run": o["dry_run"],
            }
            if o["kind"] == "needs":
                report = importers.import_needs(
                    actor, title=o["title"], situation=o["situation"], **common
                )
            else:
                report = importers.import_offers(
                    actor,
                    available_from=o["available_from"],
                    origin_airport=o["origin_airport"],
                    own_transport=o["own_transport"],
                    conditions=o["conditions"],
                    **common,
                )
        except FileNotFoundError:
            raise CommandError(f"no such file: {path}") from None
        except ImportRejected as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} problem(s); nothing was imported") from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        for problem in report.problems:
            self.stderr.write(str(problem))
        verb = "would create" if report.dry_run else "created"
        for made in report.created:
            self.stdout.write(f"{verb}: " + ", ".join(f"{k}={v}" for k, v in made.items()))
        totals = ", ".join(f"{code} {qty}" for code, qty in report.totals.items())
        self.stdout.write(f"{report.rows} rows ({report.format}); totals: {totals or '-'}")
        if report.problems:
            raise CommandError(f"{len(report.problems)} problem(s) found")
