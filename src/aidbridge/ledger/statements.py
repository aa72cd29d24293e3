"""The refresh's own statements on the maintained tables, written once per shape.

A write refreshes one or two rows of each kind: Django building and compiling the row
lock, the row UPDATE and the cells' ``F()`` increments (about six compiles per write)
cost more CPU than running them. They are plain SQL over the maintained tables only, so
they are written here from the models' metadata, once per shape (table, number of ids,
columns added to) and database vendor, and then only executed.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.db import connection


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _column(model: Any, name: str) -> str:
    return _q(model._meta.get_field(name).column)


@lru_cache(maxsize=256)
def _lock_sql(model: Any, n: int, vendor: str) -> str:
    meta = model._meta
    pk = _q(meta.pk.column)
    columns = ", ".join(_q(f.column) for f in meta.concrete_fields)
    marks = ", ".join(["%s"] * n)
    sql = f"SELECT {columns} FROM {_q(meta.db_table)} WHERE {pk} IN ({marks}) ORDER BY {pk}"
    # As select_for_update() says it: only where the database has row locks (not SQLite,
    # whose writer holds the whole file).
    return sql + " FOR UPDATE" if connection.features.has_select_for_update else sql


def locked_rows(model: Any, ids: Sequence[int]) -> dict[int, Any]:
    """``model``'s rows ``ids``, locked in id order (``select_for_update``'s lock)."""
    names = [f.attname for f in model._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(_lock_sql(model, len(ids), connection.vendor), list(ids))
        rows = [model.from_db(connection.alias, names, values) for values in cursor.fetchall()]
    return {row.pk: row for row in rows}


@lru_cache(maxsize=64)
def _set_sql(model: Any, columns: tuple[str, ...], vendor: str) -> str:
    meta = model._meta
    sets = ", ".join(f"{_column(model, c)} = %s" for c in columns)
    return f"UPDATE {_q(meta.db_table)} SET {sets} WHERE {_q(meta.pk.column)} = %s"


def set_row(model: Any, pk: int, values: dict[str, Any]) -> None:
    """``UPDATE`` one row's columns to ``values`` (field names as keys)."""
    sql = _set_sql(model, tuple(values), connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values.values(), pk])


@lru_cache(maxsize=256)
def _add_sql(model: Any, columns: tuple[str, ...], where: tuple[str, ...], vendor: str) -> str:
    sets = ", ".join(f"{_column(model, c)} = {_column(model, c)} + %s" for c in columns)
    match = " AND ".join(f"{_column(model, w)} = %s" for w in where)
    return f"UPDATE {_q(model._meta.db_table)} SET {sets} WHERE {match}"


def add_to_row(model: Any, where: dict[str, Any], values: dict[str, int]) -> int:
    """Add ``values`` to the columns of the row matching ``where`` (an ``F()`` increment,
    done by the database, so concurrent additions are not lost); how many rows matched."""
    sql = _add_sql(model, tuple(values), tuple(where), connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values.values(), *where.values()])
        return int(cursor.rowcount)
