"""The crisis's row lock, first after the sitrep in the one order of ``core/locks.py``."""

from __future__ import annotations

from aidbridge.crises.models import Crisis


def lock_crisis(pk: int) -> Crisis:
    """The crisis, locked: its status cannot change until this transaction ends."""
    return Crisis.objects.select_for_update(no_key=True).get(pk=pk)
