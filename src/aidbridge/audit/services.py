"""Writing the audit trail. Every state or quantity change calls ``record``.

``record_many`` writes the same entries for many targets of one action in a single
INSERT, for actions that touch hundreds of rows at once (an imported request's lines).

Every business action passes through here, in the transaction of its change, so this is
where what must follow a change in that same transaction hooks in: ``recorded`` is
sent with the saved entries (the webhooks turn some into outbox messages). The audit
app imports none of its listeners.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone, translation

from aidbridge.audit.models import AuditEntry

# Sent with ``entries`` (a list of saved AuditEntry) inside the change's transaction; a
# listener that raises rolls the change back, as any failure inside it would.
recorded = Signal()


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change")


def _entry(
    actor: Any,
    action: str,
    target: models.Model,
    *,
    crisis: Any,
    from_state: str,
    to_state: str,
    changes: dict[str, Any] | None,
    reason: str,
) -> AuditEntry:
    """The unsaved entry: one place decides what an entry says, whichever way it is saved."""
    profile = getattr(actor, "profile", None) if actor is not None else None
    # Stored in English whatever the actor reads: ``sentences`` words the stored name
    # ("RFA draft #7") in each reader's language.
    with translation.override("en"):
        target_repr = str(target)[:200]
    return AuditEntry(
        at=timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_party=getattr(profile, "party", None),
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        target_id=target.pk,
        target_repr=target_repr,
        crisis=crisis,
        from_state=from_state,
        to_state=to_state,
        changes=changes or {},
        reason=reason,
    )


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
    _require_transaction()
    entry = _entry(
        actor,
        action,
        target,
        crisis=crisis,
        from_state=from_state,
        to_state=to_state,
        changes=changes,
        reason=reason,
    )
    entry.save(force_insert=True)
    recorded.send(sender=AuditEntry, entries=[entry], target=target)
    return entry


def record_many(
    actor: Any,
    action: str,
    changes_by_target: Iterable[tuple[models.Model, dict[str, Any] | None]],
    *,
    crisis: Any = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
) -> list[AuditEntry]:
    """Append one entry per ``(target, changes)``, each as ``record`` would write it,
    in one bulk INSERT (batched by the database's parameter limit).

    The entries keep the order given (their ids ascend with it), so history reads the
    same as if ``record`` had been called for each target in turn. Every target must
    already be saved: an entry points at its target's id.
    """
    _require_transaction()
    entries = []
    for target, changes in changes_by_target:
        if target.pk is None:
            raise ValueError(f"cannot audit {target!r} before it is saved")
        entries.append(
            _entry(
                actor,
                action,
                target,
                crisis=crisis,
                from_state=from_state,
                to_state=to_state,
                changes=changes,
                reason=reason,
            )
        )
    saved = AuditEntry.objects.bulk_create(entries)
    recorded.send(sender=AuditEntry, entries=saved, target=None)
    return saved
