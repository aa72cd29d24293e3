"""``aidbridge serve [HOST:PORT]``: serve the application with a real WSGI server.

Waitress (pure Python, multi-threaded) runs the Django application; WhiteNoise serves
the collected static files from ``STATIC_ROOT``. No reloader and no debug pages: this
is what runs the demo and a small centre on one machine. A larger deployment may put
the same WSGI application (``aidbridge.wsgi``) behind a reverse proxy.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

DEFAULT_ADDRPORT = "127.0.0.1:8000"
_ADDRPORT = re.compile(r"^(?:(?P<host>[\w.-]+|\[[0-9a-fA-F:]+\]):)?(?P<port>\d{1,5})$")


def parse_addrport(value: str) -> tuple[str, int]:
    """``"0.0.0.0:8000"``, ``"[::1]:8000"`` or ``"8000"`` → (host, port)."""
    match = _ADDRPORT.match(value.strip())
    if not match or not 0 < int(match["port"]) < 65536:
        raise CommandError(f"addrport {value!r} is not HOST:PORT or PORT (e.g. 127.0.0.1:8000)")
    host = (match["host"] or "127.0.0.1").strip("[]")
    return host, int(match["port"])


def serve(addrport: str, *, threads: int = 8, stdout: Any = None) -> None:
    from waitress import serve as waitress_serve

    from aidbridge.wsgi import application

    host, port = parse_addrport(addrport)
    shown = f"[{host}]" if ":" in host else host
    if stdout is not None:
        stdout.write(f"Serving aidbridge on http://{shown}:{port}/ (Ctrl-C to stop)")
        stdout.flush()
    waitress_serve(application, host=host, port=port, threads=threads, ident="aidbridge")


class Command(BaseCommand):
    help = "Serve aidbridge with Waitress; static files through WhiteNoise."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default=DEFAULT_ADDRPORT)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="do not collect static files first (they are already collected)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        parse_addrport(options["addrport"])  # fail before any work on a bad address
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        serve(options["addrport"], threads=options["threads"], stdout=self.stdout)
