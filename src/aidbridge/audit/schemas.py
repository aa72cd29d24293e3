"""How an audit entry reads in the API (every ``.../history`` endpoint uses this)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema

from aidbridge.audit.models import AuditEntry


class AuditEntryOut(Schema):
    at: datetime
    action: str
    actor: str | None
    actor_party: str | None
    target: str
    target_type: str
    target_id: int
    from_state: str
    to_state: str
    changes: dict[str, Any]
    reason: str


def entry_out(entry: AuditEntry) -> dict[str, Any]:
    """The entry as ``AuditEntryOut``; select ``actor`` and ``actor_party`` beforehand."""
    return {
        "at": entry.at,
        "action": entry.action,
        "actor": entry.actor.get_username() if entry.actor else None,
        "actor_party": entry.actor_party.code if entry.actor_party else None,
        "target": entry.target_repr,
        "target_type": entry.target_type.model,
        "target_id": entry.target_id,
        "from_state": entry.from_state,
        "to_state": entry.to_state,
        "changes": entry.changes,
        "reason": entry.reason,
    }
