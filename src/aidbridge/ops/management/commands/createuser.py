"""``aidbridge createuser USERNAME --party ITA --role national_poc``.

Goes through ``accounts.services.create_user`` like every account creation. The person
at the server's command line is the operator (the service's ``actor=None``), who may
create the centre's first account; ``--actor`` records a centre user instead. The
centre's own party is the one thing created directly if it is missing.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aidbridge.accounts.models import Role
from aidbridge.accounts.services import create_user
from aidbridge.core.errors import DomainError
from aidbridge.ops.bootstrap import ensure_centre_party, system_actor
from aidbridge.parties.models import Party
from aidbridge.parties.seed import CENTRE_CODE


class Command(BaseCommand):
    help = "Create a user of a party with a role, through the accounts service."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--party", required=True, help="party code, e.g. ITA or EADRCC")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--language", default="en", choices=["en", "fr"])
        parser.add_argument(
            "--password-from-stdin",
            action="store_true",
            help="read the password from the first line of standard input",
        )
        parser.add_argument(
            "--actor", help="the centre user recorded as creating it (default: the operator)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = self._password(options)
        code = options["party"].strip().upper()
        try:
            party = ensure_centre_party() if code == CENTRE_CODE else None
            party = party or Party.objects.filter(code=code).first()
            if party is None:
                raise CommandError(
                    f"--party: no party with code {code!r} (load them: aidbridge load_parties)"
                )
            user = create_user(
                system_actor(options["actor"]) if options["actor"] else None,
                username=options["username"],
                email=options["email"],
                party=party,
                role=options["role"],
                password=password,
                language=options["language"],
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except DomainError as exc:
            where = f"{exc.field}: " if exc.field else ""
            raise CommandError(f"{where}{exc.message}") from exc
        self.stdout.write(
            f"Created {user.username} ({party.code}, {user.profile.role})"
            + ("" if password else "; no password set: the user cannot sign in with one")
        )

    def _password(self, options: dict[str, Any]) -> str | None:
        if options["password_from_stdin"]:
            password = sys.stdin.readline().rstrip("\r\n") if sys.stdin else ""
            if not password:
                raise CommandError("--password-from-stdin: standard input held no password")
            return password
        if sys.stdin is not None and sys.stdin.isatty():
            first = getpass.getpass("Password (empty for none): ")
            if first and getpass.getpass("Password (again): ") != first:
                raise CommandError("the two passwords differ")
            return first or None
        return None
