"""A version of everything the audit trail records: it changes with every committed
business change, so a page that shows only audited state may be kept under it.

Every state or quantity change writes its entry in its own transaction
(``audit.services``), and entries are never edited nor deleted, so the set of committed
entries only grows, and grows with each committed change.

The newest id alone is not enough on PostgreSQL: an id is taken when the row is
inserted, not when its transaction commits, so commits can land out of id order. A
change that took id 100 and commits after one that took id 101 was read leaves the
newest id at 101: a page kept under "101" would hide it. The version is therefore the
newest id *and* the number of entries among the last ``WINDOW`` ids (both read through
the primary key's index, whatever the size of the trail): entries are only ever added,
so any late commit inside the window raises the count while the newest id stays, and
any later one raises the newest id. Only a transaction that stays open while more than
``WINDOW`` other entries are written and committed could be missed; audited changes are
short (a page's or an API call's work) and the pages that use this version also keep
their entries for a bounded time (their time to live).

On SQLite writers are serialised, so ids commit in order; the count costs nothing more.
"""

from __future__ import annotations

from django.db import connection

from aidbridge.audit.models import AuditEntry

# How far behind the newest id a late commit is still seen (see above).
WINDOW = 1000

_sql: dict[str, str] = {}


def trail_version() -> str:
    """``"<newest id>.<entries among the last WINDOW ids>"`` of the committed trail, as
    this connection sees it now (one statement, two index lookups)."""
    with connection.cursor() as cursor:
        cursor.execute(_statement(), [WINDOW])
        newest, recent = cursor.fetchone()
    return f"{newest or 0}.{recent or 0}"


def _statement() -> str:
    if connection.vendor not in _sql:
        table = connection.ops.quote_name(AuditEntry._meta.db_table)
        pk = connection.ops.quote_name(AuditEntry._meta.pk.column or "id")
        _sql[connection.vendor] = (
            f"SELECT newest.id, (SELECT COUNT(*) FROM {table} "
            f"WHERE {pk} > newest.id - %s) "
            f"FROM (SELECT MAX({pk}) AS id FROM {table}) AS newest"
        )
    return _sql[connection.vendor]
