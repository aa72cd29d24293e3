"""``aidbridge backup FILE.zip [--include-secrets]``: the whole database in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from aidbridge.interop.backup import write_backup


class Command(BaseCommand):
    help = "Write the whole database (secrets left out unless asked) to one zip archive."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="the .zip to write")
        parser.add_argument(
            "--include-secrets",
            action="store_true",
            help="also write password hashes and API token hashes (keep the file safe)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["archive"]
        secrets = options["include_secrets"]
        target = Path(path)
        partial = target.with_name(target.name + ".partial")
        with partial.open("wb") as out:
            manifest = write_backup(out, include_secrets=secrets)
        partial.replace(target)  # never leave a half-written archive under the real name
        total = sum(manifest["counts"].values())
        self.stderr.write(
            f"wrote {target}: {total} rows in {len(manifest['counts'])} tables "
            f"(format {manifest['format_version']}, "
            f"secrets {'included' if secrets else 'left out'})"
        )
