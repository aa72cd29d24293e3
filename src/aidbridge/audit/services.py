"""Writing the audit trail. Every state or quantity change calls ``record``."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from aidbridge.audit.models import AuditEntry


def record(
    actor: Any,
    action: str,
    target: models.Model,
    *,
    crisis: Any = None,
    from_state: str = "",
    to_state: str = "",
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry. Call it inside the transaction that makes the change.

    ``actor`` is the acting user (or None for the system); the party is taken from the
    user's membership so history still says which nation acted after people move on.
    ``changes`` maps a field to ``[old, new]``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change")
    profile = getattr(actor, "profile", None) if actor is not None else None
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_party=getattr(profile, "party", None),
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        target_id=target.pk,
        target_repr=str(target)[:200],
        crisis=crisis,
        from_state=from_state,
        to_state=to_state,
        changes=changes or {},
        reason=reason,
    )
