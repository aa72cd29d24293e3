"""``aidbridge screenshots OUTDIR``: PNGs of the demo's dashboard, request page and
airlift page at 1366 and 390 px, in English and French (see ``demo.screenshots``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Write PNGs of the dashboard, a request and the airlift page (1366 and 390 px, "
        "EN and FR) of the demo, taken by Chromium from a live server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("outdir", type=Path)
        parser.add_argument(
            "--url", default="", help="a server already running on this database (default: "
            "start one on a free local port for the time of the pictures)"
        )  # fmt: skip
        parser.add_argument(
            "--no-load", action="store_true", help="do not (re)load the demo scenario first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from aidbridge.demo import screenshots

        if not options["no_load"]:
            from aidbridge.demo.loader import load_demo

            load_demo()
        out: Path = options["outdir"]
        if options["url"]:
            shots = screenshots.take(out, options["url"].rstrip("/"))
        else:
            with screenshots.serve() as url:
                shots = screenshots.take(out, url)
        for shot in shots:
            self.stdout.write(f"{out / shot.file}  {shot.width}x{shot.height}  {shot.title}")
