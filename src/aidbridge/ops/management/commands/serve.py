"""``aidbridge serve [HOST:PORT]``: serve the application with a real WSGI server.

Waitress (pure Python, multi-threaded) runs the Django application; WhiteNoise serves
the collected static files from ``STATIC_ROOT``. No reloader and no debug pages: this
is what runs the demo and a small centre on one machine. A larger deployment may put
the same WSGI application (``aidbridge.wsgi``) behind a reverse proxy.

Planning runs (allocation, airlift) are background tasks: with the database task
backend, ``serve`` also starts one ``db_worker`` process beside the server, and the
sweep that fails the runs whose worker died (``aidbridge runs sweep --every 60``), and
stops both with the server, so a run asked for in the browser is computed.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from aidbridge.api.tasks import schedule_purge
from aidbridge.core import taskqueue
from aidbridge.core.database import unreachable_message, unreachable_reason
from aidbridge.interop.limits import max_upload_bytes
from aidbridge.interop.uploads import MULTIPART_OVERHEAD
from aidbridge.outbox.tasks import schedule_periodic as schedule_outbox
from aidbridge.outbox.tasks import schedule_purge as schedule_outbox_purge

DEFAULT_ADDRPORT = "127.0.0.1:8000"
_ADDRPORT = re.compile(r"^(?:(?P<host>[\w.-]+|\[[0-9a-fA-F:]+\]):)?(?P<port>\d{1,5})$")


def parse_addrport(value: str) -> tuple[str, int]:
    """``"0.0.0.0:8000"``, ``"[::1]:8000"`` or ``"8000"`` → (host, port)."""
    match = _ADDRPORT.match(value.strip())
    if not match or not 0 < int(match["port"]) < 65536:
        raise CommandError(f"addrport {value!r} is not HOST:PORT or PORT (e.g. 127.0.0.1:8000)")
    host = (match["host"] or "127.0.0.1").strip("[]")
    return host, int(match["port"])


MB = 1024 * 1024


def waitress_options(
    threads: int = 8, connection_limit: int = 1000, channel_timeout: int = 30
) -> dict[str, Any]:
    """Waitress's settings for a server that faces clients directly.

    Waitress reads requests on its own event loop and hands a thread only a request
    received in full, so a slow or silent client costs a socket, not a thread: the
    defaults (100 connections, 120 s of silence allowed, bodies up to 1 GB) let about a
    hundred clients that declare a large body and stop sending lock everyone out for
    two minutes. Here a body larger than the biggest upload is refused (413) on its
    declared length before it is read, silent clients go after ``channel_timeout``, and
    many more connections may wait. ``send_bytes`` is left alone (deprecated)."""
    return {
        "threads": threads,
        "connection_limit": connection_limit,
        # select() cannot watch more than 1,024 sockets; poll() can.
        "asyncore_use_poll": True,
        "channel_timeout": channel_timeout,
        # How often silent connections are looked for (at most this late).
        "cleanup_interval": 5,
        "max_request_header_size": 64 * 1024,
        "max_request_body_size": max_upload_bytes() + MULTIPART_OVERHEAD,
        # Bodies beyond 1 MB are buffered in a temporary file, not in memory.
        "inbuf_overflow": 1 * MB,
        "recv_bytes": 64 * 1024,
        "ident": "aidbridge",
    }


def serve(addrport: str, *, options: dict[str, Any], stdout: Any = None) -> None:
    from waitress import serve as waitress_serve

    from aidbridge.wsgi import application

    host, port = parse_addrport(addrport)
    shown = f"[{host}]" if ":" in host else host
    if stdout is not None:
        stdout.write(f"Serving aidbridge on http://{shown}:{port}/ (Ctrl-C to stop)")
        stdout.flush()
    waitress_serve(application, host=host, port=port, **options)


def needs_worker() -> bool:
    """The database and RQ backends keep tasks for a worker; others run them inline."""
    return taskqueue.needs_worker()


def start_worker() -> subprocess.Popen[bytes]:
    return subprocess.Popen(taskqueue.worker_command())


# How often ``serve``'s sweeper looks for runs whose worker died (AIDBRIDGE_RUN_TIMEOUT_S
# says how old a heartbeat must be for that).
SWEEP_EVERY_S = 60


def start_sweeper() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "aidbridge.cli", "runs", "sweep", "--every", str(SWEEP_EVERY_S)]
    )


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    worker.terminate()  # db_worker finishes its current task on SIGTERM
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def _exit_on_signal(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


class Command(BaseCommand):
    help = "Serve aidbridge with Waitress; static files through WhiteNoise."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default=DEFAULT_ADDRPORT)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--connection-limit",
            type=int,
            default=1000,
            help="open connections at most (default 1000)",
        )
        parser.add_argument(
            "--channel-timeout",
            type=int,
            default=30,
            help="seconds a client may stay silent before it is disconnected (default 30)",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start the background task worker and the runs' sweep (run "
            "`aidbridge db_worker` and `aidbridge runs sweep --every 60` yourself)",
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="do not collect static files first (they are already collected)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        parse_addrport(options["addrport"])  # fail before any work on a bad address
        reason = unreachable_reason()
        if reason is not None:
            raise CommandError(unreachable_message(reason).removeprefix("aidbridge: "))
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stderr.write(
                self.style.WARNING(
                    "The database is not up to date: run `aidbridge migrate` (or "
                    "`aidbridge demo`) first, or pages will fail."
                )
            )
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        # SIGTERM (a service manager, a test) must unwind like Ctrl-C does, so that the
        # worker below is stopped too instead of being left behind.
        signal.signal(signal.SIGTERM, _exit_on_signal)
        helpers = []
        if needs_worker() and not options["no_worker"]:
            helpers = [start_worker(), start_sweeper()]
            # The periodic clean-up of Idempotency-Key answers, the outbox's retries and
            # its purge of old delivered messages (each re-schedules itself).
            schedule_purge()
            schedule_outbox()
            schedule_outbox_purge()
        try:
            waitress = waitress_options(
                options["threads"], options["connection_limit"], options["channel_timeout"]
            )
            serve(options["addrport"], options=waitress, stdout=self.stdout)
        finally:
            for helper in helpers:
                stop_worker(helper)
