"""Backing up the whole database to one versioned zip, and restoring it.

The archive holds ``manifest.json`` ({format, format_version, app_version, created_at,
counts, ...}) and one JSON-lines file per table, in dependency order, primary keys
kept. A restore goes into an empty database only, in one transaction; on PostgreSQL
the id sequences are then moved past the restored keys.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from typing import IO, Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from aidbridge.interop import archive
from aidbridge.interop.errors import FileRejected
from aidbridge.interop.limits import MB, check_zip

BATCH = 2000


def app_version() -> str:
    try:
        return metadata.version("aidbridge")
    except metadata.PackageNotFoundError:
        return "unknown"


def write_backup(target: IO[bytes], *, include_secrets: bool = False) -> dict[str, Any]:
    """Write the archive to ``target`` (a binary file); return its manifest."""
    tables = []
    counts: dict[str, int] = {}
    with (
        transaction.atomic(),  # one consistent snapshot on PostgreSQL
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf,
    ):
        for model in archive.backed_up_models(include_secrets):
            name = archive.label(model)
            fields = archive.fields_of(model, include_secrets)
            encoders = [archive.encoder(f) for f in fields]
            digest = hashlib.sha256()
            count = 0
            path = f"data/{name}.jsonl"
            with zf.open(path, "w", force_zip64=True) as out:
                for line in _lines(model, fields, encoders, [f.attname for f in fields]):
                    data = line.encode()
                    digest.update(data)
                    out.write(data)
                    count += 1
            count -= 1  # the first line names the fields
            counts[name] = count
            tables.append(
                {"model": name, "file": path, "count": count, "sha256": digest.hexdigest()}
            )
        manifest = {
            "format": archive.FORMAT,
            "format_version": archive.FORMAT_VERSION,
            "app_version": app_version(),
            "created_at": timezone.now().isoformat(),
            "source_database": connection.vendor,
            "include_secrets": include_secrets,
            "counts": counts,
            "tables": tables,
        }
        zf.writestr("manifest.json", json.dumps(manifest, indent=2))
    return manifest


def _lines(
    model: type[models.Model], fields: list[Any], encoders: list[Any], attnames: list[str]
) -> Iterator[str]:
    yield json.dumps({"fields": attnames}) + "\n"
    rows = model._base_manager.order_by("pk").values_list(*attnames).iterator(chunk_size=BATCH)
    for row in rows:
        values = [enc(v) for enc, v in zip(encoders, row, strict=True)]
        yield json.dumps(values, sort_keys=True) + "\n"


def read_manifest(zf: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(zf.read("manifest.json"))
    except KeyError:
        raise FileRejected("not an aidbridge backup: manifest.json is missing") from None
    except ValueError:
        raise FileRejected("not an aidbridge backup: manifest.json is not JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != archive.FORMAT:
        raise FileRejected("not an aidbridge backup (unknown manifest format)")
    version = manifest.get("format_version")
    if not isinstance(version, int):
        raise FileRejected("the manifest has no format_version")
    if version > archive.FORMAT_VERSION:
        raise FileRejected(
            f"this archive has format version {version} (written by aidbridge "
            f"{manifest.get('app_version', '?')}); this aidbridge ({app_version()}) reads up "
            f"to version {archive.FORMAT_VERSION}: upgrade aidbridge before restoring it"
        )
    return manifest


def restore_backup(source: IO[bytes]) -> dict[str, int]:
    """Restore the archive into this (empty) database; return the rows restored per table."""
    try:
        zf = zipfile.ZipFile(source)
    except zipfile.BadZipFile:
        raise FileRejected("not an aidbridge backup: the file is not a zip archive") from None
    with zf:
        check_zip(zf, what="the archive", max_total=50_000 * MB, max_entries=10_000)
        manifest = read_manifest(zf)
        plan = [(_model(t["model"]), t) for t in manifest["tables"]]
        _require_empty([m for m, _ in plan])
        restored: dict[str, int] = {}
        with transaction.atomic(), _keep_timestamps([m for m, _ in plan]):
            for model, table in plan:
                restored[table["model"]] = _restore_table(zf, model, table)
            _reset_sequences([m for m, _ in plan])
    return restored


def _model(name: str) -> type[models.Model]:
    try:
        return apps.get_model(name)
    except (LookupError, ValueError):
        raise FileRejected(f"the archive holds table {name}, unknown to this aidbridge") from None


def _require_empty(models_: list[type[models.Model]]) -> None:
    busy = [f"{archive.label(m)} ({n})" for m in models_ if (n := m._base_manager.count())]
    if busy:
        raise FileRejected(
            "restore goes into an empty database only; these tables have rows: "
            + ", ".join(busy[:8])
            + (" ..." if len(busy) > 8 else "")
        )


@contextmanager
def _keep_timestamps(models_: list[type[models.Model]]) -> Iterator[None]:
    """Let archived created_at/updated_at through instead of stamping them with now()."""
    saved = []
    for model in models_:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


# Fields renamed by a migration since archives were first written: an archive made
# before names them by their old name, and still restores.
RENAMED: dict[str, dict[str, str]] = {
    # allocations 0002: runs share aidbridge.runs.PlanningRun's "requested_at".
    "allocations.allocationrun": {"created_at": "requested_at"},
}


def _restore_table(zf: zipfile.ZipFile, model: type[models.Model], table: dict[str, Any]) -> int:
    name = table["model"]
    digest = hashlib.sha256()
    with zf.open(table["file"]) as raw:
        stream = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        header = stream.readline()
        digest.update(header.encode())
        renamed = RENAMED.get(name, {})
        attnames = [renamed.get(a, a) for a in json.loads(header)["fields"]]
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [a for a in attnames if a not in by_attname]
        if unknown:
            raise FileRejected(f"{name}: unknown fields {', '.join(unknown)} in the archive")
        decoders = [archive.decoder(by_attname[a]) for a in attnames]
        fill = _missing_values(model, attnames)
        batch: list[models.Model] = []
        count = 0
        for line in stream:
            digest.update(line.encode())
            values = json.loads(line)
            obj = model(
                **fill, **{a: d(v) for a, d, v in zip(attnames, decoders, values, strict=True)}
            )
            batch.append(obj)
            count += 1
            if len(batch) >= BATCH:
                model._base_manager.bulk_create(batch)
                batch = []
        if batch:
            model._base_manager.bulk_create(batch)
    if digest.hexdigest() != table["sha256"] or count != table["count"]:
        raise FileRejected(f"{table['file']} is damaged (checksum or row count differs)")
    return count


def _missing_values(model: type[models.Model], attnames: list[str]) -> dict[str, Any]:
    """Values for fields the archive lacks: an unusable password, or the field's default."""
    fill: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.attname in attnames:
            continue
        if archive.label(model) == "auth.user" and field.name == "password":
            fill["password"] = make_password(None)
        elif field.has_default() or field.null:
            fill[field.attname] = field.get_default()
        else:
            raise FileRejected(f"{archive.label(model)}: the archive lacks field {field.name}")
    return fill


def _reset_sequences(models_: list[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
