"""``aidbridge restore FILE.zip``: load an archive into an empty, migrated database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aidbridge.interop.backup import restore_backup
from aidbridge.interop.errors import FileRejected


class Command(BaseCommand):
    help = "Restore an aidbridge backup archive into an empty database (run migrate first)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="the .zip written by 'aidbridge backup'")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with open(options["archive"], "rb") as source:
                restored = restore_backup(source)
        except FileNotFoundError:
            raise CommandError(f"no such file: {options['archive']}") from None
        except FileRejected as exc:
            raise CommandError(exc.message) from None
        total = sum(restored.values())
        self.stderr.write(f"restored {total} rows in {len(restored)} tables")
