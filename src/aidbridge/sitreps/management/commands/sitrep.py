"""``aidbridge sitrep render CRISIS [--sequence N | --id ID] [--lang en|fr]
[--format pdf|html] [--annex] [--output FILE]``: a sitrep to a file, without a server.

Without ``--sequence`` or ``--id`` the latest published sitrep of the crisis is taken
(or, with ``--draft``, the latest draft, rendered with today's figures). ``aidbridge
sitrep list CRISIS`` shows what there is. ``aidbridge sitrep forget CRISIS`` drops the
stored renderings of its published sitreps (after an upgrade that changes how sitreps
look); each is rendered again on its next request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aidbridge.crises.models import Crisis
from aidbridge.sitreps import render
from aidbridge.sitreps.models import Sitrep, SitrepRendering


class Command(BaseCommand):
    help = "Render a sitrep to a PDF or HTML file, or list a crisis's sitreps."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        out = sub.add_parser("render", help="write one sitrep to a file")
        out.add_argument("crisis", help="crisis code, e.g. covid-19-2020")
        which = out.add_mutually_exclusive_group()
        which.add_argument("--sequence", type=int, help="SITREP No. within the crisis")
        which.add_argument("--id", type=int, help="database id")
        which.add_argument("--draft", action="store_true", help="the latest draft")
        out.add_argument("--lang", choices=["en", "fr"], default="en")
        out.add_argument("--format", choices=["pdf", "html"], default="pdf")
        out.add_argument(
            "--annex", action="store_true", help="the annex of per-line tables instead"
        )
        out.add_argument("--output", "-o", help="file to write (default: a name in cwd)")
        lister = sub.add_parser("list", help="list a crisis's sitreps")
        lister.add_argument("crisis")
        forget = sub.add_parser("forget", help="drop the stored renderings of a crisis's sitreps")
        forget.add_argument("crisis")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            crisis = Crisis.objects.get(code=options["crisis"])
        except Crisis.DoesNotExist:
            raise CommandError(f"no crisis with code {options['crisis']!r}") from None
        sitreps = Sitrep.objects.filter(crisis=crisis)
        if options["action"] == "list":
            for s in sitreps.order_by("sequence", "id"):
                when = render.dtg(s.published_at) if s.published_at else "-"
                self.stdout.write(f"{s.pk}\t{s.sequence or '-'}\t{s}\t{s.status}\t{when}")
            return
        if options["action"] == "forget":
            dropped, _ = SitrepRendering.objects.filter(sitrep__crisis=crisis).delete()
            self.stdout.write(f"{dropped} stored renderings dropped; made again on demand")
            return
        sitrep = self._pick(sitreps, options)
        part = "annex" if options["annex"] else "body"
        data: bytes | str
        if options["format"] == "pdf":
            data = render.render_pdf(sitrep, options["lang"], part=part)
        else:
            data = str(render.render_html(sitrep, options["lang"], part=part, standalone=True))
        path = Path(
            options["output"]
            or render.filename(sitrep, options["lang"], options["format"], part=part)
        )
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        what = f"{sitrep} annex" if part == "annex" else str(sitrep)
        self.stdout.write(f"{what} ({options['lang']}) written to {path}")

    def _pick(self, sitreps: Any, options: dict[str, Any]) -> Sitrep:
        if options["id"] is not None:
            found = sitreps.filter(pk=options["id"]).first()
        elif options["sequence"] is not None:
            found = sitreps.filter(sequence=options["sequence"]).first()
        elif options["draft"]:
            found = sitreps.filter(status=Sitrep.Status.DRAFT).order_by("-id").first()
        else:
            found = sitreps.filter(status=Sitrep.Status.PUBLISHED).order_by("-sequence").first()
        if found is None:
            raise CommandError("no such sitrep in this crisis (see: aidbridge sitrep list CRISIS)")
        return found
