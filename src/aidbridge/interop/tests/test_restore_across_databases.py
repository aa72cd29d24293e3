"""SQLite -> PostgreSQL -> SQLite: every row, key and history entry identical.

Each restore runs in a fresh process on its own database (the real ``aidbridge migrate``
and ``aidbridge restore`` commands), whatever database this suite itself runs on.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from aidbridge.interop.backup import write_backup

PG_URL = os.environ.get("AIDBRIDGE_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/test")


def _aidbridge(args: list[str], database_url: str, data_dir: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "AIDBRIDGE_DATA_DIR": str(data_dir),
        "AIDBRIDGE_SECRET_KEY": "restore-test",
        "DJANGO_SETTINGS_MODULE": "aidbridge.settings",
    }
    done = subprocess.run(
        [sys.executable, "-m", "aidbridge.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"aidbridge {' '.join(args)} failed:\n{done.stderr[-3000:]}"


def _data(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n.startswith("data/")}


@pytest.fixture
def pg_database() -> Any:
    psycopg = pytest.importorskip("psycopg")
    name = f"aidbridge_restore_{os.environ.get('TEST_DB_SUFFIX', 'x')}_{os.getpid()}"
    try:
        admin = psycopg.connect(PG_URL, autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield PG_URL.rsplit("/", 1)[0] + "/" + name
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_sqlite_to_postgresql_and_back(
    scenario: dict[str, Any], pg_database: str, tmp_path: Path
) -> None:
    original = tmp_path / "original.zip"
    with original.open("wb") as out:
        write_backup(out)
    source = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]

    # restore into PostgreSQL, back up from there
    _aidbridge(["migrate", "-v", "0"], pg_database, tmp_path)
    _aidbridge(["restore", str(original)], pg_database, tmp_path)
    from_pg = tmp_path / "from_pg.zip"
    _aidbridge(["backup", str(from_pg)], pg_database, tmp_path)

    # and from PostgreSQL's archive into a fresh SQLite file
    sqlite_url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    _aidbridge(["migrate", "-v", "0"], sqlite_url, tmp_path)
    _aidbridge(["restore", str(from_pg)], sqlite_url, tmp_path)
    from_sqlite = tmp_path / "from_sqlite.zip"
    _aidbridge(["backup", str(from_sqlite)], sqlite_url, tmp_path)

    assert _data(from_pg) == _data(original), f"{source} -> PostgreSQL changed rows"
    assert _data(from_sqlite) == _data(original), "PostgreSQL -> SQLite changed rows"
    assert b"rfa.circulated" in _data(from_sqlite)["data/audit.auditentry.jsonl"]

    # the sequences moved past the restored keys: a new row does not collide
    _aidbridge(
        [
            "shell",
            "-c",
            "from aidbridge.parties.models import Party; "
            "Party.objects.create(code='LUX', kind='nation', name_en='L', name_fr='L')",
        ],
        pg_database,
        tmp_path,
    )
