"""EDXL-HAVE 1.0 hospital status from the command line.

    aidbridge have import FILE... --as USER
    aidbridge have export [-o FILE] [--crisis CODE] [--nation DEU]

An import is all or nothing per file, as on the API; a refused file prints each problem
with its XML path and the command ends with status 1.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from aidbridge.core.errors import DomainError
from aidbridge.crises.selectors import crisis_by_code
from aidbridge.edxl.envelope import serialise
from aidbridge.edxl.imports.errors import MessageRefused
from aidbridge.hospitals import have, selectors


class Command(BaseCommand):
    help = "Import or export hospital bed availability as EDXL-HAVE 1.0."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        imp = sub.add_parser("import", help="record the bed reports of HAVE documents")
        imp.add_argument("files", nargs="+")
        imp.add_argument("--as", dest="username", required=True, help="who reports")
        exp = sub.add_parser("export", help="the known capacity as a HospitalStatus")
        exp.add_argument("-o", "--output", help="file (default: standard output)")
        exp.add_argument("--crisis", help="wrap it in an EDXL-DE envelope about this crisis")
        exp.add_argument("--nation", help="only this nation's hospitals")

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            if o["subcommand"] == "import":
                self.import_files(o)
            else:
                self.export(o)
        except MessageRefused as exc:
            for problem in exc.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"refused ({exc.code}): nothing was written") from None
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def import_files(self, o: dict[str, Any]) -> None:
        actor = get_user_model().objects.filter(username=o["username"]).first()
        if actor is None:
            raise CommandError(f"no user {o['username']!r}")
        for name in o["files"]:
            result = have.import_have(actor, Path(name).read_bytes())
            self.stdout.write(
                f"{name}: {len(result.reports)} recorded, {len(result.unchanged)} unchanged, "
                f"{len(result.skipped)} hospitals without beds"
            )

    def export(self, o: dict[str, Any]) -> None:
        hospitals = list(selectors.hospital_list(nation=o.get("nation")))
        if not hospitals:
            raise CommandError("no registered hospital to report")
        crisis = crisis_by_code(o["crisis"]) if o.get("crisis") else None
        data = serialise(have.export_have(hospitals, crisis=crisis))
        if o.get("output"):
            Path(o["output"]).write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
