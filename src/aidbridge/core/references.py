"""Unique, gap-tolerant human references (``RFA-2020-0007``)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from aidbridge.core.models import Sequence

# A reference this centre gives (``OFR-2026-12345``) fits OWN; a mirrored one, the
# partner centre's code (up to 6 letters), a dash and the partner's own reference, fits
# STORED, the column's width: never cut, since a cut reference can equal another one.
OWN_REFERENCE_LENGTH = 20
STORED_REFERENCE_LENGTH = 32


def next_number(name: str, year: int) -> int:
    """Take the next number of the ``name`` sequence for ``year``.

    Must run inside the caller's transaction: the row lock is held until it commits, so
    concurrent callers are serialised and a rolled-back caller leaves no number used.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                Sequence.objects.get_or_create(name=name, year=year)
        except IntegrityError:
            pass  # another transaction created it first; the lock below waits for it
        seq = Sequence.objects.select_for_update().get(name=name, year=year)
        seq.last += 1
        seq.save(update_fields=["last"])
        return seq.last


def next_reference(prefix: str, year: int, width: int = 4) -> str:
    return f"{prefix}-{year}-{next_number(prefix, year):0{width}d}"
