"""``aidbridge deploy DIRECTORY``: the production stack on this machine, in one command.

nginx (TLS, buffering, body limits, rate limits) in front of several gunicorn worker
processes and one background task worker, against the configured PostgreSQL database
(``aidbridge.deploy.stack``). Migrates and collects static files first; runs in the
foreground until Ctrl-C or SIGTERM, then stops everything it started.

It also starts what keeps the outbox's deliveries going, so a failed webhook is retried
without anyone running a command: with a task backend that can run a task later (the
database backend), it queues the self-rescheduling tasks (the outbox's retries and
purge, the Idempotency-Key purge) that the worker runs; with one that cannot, it runs
``aidbridge outbox deliver --every 5`` beside the worker instead.
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from aidbridge.api.tasks import schedule_purge as schedule_idempotency_purge
from aidbridge.deploy.stack import DeployError, Options, Stack
from aidbridge.outbox.tasks import deliver_outbox_periodic, schedule_periodic, schedule_purge


def schedule_periodic_tasks() -> bool:
    """Queue the self-rescheduling tasks unless one of each is waiting; False when the
    task backend cannot defer a task (then an outbox process does the retries)."""
    if not deliver_outbox_periodic.get_backend().supports_defer:
        return False
    schedule_periodic()
    schedule_purge()
    schedule_idempotency_purge()
    return True


def _exit_on_signal(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


class Command(BaseCommand):
    help = "Run nginx, gunicorn and a task worker from DIRECTORY, as the current user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="where configuration, logs go")
        parser.add_argument("--http-port", type=int, default=8080, help="redirects to HTTPS")
        parser.add_argument("--https-port", type=int, default=8443)
        parser.add_argument("--listen", default="127.0.0.1", help="address nginx listens on")
        parser.add_argument("--server-name", default="localhost")
        parser.add_argument(
            "--workers", type=int, default=Options.app_workers, help="application processes"
        )
        parser.add_argument("--no-task-worker", action="store_true")
        parser.add_argument("--tls-cert", type=Path, help="default: a self-signed one")
        parser.add_argument("--tls-key", type=Path)
        parser.add_argument("--no-migrate", action="store_true")
        parser.add_argument("--allow-sqlite", action="store_true", help="for a quick look only")

    def handle(self, *args: Any, **options: Any) -> None:
        engine = settings.DATABASES["default"]["ENGINE"]
        if "sqlite" in engine and not options["allow_sqlite"]:
            raise CommandError(
                "deploy runs several processes at once: set DATABASE_URL=postgres://... "
                "(or pass --allow-sqlite for a quick look)"
            )
        if bool(options["tls_cert"]) != bool(options["tls_key"]):
            raise CommandError("give both --tls-cert and --tls-key, or neither")
        for name in ("http_port", "https_port"):
            if not 0 < options[name] < 65536:
                raise CommandError(f"--{name.replace('_', '-')} must be 1 to 65535")
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1")
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        # Queued even with --no-task-worker: a worker started elsewhere runs them.
        scheduled = schedule_periodic_tasks()
        stack = Stack(
            Options(
                directory=options["directory"],
                http_port=options["http_port"],
                https_port=options["https_port"],
                listen=options["listen"],
                server_name=options["server_name"],
                app_workers=options["workers"],
                task_worker=not options["no_task_worker"],
                outbox_process=not scheduled,
                tls_cert=options["tls_cert"],
                tls_key=options["tls_key"],
                static_root=Path(settings.STATIC_ROOT),
            )
        )
        signal.signal(signal.SIGTERM, _exit_on_signal)
        try:
            stack.start()
        except DeployError as exc:
            raise CommandError(str(exc)) from exc
        try:
            self.stdout.write(
                f"aidbridge is up on {stack.url} (http://{options['listen']}:"
                f"{options['http_port']}/ redirects there): nginx, {options['workers']} "
                f"application processes, "
                f"{'no' if options['no_task_worker'] else 'one'} task worker, outbox "
                f"retries by {'the periodic task' if scheduled else 'an outbox process'}. "
                f"Logs in {stack.layout.log}. Ctrl-C stops."
            )
            self.stdout.flush()
            stopped = stack.wait()
            raise CommandError(f"{stopped} stopped; see {stack.layout.log}/{stopped}.log")
        except KeyboardInterrupt:
            pass
        finally:
            stack.stop()
