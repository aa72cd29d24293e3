"""``aidbridge demo``: everything needed to try aidbridge, in one command.

Migrates the database, compiles the translations (when gettext is installed), collects
static files, loads the catalogue, the parties and the COVID-19 spring 2020 scenario
(reusing whatever is already there), prints the demo accounts and serves the app.
"""

from __future__ import annotations

import os
import shutil
from contextlib import chdir
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from aidbridge.accounts.models import Role
from aidbridge.demo.scenario import DEMO_PASSWORD, USERS
from aidbridge.ops.management.commands.serve import DEFAULT_ADDRPORT, parse_addrport


class Command(BaseCommand):
    help = "Set up the demo database (idempotent), print the accounts, and serve."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="set up and stop")
        parser.add_argument("--addrport", default=DEFAULT_ADDRPORT, help="HOST:PORT to serve on")
        parser.add_argument(
            "--federated",
            action="store_true",
            help="two federated centres: EADRCC on 8000, ERCC on 8001, sharing COVID-19",
        )
        parser.add_argument(
            "--base-port",
            type=int,
            default=8000,
            help="--federated: EADRCC on this port, ERCC on the next (default 8000)",
        )
        parser.add_argument(
            "--no-scenario",
            action="store_true",
            help="catalogue, parties, accounts and the crisis only (ERCC of --federated)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["federated"]:
            from aidbridge.demo.federated import run

            run(self.stdout, serve=not options["no_serve"], base_port=options["base_port"])
            return
        host, port = parse_addrport(options["addrport"])
        self._step("Migrating the database")
        call_command("migrate", interactive=False, verbosity=0)
        self._compile_translations()
        self._step("Collecting static files")
        call_command("collectstatic", interactive=False, verbosity=0)
        self._step("Loading the catalogue, the parties and the scenario")
        self._load(base_only=options["no_scenario"])
        self._print_accounts(host, port)
        if not options["no_serve"]:
            call_command("serve", options["addrport"], no_collectstatic=True, stdout=self.stdout)

    def _step(self, text: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"==> {text}"))

    def _compile_translations(self) -> None:
        locale = settings.PACKAGE_DIR / "locale"
        if not locale.is_dir():
            return
        if shutil.which("msgfmt") is None:
            self.stdout.write("    gettext is not installed: French may be incomplete")
            return
        if not os.access(locale, os.W_OK):
            return  # an installed, read-only package ships its compiled catalogues
        self._step("Compiling translations")
        # From inside the package, so only aidbridge's catalogues are compiled (not those
        # of every library in the virtual environment).
        with chdir(settings.PACKAGE_DIR):
            call_command("compilemessages", verbosity=0)

    def _load(self, *, base_only: bool = False) -> None:
        if base_only:
            from aidbridge.demo.loader import load_base

            load_base()
            return
        try:
            call_command("load_demo", stdout=self.stdout)
        except CommandError as exc:
            raise CommandError(f"demo: {exc}") from exc

    def _print_accounts(self, host: str, port: int) -> None:
        shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
        base = f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("aidbridge demo is ready."))
        self.stdout.write(f"  Application:  {base}/")
        self.stdout.write(f"  API docs:     {base}/api/v1/docs")
        self.stdout.write(f"  Admin:        {base}/admin/  (user admin)")
        self.stdout.write(f"  Every demo account's password: {DEMO_PASSWORD}")
        self.stdout.write("")
        self.stdout.write(f"  {'user':<10} {'party':<9} {'role':<27} does")
        for user in USERS:
            role = str(Role(user.role).label)
            self.stdout.write(f"  {user.username:<10} {user.party:<9} {role:<27} {user.does}")
        self.stdout.write("")
