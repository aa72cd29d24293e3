"""Backup and restore: the same rows, keys and history after a restore, on both databases."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from aidbridge.allocations.models import AllocationRun
from aidbridge.audit.models import AuditEntry
from aidbridge.crises.models import Crisis
from aidbridge.interop import archive
from aidbridge.interop.backup import restore_backup, write_backup
from aidbridge.interop.errors import FileRejected
from aidbridge.parties.models import Party


class _Undo(Exception):
    pass


def tables(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n.startswith("data/")}


def backup_of_scenario_then_empty(request: pytest.FixtureRequest, **kw: Any) -> bytes:
    """Build the scenario in a savepoint, back it up, roll it back: the database is empty."""
    out = io.BytesIO()
    with pytest.raises(_Undo), transaction.atomic():
        request.getfixturevalue("scenario")
        write_backup(out, **kw)
        raise _Undo
    return out.getvalue()


def test_restore_gives_back_every_row_key_and_history_entry(
    request: pytest.FixtureRequest, db: Any
) -> None:
    first = backup_of_scenario_then_empty(request)
    assert Party.objects.count() == 0 and AuditEntry.objects.count() == 0

    restored = restore_backup(io.BytesIO(first))
    assert restored["audit.auditentry"] == 2 and restored["offers.offerline"] == 5

    again = io.BytesIO()
    write_backup(again)
    assert tables(again.getvalue()) == tables(first)
    entry = AuditEntry.objects.get(action="rfa.circulated")
    assert entry.changes == {"reference": [None, "RFA-2020-0001"], "z": 1, "a": [1.5]}
    assert entry.target_type.model == "requestforassistance"


def test_secrets_are_left_out_unless_asked(request: pytest.FixtureRequest, db: Any) -> None:
    data = backup_of_scenario_then_empty(request)
    assert "data/accounts.apitoken.jsonl" not in tables(data)
    assert b"md5$" not in tables(data)["data/auth.user.jsonl"]
    restore_backup(io.BytesIO(data))
    user = get_user_model().objects.get(username="ita-poc")
    assert not user.has_usable_password()


def test_secrets_included_on_request(request: pytest.FixtureRequest, db: Any) -> None:
    data = backup_of_scenario_then_empty(request, include_secrets=True)
    assert b"md5$" in tables(data)["data/auth.user.jsonl"]
    restore_backup(io.BytesIO(data))
    assert get_user_model().objects.get(username="ita-poc").check_password("pw-ita-poc")


def test_restore_into_a_database_with_data_is_refused(scenario: dict[str, Any]) -> None:
    out = io.BytesIO()
    write_backup(out)
    before = Party.objects.count()
    with pytest.raises(FileRejected, match=r"empty database only; these tables have rows: .*"):
        restore_backup(io.BytesIO(out.getvalue()))
    assert Party.objects.count() == before


def _rewrite(data: bytes, name: str, change: Any) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            dst.writestr(info.filename, change(content) if info.filename == name else content)
    return out.getvalue()


def test_archive_from_a_newer_version_is_refused(request: pytest.FixtureRequest, db: Any) -> None:
    data = backup_of_scenario_then_empty(request)

    def newer(content: bytes) -> bytes:
        manifest = json.loads(content)
        manifest["format_version"] = archive.FORMAT_VERSION + 1
        manifest["app_version"] = "9.0.0"
        return json.dumps(manifest).encode()

    with pytest.raises(FileRejected, match=r"format version 2 \(written by aidbridge 9.0.0\)"):
        restore_backup(io.BytesIO(_rewrite(data, "manifest.json", newer)))
    assert Party.objects.count() == 0


def test_damaged_archive_is_refused_and_nothing_is_kept(
    request: pytest.FixtureRequest, db: Any
) -> None:
    data = backup_of_scenario_then_empty(request)
    damaged = _rewrite(data, "data/requests.requestline.jsonl", lambda c: c.replace(b"150", b"151"))
    with pytest.raises(FileRejected, match=r"requests\.requestline\.jsonl is damaged"):
        restore_backup(io.BytesIO(damaged))
    assert Party.objects.count() == 0  # the tables restored before it were rolled back


def test_not_an_archive_is_refused(db: Any) -> None:
    with pytest.raises(FileRejected, match="not a zip archive"):
        restore_backup(io.BytesIO(b"item,quantity\n"))
    with pytest.raises(FileRejected, match=r"manifest\.json is missing"):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            zf.writestr("hello.txt", "hi")
        restore_backup(io.BytesIO(out.getvalue()))


def test_an_archive_made_before_a_field_was_renamed_restores(
    request: pytest.FixtureRequest, db: Any
) -> None:
    """Archives written before allocations 0002 name the run's time ``created_at``."""
    out = io.BytesIO()
    with pytest.raises(_Undo), transaction.atomic():
        request.getfixturevalue("scenario")
        run = AllocationRun.objects.create(
            crisis=Crisis.objects.earliest("pk"),
            requested_by=get_user_model().objects.earliest("pk"),
        )
        asked_at = run.requested_at
        write_backup(out)
        raise _Undo
    data = out.getvalue()
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    (table,) = [t for t in manifest["tables"] if t["model"] == "allocations.allocationrun"]
    old = zipfile.ZipFile(io.BytesIO(data)).read(table["file"])
    header, rows = old.split(b"\n", 1)
    assert b'"requested_at"' in header
    old = header.replace(b'"requested_at"', b'"created_at"') + b"\n" + rows
    table["sha256"] = hashlib.sha256(old).hexdigest()
    data = _rewrite(data, table["file"], lambda content: old)
    data = _rewrite(data, "manifest.json", lambda content: json.dumps(manifest).encode())
    restore_backup(io.BytesIO(data))
    assert AllocationRun.objects.get().requested_at == asked_at
