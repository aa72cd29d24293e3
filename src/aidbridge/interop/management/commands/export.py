"""``aidbridge export {picture,rfas,offers,deliveries} --crisis CODE --as USER -o FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from aidbridge.core.errors import DomainError
from aidbridge.crises.selectors import crisis_by_code
from aidbridge.interop.exporters import TABLES, export
from aidbridge.interop.templates import needs_template, offers_template


class Command(BaseCommand):
    help = "Export a crisis table (or an import template) as CSV, XLSX or HXL."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("table", choices=[*TABLES, "needs-template", "offers-template"])
        parser.add_argument("-o", "--output", required=True, help="file to write")
        parser.add_argument("--crisis", help="crisis code (not needed for needs-template)")
        parser.add_argument("--as", dest="username", help="whose view (default: a centre user)")
        parser.add_argument("--format", choices=["csv", "xlsx", "hxl"], default="csv")

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            crisis = crisis_by_code(o["crisis"]) if o["crisis"] else None
            if o["table"] == "needs-template":
                data = needs_template(o["format"])
            elif o["table"] == "offers-template":
                actor = self._actor(o["username"]) if crisis else None
                data = offers_template(actor, o["format"], crisis)
            else:
                if crisis is None:
                    raise CommandError("--crisis is required")
                data = export(self._actor(o["username"]), crisis, o["table"], o["format"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        Path(o["output"]).write_bytes(data)
        self.stderr.write(f"wrote {o['output']} ({len(data)} bytes)")

    @staticmethod
    def _actor(username: str | None) -> Any:
        users = get_user_model().objects.filter(is_active=True)
        if username:
            actor = users.filter(username=username).first()
        else:
            actor = users.filter(profile__role__in=["centre_officer", "centre_head"]).first()
        if actor is None:
            raise CommandError(f"no active user {username!r}" if username else "give --as USER")
        return actor
