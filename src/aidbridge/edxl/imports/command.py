"""``aidbridge edxl import FILE... --as USER``: import EDXL documents from files.

Each file is one document (an EDXL-DE envelope or a bare EDXL-RM message), imported as
``POST /api/v1/edxl`` would import it, by the account ``--as`` (which must be of the
party whose action each message is). Files are imported in the order given, each whole
or not at all; the first refused file stops the command (exit status 1) with its
problems, each at its XML path. A file seen before is reported as a replay.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from aidbridge.edxl.imports import import_document
from aidbridge.edxl.imports.errors import MessageRefused


def add_import(parser: Any) -> None:
    parser.add_argument("files", nargs="+", help="EDXL-DE envelopes or EDXL-RM messages")
    parser.add_argument(
        "--as", dest="username", required=True, help="the importing account (of the sender)"
    )
    parser.add_argument("--json", action="store_true", help="print each answer as JSON")


def run_import(command: Any, o: dict[str, Any]) -> None:
    actor = get_user_model().objects.filter(username=o["username"]).first()
    if actor is None:
        raise CommandError(f"no user {o['username']!r}")
    for name in o["files"]:
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"{name}: no such file")
        try:
            result = import_document(actor, path.read_bytes())
        except MessageRefused as exc:
            for problem in exc.problems:
                command.stderr.write(f"{name}: {problem}")
            raise CommandError(f"{name}: refused ({exc.code}); nothing was imported") from None
        if o["json"]:
            command.stdout.write(json.dumps(result.as_dict()))
            continue
        for message in result.messages:
            made = ", ".join(
                f"{c['kind']} {c.get('reference') or c.get('id') or c.get('offer_line')}"
                for c in message["created"]
            )
            state = "replay, nothing changed" if message["replay"] else made or "nothing to do"
            command.stdout.write(
                f"{name}: {message['message_type']} {message['message_id']} "
                f"({message['sender']}): {state}"
            )
