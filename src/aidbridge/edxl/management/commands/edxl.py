"""``aidbridge edxl export ...``: EDXL-DE/EDXL-RM messages on the command line.

    aidbridge edxl export --crisis CODE --as USER -o DIR [--since N] [--validate]
    aidbridge edxl export --rfa ID --as USER [-o FILE] [--status-request] [--validate]
    aidbridge edxl export --offer ID --as USER [-o FILE] [--validate]

A crisis is written as its feed, one envelope per message (``<entry>.xml``), and the
cursor to resume from is printed. Every export is what ``--as`` may see. Subcommands
are registered in ``SUBCOMMANDS`` (the import half adds its own beside ``export``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from lxml import etree

from aidbridge.core.errors import DomainError
from aidbridge.crises.selectors import crisis_by_code
from aidbridge.edxl import feed, ondemand, schemas
from aidbridge.edxl.envelope import serialise
from aidbridge.edxl.imports.command import add_import, run_import


def _actor(username: str) -> Any:
    actor = get_user_model().objects.filter(username=username).first()
    if actor is None:
        raise CommandError(f"no user {username!r}")
    return actor


def add_export(parser: Any) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--crisis", help="crisis code: its whole feed")
    which.add_argument("--rfa", type=int, help="request id: its messages in one envelope")
    which.add_argument("--offer", type=int, help="offer id: its messages in one envelope")
    parser.add_argument("--as", dest="username", required=True, help="whose view to export")
    parser.add_argument("-o", "--output", help="file (request, offer) or directory (crisis)")
    parser.add_argument("--since", type=int, default=0, help="crisis: the feed cursor")
    parser.add_argument(
        "--status-request",
        action="store_true",
        help="request: a RequestResourceDeploymentStatus instead of its messages",
    )
    parser.add_argument("--validate", action="store_true", help="check against the schemas")


class Command(BaseCommand):
    help = "Export (and import) EDXL-RM 1.0 messages in EDXL-DE 1.0 envelopes."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, (adder, _handler, text) in SUBCOMMANDS.items():
            adder(sub.add_parser(name, help=text))

    def handle(self, *args: Any, **o: Any) -> None:
        _adder, handler, _text = SUBCOMMANDS[o["subcommand"]]
        try:
            handler(self, o)
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def check_valid(self, element: etree._Element, what: str) -> int:
        errors = schemas.validate(element)
        for error in errors:
            self.stderr.write(f"{what}: {error}")
        return len(errors)

    def export(self, o: dict[str, Any]) -> None:
        actor = _actor(o["username"])
        if o["crisis"]:
            self._export_feed(actor, o)
            return
        if o["rfa"]:
            if o["status_request"]:
                element = ondemand.status_request(actor, o["rfa"])
            else:
                element = ondemand.rfa_chain(actor, o["rfa"])
        else:
            element = ondemand.offer_chain(actor, o["offer"])
        bad = self.check_valid(element, "envelope") if o["validate"] else 0
        data = serialise(element)
        if o["output"]:
            Path(o["output"]).write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
        if bad:
            raise CommandError(f"{bad} schema error(s)")

    def _export_feed(self, actor: Any, o: dict[str, Any]) -> None:
        if not o["output"]:
            raise CommandError("a crisis feed is written to a directory: give -o DIR")
        folder = Path(o["output"])
        folder.mkdir(parents=True, exist_ok=True)
        crisis = crisis_by_code(o["crisis"])
        cursor, written, bad = o["since"], 0, 0
        while True:
            page = feed.feed(actor, crisis, cursor, feed.MAX_LIMIT)
            for message, element in page.items:
                if o["validate"]:
                    bad += self.check_valid(element, message.message_id)
                (folder / f"{message.entry_id:012d}.xml").write_bytes(serialise(element))
                written += 1
            cursor = page.cursor
            if not page.more:
                break
        self.stdout.write(f"{written} message(s) written to {folder}; next cursor: {cursor}")
        if bad:
            raise CommandError(f"{bad} schema error(s)")


SUBCOMMANDS: dict[
    str, tuple[Callable[[Any], None], Callable[[Command, dict[str, Any]], None], str]
] = {
    "export": (add_export, Command.export, "write EDXL messages"),
    "import": (add_import, run_import, "read EDXL messages from other systems"),
}
