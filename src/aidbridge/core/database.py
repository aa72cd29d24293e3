"""Saying plainly that the database cannot be reached, instead of a traceback.

The commands (``aidbridge serve``, ``migrate``, ``demo``...) stop with one message
naming the database (without its password) and the driver's reason; at run time the
API answers 503 ``database_unavailable`` (``api/errors.py``).
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

DATABASE_DOWN = (OperationalError, InterfaceError)


def describe(alias: str = DEFAULT_DB_ALIAS) -> str:
    """Which database: engine, host:port and name; never the password."""
    conf = connections.settings[alias]
    engine = str(conf.get("ENGINE", "")).rsplit(".", 1)[-1]
    if engine == "sqlite3":
        return f"SQLite database {conf.get('NAME')}"
    where = f"{conf.get('HOST') or 'localhost'}:{conf.get('PORT') or 'default port'}"
    return f"{engine} database {conf.get('NAME')!r} at {where}"


def unreachable_reason(alias: str = DEFAULT_DB_ALIAS) -> str | None:
    """The driver's one-line reason if a new connection fails now; None if it works."""
    connection = connections[alias]
    try:
        connection.close()
        connection.ensure_connection()
    except DATABASE_DOWN as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        return lines[0] if lines else type(exc).__name__
    return None


def unreachable_message(reason: str, alias: str = DEFAULT_DB_ALIAS) -> str:
    return (
        f"aidbridge: cannot reach the {describe(alias)}: {reason}\n"
        "Check DATABASE_URL and that the database server is running and accepts "
        "connections from this machine."
    )
