"""Start-up shared by the benchmarks that need Django: a throw-away data directory and
SQLite file (unless a database URL is given), settings, and a migrated schema."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def configure(prefix: str, **env: str) -> Path:
    """Point Django at a fresh temporary data directory; ``env`` values are forced.

    Variables the caller already set (``DATABASE_URL``, ``AIDBRIDGE_DATA_DIR``...) are
    kept, so a benchmark can be aimed at PostgreSQL or another folder from outside.
    """
    tmp = Path(tempfile.mkdtemp(prefix=f"aidbridge-bench-{prefix}-"))
    os.environ.setdefault("AIDBRIDGE_DATA_DIR", str(tmp))
    os.environ.setdefault("AIDBRIDGE_SECRET_KEY", "bench")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aidbridge.settings")
    os.environ.update(env)
    return tmp


def setup_and_migrate() -> None:
    """``django.setup()``, quiet logs, and the schema migrated."""
    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@contextmanager
def scratch_postgres(url: str, prefix: str) -> Iterator[str]:
    """A fresh database on the server of ``url``, dropped on the way out."""
    import psycopg

    # AIDBRIDGE_BENCH_DB_TAG: whose scratch database it is, on a server several people use.
    tag = os.environ.get("AIDBRIDGE_BENCH_DB_TAG", "bench")
    name = f"aidbridge_{tag}_{prefix}_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def kept_postgres(url: str, name: str) -> Iterator[str]:
    """The database ``name`` on the server of ``url``, created if missing, never dropped."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            admin.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def analyze() -> None:
    """Gather planner statistics, as autovacuum (PostgreSQL) or ``PRAGMA optimize``
    would soon after a bulk load: without them both planners guess tiny tables and
    the figures of a freshly loaded database are not those of a live one."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def prepare_for_serving() -> None:
    """What the WSGI entry point does before the first request (the garbage collector's
    policy, ``aidbridge.core.collector``), so that requests are timed as a server serves
    them; a checkout without it (an older ref) has nothing to do."""
    try:
        from aidbridge.core.collector import prepare_for_serving as prepare
    except ImportError:
        return
    prepare()
