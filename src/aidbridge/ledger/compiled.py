"""The ledger's queries on a few rows, compiled once and then only run.

Building and compiling an annotated ORM query (the definitions of ``sums``) costs far
more CPU than running it on a few rows, and a write runs them on every change: an
acceptance checks its line's outstanding need, every write refreshes the maintained
figures. Each query is compiled once per number of ids, with stand-in ids that are then
swapped for the real ones: the SQL is the definitions' own, only not rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import QuerySet

_STAND_IN = -(10**15)
_compiled: dict[tuple[str, int, int, str], tuple[str, tuple[Any, ...]]] = {}
# Beyond this many ids a query is built each time (a page or an export: rare, and its
# own cost dwarfs the compiling), so the cache holds at most this many shapes per query.
MOST_IDS = 64


def rows(name: str, index: int, build: Callable[[list[int]], Any], ids: list[int]) -> list[Any]:
    """The rows of query ``index`` of ``build(ids)`` (a tuple of values() querysets),
    as dicts; ``name`` tells ``build`` apart from other builders."""
    if isinstance(ids, QuerySet) or not ids or len(ids) > MOST_IDS:
        return [
            {n: int(v) if isinstance(v, Decimal) else v for n, v in row.items()}
            for row in build(ids)[index]
        ]
    key = (name, index, len(ids), connection.vendor)
    if key not in _compiled:
        stand_ins = [_STAND_IN - i for i in range(len(ids))]
        _compiled[key] = build(stand_ins)[index].query.sql_with_params()
    sql, params = _compiled[key]
    real = {_STAND_IN - i: pk for i, pk in enumerate(ids)}
    with connection.cursor() as cursor:
        cursor.execute(sql, [real.get(p, p) if isinstance(p, int) else p for p in params])
        names = [c[0] for c in cursor.description]
        return [
            {n: int(v) if isinstance(v, Decimal) else v for n, v in zip(names, row, strict=True)}
            for row in cursor.fetchall()
        ]
